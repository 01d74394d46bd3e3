"""The write-throttled base view (shop.api.WriteThrottledAPIView) that the account, bag and
checkout, and review endpoints share: writes count against the "writes" scope, reads do not."""

from collections import defaultdict

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import ProductFactory, UserFactory


@pytest.fixture
def one_write_a_minute(db, monkeypatch):
    rates = defaultdict(lambda: None, {"writes": "1/min"})
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def product(db):
    return ProductFactory(handle="gold-ring")


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("path", "signed_in"),
    [
        ("/api/v1/account/register/", False),
        ("/api/v1/cart/lines/", False),
        ("/api/v1/products/gold-ring/reviews/", True),
    ],
)
def test_a_second_write_within_the_limit_is_refused_but_reads_are_not(
    one_write_a_minute, product, path, signed_in
):
    client = client_for(UserFactory() if signed_in else None)

    first = client.post(path, {}, format="json")
    second = client.post(path, {}, format="json")

    assert first.status_code != 429
    assert second.status_code == 429
    assert second.json()["code"] == "throttled"
    assert client.get(path).status_code != 429


def test_a_checkout_quote_changes_nothing_so_it_is_not_a_write(one_write_a_minute, product):
    client = client_for()

    statuses = [
        client.post("/api/v1/checkout/quote/", {"country": "FR"}, format="json").status_code
        for _ in range(3)
    ]

    assert 429 not in statuses
