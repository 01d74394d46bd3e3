"""Writes to the catalog. Views, admin actions, imports, commands and tasks call these.

Every service is keyword-only, validates with full_clean() before saving, and keeps the
product's denormalised price range and availability in step with its variants.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from shop.rich_text import sanitize_html

from .cache import catalog_changed
from .models import (
    Category,
    Collection,
    GemstoneType,
    Material,
    Product,
    ProductGemstone,
    ProductVariant,
    PublicationStatus,
)


def clean_description_html(html: str) -> str:
    """A product description as it may be stored and shown (see shop.rich_text)."""
    return sanitize_html(html)


def product_set_translation(
    *,
    product: Product,
    language: str,
    name: str,
    description: str = "",
    seo_title: str = "",
    seo_description: str = "",
) -> Product:
    """Creates or replaces the product's text in one language and marks it for re-indexing."""
    product.set_current_language(language)
    product.name = name.strip()
    product.description = clean_description_html(description)
    product.seo_title = seo_title.strip()[:70]
    product.seo_description = seo_description.strip()[:320]
    product.search_index_dirty = True
    product.full_clean()
    product.save()
    return product


def products_mark_search_dirty(*, product_ids: Iterable[int]) -> int:
    """Marks products for re-embedding by the search (their text changed outside
    product_set_translation, which marks its product); returns how many rows were marked."""
    return Product.objects.filter(pk__in=list(product_ids)).update(search_index_dirty=True)


def products_clear_search_dirty(*, saved_at: dict[int, datetime]) -> int:
    """Clears the search flag of the products {pk: updated_at} not saved again since.

    The search reads `updated_at` before it embeds a batch; every product save moves it, so a
    product whose text changed while its batch was being embedded keeps its flag and is
    embedded again next time. Returns how many flags were cleared.
    """
    cleared = 0
    items = list(saved_at.items())
    for start in range(0, len(items), 100):  # SQLite limits the depth of one expression
        unchanged = Q()
        for pk, updated_at in items[start : start + 100]:
            unchanged |= Q(pk=pk, updated_at=updated_at)
        cleared += Product.objects.filter(unchanged, search_index_dirty=True).update(
            search_index_dirty=False
        )
    return cleared


def product_create(
    *,
    handle: str,
    name: str,
    language: str = "en",
    description: str = "",
    category: Category | None = None,
    status: str = PublicationStatus.DRAFT,
    vendor: str = "",
    product_type: str = "",
    tags: str = "",
    is_featured: bool = False,
    materials: Iterable[Material] = (),
    seo_title: str = "",
    seo_description: str = "",
) -> Product:
    product = Product(
        handle=handle,
        category=category,
        status=status,
        vendor=vendor,
        product_type=product_type,
        tags=tags,
        is_featured=is_featured,
        published_at=timezone.now() if status == PublicationStatus.PUBLISHED else None,
    )
    product_set_translation(
        product=product,
        language=language,
        name=name,
        description=description,
        seo_title=seo_title,
        seo_description=seo_description,
    )
    if materials:
        product.materials.set(materials)
    return product


def variant_create(*, product: Product, price: Decimal, **fields) -> ProductVariant:
    variant = ProductVariant(product=product, price=price, **fields)
    variant.full_clean()
    variant.save()
    product_refresh_availability(product=product)
    return variant


def variant_set_stock(*, variant: ProductVariant, quantity: int) -> ProductVariant:
    variant.stock_quantity = quantity
    variant.full_clean()
    variant.save(update_fields=["stock_quantity"])
    product_refresh_availability(product=variant.product)
    return variant


def product_edited(*, product: Product) -> Product:
    """A product (and its variants) just saved through a form, the admin's change page: its text
    may have changed, so the search re-embeds it in its next batch; its variants may have, so
    its price range and availability are recomputed. Runs in the form's transaction."""
    products_mark_search_dirty(product_ids=[product.pk])
    return product_refresh_availability(product=product)


def product_refresh_availability(*, product: Product) -> Product:
    """Recomputes the price range and in-stock flag the listings filter and sort on."""
    summary = product.variants.aggregate(
        low=Min("price"), high=Max("price"), stock=Sum("stock_quantity")
    )
    product.price_min = summary["low"] or Decimal("0.00")
    product.price_max = summary["high"] or Decimal("0.00")
    product.in_stock = bool(summary["stock"])
    Product.objects.filter(pk=product.pk).update(
        price_min=product.price_min, price_max=product.price_max, in_stock=product.in_stock
    )
    catalog_changed()
    return product


@transaction.atomic
def products_set_status(*, products: QuerySet[Product], status: str) -> int:
    """Bulk publish, unpublish (back to draft) or archive; returns how many changed."""
    if status not in PublicationStatus.values:
        raise ValueError(f"Unknown status {status!r}")
    changed = products.exclude(status=status)
    if status == PublicationStatus.PUBLISHED:
        changed.filter(published_at__isnull=True).update(published_at=timezone.now())
    count = changed.update(status=status, updated_at=timezone.now())
    catalog_changed()
    return count


