"""What the merchant (and the translators) see of the catalog in the Django admin.

Merchants: products with variant, image and gemstone inlines and a tab per language, filters
and search, bulk publish / unpublish / archive (through catalog.services; they and the status
field need catalog.publish_product), the Shopify CSV import page (add, change and publish
products), the CSV export (view), a stock list with editable stock and prices (change product
variants), the translation-coverage page (view products, or Rosetta access), and the variant
option names and values (option labels) with a tab per language.

Translators (members of the Translators group, see shop/permissions.py) may change products,
categories, collections and option labels only in their translated fields: everything else is
read-only for them, and they can neither add nor delete.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from shop.admin_translation import TranslatorAwareAdmin
from shop.permissions import can_translate, is_translator_only
from shop.translation_coverage import coverage_columns

from . import services
from .admin_import import product_import_urls
from .admin_stock import StaleSafeVariantForm
from .exporters import export_shopify_csv
from .images import validate_image_file
from .models import (
    Category,
    Collection,
    GemstoneType,
    Material,
    OptionLabel,
    Product,
    ProductGemstone,
    ProductImage,
    ProductVariant,
    PublicationStatus,
)
from .option_labels import (
    is_translated,
    option_labels_fill,
    product_option_sources,
    stored_labels,
)
from .translation_coverage import translation_coverage

PUBLISH_PERMISSION = "catalog.publish_product"


@admin.register(Category)
class CategoryAdmin(TranslatorAwareAdmin):
    list_display = ("__str__", "slug", "parent", "position")
    list_filter = ("parent",)
    search_fields = ("slug", "translations__name")
    ordering = ("parent__id", "position", "slug")

    def get_prepopulated_fields(self, request, obj=None):
        return {}


@admin.register(Collection)
class CollectionAdmin(TranslatorAwareAdmin):
    list_display = ("__str__", "slug", "is_featured", "position")
    list_filter = ("is_featured",)
    search_fields = ("slug", "translations__name")
    autocomplete_fields = ("products",)


@admin.register(Material)
class MaterialAdmin(TranslatorAwareAdmin):
    list_display = ("__str__", "slug", "kind", "colour_hex")
    list_filter = ("kind",)
    search_fields = ("slug", "translations__name")


@admin.register(GemstoneType)
class GemstoneTypeAdmin(TranslatorAwareAdmin):
    list_display = ("__str__", "slug", "colour_hex")
    search_fields = ("slug", "translations__name")


class OptionLabelMissingFilter(admin.SimpleListFilter):
    """Option texts shoppers in a language still read in the source text."""

    title = _("not yet translated into")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

    def queryset(self, request, queryset):
        language = self.value()
        if language not in dict(settings.LANGUAGES):
            return queryset
        stored = stored_labels(language)
        rows = queryset.values_list("pk", "kind", "source")
        missing = [
            pk for pk, kind, source in rows if not is_translated(kind, source, language, stored)
        ]
        return queryset.filter(pk__in=missing)


class OptionLabelProductFilter(admin.SimpleListFilter):
    """The option names and values one product uses (the product form links here)."""

    title = _("used by product")
    parameter_name = "product"

    def lookups(self, request, model_admin):
        value = self.value()
        if not value or not value.isdigit():
            return []
        product = Product.objects.filter(pk=int(value)).first()
        return [(value, product.handle)] if product else []

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        product = Product.objects.filter(pk=int(value)).first()
        if product is None:
            return queryset.none()
        names, values = product_option_sources(product)
        return queryset.filter(
            Q(kind=OptionLabel.Kind.NAME, source__in=[n for n in names if n])
            | Q(kind=OptionLabel.Kind.VALUE, source__in=[v for v in values if v])
        )


@admin.register(OptionLabel)
class OptionLabelAdmin(TranslatorAwareAdmin):
    """Variant option names and values, one per distinct source text, a tab per language.

    Known metals, purities, gemstones and sizes are filled by the demo store and the import
    from the catalog's vocabulary; translators fill the rest (filter "not yet translated")."""

    list_display = ("source", "kind", "label_column", "language_column")
    list_filter = ("kind", OptionLabelMissingFilter, OptionLabelProductFilter)
    search_fields = ("source", "translations__label")
    list_per_page = 100

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("translations")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # The source text is the key products and variants are matched on: fixed once saved.
        if obj is not None:
            readonly += [name for name in ("kind", "source") if name not in readonly]
        return readonly

    @admin.display(description=_("label"))
    def label_column(self, obj: OptionLabel) -> str:
        return obj.safe_translation_getter("label", any_language=True) or "—"


