"""Admins of Django's and third-party apps, made to follow the project's rules.

- django-axes' "Clean up expired attempts" declared no permission (any staff user who could view
  the list could run it) and failed with a 500 outside a login request; it is registered again
  with the delete permission it needs and a request it can work with.
- Groups: whoever may change a group may give it (and so themselves) every permission; only
  superusers manage groups. (Users' rights: customers/admin.py.)

And the kernel's own model, Job (shop/jobs.py), at /admin/shop/job/ (/admin/ai/job/ before issue
13 step 7; the old addresses redirect, shop/urls.py). The job list has a button per startable
job kind of any app (declared with `startable=True`), a progress bar per job that
static/js/job_progress.js refreshes every 2 s from the JSON endpoint
admin/shop/job/<id>/progress/ while a job on the page is running, and actions that retry failed
jobs and cancel active ones, for whoever holds `shop.start_job` (formerly `ai.start_job`: its
grants moved with it).

Exchange rates (shop.models.ExchangeRate, orders' until issue 13 step 6) at
/admin/shop/exchangerate/; /admin/orders/exchangerate/ redirects there (shop/urls.py).
"""

from __future__ import annotations

import json

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import jobs
from .models import ExchangeRate, Job, JobStatus

START_PERMISSION = "shop.start_job"


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


# --- jobs (the job framework, shop/jobs.py) ---------------------------------------------------
def _kind_labels() -> dict[str, str]:
    return {kind.kind: kind.label for kind in jobs.job_kinds()}


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "rate", "updated_at")
    list_editable = ("rate",)
    search_fields = ("currency",)


# A job's status, progress bar and message as the job list shows them; other admins that show a
# job (a design training run) use the same markup, which static/js/job_progress.js keeps live.
def job_status_html(job: Job) -> str:
    return format_html(
        '<span class="ai-job-status ai-job-status--{}" data-job-status-for="{}">{}</span>',
        job.status,
        job.pk,
        job.get_status_display(),
    )


def job_progress_html(job: Job) -> str:
    return format_html(
        '<div class="ai-progress" data-job-progress data-job-id="{id}" data-status="{status}"'
        ' data-progress-url="{url}">'
        '<div class="ai-progress__track" role="progressbar" aria-valuemin="0"'
        ' aria-valuemax="100" aria-valuenow="{value}" aria-label="{label}">'
        '<div class="ai-progress__bar" style="width: {value}%"></div></div>'
        '<span class="ai-progress__text">{value}%</span></div>',
        id=job.pk,
        status=job.status,
        url=reverse("admin:shop_job_progress", args=[job.pk]),
        value=job.progress,
        label=_("Progress of job %(id)s") % {"id": job.pk},
    )


def job_message_html(job: Job) -> str:
    return format_html('<span data-job-message-for="{}">{}</span>', job.pk, job.message)


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

    class Media:
        # The look and the live refresh the job list had in ai (the class names say so).
        css = {"all": ["css/admin_ai.css"]}
        js = ["js/job_progress.js"]

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
        return job_status_html(job)

    @admin.display(description=_("progress"), ordering="progress")
    def progress_bar(self, job: Job) -> str:
        return job_progress_html(job)

    @admin.display(description=_("message"))
    def message_text(self, job: Job) -> str:
        return job_message_html(job)

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
                name="shop_job_progress",
            ),
            path("start/<str:kind>/", wrap(self.start_view), name="shop_job_start"),
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
        return redirect("admin:shop_job_changelist")

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "startable_job_kinds": (
                jobs.job_kinds(startable=True) if self.has_start_permission(request) else []
            ),
        }
        return super().changelist_view(request, extra_context=extra_context)
