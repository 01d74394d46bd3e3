"""Export of the catalogue as a Shopify product CSV (the 46 columns Shopify reads and writes).

One row per variant and per extra image: row n carries the product's n-th variant and n-th
image, the first row also the product. Exporting, importing the file into an empty store and
exporting again gives the same file (the import reads back everything written here).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO

from django.db.models import Prefetch, QuerySet

from catalog.importers.shopify import (
    DEFAULT_OPTION_NAME,
    DEFAULT_OPTION_VALUE,
    SHOPIFY_COLUMNS,
    Vocabulary,
    image_public_url,
)
from catalog.models import (
    Product,
    ProductGemstone,
    ProductImage,
    ProductVariant,
    PublicationStatus,
)


def products_for_export(*, handles: Sequence[str] | None = None) -> QuerySet[Product]:
    """The products to export, oldest first, with everything a row needs in a few queries."""
    products = Product.objects.order_by("id").prefetch_related(
        "translations",
        "materials__translations",
        Prefetch(
            "gemstones",
            queryset=ProductGemstone.objects.select_related("gemstone_type").prefetch_related(
                "gemstone_type__translations"
            ),
        ),
        Prefetch(
            "variants",
            queryset=ProductVariant.objects.order_by("position", "id").select_related(
                "image", "metal"
            ),
        ),
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
    )
    if handles is not None:
        products = products.filter(handle__in=list(handles))
    return products


def _number(value: Decimal | None) -> str:
    """42.99 -> "42.99", 85.00 -> "85.00" for money; None -> ""."""
    return "" if value is None else f"{value:.2f}"


def _grams(value: Decimal | None) -> str:
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def export_tags(product: Product, vocabulary: Vocabulary) -> str:
    """The product's tags, plus the name of any material or gemstone the tags do not name.

    The import derives materials and gemstones from the tags, so without this a material set
    in the admin would be lost by exporting and importing the file again.
    """
    tags = product.tags
    named = {term.slug for term in vocabulary.materials_in(tags)}
    named |= {term.slug for term in vocabulary.gems_in(tags)}
    # Variant metals come back from the option values; they need no tag.
    named |= {variant.metal.slug for variant in product.variants.all() if variant.metal}
    extra: list[str] = []
    things = [*product.materials.all(), *(row.gemstone_type for row in product.gemstones.all())]
    for thing in things:
        if thing.slug in named:
            continue
        name = thing.safe_translation_getter("name", language_code="en", any_language=True)
        if name and name not in extra:
            extra.append(name)
    return ", ".join([tag for tag in [tags.strip()] if tag] + extra)


def _product_cells(product: Product, vocabulary: Vocabulary, single_default: bool) -> dict:
    def english(field: str) -> str:
        return product.safe_translation_getter(field, default="", language_code="en") or (
            product.safe_translation_getter(field, default="", any_language=True) or ""
        )

    names = [product.option1_name, product.option2_name, product.option3_name]
    if single_default:
        names = [DEFAULT_OPTION_NAME, "", ""]
    return {
        "Title": english("name"),
        "Body (HTML)": english("description"),
        "Vendor": product.vendor,
        "Type": product.product_type,
        "Tags": export_tags(product, vocabulary),
        "Published": "true" if product.status == PublicationStatus.PUBLISHED else "false",
        "Option1 Name": names[0],
        "Option2 Name": names[1],
        "Option3 Name": names[2],
        "Gift Card": "false",
        "SEO Title": english("seo_title"),
        "SEO Description": english("seo_description"),
    }


def _variant_cells(variant: ProductVariant, single_default: bool) -> dict:
    options = [variant.option1, variant.option2, variant.option3]
    if single_default:
        options = [DEFAULT_OPTION_VALUE, "", ""]
    return {
        "Option1 Value": options[0],
        "Option2 Value": options[1],
        "Option3 Value": options[2],
        "Variant SKU": variant.sku,
        "Variant Grams": _grams(variant.weight_grams),
        "Variant Inventory Tracker": "shopify",
        "Variant Inventory Qty": str(variant.stock_quantity),
        "Variant Inventory Policy": "deny",
        "Variant Fulfillment Service": "manual",
        "Variant Price": _number(variant.price),
        "Variant Compare At Price": _number(variant.compare_at_price),
        "Variant Requires Shipping": "true",
        "Variant Taxable": "true",
        "Variant Barcode": variant.barcode,
        "Variant Image": image_public_url(variant.image) if variant.image else "",
        "Variant Weight Unit": "g",
    }


def _image_cells(image: ProductImage) -> dict:
    return {
        "Image Src": image_public_url(image),
        "Image Position": str(image.position),
        "Image Alt Text": image.alt_text,
    }


def product_rows(product: Product, vocabulary: Vocabulary) -> Iterable[list[str]]:
    variants = list(product.variants.all())
    images = [image for image in product.images.all() if image_public_url(image)]
    single_default = (
        len(variants) == 1
        and not (variants[0].option1 or variants[0].option2 or variants[0].option3)
        and not (product.option1_name or product.option2_name or product.option3_name)
    )
    for index in range(max(len(variants), len(images), 1)):
        cells = {"Handle": product.handle}
        if index == 0:
            cells.update(_product_cells(product, vocabulary, single_default))
        if index < len(variants):
            cells.update(_variant_cells(variants[index], single_default))
        if index < len(images):
            cells.update(_image_cells(images[index]))
        yield [cells.get(column, "") for column in SHOPIFY_COLUMNS]


def export_shopify_csv(*, out: IO[str], handles: Sequence[str] | None = None) -> int:
    """Writes the products (all, or those with the given handles) to `out`; returns how many.

    `out` is a text file opened with newline="" (the csv module writes the line endings).
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SHOPIFY_COLUMNS)
    vocabulary = Vocabulary.load()
    count = 0
    for product in products_for_export(handles=handles).iterator(chunk_size=200):
        writer.writerows(product_rows(product, vocabulary))
        count += 1
    return count
