"""Whoever could change orders (a user or group, Translators aside) may now see and decide return
requests too; refunding one needs orders.refund_order, which they already have or not."""

from django.db import migrations

from shop.permissions import TRANSLATORS_GROUP


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("orders")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    permission_model = apps.get_model("auth", "Permission")
    held = permission_model.objects.filter(
        content_type__app_label="orders", codename="change_order"
    ).first()
    if held is None:
        return
    new = list(
        permission_model.objects.filter(
            content_type__app_label="orders",
            codename__in=["view_returnrequest", "change_returnrequest"],
        )
    )
    for group in held.group_set.exclude(name=TRANSLATORS_GROUP):
        group.permissions.add(*new)
    for user in held.user_set.all():
        user.user_permissions.add(*new)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_return_request"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
