"""The project's admin site: Django's, with every registered admin hardened against malformed
query parameters (so a bad address gives a message or a fallback, never a 500).

Django and django-parler trust parameters they should not: a NUL character in any filter
reaches PostgreSQL, which refuses it with an error (a 500); the date hierarchy's
`?created_at__year=99999999999999999999` overflows `datetime()` (OverflowError, which Django's
ChangeList does not catch, unlike ValueError), parler's `?language=xx` on an add or change
page raises ValueError for a language the store does not have, and an empty `?_to_field=` on a
change, delete or history page reaches `get_field("")` (Django checks the parameter only when
it is not empty). Registering through this site
(the default site, see shop.admin_app.ShopAdminConfig) wraps every ModelAdmin, the project's and
third-party apps' alike, so a new admin cannot forget it; tests/shop/test_storefront_fuzz.py
fuzzes every admin list page.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters


@cache
def _safe_changelist(base: type) -> type:
    class SafeChangeList(base):
        def get_filters(self, request):
            # PostgreSQL refuses a NUL character in a string (psycopg2 raises ValueError when
            # the query runs, long after the filters): refuse it as a bad lookup here.
            if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
                raise IncorrectLookupParameters("NUL character in a parameter")
            try:
                return super().get_filters(request)
            except OverflowError as error:  # a date hierarchy year past datetime's range
                raise IncorrectLookupParameters(error) from error

    SafeChangeList.__name__ = SafeChangeList.__qualname__ = f"Safe{base.__name__}"
    return SafeChangeList


class SafeInputAdminMixin:
    def get_changelist(self, request, **kwargs):
        return _safe_changelist(super().get_changelist(request, **kwargs))

    def get_object(self, request, object_id, from_field=None):
        # `?_to_field=` (empty): Django skips its check of the field and then looks it up.
        return super().get_object(request, object_id, from_field or None)

    def _language(self, request, obj=None):
        """django-parler's admins: a `?language=` the store lacks edits the default language."""
        code = super()._language(request, obj)
        if code in {language for language, _name in settings.LANGUAGES}:
            return code
        return settings.PARLER_DEFAULT_LANGUAGE_CODE


class ShopAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SafeInputAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (SafeInputAdminMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)
