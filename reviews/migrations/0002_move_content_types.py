"""Content types and permissions follow the models to the reviews app (issue 13, step 3).

Decision: the content type rows of catalog.review and catalog.reviewphoto are relabelled
`reviews` in place rather than new ones being created. A permission names its model through
its content type, so `catalog.moderate_review`, `catalog.change_review` etc. become
`reviews.moderate_review`, `reviews.change_review` with the same rows and ids: every group and
user that held one keeps it (grants point at the permission row, which does not change), and
the admin's history of reviews (LogEntry, which points at the content type) stays attached.
Keeping the old content type instead would leave permissions under a label no model has, which
Django would recreate empty as reviews.* (grants lost) and `remove_stale_contenttypes` would
offer to delete with their grants.

If a `reviews` content type already exists (Django creates content types after `migrate`, so
only a database that went through an odd partial migration has one), the catalog one is merged
into it: grants of a permission present on both move to the reviews one, other permissions move
over, then the catalog content type is deleted. Reversing relabels them `catalog` again.
"""

from django.conf import settings
from django.db import migrations

MODELS = ("review", "reviewphoto")


def _relabel(apps, schema_editor, *, source: str, target: str) -> None:
    alias = schema_editor.connection.alias
    content_types = apps.get_model("contenttypes", "ContentType").objects.db_manager(alias)
    permissions = apps.get_model("auth", "Permission").objects.db_manager(alias)
    for model in MODELS:
        old = content_types.filter(app_label=source, model=model).first()
        if old is None:
            continue  # a new database: Django creates the content types after migrating
        new = content_types.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
        for permission in permissions.filter(content_type=old):
            twin = permissions.filter(content_type=new, codename=permission.codename).first()
            if twin is None:
                permission.content_type = new
                permission.save(update_fields=["content_type"])
                continue
            _move_grants(apps, alias, source=permission, target=twin)
            permission.delete()
        old.delete()


def _move_grants(apps, alias, *, source, target) -> None:
    group = apps.get_model("auth", "Group")
    user = apps.get_model(settings.AUTH_USER_MODEL)
    for through, owner in (
        (group.permissions.through, "group_id"),
        (user.user_permissions.through, "user_id"),
    ):
        rows = through.objects.db_manager(alias)
        for owner_id in rows.filter(permission_id=source.pk).values_list(owner, flat=True):
            rows.get_or_create(**{owner: owner_id, "permission_id": target.pk})


def to_reviews(apps, schema_editor):
    _relabel(apps, schema_editor, source="catalog", target="reviews")


def to_catalog(apps, schema_editor):
    _relabel(apps, schema_editor, source="reviews", target="catalog")


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(to_reviews, to_catalog)]
