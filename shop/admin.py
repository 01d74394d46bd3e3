"""Admins of Django's and third-party apps, made to follow the project's rules.

- django-axes' "Clean up expired attempts" declared no permission (any staff user who could view
  the list could run it) and failed with a 500 outside a login request; it is registered again
  with the delete permission it needs and a request it can work with.
- Groups: whoever may change a group may give it (and so themselves) every permission; only
  superusers manage groups. (Users' rights: customers/admin.py.)
"""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _


class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    actions = ["cleanup_expired_attempts"]

    @admin.action(description=_("Clean up expired attempts"), permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        # axes reads the time of the login being attempted, which only a login request carries.
        if not hasattr(request, "axes_attempt_time"):
            request.axes_attempt_time = None
        return super().cleanup_expired_attempts(request, queryset)


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)


class GroupAdmin(DjangoGroupAdmin):
    """Staff may see the groups (with view permission); only superusers change them."""

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
    admin.site.register(Group, GroupAdmin)
