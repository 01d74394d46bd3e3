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

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from catalog.models import Category

from . import services
from .models import DesignImage, DesignSet
from .training_admin import TrainModelMixin

ADD_PICTURES_PERMISSION = "design.add_designimage"
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
