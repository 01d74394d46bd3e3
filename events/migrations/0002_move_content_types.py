"""Content types and permissions follow InteractionEvent to the events app (issue 13, step 4).

As reviews' 0002 (the same decision, the same code): the content type row of
customers.interactionevent is relabelled `events` in place rather than a new one being made, so
`customers.view_interactionevent` and the others become `events.*` with the same rows and ids:
every group and user that held one keeps it, and the admin's history stays attached. If an
`events` content type already exists (only after an odd partial migration), the customers one
is merged into it: grants of twin permissions move, other permissions move over, then the
customers content type is deleted. Reversing relabels it `customers` again.
"""

from django.conf import settings
from django.db import migrations

MODELS = ("interactionevent",)


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


def to_events(apps, schema_editor):
    _relabel(apps, schema_editor, source="customers", target="events")


def to_customers(apps, schema_editor):
    _relabel(apps, schema_editor, source="events", target="customers")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(to_events, to_customers)]
