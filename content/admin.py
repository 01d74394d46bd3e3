"""Store pages and FAQ entries in the admin: a tab per language (django-parler), filters,
search, publish / unpublish actions (change permission) and "view on site".

Translators (shop.permissions) edit the texts in every language and nothing else
(shop.admin_translation.TranslatorAwareAdmin).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shop.admin_translation import TranslatorAwareAdmin

from . import services
from .models import FaqEntry, StorePage


class _PublishActions:
    """Publish / unpublish through the services, for any admin whose model has is_published."""

    def _set_published(self, request: HttpRequest, queryset, published: bool) -> None:
        count = 0
        for obj in queryset:
            if obj.is_published != published:
                self.publish_service(obj, published)
                count += 1
        message = (
            ngettext("%(count)d item published.", "%(count)d items published.", count)
            if published
            else ngettext("%(count)d item unpublished.", "%(count)d items unpublished.", count)
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Publish selected"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset) -> None:
        self._set_published(request, queryset, True)

    @admin.action(description=_("Unpublish selected"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset) -> None:
        self._set_published(request, queryset, False)


@admin.register(StorePage)
class StorePageAdmin(_PublishActions, TranslatorAwareAdmin):
    list_display = ("__str__", "slug", "kind", "is_published", "position", "updated_at")
    list_filter = ("kind", "is_published")
    search_fields = ("slug", "translations__title", "translations__summary", "translations__body")
    ordering = ("position", "slug")
    actions = ("publish", "unpublish")
    readonly_fields = ("updated_at",)
    fieldsets = (
        (None, {"fields": ("title", "summary", "body")}),
        (_("Publication"), {"fields": ("slug", "kind", "is_published", "position", "updated_at")}),
    )

    @staticmethod
    def publish_service(obj: StorePage, published: bool) -> None:
        services.store_page_set_published(page=obj, is_published=published)

    def get_queryset(self, request: HttpRequest):
        # The changelist searches translations: distinct rows, one per page.
        return super().get_queryset(request).prefetch_related("translations")


@admin.register(FaqEntry)
class FaqEntryAdmin(_PublishActions, TranslatorAwareAdmin):
    list_display = ("__str__", "topic", "page", "is_published", "position")
    list_filter = ("topic", "is_published", "page")
    search_fields = ("translations__question", "translations__answer")
    ordering = ("topic", "position", "id")
    actions = ("publish", "unpublish")
    list_select_related = ("page",)
    fieldsets = (
        (None, {"fields": ("question", "answer")}),
        (_("Publication"), {"fields": ("topic", "page", "is_published", "position")}),
    )

    @staticmethod
    def publish_service(obj: FaqEntry, published: bool) -> None:
        services.faq_entry_set_published(entry=obj, is_published=published)

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("translations")
