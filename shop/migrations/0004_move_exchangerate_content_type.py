"""Content types and permissions follow ExchangeRate to the kernel, `shop` (issue 13, step 6).

As 0002 for jobs (the same decision, the same code): the content type row of
orders.exchangerate is relabelled `shop` in place rather than a new one being made, so
`orders.change_exchangerate` (who may edit the rates) and `orders.view_exchangerate` and the
others become `shop.*` with the same rows and ids: every group and user that held one keeps it,
and the admin's history stays attached. If a `shop` content type for exchange rates already
exists (only after an odd partial migration), the orders one is merged into it: grants of twin
permissions move, other permissions move over, then the orders content type is deleted.
Reversing relabels it `orders` again.
"""

from django.conf import settings
from django.db import migrations

MODELS = ("exchangerate",)


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


def to_shop(apps, schema_editor):
    _relabel(apps, schema_editor, source="orders", target="shop")


def to_orders(apps, schema_editor):
    _relabel(apps, schema_editor, source="shop", target="orders")


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0003_exchangerate"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(to_shop, to_orders)]
