"""Input and output serializers of the catalog REST API.

Output serializers read from objects prepared by catalog.selectors.api (translations and
related rows prefetched) and from the serializer context:

- `language`: the language texts are shown in (English where a translation is missing),
- `pricing`: a `Pricing` that shows base-currency amounts in the requested currency,
- `request`: for absolute URLs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shop.money import convert_price, format_price, to_base
from shop.rich_text import sanitize_html

from .models import GemClarity, GemCut, Material, Purity
from .option_labels import OptionTexts, option_texts_for_product
from .selectors.api import DEFAULT_ORDERING, ORDERINGS, translated


# --- Money ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pricing:
    """Shows base-currency amounts in the base currency and in the requested currency."""

    currency: str
    language: str

    def money(self, amount: Decimal, *, convert: bool) -> dict:
        currency = self.currency if convert else settings.SHOP_BASE_CURRENCY
        # convert_price falls back to the base currency for a currency without a rate.
        converted, currency = convert_price(amount, currency=currency)
        return {
            "amount": converted,
            "currency": currency,
            "formatted": format_price(amount, currency=currency, language=self.language),
        }

    def price(self, amount: Decimal | None) -> dict | None:
        if amount is None:
            return None
        return {
            "base": self.money(amount, convert=False),
            "display": self.money(amount, convert=True),
        }

    def to_base(self, amount: Decimal, *, rounding: Literal["min", "max"]) -> Decimal:
        """A price limit in the requested currency, in the base currency (shop.money.to_base)."""
        return to_base(amount, self.currency, rounding=rounding)


class MoneySerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        help_text="The amount in the currency's minor unit precision, as a string.",
    )
    currency = serializers.CharField(help_text="ISO 4217 code.")
    formatted = serializers.CharField(help_text="The amount as a shopper in `lang` reads it.")


class PriceSerializer(serializers.Serializer):
    base = MoneySerializer(help_text="In the shop's base currency (what is stored).")
    display = MoneySerializer(
        help_text="In the requested `currency` (the base currency when it has no rate)."
    )


# --- Small references -------------------------------------------------------------------------
def _language(serializer) -> str:
    # Not a detection: the view chose the language (shop.language) and passes it in the context.
    return serializer.context.get("language") or settings.LANGUAGE_CODE


def _absolute(serializer, url: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


def _price(serializer, amount: Decimal | None) -> dict | None:
    price = serializer.context["pricing"].price(amount)
    return None if price is None else PriceSerializer(price).data


def _file_url(file) -> str | None:
    if not file:
        return None
    try:
        return file.url
    except ValueError:
        return None


class NamedSerializer(serializers.Serializer):
    """Something translatable shown by slug and name."""

    slug = serializers.SlugField()
    name = serializers.SerializerMethodField()

    def get_name(self, obj) -> str:
        return translated(obj, "name", _language(self), default=obj.slug)


class MaterialSerializer(NamedSerializer):
    kind = serializers.ChoiceField(choices=Material.Kind.choices)
    colour_hex = serializers.CharField()


class GemstoneTypeSerializer(NamedSerializer):
    colour_hex = serializers.CharField()


class CategoryRefSerializer(NamedSerializer):
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return _absolute(self, reverse("catalog_api:category-detail", kwargs={"slug": obj.slug}))


class ImageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    alt_text = serializers.CharField(allow_blank=True)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, image) -> str | None:
        url = _file_url(image.image)
        return _absolute(self, url) if url else None

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_thumbnail_url(self, image) -> str | None:
        """A smaller copy (480 px wide) once it has been made, else null."""
        url = _file_url(image.thumbnail)
        return _absolute(self, url) if url else None


# --- Products ---------------------------------------------------------------------------------
class ProductListItemSerializer(serializers.Serializer):
    handle = serializers.SlugField()
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    category = serializers.SlugField(source="category.slug", allow_null=True)
    price_min = serializers.SerializerMethodField()
    price_max = serializers.SerializerMethodField()
    in_stock = serializers.BooleanField()
    on_sale = serializers.BooleanField(
        help_text="Some variant is priced below its compare-at price."
    )
    is_featured = serializers.BooleanField()
    image = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_name(self, product) -> str:
        return translated(product, "name", _language(self), default=product.handle)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, product) -> str:
        return _absolute(
            self, reverse("catalog_api:product-detail", kwargs={"handle": product.handle})
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, product) -> str:
        """The product's storefront page in the requested language."""
        with translation.override(_language(self)):
            return _absolute(self, product.get_absolute_url())

    @extend_schema_field(PriceSerializer)
    def get_price_min(self, product) -> dict:
        return _price(self, product.price_min)

    @extend_schema_field(PriceSerializer)
    def get_price_max(self, product) -> dict:
        return _price(self, product.price_max)

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_image(self, product) -> dict | None:
        images = getattr(product, "ordered_images", None)
        if images is None:
            images = list(product.images.all())
        if not images:
            return None
        return ImageSerializer(images[0], context=self.context).data


class VariantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True, help_text="The options, joined by ' / '.")
    options = serializers.SerializerMethodField()
    metal = serializers.SerializerMethodField()
    purity = serializers.ChoiceField(choices=Purity.choices, allow_blank=True)
    purity_label = serializers.CharField(source="get_purity_display", allow_blank=True)
    ring_size = serializers.CharField(allow_blank=True)
    price = serializers.SerializerMethodField()
    compare_at_price = serializers.SerializerMethodField()
    on_sale = serializers.BooleanField(source="is_on_sale")
    in_stock = serializers.BooleanField(source="is_available")
    stock_quantity = serializers.IntegerField()
    weight_grams = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    image_id = serializers.IntegerField(allow_null=True)

    option_labels = serializers.SerializerMethodField()

    def get_options(self, variant) -> list[str]:
        """The option values' source text, as imported and exported (what SKUs match on)."""
        return [value for value in (variant.option1, variant.option2, variant.option3) if value]

    def get_option_labels(self, variant) -> list[str]:
        """The option values in the requested language, in the order of `options`."""
        texts = self.context.get("option_texts") or OptionTexts(language=_language(self))
        values = (variant.option1, variant.option2, variant.option3)
        return [texts.value(value) for value in values if value]

    @extend_schema_field(MaterialSerializer(allow_null=True))
    def get_metal(self, variant) -> dict | None:
        if variant.metal is None:
            return None
        return MaterialSerializer(variant.metal, context=self.context).data

    @extend_schema_field(PriceSerializer)
    def get_price(self, variant) -> dict:
        return _price(self, variant.price)

    @extend_schema_field(PriceSerializer(allow_null=True))
    def get_compare_at_price(self, variant) -> dict | None:
        """The price before a sale, when there is one."""
        return _price(self, variant.compare_at_price)


class GemstoneSerializer(serializers.Serializer):
    type = GemstoneTypeSerializer(source="gemstone_type")
    count = serializers.IntegerField()
    carat = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    colour = serializers.CharField(allow_blank=True)
    clarity = serializers.ChoiceField(choices=GemClarity.choices, allow_blank=True)
    cut = serializers.ChoiceField(choices=GemCut.choices, allow_blank=True)
    cut_label = serializers.CharField(source="get_cut_display", allow_blank=True)


class ProductCategorySerializer(CategoryRefSerializer):
    parent = serializers.SlugField(source="parent.slug", allow_null=True)


class ProductDetailSerializer(ProductListItemSerializer):
    description = serializers.SerializerMethodField()
    seo_title = serializers.SerializerMethodField()
    seo_description = serializers.SerializerMethodField()
    category = ProductCategorySerializer(allow_null=True)
    collections = serializers.SerializerMethodField()
    vendor = serializers.CharField(allow_blank=True)
    product_type = serializers.CharField(allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(), source="tag_list")
    option_names = serializers.SerializerMethodField()
    option_name_labels = serializers.SerializerMethodField()
    variants = VariantSerializer(many=True)
    images = ImageSerializer(many=True)
    gemstones = GemstoneSerializer(many=True)
    materials = MaterialSerializer(many=True)
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()

    def get_description(self, product) -> str:
        """Sanitised HTML (paragraphs, lists, emphasis, tables)."""
        # Sanitised when stored and again here, as on the product page (shop.rich_text).
        return sanitize_html(translated(product, "description", _language(self)))

    def get_seo_title(self, product) -> str:
        return translated(product, "seo_title", _language(self))

    def get_seo_description(self, product) -> str:
        return translated(product, "seo_description", _language(self))

    def get_collections(self, product) -> list[str]:
        """Slugs of the collections the product is in."""
        return [collection.slug for collection in product.collections.all()]

    def to_representation(self, product):
        # The option labels of the product and its variants in one query, for the variants too.
        self.context["option_texts"] = option_texts_for_product(
            product, product.variants.all(), language=_language(self)
        )
        return super().to_representation(product)

    def get_option_names(self, product) -> list[str]:
        """What each variant option means (Metal, Ring size, ...), in option order: the source
        text, as imported and exported."""
        names = (product.option1_name, product.option2_name, product.option3_name)
        return [name for name in names if name]

    def get_option_name_labels(self, product) -> list[str]:
        """The option names in the requested language, in the order of `option_names`."""
        texts = self.context.get("option_texts") or OptionTexts(language=_language(self))
        names = (product.option1_name, product.option2_name, product.option3_name)
        return [texts.name(name) for name in names if name]

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_image(self, product) -> dict | None:
        images = list(product.images.all())
        return ImageSerializer(images[0], context=self.context).data if images else None


