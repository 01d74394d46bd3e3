"""A system check: every admin action declares the permission it needs.

Django offers an action that declares no permission to every staff user who may view the
list, including view-only staff, so such an action is an error here (`manage.py check` and
every command that runs the checks refuse to start). Declare it with
`@admin.action(permissions=[...])`: "change", "delete", or a custom one backed by a
`has_<name>_permission(request)` method on the ModelAdmin.
"""

from __future__ import annotations

from django.contrib import admin
from django.core import checks


def undeclared_admin_actions(site: admin.AdminSite | None = None) -> list[tuple[str, str]]:
    """(model label, action name) of every action of the site that declares no permission."""
    site = site or admin.site
    found = []
    for model, model_admin in site._registry.items():
        for function, name, _description in model_admin._get_base_actions():
            if not getattr(function, "allowed_permissions", None):
                found.append((model._meta.label, name))
    return found


@checks.register(checks.Tags.admin)
def check_admin_actions_declare_permissions(app_configs=None, **kwargs):
    return [
        checks.Error(
            f"The admin action {name!r} of {label} declares no permission, so view-only staff "
            "may run it.",
            hint="Use @admin.action(permissions=[...]) (see shop/admin_checks.py).",
            obj=label,
            id="shop.E001",
        )
        for label, name in undeclared_admin_actions()
    ]
