"""The catalog endpoints: products, categories, collections, materials, gemstones."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CategoryFactory, MaterialFactory, ProductFactory

pytestmark = pytest.mark.usefixtures("no_throttling")

PRODUCTS = "/api/v1/products/"


def handles(response) -> list[str]:
    return [item["handle"] for item in response.json()["results"]]


# --- Product list -----------------------------------------------------------------------------
def test_product_list_shows_published_products_newest_first(api_client, catalog):
    response = api_client.get(PRODUCTS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert handles(response) == ["pearl-necklace", "gold-band", "diamond-solitaire"]
    assert body["next"] is None and body["previous"] is None


def test_product_list_item_carries_prices_image_and_links(api_client, catalog):
    response = api_client.get(PRODUCTS, {"q": "solitaire"})

    [item] = response.json()["results"]
    assert item["name"] == "Diamond solitaire ring"
    assert item["category"] == "engagement-rings"
    assert item["url"] == "http://testserver/api/v1/products/diamond-solitaire/"
    assert item["web_url"] == "http://testserver/en/p/diamond-solitaire/"
    assert item["price_min"]["base"] == {
        "amount": "1200.00",
        "currency": "USD",
        "formatted": "$1,200.00",
    }
    assert item["price_max"]["base"]["amount"] == "1800.00"
    assert item["in_stock"] is True
    assert item["on_sale"] is True
    assert item["is_featured"] is True
    assert item["image"]["url"].startswith("http://testserver/media/products/")
    assert item["image"]["thumbnail_url"].startswith("http://testserver/media/thumbnails/")


def test_product_list_category_filter_includes_sub_categories(api_client, catalog):
    rings = api_client.get(PRODUCTS, {"category": "rings"})
    engagement = api_client.get(PRODUCTS, {"category": "engagement-rings"})
    everything = api_client.get(PRODUCTS, {"category": "jewelry"})

    assert sorted(handles(rings)) == ["diamond-solitaire", "gold-band"]
    assert handles(engagement) == ["diamond-solitaire"]
    assert sorted(handles(everything)) == ["diamond-solitaire", "gold-band"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"collection": "bridal"}, ["diamond-solitaire", "gold-band"]),
        ({"metal": "platinum"}, ["diamond-solitaire"]),
        ({"metal": "yellow-gold"}, ["diamond-solitaire", "gold-band"]),
        ({"gemstone": "diamond"}, ["diamond-solitaire"]),
        ({"gemstone": "sapphire"}, []),
        ({"in_stock": "true"}, ["diamond-solitaire", "gold-band"]),
        ({"in_stock": "false"}, ["pearl-necklace"]),
        ({"price_min": "250", "price_max": "400"}, ["gold-band"]),
        ({"price_min": "1500"}, ["diamond-solitaire"]),
        ({"price_max": "100"}, ["pearl-necklace"]),
        ({"q": "GOLD band"}, ["gold-band"]),
        ({"q": "ring"}, ["diamond-solitaire"]),
        ({"category": "", "metal": ""}, ["diamond-solitaire", "gold-band", "pearl-necklace"]),
    ],
)
def test_product_list_filters(api_client, catalog, params, expected):
    response = api_client.get(PRODUCTS, params)

    assert response.status_code == 200, response.json()
    assert sorted(handles(response)) == expected


def test_product_list_reads_price_filters_in_the_requested_currency(api_client, catalog):
    # 300.00 USD is 276.00 EUR at 0.92: the band matches 270-280 EUR but not 270-280 USD.
    in_eur = api_client.get(PRODUCTS, {"currency": "EUR", "price_min": "270", "price_max": "280"})
    in_usd = api_client.get(PRODUCTS, {"price_min": "270", "price_max": "280"})

    assert handles(in_eur) == ["gold-band"]
    [band] = in_eur.json()["results"]
    assert band["price_min"]["display"] == {
        "amount": "276.00",
        "currency": "EUR",
        "formatted": "€276.00",
    }
    assert band["price_min"]["base"]["amount"] == "300.00"
    assert handles(in_usd) == []


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("price", ["pearl-necklace", "gold-band", "diamond-solitaire"]),
        ("-price", ["diamond-solitaire", "gold-band", "pearl-necklace"]),
        ("newest", ["pearl-necklace", "gold-band", "diamond-solitaire"]),
    ],
)
def test_product_list_ordering(api_client, catalog, ordering, expected):
    assert handles(api_client.get(PRODUCTS, {"ordering": ordering})) == expected


def test_product_list_pages(api_client, catalog):
    first = api_client.get(PRODUCTS, {"page_size": 2})
    second = api_client.get(PRODUCTS, {"page_size": 2, "page": 2})

    assert len(first.json()["results"]) == 2
    assert first.json()["next"].endswith("page=2&page_size=2")
    assert handles(second) == ["diamond-solitaire"]


def test_product_list_text_follows_lang_parameter_with_english_fallback(api_client, catalog):
    response = api_client.get(PRODUCTS, {"lang": "fr", "q": "bague"})
    everything = api_client.get(PRODUCTS, {"lang": "fr"})

    assert [item["name"] for item in response.json()["results"]] == ["Bague solitaire diamant"]
    assert response.json()["results"][0]["web_url"].endswith("/fr/p/diamond-solitaire/")
    assert response["Content-Language"] == "fr"
    # The band has no French name: English is shown.
    names = {item["handle"]: item["name"] for item in everything.json()["results"]}
    assert names["gold-band"] == "Plain gold band"


def test_product_list_language_comes_from_accept_language(api_client, catalog):
    response = api_client.get(PRODUCTS, {"q": "solitaire"}, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    assert response.json()["results"][0]["name"] == "Bague solitaire diamant"
    assert response["Content-Language"] == "fr"


def test_language_and_currency_codes_are_matched_without_case(api_client, catalog):
    response = api_client.get(PRODUCTS, {"lang": "FR", "currency": "eur", "q": "band"})

    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert response.json()["results"][0]["price_min"]["display"]["currency"] == "EUR"


def test_product_list_prices_formatted_for_the_language(api_client, catalog):
    response = api_client.get(PRODUCTS, {"lang": "fr", "currency": "EUR", "q": "band"})

    display = response.json()["results"][0]["price_min"]["display"]
    assert display["amount"] == "276.00"
    assert display["formatted"].replace("\u202f", " ").replace("\xa0", " ") == "276,00 €"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "no-such-category"}, "category"),
        ({"collection": "nope"}, "collection"),
        ({"metal": "leather"}, "metal"),  # a material, but not a metal
        ({"gemstone": "kryptonite"}, "gemstone"),
        ({"price_min": "cheap"}, "price_min"),
        ({"price_max": "1e400"}, "price_max"),
        ({"price_min": "NaN"}, "price_min"),
        ({"price_min": "-5"}, "price_min"),
        ({"price_min": "500", "price_max": "100"}, "price_max"),
        ({"in_stock": "perhaps"}, "in_stock"),
        ({"ordering": "name"}, "ordering"),
        ({"lang": "tlh"}, "lang"),
        ({"currency": "XBT"}, "currency"),
        ({"lang": "en-us"}, "lang"),
        ({"category": "bad slug!"}, "category"),
        ({"q": "x" * 500}, "q"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_product_list_rejects_bad_parameters_with_a_clear_400(api_client, catalog, params, field):
    response = api_client.get(PRODUCTS, params)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["detail"]
    assert body["error"].startswith(f"Invalid input: {field}: ")


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999999999999", "2.5", "٣"])
def test_product_list_bad_page_is_a_json_404(api_client, catalog, page):
    response = api_client.get(PRODUCTS, {"page": page})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["error"].startswith("Invalid page")


def test_product_list_costs_the_same_queries_for_5_and_30_products(api_client, db):
    gold = MaterialFactory(slug="yellow-gold")
    category = CategoryFactory(slug="rings")

    def make(count: int, start: int) -> None:
        for n in range(start, start + count):
            ProductFactory(
                handle=f"ring-{n}",
                category=category,
                variants=[{"price": Decimal("100.00"), "metal": gold, "sku": f"R-{n}"}],
            )

    def queries_for_list() -> int:
        params = {"page_size": 50, "currency": "EUR", "lang": "fr", "category": "rings"}
        cache.clear()  # both runs read the exchange rates from the database
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(PRODUCTS, {**params, "metal": "yellow-gold"})
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    make(5, 0)
    few, count_few = queries_for_list()
    make(25, 5)
    many, count_many = queries_for_list()

    assert (count_few, count_many) == (5, 30)
    assert many == few


# --- Product detail ---------------------------------------------------------------------------
def test_product_detail_shows_variants_images_gemstones_materials(api_client, catalog):
    response = api_client.get(f"{PRODUCTS}diamond-solitaire/", {"currency": "EUR", "lang": "fr"})

    assert response.status_code == 200
    product = response.json()
    assert product["name"] == "Bague solitaire diamant"
    assert product["description"] == "<p>Un diamant.</p>"
    assert product["category"]["slug"] == "engagement-rings"
    assert product["category"]["parent"] == "rings"
    assert product["collections"] == ["bridal"]
    assert product["option_names"] == ["Metal", "Ring size"]
    assert product["on_sale"] is True
    gold, platinum = product["variants"]
    assert gold["sku"] == "SOL-YG-6"
    assert gold["options"] == ["Yellow gold", "6"]
    assert gold["metal"] == {
        "slug": "yellow-gold",
        "name": "Or jaune",
        "kind": "metal",
        "colour_hex": "#d4af37",
    }
    assert gold["purity"] == "18K"
    assert gold["price"]["base"]["amount"] == "1200.00"
    assert gold["price"]["display"]["amount"] == "1104.00"
    assert gold["price"]["display"]["currency"] == "EUR"
    assert gold["compare_at_price"]["base"]["amount"] == "1500.00"
    assert gold["on_sale"] is True and gold["in_stock"] is True
    assert platinum["in_stock"] is False and platinum["compare_at_price"] is None
    assert platinum["metal"]["name"] == "Platinum"  # no French name: English
    [image] = product["images"]
    assert image["url"].startswith("http://testserver/media/products/")
    assert image["thumbnail_url"].startswith("http://testserver/media/thumbnails/")
    assert (image["width"], image["height"]) == (64, 48)
    assert image["alt_text"] == "Solitaire on a white background"
    [stone] = product["gemstones"]
    assert stone["type"]["slug"] == "diamond"
    assert (stone["carat"], stone["clarity"], stone["cut"]) == ("0.75", "VS1", "round")
    assert stone["cut_label"] == "Rond" or stone["cut_label"] == "Round"
    assert [m["slug"] for m in product["materials"]] == ["platinum", "yellow-gold"]


def test_product_detail_image_urls_point_at_the_stored_files(api_client, catalog):
    product = api_client.get(f"{PRODUCTS}diamond-solitaire/").json()

    image = product["images"][0]
    for url in (image["url"], image["thumbnail_url"]):
        name = url.removeprefix("http://testserver/media/")
        assert default_storage.exists(name)


@pytest.mark.parametrize("handle", ["secret-draft", "old-archived", "nope", "bad handle!", "é"])
def test_product_detail_is_404_unless_published(api_client, catalog, handle):
    response = api_client.get(f"{PRODUCTS}{handle}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "no product" in response.json()["error"]


def test_product_detail_costs_the_same_queries_for_1_and_6_variants(api_client, catalog):
    gold, platinum = MaterialFactory(slug="yellow-gold"), MaterialFactory(slug="platinum")
    small = ProductFactory(handle="small", variants=[{"price": Decimal("10"), "metal": gold}])
    big = ProductFactory(
        handle="big",
        variants=[
            {"price": Decimal(10 + n), "metal": gold if n % 2 else platinum, "sku": f"B-{n}"}
            for n in range(6)
        ],
    )
    for product in (small, big):
        product.materials.set([gold, platinum])

    def queries_for(handle: str) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(f"{PRODUCTS}{handle}/", {"currency": "EUR", "lang": "fr"})
        assert response.status_code == 200
        return len(queries)

    assert queries_for("big") == queries_for("small")


# --- Categories, collections, materials, gemstones --------------------------------------------
def test_category_list_is_the_tree_in_order_with_counts(api_client, catalog):
    response = api_client.get("/api/v1/categories/", {"lang": "fr"})

    assert response.status_code == 200
    rows = [
        (c["slug"], c["name"], c["parent"], c["depth"], c["product_count"]) for c in response.json()
    ]
    assert rows == [
        ("jewelry", "Jewelry", None, 0, 2),
        ("rings", "Bagues", "jewelry", 1, 2),
        ("engagement-rings", "Engagement rings", "rings", 2, 1),
        ("necklaces", "Necklaces", None, 0, 1),
    ]


def test_category_detail_has_breadcrumbs_and_children(api_client, catalog):
    response = api_client.get("/api/v1/categories/rings/", {"lang": "fr"})

    assert response.status_code == 200
    category = response.json()
    assert category["name"] == "Bagues"
    assert category["description"] == "Nos bagues."
    assert [c["slug"] for c in category["ancestors"]] == ["jewelry"]
    assert [c["slug"] for c in category["children"]] == ["engagement-rings"]
    assert category["products_url"] == "http://testserver/api/v1/products/?category=rings"


def test_unknown_category_is_a_json_404(api_client, catalog):
    response = api_client.get("/api/v1/categories/nope/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_collection_list_counts_published_products_only(api_client, catalog):
    response = api_client.get("/api/v1/collections/")

    assert response.status_code == 200
    assert [(c["slug"], c["product_count"]) for c in response.json()] == [
        ("bridal", 2),
        ("everyday", 1),
    ]
    detail = api_client.get("/api/v1/collections/bridal/").json()
    assert detail["products_url"].endswith("/api/v1/products/?collection=bridal")


def test_materials_and_gemstones_list_the_filter_values(api_client, catalog):
    materials = api_client.get("/api/v1/materials/", {"lang": "fr"}).json()
    gemstones = api_client.get("/api/v1/gemstones/").json()

    assert [(m["slug"], m["kind"]) for m in materials] == [
        ("platinum", "metal"),
        ("yellow-gold", "metal"),
        ("leather", "other"),
    ]
    assert materials[1]["name"] == "Or jaune"
    assert [g["slug"] for g in gemstones] == ["diamond", "sapphire"]


def test_catalog_is_read_only(api_client, catalog):
    response = api_client.post(PRODUCTS, {"handle": "x"}, format="json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
