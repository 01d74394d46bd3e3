"""The design studio's admin: design sets with their pictures (issue 15, "Pictures to learn from").

- A set's page shows its counts per category and a grid of its pictures (names escaped: they
  come from uploads), with two pages of its own: "Add pictures" (several files or a zip, an
  optional category) and "Add catalog pictures" (choose categories). Both show the per-file
  report; a batch with a bad file adds nothing.
- "Train a model" and the training runs: design/training_admin.py (mixed in here).
- Adding pictures needs `design.add_designimage` and the set's view permission; reading needs
  the view permissions. Every write goes through design.services.
"""

from __future__ import annotations

import secrets

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import Count
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from catalog.models import Category
from shop.models import Job

from . import drafting, services
from . import drafts as drafts_services
from .models import DesignDraft, DesignImage, DesignSet, DraftStatus
from .selectors import drafts_filtered, screening_grid
from .training_admin import TrainModelMixin

ADD_PICTURES_PERMISSION = "design.add_designimage"
MAX_ID = 2**63 - 1  # the largest id SQLite and PostgreSQL (bigint) hold
GRID_LIMIT = 200  # pictures shown on a set's page; the picture list shows them all


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class AddPicturesForm(forms.Form):
    files = MultipleFileField(
        label=_("Pictures or a zip"),
        help_text=_(
            "JPEG, PNG, WEBP or GIF files, or a zip with a folder per category "
            "(rings/, necklaces/, …)."
        ),
    )
    category = forms.CharField(
        label=_("Category"),
        max_length=120,
        required=False,
        help_text=_(
            "Every picture's category (a catalog category's slug, or any label). Leave empty "
            "to use the zip's folder names."
        ),
    )


class AddCatalogPicturesForm(forms.Form):
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The product images of these categories are added."),
    )


