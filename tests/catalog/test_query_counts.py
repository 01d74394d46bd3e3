"""Each storefront page costs the same number of SQL queries however much it shows."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from PIL import Image

from catalog.models import ProductImage
from catalog.services import product_set_translation
from tests.factories import (
    CategoryFactory,
    CollectionFactory,
    ExchangeRateFactory,
    GemstoneTypeFactory,
    MaterialFactory,
    ProductFactory,
    ProductGemstoneFactory,
)

# 12, plus one with a cold cache for the footer's store pages (content.selectors.footer_pages).
LISTING_BUDGET = 13


@pytest.fixture(autouse=True)
def _english_outside_requests():
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def add_image(product, *, position=0):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (180, 150, 90)).save(buffer, format="PNG")
    try:
        from catalog.images import product_image_create
    except ImportError:  # the upload helper is optional for these pages
        image = ProductImage(product=product, position=position)
        image.image.save(f"{product.handle}-{position}.png", ContentFile(buffer.getvalue()))
        return image
    return product_image_create(
        product=product, file=ContentFile(buffer.getvalue(), name="p.png"), position=position
    )


def count_queries(client, url: str) -> int:
    """Queries of one request with cold caches (the worst case a shopper can hit)."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    # Savepoints only exist because each test runs inside a transaction; a web request has none.
    return sum(
        1
        for query in context.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    )


@pytest.fixture
def catalog(db):
    ExchangeRateFactory(currency="EUR", rate=Decimal("0.92"))
    ExchangeRateFactory(currency="AED", rate=Decimal("3.6725"))
    rings = CategoryFactory(slug="rings", name="Rings")
    CategoryFactory(slug="engagement-rings", name="Engagement rings", parent=rings)
    CategoryFactory(slug="necklaces", name="Necklaces")
    collection = CollectionFactory(slug="bridal", name="Bridal")
    return {
        "rings": rings,
        "collection": collection,
        "metals": [
            MaterialFactory(slug="yellow-gold"),
            MaterialFactory(slug="platinum"),
        ],
        "gems": [GemstoneTypeFactory(slug="diamond"), GemstoneTypeFactory(slug="ruby")],
    }


def add_products(catalog, count: int, *, start: int = 0) -> None:
    """Products with two variants, a picture, a stone, a French name and a collection."""
    for index in range(start, start + count):
        metal = catalog["metals"][index % 2]
        product = ProductFactory(
            handle=f"piece-{index}",
            name=f"Piece {index} diamond",
            category=catalog["rings"],
            variants=[
                {"price": Decimal(100 + index), "metal": metal, "option1": "A"},
                {"price": Decimal(150 + index), "metal": metal, "option1": "B"},
            ],
        )
        # Every other product has no French name, so the French pages use the English fallback.
        if index % 2:
            product_set_translation(product=product, language="fr", name=f"Bijou {index}")
        ProductGemstoneFactory(product=product, gemstone_type=catalog["gems"][index % 2])
        add_image(product)
        catalog["collection"].products.add(product)


LISTING_URLS = [
    "/{lang}/products/",
    "/{lang}/c/rings/",
    "/{lang}/collections/bridal/",
    "/{lang}/products/?sort=price_asc&metal=platinum&gemstone=ruby&price_min=10&in_stock=1",
    "/{lang}/search/?q=diamond",
    "/{lang}/",
]


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
@pytest.mark.parametrize("url", LISTING_URLS)
def test_listing_pages_cost_a_constant_number_of_queries(client, catalog, language, url):
    # Given a small catalog
    add_products(catalog, 5)
    url = url.format(lang=language)
    few = count_queries(client, url)

    # When it grows to more products than a page shows
    add_products(catalog, 25, start=5)
    many = count_queries(client, url)

    # Then the page costs the same, within budget
    assert many == few
    assert many <= LISTING_BUDGET, f"{url}: {many} queries"


def test_listing_with_a_chosen_currency_stays_within_budget(client, catalog):
    add_products(catalog, 30)
    client.post("/currency/", {"currency": "EUR", "next": "/en/products/"})

    # The session that remembers the currency costs one query more.
    assert count_queries(client, "/en/products/?price_max=500") <= LISTING_BUDGET + 1


def make_rich_product(catalog, *, variants: int, images: int, stones: int):
    metals = catalog["metals"]
    product = ProductFactory(
        handle=f"rich-{variants}",
        name="Rich",
        category=catalog["rings"],
        option1_name="Metal",
        option2_name="Ring size",
        variants=[
            {
                "price": Decimal(100 + n),
                "metal": metals[n % 2],
                "option1": metals[n % 2].slug,
                "option2": str(5 + n // 2),
                "sku": f"R{variants}-{n}",
                "purity": "18K",
            }
            for n in range(variants)
        ],
    )
    product.materials.set(metals)
    for position in range(images):
        add_image(product, position=position)
    for n in range(stones):
        ProductGemstoneFactory(product=product, gemstone_type=catalog["gems"][n % 2])
    return product


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_product_page_costs_a_constant_number_of_queries(client, catalog, language):
    simple = make_rich_product(catalog, variants=1, images=1, stones=0)
    rich = make_rich_product(catalog, variants=8, images=6, stones=3)
    # A shopper's first product view also creates their session (so their viewing history can
    # feed recommendations); count the steady state every later page view costs.
    client.get(f"/{language}{simple.get_absolute_url()[3:]}")

    few = count_queries(client, f"/{language}{simple.get_absolute_url()[3:]}")
    many = count_queries(client, f"/{language}{rich.get_absolute_url()[3:]}")

    assert many == few
    assert many <= LISTING_BUDGET
