"""Writes to the catalog. Views, admin actions, imports, commands and tasks call these.

Every service is keyword-only, validates with full_clean() before saving, and keeps the
product's denormalised price range and availability in step with its variants.
"""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from shop.rich_text import sanitize_html

from .cache import catalog_changed
from .models import (
    Category,
    Material,
    Product,
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