# --- Bulk writes (an import or the demo store creating hundreds of products at once) ----------


def translated_object_save(
    *,
    obj: Category | Collection | Material | GemstoneType,
    texts: Mapping[str, Mapping[str, str]],
    default_language: str,
) -> Category | Collection | Material | GemstoneType:
    """Saves a category, collection, material or gemstone type with its texts in every
    language of `texts` ({language: {field: value}}), validated, and leaves it in
    `default_language`. The caller sets its other fields."""
    for language, values in texts.items():
        obj.set_current_language(language)
        for field_name, value in values.items():
            setattr(obj, field_name, value)
        obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.set_current_language(default_language)
    obj.save()
    catalog_changed()
    return obj


def collection_set_products(*, collection: Collection, product_ids: Sequence[int]) -> int:
    """Replaces a collection's products (in one insert); returns how many it now holds."""
    through = Collection.products.through
    collection.products.clear()
    through.objects.bulk_create(
        [through(collection_id=collection.pk, product_id=pk) for pk in product_ids],
        batch_size=500,
    )
    catalog_changed()
    return len(product_ids)


class ProductText(NamedTuple):
    """A product's text in one language (as product_set_translation takes it)."""

    name: str
    description: str = ""
    seo_title: str = ""
    seo_description: str = ""


@dataclass
class NewProduct:
    """One product for products_create_bulk: an unsaved Product (its own fields set; a
    `created_at`, `updated_at` or `published_at` set on it is kept, for a catalog with a
    history), its texts per language and its unsaved variants and stones (without product)."""

    product: Product
    texts: Mapping[str, ProductText]
    variants: Sequence[ProductVariant] = ()
    stones: Sequence[ProductGemstone] = ()
    materials: Sequence[Material] = field(default_factory=tuple)


_DATES = ("created_at", "updated_at", "published_at")
# Foreign keys are left to the database's constraints: validating each would cost a query a row.
_PRODUCT_FKS = ["category"]
_VARIANT_FKS = ["product", "metal"]
_STONE_FKS = ["product", "gemstone_type"]


@transaction.atomic
def products_create_bulk(*, items: Sequence[NewProduct], batch_size: int = 500) -> list[Product]:
    """Creates many products with their texts, variants, stones and materials in a few
    queries per table, where product_create and variant_create would cost several a row.

    Every row is validated field by field (full_clean without the unique and foreign-key
    checks, which the database's constraints make); each product's price range and
    availability are computed from its variants, as product_refresh_availability does, and it
    is marked for the search (a new product is). Returns the saved products, in order.
    """
    products = [item.product for item in items]
    dates = [{name: getattr(p, name) for name in _DATES} for p in products]
    for item in items:
        product = item.product
        prices = [v.price for v in item.variants]
        product.price_min = min(prices, default=Decimal("0.00"))
        product.price_max = max(prices, default=Decimal("0.00"))
        product.in_stock = bool(sum(v.stock_quantity for v in item.variants))
        product.search_index_dirty = True
        product.full_clean(exclude=_PRODUCT_FKS, validate_unique=False, validate_constraints=False)
    Product.objects.bulk_create(products, batch_size=batch_size)
    # auto_now_add and auto_now stamp "now" on insert: put back the dates the caller gave.
    backdated = []
    for product, given in zip(products, dates, strict=True):
        kept = {name: value for name, value in given.items() if value is not None}
        if kept:
            for name, value in kept.items():
                setattr(product, name, value)
            backdated.append(product)
    if backdated:
        Product.objects.bulk_update(backdated, list(_DATES), batch_size=batch_size)

    translation_model = Product._parler_meta.root_model
    translations = []
    for product, item in zip(products, items, strict=True):
        for language, text in item.texts.items():
            row = translation_model(
                master_id=product.pk,
                language_code=language,
                name=text.name.strip(),
                description=text.description,
                seo_title=text.seo_title.strip()[:70],
                seo_description=text.seo_description.strip()[:320],
            )
            row.full_clean(exclude=["master"], validate_unique=False, validate_constraints=False)
            translations.append(row)
    translation_model.objects.bulk_create(translations, batch_size=batch_size)

    variants, stones, links = [], [], []
    through = Product.materials.through
    for product, item in zip(products, items, strict=True):
        for variant in item.variants:
            variant.product = product
            variant.full_clean(
                exclude=_VARIANT_FKS, validate_unique=False, validate_constraints=False
            )
            variants.append(variant)
        for stone in item.stones:
            stone.product = product
            stone.full_clean(exclude=_STONE_FKS, validate_unique=False, validate_constraints=False)
            stones.append(stone)
        links += [through(product_id=product.pk, material_id=m.pk) for m in item.materials]
    ProductVariant.objects.bulk_create(variants, batch_size=batch_size)
    ProductGemstone.objects.bulk_create(stones, batch_size=batch_size)
    through.objects.bulk_create(links, batch_size=batch_size)
    catalog_changed()
    return products