@admin.register(DesignSet)
class DesignSetAdmin(TrainModelMixin, admin.ModelAdmin):
    list_display = ("name", "picture_count", "category_summary", "created_at", "created_by")
    search_fields = ("name",)
    fields = ("name", "description", "created_by", "created_at", "category_counts", "thumbnails")
    readonly_fields = ("created_by", "created_at", "category_counts", "thumbnails")
    change_form_template = "admin/design/designset/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .annotate(_picture_count=Count("images"))
        )

    @admin.display(description=_("pictures"), ordering="_picture_count")
    def picture_count(self, obj: DesignSet) -> int:
        return getattr(obj, "_picture_count", None) or obj.images.count()

    def _counts(self, obj: DesignSet) -> list[tuple[str, int]]:
        if not obj.pk:
            return []
        rows = obj.images.values("category").annotate(n=Count("id")).order_by("category")
        return [(row["category"], row["n"]) for row in rows]

    @admin.display(description=_("per category"))
    def category_summary(self, obj: DesignSet) -> str:
        return format_html_join(", ", "{}: {}", self._counts(obj)) or "—"

    @admin.display(description=_("pictures per category"))
    def category_counts(self, obj: DesignSet) -> str:
        counts = self._counts(obj)
        if not counts:
            return _("No pictures yet.")
        return format_html(
            '<table class="design-counts"><tbody>{}</tbody></table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", counts),
        )

    @admin.display(description=_("pictures"))
    def thumbnails(self, obj: DesignSet) -> str:
        if not obj.pk:
            return "—"
        images = list(obj.images.order_by("category", "id")[:GRID_LIMIT])
        if not images:
            return _("No pictures yet.")
        return format_html(
            '<div class="design-grid" style="display:flex;flex-wrap:wrap;gap:6px">{}</div>',
            format_html_join(
                "",
                '<figure style="margin:0;width:96px"><img src="{}" alt="{}" width="96" '
                'height="96" loading="lazy"><figcaption style="font-size:11px;overflow:hidden;'
                'text-overflow:ellipsis;white-space:nowrap" title="{}">{} · {}</figcaption>'
                "</figure>",
                (
                    (
                        image.image.url,
                        image.original_filename,
                        image.original_filename,
                        image.category,
                        image.original_filename,
                    )
                    for image in images
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    # --- "Add pictures" and "Add catalog pictures" -------------------------------------------

    def has_add_pictures_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_view_permission(request, obj) and request.user.has_perm(
            ADD_PICTURES_PERMISSION
        )

    def get_urls(self):
        opts = self.model._meta
        prefix = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/add-pictures/",
                self.admin_site.admin_view(self.add_pictures_view),
                name=f"{prefix}_add_pictures",
            ),
            path(
                "<path:object_id>/add-catalog-pictures/",
                self.admin_site.admin_view(self.add_catalog_pictures_view),
                name=f"{prefix}_add_catalog_pictures",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_add_pictures": self.has_add_pictures_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _set_for(self, request: HttpRequest, object_id: str) -> DesignSet:
        if not self.has_add_pictures_permission(request):
            raise PermissionDenied
        try:
            design_set = self.get_object(request, unquote(object_id))
        except (ValueError, TypeError, OverflowError):
            design_set = None
        if design_set is None:
            raise Http404
        return design_set

    def add_pictures_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Needs design.add_designimage: uploads files or a zip, all or nothing."""
        design_set = self._set_for(request, object_id)
        report = None
        status = 200
        if request.method == "POST":
            form = AddPicturesForm(request.POST, request.FILES)
            if form.is_valid():
                report = services.design_set_add_uploads(
                    design_set=design_set,
                    files=form.cleaned_data["files"],
                    category=form.cleaned_data["category"] or None,
                )
                if report.ok:
                    return self._done(request, design_set, report)
                status = 400
            else:
                status = 400
        else:
            form = AddPicturesForm()
        return self._page(request, design_set, form, report, status, _("Add pictures"))

    def add_catalog_pictures_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Needs design.add_designimage: adds the product images of the chosen categories."""
        design_set = self._set_for(request, object_id)
        report = None
        status = 200
        if request.method == "POST":
            form = AddCatalogPicturesForm(request.POST)
            if form.is_valid():
                report = services.design_set_add_catalog_images(
                    design_set=design_set, categories=form.cleaned_data["categories"]
                )
                if report.ok:
                    return self._done(request, design_set, report)
                status = 400
            else:
                status = 400
        else:
            form = AddCatalogPicturesForm()
        return self._page(request, design_set, form, report, status, _("Add catalog pictures"))

    def _done(self, request, design_set: DesignSet, report) -> HttpResponse:
        messages.success(request, report.summary())
        for name, kept in report.duplicates.items():
            messages.info(
                request,
                _("%(file)s was skipped: it duplicates %(kept)s.") % {"file": name, "kept": kept},
            )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[design_set.pk],
            )
        )

    def _page(self, request, design_set, form, report, status, title) -> HttpResponse:
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": opts,
            "original": design_set,
            "form": form,
            "report": report,
            "max_file": filesizeformat(settings.DESIGN_MAX_UPLOAD_BYTES),
            # An upload here is also bound by the request cap; larger sets: the command.
            "max_zip": filesizeformat(
                min(settings.DESIGN_MAX_ZIP_BYTES, settings.SHOP_MAX_REQUEST_BYTES)
            ),
            "size": settings.DESIGN_IMAGE_SIZE,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/design/designset/add_pictures.html", context, status=status
        )


@admin.register(DesignImage)
class DesignImageAdmin(admin.ModelAdmin):
    list_display = ("thumbnail", "original_filename", "design_set", "category", "source")
    list_filter = ("design_set", "category", "source")
    search_fields = ("original_filename", "category")
    list_select_related = ("design_set",)
    fields = (
        "thumbnail",
        "design_set",
        "category",
        "source",
        "product_image",
        "original_filename",
        "phash",
        "width",
        "height",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Pictures come in through a set's "Add pictures" pages, which check and normalise them.
        return False

    @admin.display(description=_("picture"))
    def thumbnail(self, obj: DesignImage) -> str:
        if not obj.image:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="64" height="64" loading="lazy">',
            obj.image.url,
            obj.original_filename,
        )


# --- design drafts: screening, generating, variations, blends, draft products ------------------
SCREEN_PERMISSION = "design.screen_designdraft"
GENERATE_PERMISSION = "design.generate_designdraft"
ADD_PRODUCT_PERMISSION = "catalog.add_product"
DESIGN_JOB_KINDS = (
    drafting.JOB_DESIGN_GENERATE,
    drafting.JOB_DESIGN_VARIATIONS,
    drafting.JOB_DESIGN_INTERPOLATE,
)


def _optional_seed(value: int | None) -> int:
    """The seed typed, or a fresh one (shown with the drafts, so a run can be repeated)."""
    return value if value is not None else secrets.randbelow(2**31)


class GenerateDraftsForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The categories the design model learnt; drafts are drawn for each."),
    )
    count = forms.IntegerField(
        label=_("How many per category"),
        min_value=1,
        initial=16,
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**62,
        required=False,
        help_text=_("The same seed and settings draw the same drafts again. Empty: a new seed."),
    )
    diversity = forms.FloatField(
        label=_("Diversity"),
        min_value=0.0,
        max_value=2.0,
        initial=1.0,
        help_text=_(
            "1 draws from everything the model learnt; lower values give safer, more typical "
            "drafts; higher ones bolder and more often broken (0 to 2)."
        ),
    )

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(c, c) for c in categories]
        count = self.fields["count"]
        count.max_value = settings.DESIGN_MAX_DRAFTS
        count.validators.append(MaxValueValidator(settings.DESIGN_MAX_DRAFTS))
        count.widget.attrs["max"] = settings.DESIGN_MAX_DRAFTS


class VariationsForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many variations"), min_value=1, max_value=drafting.MAX_VARIATIONS, initial=8
    )
    strength = forms.FloatField(
        label=_("How far from the draft"),
        min_value=0.05,
        max_value=1.0,
        initial=0.3,
        help_text=_("0.05: the same piece, details changed; 1: an unrelated piece."),
    )
    seed = forms.IntegerField(label=_("Seed"), min_value=0, max_value=2**62, required=False)


