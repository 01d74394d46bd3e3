"""A price limit in the shopper's currency means the same everywhere: the storefront listing,
the catalog API, the search API and a limit written in a search query ("ring under 50 GBP")
all find exactly the products shown inside it (shop.money.to_base), at both ends."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from ai import index, services
from ai.index.indexer import reindex_products
from ai.search import snapshot
from shop.middleware import CURRENCY_SESSION_KEY
from tests.factories import ExchangeRateFactory, ProductFactory

# At 0.5 GBP to the dollar, half a cent decides: 100.01 USD is 50.005 GBP, shown as 50.01.
PRICES = {
    "ring-a": "99.99",  # 49.995 -> 50.00 GBP
    "ring-b": "100.00",  # 50.00 GBP
    "ring-c": "100.01",  # 50.005 -> 50.01 GBP
    "ring-d": "100.02",  # 50.01 GBP
    "ring-e": "100.03",  # 50.015 -> 50.02 GBP
}


@pytest.fixture
def rings(db, use_embedder, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", defaultdict(lambda: None))
    cache.clear()
    index.clear_cache()
    snapshot.clear_cache()
    ExchangeRateFactory(currency="GBP", rate=Decimal("0.5"))
    for handle, price in PRICES.items():
        ProductFactory(handle=handle, name=f"Gold ring {handle[-1]}", variants=[{"price": price}])
    reindex_products(embedder=use_embedder)
    yield
    snapshot.clear_cache()
    cache.clear()


def in_listing(client, low: str, high: str) -> set[str]:
    session = client.session
    session[CURRENCY_SESSION_KEY] = "GBP"
    session.save()
    response = client.get("/en/products/", {"price_min": low, "price_max": high})
    return {product.handle for product in response.context["products"]}


def in_catalog_api(low: str, high: str) -> set[str]:
    response = APIClient().get(
        "/api/v1/products/", {"currency": "GBP", "price_min": low, "price_max": high}
    )
    return {item["handle"] for item in response.json()["results"]}


def in_search_api(low: str, high: str) -> set[str]:
    response = APIClient().get(
        "/api/v1/search/",
        {"q": "gold ring", "currency": "GBP", "price_min": low, "price_max": high, "limit": 50},
    )
    return {hit["handle"] for hit in response.json()["results"]}


def in_search_query(low: str, high: str) -> set[str]:
    result = services.search_products(
        f"gold ring between {low} and {high} gbp", language="en", limit=50
    )
    by_pk = dict(ProductFactory._meta.model.objects.values_list("pk", "handle"))
    return {by_pk[pk] for pk in result.product_ids}


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ("50.00", "50.00", {"ring-a", "ring-b"}),
        ("50.01", "50.01", {"ring-c", "ring-d"}),
        ("49.99", "50.01", {"ring-a", "ring-b", "ring-c", "ring-d"}),
        ("50.02", "60.00", {"ring-e"}),
    ],
)
def test_listing_apis_and_search_agree_at_the_boundary(client, rings, low, high, expected):
    assert in_listing(client, low, high) == expected
    assert in_catalog_api(low, high) == expected
    assert in_search_api(low, high) == expected
    assert in_search_query(low, high) == expected
