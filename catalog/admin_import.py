"""The admin page where a merchant uploads a Shopify product CSV.

Wire it into ProductAdmin (before the default URLs, whose "<object_id>/" would catch it):

    from catalog.admin_import import product_import_urls

    def get_urls(self):
        return product_import_urls(self) + super().get_urls()

The page is then `admin:catalog_product_import` (/admin/catalog/product/import/).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from catalog.importers import import_shopify_csv
from catalog.importers.shopify import REQUIRED_COLUMNS

# An import creates products, changes existing ones and publishes those marked Published.
IMPORT_PERMISSIONS = ("catalog.add_product", "catalog.change_product", "catalog.publish_product")
ALLOWED_EXTENSIONS = (".csv", ".txt")


class ProductImportForm(forms.Form):
    file = forms.FileField(
        label=_("Shopify product CSV"),
        help_text=_("A product CSV exported from Shopify (or from this shop), saved as UTF-8."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would change, without saving anything"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.SHOP_MAX_IMPORT_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is too large (%(size)s); the largest you can import is %(limit)s."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        if not (upload.name or "").lower().endswith(ALLOWED_EXTENSIONS):
            raise ValidationError(
                _("Please upload a .csv file. From a spreadsheet, choose “Save as… CSV UTF-8”."),
                code="not_csv",
            )
        return upload


def product_import_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Upload form; imports all or nothing and shows every bad row when the file has problems."""
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perms(IMPORT_PERMISSIONS)):
        raise PermissionDenied
    site = model_admin.admin_site
    request.current_app = site.name
    opts = model_admin.model._meta
    changelist_url = reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_changelist")
    report = None
    status = 200
    if request.method == "POST":
        form = ProductImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = import_shopify_csv(
                file=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
            )
            if report.ok and not report.dry_run:
                messages.success(request, report.summary())
                return redirect(changelist_url)
            if not report.ok:
                status = 400
        else:
            status = 400
    else:
        form = ProductImportForm()
    context = {
        **site.each_context(request),
        "title": _("Import products"),
        "opts": opts,
        "form": form,
        "report": report,
        "changelist_url": changelist_url,
        "max_size": filesizeformat(settings.SHOP_MAX_IMPORT_BYTES),
        "required_columns": ", ".join(REQUIRED_COLUMNS),
    }
    return TemplateResponse(request, "admin/catalog/product/import.html", context, status=status)


def product_import_urls(model_admin) -> list[URLPattern]:
    """The URL of the import page, to put before ModelAdmin.get_urls()."""
    opts = model_admin.model._meta

    def view(request: HttpRequest) -> HttpResponse:
        return product_import_view(model_admin, request)

    return [
        path(
            "import/",
            model_admin.admin_site.admin_view(view),
            name=f"{opts.app_label}_{opts.model_name}_import",
        )
    ]
