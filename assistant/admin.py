"""Minimal admin registration; the inbox and analytics (helper as-ui) build on it."""

from django.contrib import admin

from .models import Conversation, Message


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ("created_at", "sender", "text", "language", "intent", "confidence", "answered")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("public_id", "user", "language", "country", "status", "updated_at")
    list_filter = ("status", "language")
    search_fields = ("public_id", "email", "user__email")
    readonly_fields = ("public_id", "created_at", "updated_at", "shopper_seen_at")
    raw_id_fields = ("user", "assigned_to", "product")
    inlines = [MessageInline]
