"""GET /api/v1/search/: ranked products with handle, name, price and score; JSON errors."""

from decimal import Decimal

import pytest

from ai import index
from ai.embeddings import get_embedder
from ai.index.indexer import reindex_products
from ai.search import snapshot
from tests.ai.test_search_query import search_catalog
from tests.factories import ExchangeRateFactory

URL = "/api/v1/search/"


@pytest.fixture
def shop(db, no_throttling):
    index.clear_cache()
    snapshot.clear_cache()
    objects = search_catalog()
    reindex_products(embedder=get_embedder("use-multilingual"))
    yield objects
    index.clear_cache()
    snapshot.clear_cache()


def test_results_have_handle_name_price_and_score_best_first(api_client, shop):
    response = api_client.get(URL, {"q": "sapphire ring", "lang": "en"})
    data = response.json()

    assert response.status_code == 200
    assert data["query"] == "sapphire ring"
    assert data["language"] == "en"
    assert data["count"] == 1
    (hit,) = data["results"]
    assert hit["handle"] == "sapphire-ring"
    assert hit["name"] == "Sapphire halo ring"
    assert hit["web_url"] == "http://testserver/en/p/sapphire-ring/"
    assert hit["price"]["base"] == {"amount": "900.00", "currency": "USD", "formatted": "$900.00"}
    assert isinstance(hit["score"], float)
    assert {item["key"] for item in data["recognised"]} == {"gemstone:sapphire", "category:rings"}


def test_a_query_in_another_language_finds_english_only_products(api_client, shop):
    data = api_client.get(URL, {"q": "サファイアの指輪", "lang": "ja"}).json()

    assert [hit["handle"] for hit in data["results"]] == ["sapphire-ring"]
    assert data["results"][0]["web_url"].endswith("/ja/p/sapphire-ring/")


def test_names_come_in_the_requested_language(api_client, shop):
    data = api_client.get(URL, {"q": "diamant", "lang": "fr"}).json()

    assert data["results"][0]["name"] == "Bague solitaire diamant"


def test_typos_are_corrected(api_client, shop):
    data = api_client.get(URL, {"q": "saphire rnig"}).json()

    assert data["results"][0]["handle"] == "sapphire-ring"
    assert data["corrected_query"] == "Sapphire Rings"


def test_filters_limit_and_offset(api_client, shop):
    every = api_client.get(URL, {"q": "jewelry ring earrings necklace", "limit": 100}).json()
    first = api_client.get(URL, {"q": "jewelry ring earrings necklace", "limit": 1}).json()
    second = api_client.get(
        URL, {"q": "jewelry ring earrings necklace", "limit": 1, "offset": 1}
    ).json()
    silver = api_client.get(URL, {"q": "earrings", "metal": "sterling-silver"}).json()

    assert len(first["results"]) == 1 and len(second["results"]) == 1
    assert first["count"] == second["count"] == every["count"] == len(every["results"])
    assert first["results"][0]["handle"] != second["results"][0]["handle"]
    assert [hit["handle"] for hit in silver["results"]] == ["pearl-earrings"]


def test_price_filters_are_read_in_the_requested_currency(api_client, shop):
    ExchangeRateFactory(currency="EUR", rate=Decimal("0.5"))

    data = api_client.get(URL, {"q": "earrings", "currency": "EUR", "price_max": "100"}).json()

    assert [hit["handle"] for hit in data["results"]] == ["pearl-earrings"]
    assert data["results"][0]["price"]["display"]["currency"] == "EUR"


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}])
def test_no_query_is_no_results(api_client, shop, params):
    response = api_client.get(URL, params)

    assert response.status_code == 200
    assert response.json()["count"] == 0 and response.json()["results"] == []


def test_drafts_never_come_back(api_client, shop):
    data = api_client.get(URL, {"q": "diamond ring pavé", "limit": 100}).json()

    assert "draft-ring" not in [hit["handle"] for hit in data["results"]]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 201}, "q"),
        ({"q": "ring", "lang": "xx"}, "lang"),
        ({"q": "ring", "limit": "0"}, "limit"),
        ({"q": "ring", "limit": "1000"}, "limit"),
        ({"q": "ring", "offset": "-1"}, "offset"),
        ({"q": "ring", "price_min": "abc"}, "price_min"),
        ({"q": "ring", "price_min": "500", "price_max": "100"}, "price_max"),
        ({"q": "ring", "metal": "not a slug!"}, "metal"),
        ({"q": "ring", "currency": "XYZ"}, "currency"),
    ],
)
def test_bad_input_is_a_400_in_the_api_error_shape(api_client, shop, params, field):
    response = api_client.get(URL, params)
    data = response.json()

    assert response.status_code == 400
    assert set(data) == {"error", "code", "detail"}
    assert field in data["detail"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("gemstone", "unobtainium"), ("metal", "diamond"), ("category", "tiaras")],
)
def test_an_unknown_filter_value_is_a_400_like_the_product_list(api_client, shop, field, value):
    response = api_client.get(URL, {"q": "ring", field: value})

    assert response.status_code == 400
    assert field in response.json()["detail"]


def test_the_endpoint_is_in_the_schema(api_client, shop):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert operation["operationId"] == "search"
    assert {p["name"] for p in operation["parameters"]} >= {"q", "lang", "limit", "offset"}
