"""catalog.services' bulk writes (the demo store and imports): validated, kept in step."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import (
    GemstoneType,
    Product,
    ProductGemstone,
    ProductVariant,
    PublicationStatus,
)
from catalog.services import NewProduct, ProductText, products_create_bulk

pytestmark = pytest.mark.django_db


def _ruby() -> GemstoneType:
    return GemstoneType.objects.get_or_create(slug="ruby")[0]


def _item(handle: str, *prices: str, stock: int = 0, **fields) -> NewProduct:
    return NewProduct(
        product=Product(handle=handle, **fields),
        texts={
            "en": ProductText(" Ring ", "<p>Nice</p><script>x()</script>"),
            "fr": ProductText("Bague"),
        },
        variants=[ProductVariant(price=Decimal(p), stock_quantity=stock) for p in prices],
        stones=[ProductGemstone(count=1, gemstone_type=_ruby())] if prices else [],
    )


def test_bulk_products_get_their_price_range_texts_and_given_dates():
    # Given two products, one backdated and published, one without variants
    created = timezone.now() - timedelta(days=100)
    dated = _item(
        "dated",
        "120.00",
        "80.00",
        stock=2,
        status=PublicationStatus.PUBLISHED,
        created_at=created,
        published_at=created + timedelta(hours=1),
    )
    bare = _item("bare")

    # When they are created in bulk
    products_create_bulk(items=[dated, bare])

    # Then prices, stock and the given dates are kept in step, texts cleaned as one by one
    first = Product.objects.get(handle="dated")
    assert (first.price_min, first.price_max, first.in_stock) == (
        Decimal("80.00"),
        Decimal("120.00"),
        True,
    )
    assert first.created_at == created and first.published_at == created + timedelta(hours=1)
    assert first.variants.count() == 2 and first.gemstones.count() == 1
    first.set_current_language("en")
    assert first.name == "Ring" and "script" not in first.description
    second = Product.objects.get(handle="bare")
    assert (second.price_min, second.in_stock) == (Decimal("0.00"), False)
    assert second.created_at > created


def test_an_invalid_row_writes_nothing():
    with pytest.raises(ValidationError):
        products_create_bulk(items=[_item("fine", "10.00"), _item("bad", "-1.00")])
    assert not Product.objects.exists()
