"""What the merchant sees of interaction events: a read-only list (they are facts)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import InteractionEvent


@admin.register(InteractionEvent)
class InteractionEventAdmin(admin.ModelAdmin):
    """Read-only: events are facts the recommender learns from, not something to edit."""

    list_display = (
        "created_at",
        "kind",
        "product_handle",
        "user",
        "session_key_short",
        "value",
        "country",
        "language",
    )
    list_filter = ("kind", "language", "country", "created_at")
    search_fields = ("user__email", "product__handle", "session_key")
    list_select_related = ("user", "product")
    date_hierarchy = "created_at"
    # The table grows with every product view; an exact count of a filtered list is costly.
    show_full_result_count = False
    list_per_page = 100

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("product"), ordering="product__handle")
    def product_handle(self, event: InteractionEvent) -> str:
        return event.product.handle

    @admin.display(description=_("session"))
    def session_key_short(self, event: InteractionEvent) -> str:
        return event.session_key[:8]
