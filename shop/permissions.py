"""Who may do what outside the model permissions Django already checks."""

TRANSLATORS_GROUP = "Translators"


def can_translate(user) -> bool:
    """django-rosetta access: superusers and staff members of the Translators group."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    return user.is_superuser or user.groups.filter(name=TRANSLATORS_GROUP).exists()


def is_translator_only(user) -> bool:
    """A member of the Translators group who is not a superuser: edits translations only."""
    if not user.is_authenticated or user.is_superuser:
        return False
    # Asked several times per admin page (fields, inlines, actions, permissions): once per user.
    cached = getattr(user, "_is_translator_only", None)
    if cached is None:
        cached = user.groups.filter(name=TRANSLATORS_GROUP).exists()
        user._is_translator_only = cached
    return cached


# What the Translators group may do in the admin: see and change the translatable catalog
# objects, store pages and FAQ entries (the admin lets them edit only the translated fields)
# and nothing else.
TRANSLATOR_PERMISSIONS = [
    ("catalog", "view_product"),
    ("catalog", "change_product"),
    ("catalog", "view_category"),
    ("catalog", "change_category"),
    ("catalog", "view_collection"),
    ("catalog", "change_collection"),
    ("catalog", "view_optionlabel"),
    ("catalog", "change_optionlabel"),
    ("catalog", "view_material"),
    ("catalog", "change_material"),
    ("catalog", "view_gemstonetype"),
    ("catalog", "change_gemstonetype"),
    ("content", "view_storepage"),
    ("content", "change_storepage"),
    ("content", "view_faqentry"),
    ("content", "change_faqentry"),
]


def ensure_translators_group(**kwargs) -> None:
    """post_migrate: the Translators group exists with exactly its permissions."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=TRANSLATORS_GROUP)
    wanted = []
    for app_label, codename in TRANSLATOR_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            wanted.append(permission)
    group.permissions.set(wanted)


def grant_new_permission(
    apps, *, app_label: str, model: str, held: str, new: str, skip_groups=(TRANSLATORS_GROUP,)
) -> None:
    """For a migration that splits a permission off a broader one: whoever held `held` (a user
    or group, Translators aside) is given `new`, so existing roles keep what they could do.

    Permissions are normally created after all migrations; this creates the model's now.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    permission_model = apps.get_model("auth", "Permission")
    content_type = apps.get_model("contenttypes", "ContentType").objects.get(
        app_label=app_label, model=model
    )
    held_permission = permission_model.objects.filter(
        content_type=content_type, codename=held
    ).first()
    new_permission = permission_model.objects.get(content_type=content_type, codename=new)
    if held_permission is None:
        return
    for group in held_permission.group_set.exclude(name__in=skip_groups):
        group.permissions.add(new_permission)
    for user in held_permission.user_set.all():
        user.user_permissions.add(new_permission)
