"""What the merchant sees of the AI platform: model versions, embeddings, recommendation lists.

Admin actions call the model registry (ai.registry). The job list (ai's re-index, scoring and
training jobs among any app's) is the kernel's since issue 13 step 7: shop/admin.py,
/admin/shop/job/.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shop.admin import START_PERMISSION

from . import registry
from .assistant import jobs as assistant_jobs
from .models import (
    ExternalRating,
    IntentExample,
    ModelVersion,
    ProductEmbedding,
    RecommendationList,
)


class AiAdminMedia:
    css = {"all": ["css/admin_ai.css"]}
    js = ["js/job_progress.js"]


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ("capability", "version", "is_active", "metrics_summary", "created_at")
    list_filter = ("capability", "is_active")
    ordering = ("capability", "-version")
    actions = ("activate",)
    readonly_fields = (
        "capability",
        "version",
        "is_active",
        "parameters_json",
        "metrics_json",
        "artifact_path",
        "created_at",
    )
    fields = readonly_fields

    Media = AiAdminMedia

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_activate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("ai.change_modelversion")

    @admin.display(description=_("metrics"))
    def metrics_summary(self, version: ModelVersion) -> str:
        # Sorted: PostgreSQL's jsonb does not keep the order the keys were written in.
        items = sorted((version.metrics or {}).items())[:4]
        return " · ".join(f"{key}: {value}" for key, value in items) or "—"

    @admin.display(description=_("parameters"))
    def parameters_json(self, version: ModelVersion) -> str:
        return format_html(
            "<pre>{}</pre>", json.dumps(version.parameters, indent=2, ensure_ascii=False)
        )

    @admin.display(description=_("metrics"))
    def metrics_json(self, version: ModelVersion) -> str:
        return format_html(
            "<pre>{}</pre>", json.dumps(version.metrics, indent=2, ensure_ascii=False)
        )

    @admin.action(description=_("Activate"), permissions=["activate"])
    def activate(self, request: HttpRequest, queryset) -> None:
        chosen = list(queryset)
        capabilities = [version.capability for version in chosen]
        if len(set(capabilities)) != len(capabilities):
            self.message_user(
                request,
                _("Choose one version per capability: only one can be active."),
                messages.ERROR,
            )
            return
        for version in chosen:
            registry.model_version_activate(model_version=version)
        self.message_user(
            request,
            ngettext("%(count)d version activated.", "%(count)d versions activated.", len(chosen))
            % {"count": len(chosen)},
            messages.SUCCESS,
        )


@admin.register(ProductEmbedding)
class ProductEmbeddingAdmin(admin.ModelAdmin):
    """Read-only: what the search index knows of each product."""

    list_display = ("product_handle", "language", "backend", "dimension", "updated_at")
    list_filter = ("backend", "language")
    search_fields = ("product__handle",)
    list_select_related = ("product",)
    fields = ("product_handle", "language", "backend", "dimension", "text_hash", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("product"), ordering="product__handle")
    def product_handle(self, embedding: ProductEmbedding) -> str:
        return embedding.product.handle


# --- recommendations (issue 5) -----------------------------------------------------------------
@admin.register(RecommendationList)
class RecommendationListAdmin(admin.ModelAdmin):
    """Read-only: the precomputed lists the last training wrote (train from the job list)."""

    list_display = ("kind", "subject", "length", "model_version", "computed_at")
    list_filter = ("kind",)
    search_fields = ("user__email", "product__handle", "segment")
    list_select_related = ("user", "product", "model_version")
    fields = ("kind", "subject", "model_version", "computed_at", "items_json")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("for"))
    def subject(self, entry: RecommendationList) -> str:
        if entry.user_id:
            return entry.user.email
        if entry.product_id:
            return entry.product.handle
        return entry.segment

    @admin.display(description=_("products"))
    def length(self, entry: RecommendationList) -> int:
        return len(entry.items or [])

    @admin.display(description=_("items"))
    def items_json(self, entry: RecommendationList) -> str:
        return format_html("<pre>{}</pre>", json.dumps(entry.items, indent=1))


@admin.register(ExternalRating)
class ExternalRatingAdmin(admin.ModelAdmin):
    """Ratings loaded with `manage.py import_ratings`, for offline evaluation."""

    list_display = ("dataset", "user_ref", "item_ref", "rating", "timestamp")
    list_filter = ("dataset",)
    search_fields = ("user_ref", "item_ref")
    fields = list_display
    readonly_fields = list_display
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# --- shop assistant (issue 14) -----------------------------------------------------------------
@admin.register(IntentExample)
class IntentExampleAdmin(admin.ModelAdmin):
    """The merchant's training examples for the assistant: the next training fits on the
    shipped examples plus the active rows here (start it with the action or the job list)."""

    list_display = ("text", "intent", "language", "source", "is_active", "created_by", "created_at")
    list_filter = ("language", "intent", "source", "is_active")
    search_fields = ("text",)
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"
    fields = ("text", "intent", "language", "source", "is_active", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    actions = ("activate_examples", "deactivate_examples", "train_assistant")

    def has_start_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(START_PERMISSION)

    def save_model(self, request: HttpRequest, obj: IntentExample, form, change: bool) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Use for training"), permissions=["change"])
    def activate_examples(self, request: HttpRequest, queryset) -> None:
        count = queryset.filter(is_active=False).update(is_active=True)
        self.message_user(
            request,
            ngettext(
                "%(count)d example will be used by the next training.",
                "%(count)d examples will be used by the next training.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Stop using for training"), permissions=["change"])
    def deactivate_examples(self, request: HttpRequest, queryset) -> None:
        count = queryset.filter(is_active=True).update(is_active=False)
        self.message_user(
            request,
            ngettext(
                "%(count)d example will be left out of the next training.",
                "%(count)d examples will be left out of the next training.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Train the assistant now"), permissions=["start"])
    def train_assistant(self, request: HttpRequest, queryset) -> None:
        job = assistant_jobs.assistant_train_start(user=request.user)
        if job.started_now:
            message = _("Training started; follow it in the AI jobs list.")
        else:
            message = _("A training is already queued or running; follow it in the AI jobs list.")
        self.message_user(request, message, messages.SUCCESS)
