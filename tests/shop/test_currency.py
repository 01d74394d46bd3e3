"""The currency switcher and the default currency of each language."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from shop.middleware import CURRENCY_SESSION_KEY
from tests.factories import ExchangeRateFactory, ProductFactory


@pytest.fixture(autouse=True)
def _english_outside_requests():
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def ring(db):
    for currency, rate in [
        ("EUR", "0.92"),
        ("GBP", "0.79"),
        ("CNY", "7.24"),
        ("JPY", "151.5"),
        ("AED", "3.6725"),
    ]:
        ExchangeRateFactory(currency=currency, rate=Decimal(rate))
    return ProductFactory(handle="ring", name="Gold Ring", variants=[{"price": Decimal("100.00")}])


@pytest.mark.parametrize(
    ("language", "currency", "shown"),
    [
        ("en", "USD", "$100.00"),
        ("fr", "EUR", "92,00\xa0€"),
        ("de", "EUR", "92,00\xa0€"),
        ("ja", "JPY", "￥15,150"),
        ("ar", "AED", "367.25"),
        ("zh-hans", "CNY", "¥724.00"),
    ],
)
def test_default_currency_follows_the_language(client, ring, language, currency, shown):
    response = client.get(f"/{language}/p/ring/")

    assert response.wsgi_request.currency == currency
    assert shown in response.content.decode()


def test_chosen_currency_is_remembered_across_pages_and_languages(client, ring):
    # When a French shopper chooses pounds
    response = client.post("/currency/", {"currency": "GBP", "next": "/fr/p/ring/"})

    # Then they go back to the page they were on, and every page shows pounds
    assert response.status_code == 302
    assert response["Location"] == "/fr/p/ring/"
    assert client.session[CURRENCY_SESSION_KEY] == "GBP"
    assert "79,00\xa0£GB" in client.get("/fr/p/ring/").content.decode()
    assert "£79.00" in client.get("/en/products/").content.decode()


def test_header_marks_the_current_currency(client, ring):
    client.post("/currency/", {"currency": "JPY", "next": "/en/"})

    page = client.get("/en/").content.decode()

    assert 'name="currency" value="JPY" aria-current="true"' in page


@pytest.mark.parametrize("bad", ["XYZ", "usd", "", "EUR; DROP TABLE", "€"])
def test_unknown_currency_is_ignored(client, ring, bad):
    response = client.post("/currency/", {"currency": bad, "next": "/en/p/ring/"})

    assert response.status_code == 302
    assert CURRENCY_SESSION_KEY not in client.session
    assert "$100.00" in client.get("/en/p/ring/").content.decode()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/steal",
        "//evil.example/",
        "http://evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
    ],
)
def test_redirect_to_another_site_is_refused(client, ring, next_url):
    response = client.post("/currency/", {"currency": "EUR", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_missing_next_goes_home(client, ring):
    response = client.post("/currency/", {"currency": "EUR"})

    assert response["Location"] == "/"


def test_currency_cannot_be_changed_with_a_get(client, ring):
    response = client.get("/currency/?currency=EUR&next=/en/")

    assert response.status_code == 405
    assert CURRENCY_SESSION_KEY not in client.session