# --- Categories and collections ---------------------------------------------------------------
class CategoryListItemSerializer(serializers.Serializer):
    slug = serializers.SlugField(source="category.slug")
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    parent = serializers.SlugField(
        source="parent.slug", allow_null=True, help_text="The parent's slug (null at the top)."
    )
    depth = serializers.IntegerField(help_text="0 for a top-level category.")
    position = serializers.IntegerField(source="category.position")
    product_count = serializers.IntegerField(
        help_text="Published products in the category and the categories below it."
    )

    def get_name(self, node) -> str:
        return translated(node.category, "name", _language(self), default=node.category.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, node) -> str:
        return _absolute(
            self, reverse("catalog_api:category-detail", kwargs={"slug": node.category.slug})
        )


class CategoryDetailSerializer(CategoryListItemSerializer):
    description = serializers.SerializerMethodField()
    seo_title = serializers.SerializerMethodField()
    seo_description = serializers.SerializerMethodField()
    ancestors = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()
    products_url = serializers.SerializerMethodField()

    def get_description(self, node) -> str:
        return translated(node.category, "description", _language(self))

    def get_seo_title(self, node) -> str:
        return translated(node.category, "seo_title", _language(self))

    def get_seo_description(self, node) -> str:
        return translated(node.category, "seo_description", _language(self))

    @extend_schema_field(CategoryRefSerializer(many=True))
    def get_ancestors(self, node) -> list:
        """From the top-level category down to the parent (breadcrumbs)."""
        return CategoryRefSerializer(node.path[:-1], many=True, context=self.context).data

    @extend_schema_field(CategoryRefSerializer(many=True))
    def get_children(self, node) -> list:
        return CategoryRefSerializer(node.children, many=True, context=self.context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_products_url(self, node) -> str:
        """The product list filtered to this category (and those below it)."""
        url = reverse("catalog_api:product-list") + f"?category={node.category.slug}"
        return _absolute(self, url)


class CollectionSerializer(NamedSerializer):
    description = serializers.SerializerMethodField()
    is_featured = serializers.BooleanField()
    position = serializers.IntegerField()
    product_count = serializers.IntegerField(help_text="Published products in the collection.")
    products_url = serializers.SerializerMethodField()

    def get_description(self, collection) -> str:
        return translated(collection, "description", _language(self))

    @extend_schema_field(OpenApiTypes.URI)
    def get_products_url(self, collection) -> str:
        url = reverse("catalog_api:product-list") + f"?collection={collection.slug}"
        return _absolute(self, url)


# --- Query parameters -------------------------------------------------------------------------
class LanguageQuerySerializer(serializers.Serializer):
    lang = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="Language of the texts; default: the Accept-Language header, else English. "
        "Missing translations fall back to English.",
    )


class PricedQuerySerializer(LanguageQuerySerializer):
    currency = serializers.ChoiceField(
        choices=settings.SHOP_CURRENCIES,
        required=False,
        help_text="Currency prices are shown in (and price filters are read in); "
        "default: the shop's base currency.",
    )


class ProductListQuerySerializer(PricedQuerySerializer):
    category = serializers.SlugField(
        max_length=120,
        required=False,
        help_text="A category slug; products of the categories below it are included.",
    )
    collection = serializers.SlugField(max_length=120, required=False)
    metal = serializers.SlugField(
        max_length=60, required=False, help_text="A metal slug (see /materials/)."
    )
    gemstone = serializers.SlugField(
        max_length=60, required=False, help_text="A gemstone slug (see /gemstones/)."
    )
    price_min = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        help_text="Lowest price, in `currency` (default: the base currency).",
    )
    price_max = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        help_text="Highest price, in `currency` (default: the base currency).",
    )
    in_stock = serializers.BooleanField(
        required=False, allow_null=True, help_text="true: only products that can be bought now."
    )
    q = serializers.CharField(
        max_length=200,
        required=False,
        help_text="Words that must all appear in the product's name (in `lang` or English).",
    )
    ordering = serializers.ChoiceField(
        choices=list(ORDERINGS), required=False, default=DEFAULT_ORDERING
    )

    def validate(self, attrs):
        low, high = attrs.get("price_min"), attrs.get("price_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"price_max": [_("The highest price must not be below the lowest price.")]}
            )
        return attrs


def base_price_bounds(attrs: dict, pricing: Pricing) -> tuple[Decimal | None, Decimal | None]:
    """The price filters in the base currency: a product shown at exactly a limit is found."""
    low, high = attrs.get("price_min"), attrs.get("price_max")
    if attrs.get("currency"):
        low = None if low is None else pricing.to_base(low, rounding="min")
        high = None if high is None else pricing.to_base(high, rounding="max")
    return low, high
