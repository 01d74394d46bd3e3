"""What the merchant sees of the AI platform: jobs with live progress, model versions.

The job list has a button per startable job kind (declared with `startable=True` in
ai/tasks.py), a progress bar per job that static/js/job_progress.js refreshes every 2 s
from the JSON endpoint admin/ai/job/<id>/progress/ while a job on the page is running,
and an action that retries failed jobs. Admin actions call the job
framework (ai.jobs) and the model registry (ai.registry).
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import jobs, registry
from .assistant import jobs as assistant_jobs
from .models import (
    ExternalRating,
    IntentExample,
    Job,
    JobStatus,
    ModelVersion,
    ProductEmbedding,
    RecommendationList,
)

START_PERMISSION = "ai.start_job"


class AiAdminMedia:
    css = {"all": ["css/admin_ai.css"]}
    js = ["js/job_progress.js"]


def _kind_labels() -> dict[str, str]:
    return {kind.kind: kind.label for kind in jobs.job_kinds()}


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "kind_label",
        "status_badge",
        "progress_bar",
        "message_text",
        "created_at",
        "duration_text",
        "created_by",
        "attempts",
    )
    list_display_links = ("id", "kind_label")
    list_filter = ("status", "kind")
    search_fields = ("kind", "message", "celery_task_id")
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"
    actions = ("retry_failed_jobs", "cancel_jobs")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "kind_label",
                    "status_badge",
                    "progress_bar",
                    "message_text",
                    "params_json",
                    "attempts",
                    "retry_of",
                    "created_by",
                )
            },
        ),
        (_("Timing"), {"fields": ("created_at", "started_at", "finished_at", "duration_text")}),
        (_("Outcome"), {"fields": ("result_json", "error_text")}),
        (_("Worker"), {"classes": ("collapse",), "fields": ("celery_task_id", "queue")}),
    )
    readonly_fields = (
        "kind_label",
        "status_badge",
        "progress_bar",
        "message_text",
        "params_json",
        "attempts",
        "retry_of",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "duration_text",
        "result_json",
        "error_text",
        "celery_task_id",
        "queue",
    )

    Media = AiAdminMedia

    # --- permissions ----------------------------------------------------------------------
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs are started with the buttons, not typed in

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_start_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(START_PERMISSION)

    # --- columns --------------------------------------------------------------------------
    @admin.display(description=_("job"), ordering="kind")
    def kind_label(self, job: Job) -> str:
        return _kind_labels().get(job.kind, job.kind)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, job: Job) -> str:
        return format_html(
            '<span class="ai-job-status ai-job-status--{}" data-job-status-for="{}">{}</span>',
            job.status,
            job.pk,
            job.get_status_display(),
        )

    @admin.display(description=_("progress"), ordering="progress")
    def progress_bar(self, job: Job) -> str:
        return format_html(
            '<div class="ai-progress" data-job-progress data-job-id="{id}" data-status="{status}"'
            ' data-progress-url="{url}">'
            '<div class="ai-progress__track" role="progressbar" aria-valuemin="0"'
            ' aria-valuemax="100" aria-valuenow="{value}" aria-label="{label}">'
            '<div class="ai-progress__bar" style="width: {value}%"></div></div>'
            '<span class="ai-progress__text">{value}%</span></div>',
            id=job.pk,
            status=job.status,
            url=reverse("admin:ai_job_progress", args=[job.pk]),
            value=job.progress,
            label=_("Progress of job %(id)s") % {"id": job.pk},
        )

    @admin.display(description=_("message"))
    def message_text(self, job: Job) -> str:
        return format_html('<span data-job-message-for="{}">{}</span>', job.pk, job.message)

    @admin.display(description=_("duration"))
    def duration_text(self, job: Job) -> str:
        duration = job.duration
        if duration is None:
            return "—"
        seconds = int(duration.total_seconds())
        minutes, seconds = divmod(seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    @admin.display(description=_("parameters"))
    def params_json(self, job: Job) -> str:
        return format_html("<pre>{}</pre>", json.dumps(job.params, indent=2, ensure_ascii=False))

    @admin.display(description=_("result"))
    def result_json(self, job: Job) -> str:
        if job.result is None:
            return "—"
        return format_html("<pre>{}</pre>", json.dumps(job.result, indent=2, ensure_ascii=False))

    @admin.display(description=_("error"))
    def error_text(self, job: Job) -> str:
        if not job.error:
            return "—"
        return format_html('<pre class="ai-job-error">{}</pre>', job.error)

    # --- actions --------------------------------------------------------------------------
    @admin.action(description=_("Retry failed jobs"), permissions=["start"])
    def retry_failed_jobs(self, request: HttpRequest, queryset) -> None:
        retried = 0
        for job in queryset.filter(status__in=[JobStatus.FAILED, JobStatus.CANCELLED]):
            jobs.job_retry(job=job, user=request.user)
            retried += 1
        skipped = queryset.count() - retried
        if retried:
            self.message_user(
                request,
                ngettext("%(count)d job started again.", "%(count)d jobs started again.", retried)
                % {"count": retried},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d job was not retried: only failed or cancelled jobs can be.",
                    "%(count)d jobs were not retried: only failed or cancelled jobs can be.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Cancel queued or running jobs"), permissions=["start"])
    def cancel_jobs(self, request: HttpRequest, queryset) -> None:
        cancelled = sum(jobs.job_cancel(job=job) for job in queryset)
        self.message_user(
            request,
            ngettext("%(count)d job cancelled.", "%(count)d jobs cancelled.", cancelled)
            % {"count": cancelled},
            messages.SUCCESS if cancelled else messages.WARNING,
        )

    # --- views ----------------------------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/progress/",
                wrap(self.progress_view),
                name="ai_job_progress",
            ),
            path("start/<str:kind>/", wrap(self.start_view), name="ai_job_start"),
            *super().get_urls(),
        ]

    def progress_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = self.get_object(request, unquote(object_id))
        if job is None:
            return JsonResponse({"error": str(_("No such job."))}, status=404)
        response = JsonResponse(jobs.job_progress(job))
        response["Cache-Control"] = "no-store"
        return response

    def start_view(self, request: HttpRequest, kind: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_start_permission(request):
            raise PermissionDenied
        kinds = {spec.kind: spec for spec in jobs.job_kinds(startable=True)}
        if kind not in kinds:
            raise Http404(_("There is no job of that kind to start."))
        job = jobs.job_start(kind=kind, user=request.user)
        label = kinds[kind].label
        if job.started_now:
            self.message_user(request, _("Started: %(job)s.") % {"job": label}, messages.SUCCESS)
        else:
            self.message_user(
                request,
                _("%(job)s is already queued or running; follow its progress below.")
                % {"job": label},
                messages.INFO,
            )
        return redirect("admin:ai_job_changelist")

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "startable_job_kinds": (
                jobs.job_kinds(startable=True) if self.has_start_permission(request) else []
            ),
        }
        return super().changelist_view(request, extra_context=extra_context)


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
