"""Who may do what outside the model permissions Django already checks."""

TRANSLATORS_GROUP = "Translators"


def can_translate(user) -> bool:
    """django-rosetta access: superusers and members of the Translators group."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=TRANSLATORS_GROUP).exists()