class ProductVariantInline(admin.TabularInline):
    model = ProductVariant
    # Stock and prices left as shown are not written back: a sale meanwhile stays.
    form = StaleSafeVariantForm
    extra = 0
    fields = (
        "sku",
        "metal",
        "purity",
        "ring_size",
        "option1",
        "option2",
        "price",
        "compare_at_price",
        "stock_quantity",
        "position",
    )


class ProductImageForm(forms.ModelForm):
    class Meta:
        model = ProductImage
        fields = ("image", "alt_text", "position")

    def clean_image(self):
        image = self.cleaned_data.get("image")
        # Only a new upload is checked (Pillow verification, size and pixel limits).
        if image and hasattr(image, "content_type"):
            validate_image_file(image)
        return image


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    form = ProductImageForm
    extra = 0
    fields = ("preview", "image", "alt_text", "position")
    readonly_fields = ("preview",)

    @admin.display(description=_("preview"))
    def preview(self, obj: ProductImage) -> str:
        source = obj.thumbnail or obj.image
        if not obj.pk or not source:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="64" height="64" style="object-fit:cover">',
            source.url,
            obj.alt_text,
        )


class ProductGemstoneInline(admin.TabularInline):
    model = ProductGemstone
    extra = 0


@admin.register(Product)
class ProductAdmin(TranslatorAwareAdmin):
    list_display = (
        "handle",
        "name_column",
        "category",
        "status",
        "price_min",
        "in_stock",
        "is_featured",
        "updated_at",
    )
    list_filter = ("status", "in_stock", "is_featured", "category", "materials")
    search_fields = ("handle", "translations__name", "variants__sku", "vendor", "tags")
    list_select_related = ("category",)
    list_per_page = 50
    date_hierarchy = "created_at"
    inlines = (ProductVariantInline, ProductImageInline, ProductGemstoneInline)
    filter_horizontal = ("materials",)
    readonly_fields = (
        "price_min",
        "price_max",
        "in_stock",
        "published_at",
        "created_at",
        "option_labels_link",
    )
    actions = ("publish", "unpublish", "archive")
    change_list_template = "admin/catalog/product/change_list.html"

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("translations").distinct()

    # --- permissions ------------------------------------------------------------------------------
    def has_publish_permission(self, request: HttpRequest) -> bool:
        """Publishing, unpublishing and archiving (by action or in the form) need
        catalog.publish_product; "change" alone lets translators fix the text."""
        return request.user.has_perm(PUBLISH_PERMISSION) and not is_translator_only(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if "status" not in readonly and not self.has_publish_permission(request):
            readonly.append("status")
        return readonly

    @admin.display(description=_("option names and values"))
    def option_labels_link(self, obj: Product) -> str:
        """Option texts are translated once for the whole store, in the option labels list."""
        if not obj.pk:
            return "—"
        url = reverse("admin:catalog_optionlabel_changelist") + f"?product={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Translate this product's options"))

    @admin.display(description=_("name"))
    def name_column(self, obj: Product) -> str:
        return obj.safe_translation_getter("name", any_language=True) or "—"

    def get_urls(self):
        coverage = path(
            "translation-coverage/",
            self.admin_site.admin_view(self.translation_coverage_view),
            name="catalog_translation_coverage",
        )
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="catalog_product_export",
        )
        return [coverage, export, *product_import_urls(self), *super().get_urls()]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The whole catalogue as a Shopify product CSV (the format the import reads)."""
        if not self.has_view_permission(request) or is_translator_only(request.user):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="products.csv"'
        export_shopify_csv(out=response)
        return response

    def translation_coverage_view(self, request: HttpRequest):
        # For whoever may see the catalog or edit the UI strings (Translators may do both).
        if not (self.has_view_permission(request) or can_translate(request.user)):
            raise PermissionDenied
        rows = [
            {
                "code": row.code,
                "name": row.name,
                "cells": row.cells,
            }
            for row in translation_coverage()
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Translation coverage"),
            "columns": [column.label for column in coverage_columns()],
            "rows": rows,
            "can_translate": can_translate(request.user),
            "option_labels_url": reverse("admin:catalog_optionlabel_changelist")
            if request.user.has_perm("catalog.view_optionlabel")
            else "",
        }
        return TemplateResponse(request, "admin/catalog/translation_coverage.html", context)

    def save_related(self, request, form, formsets, change) -> None:
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            # Marked for the search and availability recomputed, once the inlines are saved.
            services.product_edited(product=form.instance)
            # New option texts get a label row (known ones in every language) so translators
            # find them in the option labels list.
            names, values = product_option_sources(form.instance)
            option_labels_fill(names=names, values=values)

    def _set_status(self, request: HttpRequest, queryset, status: str, done_message: str):
        changed = services.products_set_status(products=queryset, status=status)
        self.message_user(request, done_message % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Publish selected products"), permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(
            request, queryset, PublicationStatus.PUBLISHED, _("%(count)d product(s) published.")
        )

    @admin.action(
        description=_("Unpublish selected products (back to draft)"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self._set_status(
            request, queryset, PublicationStatus.DRAFT, _("%(count)d product(s) unpublished.")
        )

    @admin.action(description=_("Archive selected products"), permissions=["publish"])
    def archive(self, request, queryset):
        self._set_status(
            request, queryset, PublicationStatus.ARCHIVED, _("%(count)d product(s) archived.")
        )


@admin.register(ProductVariant)
class StockAdmin(admin.ModelAdmin):
    """The stock list: every variant with its stock and prices editable in place."""

    list_display = (
        "sku",
        "product_link",
        "metal",
        "ring_size",
        "price",
        "compare_at_price",
        "stock_quantity",
    )
    list_editable = ("price", "compare_at_price", "stock_quantity")
    list_filter = ("metal", "product__category", "product__status")
    search_fields = ("sku", "product__handle", "product__translations__name")
    list_select_related = ("product", "metal")
    ordering = ("stock_quantity", "sku")
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).distinct()

    @admin.display(description=_("product"), ordering="product__handle")
    def product_link(self, obj: ProductVariant) -> str:
        url = reverse("admin:catalog_product_change", args=[obj.product_id])
        return format_html('<a href="{}">{}</a>', url, obj.product.handle)

    def get_changelist_form(self, request, **kwargs):
        # Stock and prices left as shown are not written back: a sale meanwhile stays.
        return super().get_changelist_form(request, form=StaleSafeVariantForm, **kwargs)

    def save_model(self, request, obj: ProductVariant, form, change) -> None:
        with transaction.atomic():
            if isinstance(form, StaleSafeVariantForm):
                form.save_guarded()
                for name in form.conflicts:
                    self.message_user(
                        request,
                        _(
                            "%(sku)s: %(field)s changed while you were editing (a sale, or "
                            "another person's edit) and was not overwritten. Check it again."
                        )
                        % {"sku": obj.sku or obj.pk, "field": form.fields[name].label or name},
                        messages.WARNING,
                    )
            else:
                super().save_model(request, obj, form, change)
            services.product_refresh_availability(product=obj.product)