class InterpolateForm(forms.Form):
    other = forms.ModelChoiceField(label=_("Blend with"), queryset=DesignDraft.objects.none())
    steps = forms.IntegerField(
        label=_("Pictures in the strip"), min_value=3, max_value=drafting.MAX_STEPS, initial=8
    )

    def __init__(self, *args, draft: DesignDraft, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = (
            DesignDraft.objects.filter(model_version_id=draft.model_version_id)
            .exclude(pk=draft.pk)
            .exclude(status=DraftStatus.DISCARDED)
            .order_by("-favourite", "-created_at")
        )


class ScreenFilterForm(forms.Form):
    """The screening page's filters (GET); anything malformed is a 400 with the reason."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *DraftStatus.choices]
    )
    category = forms.CharField(label=_("Category"), required=False, max_length=120)
    near_copy = forms.ChoiceField(
        label=_("Near copy"),
        required=False,
        choices=[("", _("All")), ("1", _("Near copies")), ("0", _("Not near copies"))],
    )
    favourite = forms.ChoiceField(
        label=_("Favourite"),
        required=False,
        choices=[("", _("All")), ("1", _("Favourites")), ("0", _("Not favourites"))],
    )
    # Bounded like a database id: a larger number is a clear form error, not an overflow.
    model_version = forms.IntegerField(
        label=_("Model version"), required=False, min_value=1, max_value=MAX_ID
    )
    job = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )

    def filters(self) -> dict:
        data = self.cleaned_data
        flag = {"": None, "1": True, "0": False}
        return {
            "status": data["status"],
            "category": data["category"],
            "near_copy": flag[data["near_copy"]],
            "favourite": flag[data["favourite"]],
            "model_version_id": data["model_version"],
        }


def _categories_for_generating() -> list[str]:
    """What the active model can draw, as its training recorded it (the web process never
    loads the generator): its parameters' "categories", else its design set's categories."""
    model_version = drafting.model_version_active(capability=drafting.CAPABILITY)
    if model_version is None:
        return []
    recorded = (model_version.parameters or {}).get("categories")
    if isinstance(recorded, list) and all(isinstance(c, str) for c in recorded):
        return recorded
    design_set = drafting.training_set(model_version)
    images = DesignImage.objects.all()
    if design_set is not None:
        images = images.filter(design_set=design_set)
    return list(images.order_by("category").values_list("category", flat=True).distinct())


@admin.register(DesignDraft)
class DesignDraftAdmin(admin.ModelAdmin):
    """Design drafts: the list with its filters, and the screening grid (the list's first
    link) where each draft is kept, discarded, favoured and annotated beside its three nearest
    training pictures. Every write needs its permission: screening design.screen_designdraft,
    generating (drafts, variations, blends) design.generate_designdraft, a draft product
    design.screen_designdraft and catalog.add_product."""

    list_display = (
        "thumbnail",
        "category",
        "status",
        "favourite",
        "near_copy_badge",
        "nearest_similarity",
        "origin",
        "model_version",
        "created_at",
        "product",
    )
    list_filter = ("status", "category", "near_copy", "favourite", "origin", "model_version")
    list_select_related = ("model_version", "product")
    search_fields = ("category", "notes")
    actions = ("keep_drafts", "discard_drafts", "favourite_drafts", "create_draft_products")
    change_list_template = "admin/design/designdraft/change_list.html"
    fields = (
        "picture",
        "category",
        "status",
        "favourite",
        "notes",
        "near_copy",
        "nearest_pictures",
        "model_version",
        "design_set",
        "origin",
        "parent",
        "seed",
        "position",
        "diversity",
        "job",
        "product",
        "created_by",
        "created_at",
    )
    readonly_fields = tuple(f for f in fields if f not in ("status", "favourite", "notes"))

    class Media:
        css = {"all": ["css/admin_ai.css"]}

    # --- permissions ----------------------------------------------------------------------
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # drafts are drawn by the model ("Generate drafts")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Changing a draft is screening it (status, favourite, notes).
        return self.has_screen_permission(request)

    def has_screen_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(SCREEN_PERMISSION)

    def has_generate_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(GENERATE_PERMISSION)

    def has_create_product_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(SCREEN_PERMISSION) and request.user.has_perm(
            ADD_PRODUCT_PERMISSION
        )

    # --- columns --------------------------------------------------------------------------
    @admin.display(description=_("draft"))
    def thumbnail(self, obj: DesignDraft) -> str:
        if not obj.image:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="64" height="64" loading="lazy">',
            obj.image.url,
            _("Draft %(id)s, %(category)s") % {"id": obj.pk, "category": obj.category},
        )

    @admin.display(description=_("picture"))
    def picture(self, obj: DesignDraft) -> str:
        if not obj.image:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="256" height="256">',
            obj.image.url,
            _("Draft %(id)s, %(category)s") % {"id": obj.pk, "category": obj.category},
        )

    @admin.display(description=_("near copy"), ordering="near_copy", boolean=False)
    def near_copy_badge(self, obj: DesignDraft) -> str:
        if not obj.near_copy:
            return "—"
        return format_html('<strong class="design-near-copy">{}</strong>', _("Near copy"))

    @admin.display(description=_("nearest training pictures"))
    def nearest_pictures(self, obj: DesignDraft) -> str:
        ids = [e.get("image") for e in obj.nearest if isinstance(e, dict)]
        images = DesignImage.objects.in_bulk([i for i in ids if isinstance(i, int)])
        rows = [
            (images[e["image"]].image.url, images[e["image"]].original_filename, e["similarity"])
            for e in obj.nearest
            if isinstance(e, dict) and e.get("image") in images
        ]
        if not rows:
            return _("No training pictures to compare with.")
        return format_html_join(
            "",
            '<figure style="display:inline-block;margin:0 6px 0 0"><img src="{}" alt="{}" '
            'width="96" height="96"><figcaption>{:.2f}</figcaption></figure>',
            rows,
        )

    def save_model(self, request, obj, form, change):
        # The change form edits only the screening fields: recorded through the service.
        drafts_services.draft_screen(
            draft=obj,
            status=form.cleaned_data.get("status"),
            favourite=form.cleaned_data.get("favourite"),
            notes=form.cleaned_data.get("notes"),
        )

    # --- list actions ---------------------------------------------------------------------
    @admin.action(description=_("Keep the selected drafts"), permissions=["screen"])
    def keep_drafts(self, request: HttpRequest, queryset) -> None:
        count = drafts_services.drafts_screen(drafts=queryset, status=DraftStatus.KEPT)
        self.message_user(request, _("%(count)d draft(s) kept.") % {"count": count})

    @admin.action(description=_("Discard the selected drafts"), permissions=["screen"])
    def discard_drafts(self, request: HttpRequest, queryset) -> None:
        count = drafts_services.drafts_screen(drafts=queryset, status=DraftStatus.DISCARDED)
        self.message_user(request, _("%(count)d draft(s) discarded.") % {"count": count})

    @admin.action(description=_("Mark the selected drafts as favourites"), permissions=["screen"])
    def favourite_drafts(self, request: HttpRequest, queryset) -> None:
        count = drafts_services.drafts_screen(drafts=queryset, favourite=True)
        self.message_user(request, _("%(count)d draft(s) marked as favourites.") % {"count": count})

    @admin.action(
        description=_("Create a draft product from each selected draft"),
        permissions=["create_product"],
    )
    def create_draft_products(self, request: HttpRequest, queryset) -> None:
        made = 0
        for draft in queryset:
            try:
                drafts_services.draft_create_product(draft=draft)
                made += 1
            except drafts_services.DraftError as exc:
                self.message_user(request, str(exc), messages.ERROR)
        self.message_user(request, _("%(count)d draft product(s) ready.") % {"count": made})

    # --- pages ----------------------------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        prefix = "design_designdraft"
        return [
            path("screen/", wrap(self.screen_view), name=f"{prefix}_screen"),
            path("generate/", wrap(self.generate_view), name=f"{prefix}_generate"),
            path("<path:object_id>/decide/", wrap(self.decide_view), name=f"{prefix}_decide"),
            path(
                "<path:object_id>/variations/",
                wrap(self.variations_view),
                name=f"{prefix}_variations",
            ),
            path(
                "<path:object_id>/interpolate/",
                wrap(self.interpolate_view),
                name=f"{prefix}_interpolate",
            ),
            path(
                "<path:object_id>/create-product/",
                wrap(self.create_product_view),
                name=f"{prefix}_create_product",
            ),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, **extra) -> dict:
        request.current_app = self.admin_site.name
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "can_screen": self.has_screen_permission(request),
            "can_generate": self.has_generate_permission(request),
            "can_create_product": self.has_create_product_permission(request),
            **extra,
        }

    def _draft(self, request: HttpRequest, object_id: str) -> DesignDraft:
        try:
            draft = self.get_object(request, unquote(object_id))
        except (ValueError, TypeError, OverflowError, ValidationError):
            draft = None
        if draft is None:
            raise Http404(_("There is no such design draft."))
        return draft

    def _back(self, request: HttpRequest, draft: DesignDraft | None = None) -> HttpResponse:
        """Back where the form was (the screening page and its filters) when that is a page of
        this site, else the screening page."""
        target = request.POST.get("next") or ""
        if not target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:design_designdraft_screen")
        if draft is not None and "#" not in target:
            target += f"#draft-{draft.pk}"
        return HttpResponseRedirect(target)

    def _bad_request(self, request: HttpRequest, template: str, context: dict) -> HttpResponse:
        return TemplateResponse(request, template, self._context(request, **context), status=400)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_generate": self.has_generate_permission(request),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def screen_view(self, request: HttpRequest) -> HttpResponse:
        """The screening grid (view permission); its forms post to the decision pages."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ScreenFilterForm(request.GET or None)
        if request.GET and not form.is_valid():
            return self._bad_request(
                request,
                "admin/design/designdraft/screen.html",
                {"title": _("Screen design drafts"), "filter_form": form, "grid": None},
            )
        filters = form.filters() if request.GET else {}
        grid = screening_grid(drafts=drafts_filtered(**filters))
        job = None
        job_id = form.cleaned_data.get("job") if request.GET else None
        if job_id:
            job = Job.objects.filter(pk=job_id, kind__in=DESIGN_JOB_KINDS).first()
        context = self._context(
            request,
            title=_("Screen design drafts"),
            filter_form=form,
            grid=grid,
            job=job,
            # The kernel's JSON progress (job_progress.js asks it every 2 s) when the user may
            # read jobs; otherwise the bar shows the state at the page's load.
            job_progress_url=(
                reverse("admin:shop_job_progress", args=[job.pk])
                if job and request.user.has_perm("shop.view_job")
                else ""
            ),
            variations_form=VariationsForm(),
            next_url=request.get_full_path(),
            near_copy_threshold=settings.DESIGN_NEAR_COPY_SIMILARITY,
        )
        return TemplateResponse(request, "admin/design/designdraft/screen.html", context)

    def _started(self, request: HttpRequest, job) -> HttpResponse:
        if job.started_now:
            self.message_user(request, _("Started: the drafts appear here as they are drawn."))
        else:
            self.message_user(
                request, _("The same job is already queued or running."), messages.INFO
            )
        return HttpResponseRedirect(reverse("admin:design_designdraft_screen") + f"?job={job.pk}")

    def generate_view(self, request: HttpRequest) -> HttpResponse:
        """Needs design.generate_designdraft: the "Generate drafts" form, which starts the job."""
        if not self.has_generate_permission(request):
            raise PermissionDenied
        categories = _categories_for_generating()
        model_version = drafting.model_version_active(capability=drafting.CAPABILITY)
        context = {"title": _("Generate design drafts"), "model_version": model_version}
        if request.method == "POST":
            form = GenerateDraftsForm(request.POST, categories=categories)
            if model_version is None:
                messages.error(request, _("There is no trained design model yet."))
            elif form.is_valid():
                data = form.cleaned_data
                job = drafting.start(
                    kind=drafting.JOB_DESIGN_GENERATE,
                    params={
                        "categories": data["categories"],
                        "count": data["count"],
                        "seed": _optional_seed(data["seed"]),
                        "diversity": data["diversity"],
                        "model_version_id": model_version.pk,
                    },
                    user=request.user,
                )
                return self._started(request, job)
            return self._bad_request(
                request, "admin/design/designdraft/generate.html", {**context, "form": form}
            )
        form = GenerateDraftsForm(categories=categories)
        return TemplateResponse(
            request,
            "admin/design/designdraft/generate.html",
            self._context(request, form=form, **context),
        )

    def decide_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Needs design.screen_designdraft: keep, discard, (un)favourite, save notes (POST)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_screen_permission(request):
            raise PermissionDenied
        draft = self._draft(request, object_id)
        decision = request.POST.get("decision", "")
        changes = {
            "keep": {"status": DraftStatus.KEPT},
            "discard": {"status": DraftStatus.DISCARDED},
            "reset": {"status": DraftStatus.NEW},
            "favourite": {"favourite": True},
            "unfavourite": {"favourite": False},
            "notes": {"notes": request.POST.get("notes", "")},
        }.get(decision)
        if changes is None:
            return HttpResponseBadRequest(_("Unknown decision."))
        if "notes" in changes and len(changes["notes"]) > 4000:
            return HttpResponseBadRequest(_("The notes are too long (4,000 characters at most)."))
        drafts_services.draft_screen(draft=draft, **changes)
        return self._back(request, draft)

    def variations_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Needs design.generate_designdraft: starts the variations of a draft (POST)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_generate_permission(request):
            raise PermissionDenied
        draft = self._draft(request, object_id)
        form = VariationsForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(
                " ".join(str(e) for errors in form.errors.values() for e in errors)
            )
        job = drafting.start(
            kind=drafting.JOB_DESIGN_VARIATIONS,
            params={
                "draft_id": draft.pk,
                "count": form.cleaned_data["count"],
                "strength": form.cleaned_data["strength"],
                "seed": _optional_seed(form.cleaned_data["seed"]),
            },
            user=request.user,
        )
        return self._started(request, job)

    def interpolate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Needs design.generate_designdraft: choose the other draft, start the strip."""
        if not self.has_generate_permission(request):
            raise PermissionDenied
        draft = self._draft(request, object_id)
        context = {"title": _("Blend design drafts"), "draft": draft}
        if request.method == "POST":
            form = InterpolateForm(request.POST, draft=draft)
            if form.is_valid():
                job = drafting.start(
                    kind=drafting.JOB_DESIGN_INTERPOLATE,
                    params={
                        "first_id": draft.pk,
                        "second_id": form.cleaned_data["other"].pk,
                        "steps": form.cleaned_data["steps"],
                    },
                    user=request.user,
                )
                return self._started(request, job)
            return self._bad_request(
                request, "admin/design/designdraft/interpolate.html", {**context, "form": form}
            )
        form = InterpolateForm(draft=draft)
        return TemplateResponse(
            request,
            "admin/design/designdraft/interpolate.html",
            self._context(request, form=form, **context),
        )

    def create_product_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Needs design.screen_designdraft and catalog.add_product: makes the draft product
        (POST) and opens its change page for the designer to complete."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_create_product_permission(request):
            raise PermissionDenied
        draft = self._draft(request, object_id)
        try:
            product = drafts_services.draft_create_product(draft=draft)
        except drafts_services.DraftError as exc:
            messages.error(request, str(exc))
            return self._back(request, draft)
        if product.category_id is None:
            messages.warning(
                request,
                _(
                    "No catalog category has the slug “%(category)s”: the product has no "
                    "category yet; choose one."
                )
                % {"category": draft.category},
            )
        messages.success(
            request, _("A draft product was made from the draft: complete it and publish it.")
        )
        return HttpResponseRedirect(reverse("admin:catalog_product_change", args=[product.pk]))
