"""Who may do what outside the model permissions Django already checks."""

TRANSLATORS_GROUP = "Translators"


def can_translate(user) -> bool:
    """django-rosetta access: superusers and members of the Translators group."""
    if not user.is_authenticated or not user.is_active:
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
# objects (the admin lets them edit only the translated fields) and nothing else.
TRANSLATOR_PERMISSIONS = [
    ("catalog", "view_product"),
    ("catalog", "change_product"),
    ("catalog", "view_category"),
    ("catalog", "change_category"),
    ("catalog", "view_collection"),
    ("catalog", "change_collection"),
    ("catalog", "view_material"),
    ("catalog", "change_material"),
    ("catalog", "view_gemstonetype"),
    ("catalog", "change_gemstonetype"),
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
