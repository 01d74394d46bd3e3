"""The design GAN's training in the admin (issue 15, "Training"): start a run, watch it learn.

- On a design set's page, "Train a model" (needs `design.add_designtraining` and the set's view
  permission) asks for epochs, size, batch size and seed and starts the job on DESIGN_QUEUE.
- "Training runs" lists the runs with their job's live progress bar (static/js/job_progress.js)
  and a strip of their latest sample grids; a run's page shows every epoch's grid. Both pages
  reload themselves while a run on them is queued or running, so the grids appear as they are
  written.
- The grids are served to staff with the run's view permission by `sample_view`, from the run's
  folder: the epoch is a number, the path is built from the run's id, never from the request.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from shop.admin import job_message_html, job_progress_html, job_status_html
from shop.models import ACTIVE_JOB_STATUSES

from .jobs import GAN_SIZES, TrainingError, design_training_start, sample_epochs, sample_grid_path
from .models import DesignTraining

TRAIN_PERMISSION = "design.add_designtraining"
STRIP_GRIDS = 4  # the latest grids shown in the runs list
REFRESH_SECONDS = 15


class TrainForm(forms.Form):
    epochs = forms.IntegerField(label=_("Epochs"), min_value=1, max_value=2000)
    size = forms.TypedChoiceField(
        label=_("Size"),
        coerce=int,
        choices=[(size, f"{size} × {size}") for size in GAN_SIZES],
        help_text=_(
            "Side of the generated pictures in pixels; 128 takes about four times as long."
        ),
    )
    batch_size = forms.IntegerField(label=_("Batch size"), min_value=1, max_value=512)
    seed = forms.IntegerField(
        label=_("Seed"),
        initial=0,
        min_value=0,
        max_value=2**31 - 1,
        help_text=_("The same seed and pictures give the same model."),
    )


class TrainModelMixin:
    """For DesignSetAdmin: the "Train a model" page of a set."""

    def has_train_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_view_permission(request, obj) and request.user.has_perm(TRAIN_PERMISSION)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/train/",
                self.admin_site.admin_view(self.train_view),
                name=f"{opts.app_label}_{opts.model_name}_train",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_train": self.has_train_permission(request),
            "can_view_runs": request.user.has_perm("design.view_designtraining"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def train_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Needs design.add_designtraining: starts a training run of the set on DESIGN_QUEUE."""
        if not self.has_train_permission(request):
            raise PermissionDenied
        try:
            design_set = self.get_object(request, unquote(object_id))
        except (ValueError, TypeError, OverflowError):
            design_set = None
        if design_set is None:
            raise Http404
        status = 200
        if request.method == "POST":
            form = TrainForm(request.POST)
            if form.is_valid():
                try:
                    training = design_training_start(
                        design_set=design_set, user=request.user, **form.cleaned_data
                    )
                except TrainingError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(
                        request,
                        _("Training started; the sample grids appear here after each epoch."),
                    )
                    return HttpResponseRedirect(
                        reverse(
                            f"{self.admin_site.name}:design_designtraining_change",
                            args=[training.pk],
                        )
                    )
            status = 400
        else:
            form = TrainForm(
                initial={
                    "epochs": settings.DESIGN_GAN_EPOCHS,
                    "size": settings.DESIGN_GAN_SIZE,
                    "batch_size": settings.DESIGN_GAN_BATCH_SIZE,
                    "seed": 0,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Train a model"),
            "opts": self.model._meta,
            "original": design_set,
            "form": form,
            "counts": list(
                design_set.images.values_list("category").order_by("category").distinct()
            ),
            "picture_count": design_set.images.count(),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/design/designset/train.html", context, status=status
        )


def _active(training: DesignTraining) -> bool:
    return training.job is not None and training.job.status in ACTIVE_JOB_STATUSES


@admin.register(DesignTraining)
class DesignTrainingAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "design_set",
        "size",
        "epochs",
        "status",
        "progress_bar",
        "message",
        "sample_strip",
        "model_version",
        "created_at",
    )
    list_filter = ("design_set", "size")
    list_select_related = ("design_set", "job", "model_version")
    fields = (
        "design_set",
        "size",
        "epochs",
        "batch_size",
        "seed",
        "status",
        "progress_bar",
        "message",
        "model_version",
        "created_by",
        "created_at",
        "sample_grids",
    )
    readonly_fields = fields
    change_list_template = "admin/design/designtraining/change_list.html"
    change_form_template = "admin/design/designtraining/change_form.html"

    class Media:
        css = {"all": ["css/admin_ai.css"]}
        js = ["js/job_progress.js"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a run starts from its set's "Train a model"

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    # --- columns --------------------------------------------------------------------------
    @admin.display(description=_("status"))
    def status(self, obj: DesignTraining) -> str:
        return job_status_html(obj.job) if obj.job is not None else "—"

    @admin.display(description=_("progress"))
    def progress_bar(self, obj: DesignTraining) -> str:
        return job_progress_html(obj.job) if obj.job is not None else "—"

    @admin.display(description=_("message"))
    def message(self, obj: DesignTraining) -> str:
        return job_message_html(obj.job) if obj.job is not None else "—"

    def _grids(self, obj: DesignTraining, epochs: list[int], width: int) -> str:
        if not epochs:
            return _("No sample grid yet.")
        return format_html(
            '<div class="design-grids" style="display:flex;flex-wrap:wrap;gap:8px">{}</div>',
            format_html_join(
                "",
                '<figure style="margin:0"><a href="{}"><img src="{}" alt="{}" width="{}" '
                'style="image-rendering:pixelated;height:auto"></a>'
                '<figcaption style="font-size:11px">{}</figcaption></figure>',
                (
                    (url, url, label, width, label)
                    for url, label in (
                        (
                            reverse("admin:design_designtraining_sample", args=[obj.pk, epoch]),
                            _("epoch %(epoch)d") % {"epoch": epoch},
                        )
                        for epoch in epochs
                    )
                ),
            ),
        )

    @admin.display(description=_("samples"))
    def sample_strip(self, obj: DesignTraining) -> str:
        return self._grids(obj, sample_epochs(obj)[-STRIP_GRIDS:], 96)

    @admin.display(description=_("sample grids (a row per category)"))
    def sample_grids(self, obj: DesignTraining) -> str:
        return self._grids(obj, list(reversed(sample_epochs(obj))), 256)

    # --- views ----------------------------------------------------------------------------
    def get_urls(self):
        return [
            path(
                "<path:object_id>/samples/<str:epoch>/",
                self.admin_site.admin_view(self.sample_view),
                name="design_designtraining_sample",
            ),
            *super().get_urls(),
        ]

    def _training(self, request: HttpRequest, object_id: str) -> DesignTraining:
        try:
            training = self.get_object(request, unquote(object_id))
        except (ValueError, TypeError, OverflowError):
            training = None
        if training is None:
            raise Http404
        return training

    def sample_view(self, request: HttpRequest, object_id: str, epoch: str) -> HttpResponse:
        """A run's sample grid of one epoch (staff with the run's view permission)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        training = self._training(request, object_id)
        if not epoch.isdigit() or len(epoch) > 6:
            raise Http404
        grid = sample_grid_path(training, int(epoch))
        if not grid.is_file():
            raise Http404
        response = FileResponse(grid.open("rb"), content_type="image/png")
        response["Cache-Control"] = "private, max-age=3600"
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        try:
            training = self.get_object(request, unquote(object_id))
        except (ValueError, TypeError, OverflowError):
            raise Http404 from None
        extra_context = {
            **(extra_context or {}),
            "refresh_seconds": REFRESH_SECONDS if training and _active(training) else None,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        active = DesignTraining.objects.filter(job__status__in=ACTIVE_JOB_STATUSES).exists()
        extra_context = {
            **(extra_context or {}),
            "refresh_seconds": REFRESH_SECONDS if active else None,
        }
        return super().changelist_view(request, extra_context)
