"""A translatable admin that Translators (shop.permissions) can use: shared by every app whose
models have texts in several languages (catalog, content).

Members of the Translators group edit the translated fields of an object and nothing else:
every other field is read-only for them, and they get no inlines, no actions, no add, no delete.
"""

from __future__ import annotations

from django.http import HttpRequest
from parler.admin import TranslatableAdmin

from .permissions import is_translator_only


class TranslatorAwareAdmin(TranslatableAdmin):
    """Translators edit the translated fields of an object and nothing else."""

    def _translated_field_names(self) -> set[str]:
        return set(self.model._parler_meta.get_all_fields())

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if is_translator_only(request.user):
            translated = self._translated_field_names()
            opts = self.model._meta
            editable = [f.name for f in (*opts.fields, *opts.many_to_many) if f.editable]
            readonly += [
                name for name in editable if name not in translated and name not in readonly
            ]
        return readonly

    def get_inlines(self, request: HttpRequest, obj):
        if is_translator_only(request.user):
            return []
        return super().get_inlines(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not is_translator_only(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not is_translator_only(request.user) and super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest):
        if is_translator_only(request.user):
            return {}
        return super().get_actions(request)
