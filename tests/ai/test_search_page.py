"""The storefront search page and the autocomplete endpoint, on the ranked search."""

import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from ai.index.indexer import reindex_products
from tests.factories import ProductFactory

from .test_search_query import search_shop  # noqa: F401 - the catalog fixture


@pytest.fixture(autouse=True)
def _english_outside_requests():
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def indexed(search_shop, use_embedder):  # noqa: F811
    reindex_products(embedder=use_embedder)
    return search_shop


def page(client, query: str, language: str = "en", **params):
    response = client.get(f"/{language}/search/", {"q": query, **params})
    assert response.status_code == 200
    return response


def listed(response) -> list[str]:
    return [product.handle for product in response.context["products"]]


def test_results_are_ranked_with_the_matched_words_highlighted(client, indexed):
    response = page(client, "saphire ring")
    body = response.content.decode()

    assert listed(response) == ["sapphire-ring"]
    assert "<mark>Sapphire</mark> halo <mark>ring</mark>" in body
    assert "Did you mean:" in body and "Sapphire" in body


def test_recognised_filters_are_chips_that_can_be_removed(client, indexed):
    response = page(client, "sapphire ring")
    chips = {chip["label"]: chip["url"] for chip in response.context["chips"]}

    assert set(chips) == {"Sapphire", "Rings"}
    assert "ignore=gemstone%3Asapphire" in chips["Sapphire"]

    # When the shopper removes the stone chip, every ring comes
    widened = client.get(f"/en/search/{chips['Sapphire']}")
    assert set(listed(widened)) == {"sapphire-ring", "diamond-ring"}


def test_facets_link_to_narrower_results_with_counts(client, indexed):
    response = page(client, "earrings")
    metals = {option["label"]: option for option in response.context["facets"]["metal"]}

    assert {label: option["count"] for label, option in metals.items()} == {
        "Sterling silver": 1,
        "Yellow gold": 1,
    }
    narrowed = client.get(f"/en/search/{metals['Yellow gold']['url']}")
    assert listed(narrowed) == ["gold-hoops"]
    assert any(chip["label"] == "Yellow gold" for chip in narrowed.context["chips"])


def test_a_price_facet_is_shown_in_the_shoppers_currency(client, indexed):
    response = page(client, "earrings")
    labels = [option["label"] for option in response.context["facets"]["price"]]

    assert labels == ["$100.00 to $250.00", "$250.00 to $500.00"]


def test_the_page_answers_in_the_shoppers_language_across_languages(client, indexed):
    response = page(client, "サファイアの指輪", language="ja")

    assert listed(response) == ["sapphire-ring"]
    assert '<html lang="ja"' in response.content.decode()


def test_product_names_and_queries_are_escaped(client, indexed):
    ProductFactory(
        handle="xss",
        name='Classic <img src=x onerror="alert(1)"> hoop',
        category=indexed["earrings"],
        variants=[{"price": Decimal("10.00")}],
    )

    response = page(client, 'classic hoop <script>alert("q")</script>')
    body = response.content.decode()

    assert "xss" in listed(response)
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body
    assert '<script>alert("q")' not in body


def test_nothing_found_offers_did_you_mean_and_categories(client, indexed):
    body = page(client, "unicorn tiara").content.decode()

    assert "No results for “unicorn tiara”" in body
    assert "Popular categories" in body
    assert 'href="/en/c/rings/"' in body


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "999999"},
        {"page": "9" * 40},
        {"price": "abc-xyz"},
        {"price": "1e999-"},
        {"price": "-5--3"},
        {"metal": "<script>"},
        {"ignore": "x" * 500},
        {"category": ["rings"] * 50},
    ],
)
def test_malformed_parameters_never_break_the_page(client, indexed, params):
    response = page(client, "ring", **params)

    assert response.context["products"]


def test_the_suggest_endpoint_answers_json_for_the_combobox(client, indexed):
    response = client.get("/en/search/suggest/", {"q": "sapph"})
    data = json.loads(response.content)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert {"text": "Sapphire", "kind": "gemstone", "url": "/en/search/?q=Sapphire"} in data[
        "suggestions"
    ]
    assert {
        "text": "Sapphire halo ring",
        "kind": "product",
        "url": "/en/p/sapphire-ring/",
    } in data["suggestions"]


@pytest.mark.parametrize("query", ["", "   ", "x" * 5000, "\x00", "<script>"])
def test_the_suggest_endpoint_takes_any_input(client, indexed, query):
    response = client.get("/en/search/suggest/", {"q": query})

    assert response.status_code == 200
    assert isinstance(json.loads(response.content)["suggestions"], list)


def test_the_header_search_box_is_an_accessible_combobox(client, indexed):
    body = client.get("/en/").content.decode()

    assert 'role="combobox"' in body
    assert 'aria-controls="site-search-suggestions"' in body
    assert 'id="site-search-suggestions" role="listbox"' in body
    assert 'data-suggest-url="/en/search/suggest/"' in body
    assert "js/search_suggest" in body
