"""Ring sizes in the shopper's scale (issue 16, "Units and sizes").

The catalog stores a size in one scale (SHOP_RING_SIZE_SCALE, US by default); a shopper reads it
in theirs (US, UK, EU/ISO 8653, Japan, China) with the stored size beside it, on the product
page, in the bag, at checkout and on the order; the ring size guide renders the table in every
language. Sizes nobody can read are shown as stored, never an error.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation

from catalog.option_labels import OptionTexts
from catalog.ring_sizes import (
    COUNTRY_SESSION_KEY,
    SCALE_NAMES,
    TABLE,
    Scale,
    convert,
    display,
    guide_rows,
    parse,
    request_country,
    scale_for,
)
from content.models import PageKind
from content.services import store_page_save
from orders.models import OrderLine
from tests.factories import ProductFactory
from tests.orders.conftest import LONDON, PARIS, cart_with, place, shipping  # noqa: F401
from tests.orders.test_pages import go_to_review

LANGUAGES = [code for code, _name in settings.LANGUAGES]


# --- the table ---------------------------------------------------------------------------------
# Rows of the published tables (catalog/ring_sizes.py names them): the same ring in each scale.
ROWS = [
    # US,  UK,   EU,   JP,   CN, circumference of the US size (mm)
    ("5", "J½", "49", "9", "9", 49.3),
    ("6", "L½", "52", "12", "12", 51.9),
    ("7", "N½", "54", "14", "14", 54.4),
    ("8", "P½", "57", "16", "17", 57.0),
    ("10", "T½", "62", "21", "22", 62.1),
]


@pytest.mark.parametrize(("us", "uk", "eu", "jp", "cn", "mm"), ROWS)
def test_a_us_size_converts_to_the_tables_size_in_every_scale(us, uk, eu, jp, cn, mm):
    size = parse(us, "US")

    assert size.circumference == mm
    expected = {Scale.US: us, Scale.UK: uk, Scale.EU: eu, Scale.JP: jp, Scale.CN: cn}
    assert {scale: convert(size, scale).size for scale in Scale} == expected


@pytest.mark.parametrize(
    ("text", "scale", "us"),
    [("N½", Scale.UK, "7"), ("54", Scale.EU, "7"), ("14", Scale.JP, "7"), ("14", Scale.CN, "7")]
    + [("J½", Scale.UK, "5"), ("49", Scale.EU, "5"), ("9", Scale.JP, "5"), ("12", Scale.CN, "6")],
)
def test_every_scale_converts_back_to_the_us_size(text, scale, us):
    assert convert(parse(text, scale), Scale.US).size == us


def test_the_published_circumferences_are_the_data():
    # US (Wikipedia chart), UK on the same rows, Japanese gauge table, ISO and Chinese 号 as mm.
    assert dict(TABLE[Scale.US])["7"] == 54.4 and dict(TABLE[Scale.US])["13"] == 69.7
    assert dict(TABLE[Scale.UK])["N½"] == 54.4 and dict(TABLE[Scale.UK])["F"] == 44.2
    assert dict(TABLE[Scale.JP])["13"] == 53.4 and dict(TABLE[Scale.JP])["1"] == 40.8
    assert dict(TABLE[Scale.CN])["14"] == 54.0 and dict(TABLE[Scale.EU])["54"] == 54.0
    assert round(parse("7", "US").diameter, 1) == 17.3
    for rows in TABLE.values():
        circumferences = [mm for _size, mm in rows]
        assert circumferences == sorted(circumferences)


def test_japanese_and_chinese_sizes_are_close_but_not_the_same():
    assert convert(parse("14号", "JP"), Scale.CN).size == "15"
    assert convert(parse("13号", "JP"), Scale.CN).size == "13"


def test_a_ring_past_the_end_of_a_scale_has_no_size_there():
    assert convert(parse("1", "US"), Scale.CN) is None
    assert convert(parse("15", "US"), Scale.JP) is None


# --- reading stored sizes ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "scale", "size"),
    [
        ("7", Scale.US, "7"),
        ("7.5", Scale.US, "7.5"),
        ("7,5", Scale.US, "7.5"),
        ("7½", Scale.US, "7.5"),
        ("7 1/2", Scale.US, "7.5"),
        ("7.25", Scale.US, "7.25"),
        ("US 7", Scale.US, "7"),
        ("us7", Scale.US, "7"),
        ("Size 7", Scale.US, "7"),
        ("7 US", Scale.US, "7"),
        ("N½", Scale.UK, "N½"),
        ("N 1/2", Scale.UK, "N½"),
        ("N1/2", Scale.UK, "N½"),
        ("n ½", Scale.UK, "N½"),
        ("UK N", Scale.UK, "N"),
        ("Z+1", Scale.UK, "Z+1"),
        ("54", Scale.EU, "54"),
        ("EU 54", Scale.EU, "54"),
        ("54.5", Scale.EU, "54.5"),
        ("13号", Scale.JP, "13"),
        ("JP 13", Scale.JP, "13"),
        ("CN 14", Scale.CN, "14"),
        ("14号 (CN)", Scale.CN, "14"),
    ],
)
def test_a_stored_size_is_read_in_any_format(text, scale, size):
    parsed = parse(text)

    assert (parsed.scale, parsed.size) == (scale, size)


@pytest.mark.parametrize(
    "text",
    ["", "Adjustable", "M", "L", "7-ish", "7.3", "0", "99", "US 54", "size", "1/2", "\x00",
     "7" * 500, "N½½", "ZZ"],
)  # fmt: skip
def test_a_size_that_cannot_be_read_is_shown_as_stored(text):
    assert parse(text) is None
    assert display(text, scale=Scale.EU, language="fr") is None
    texts = OptionTexts(language="fr")
    assert texts.ring_size(text) == texts.value(text)


def test_the_catalog_scale_decides_how_bare_sizes_read(settings):
    settings.SHOP_RING_SIZE_SCALE = "UK"
    assert parse("M").size == "M"
    assert display("N½", scale=Scale.US, language="en") == "7 (UK N½)"
    settings.SHOP_RING_SIZE_SCALE = "EU"
    assert display("54", scale=Scale.US, language="en") == "7 (EU 54)"
    settings.SHOP_RING_SIZE_SCALE = "JP"
    assert parse("14").scale == Scale.JP


# --- the shopper's scale ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "country", "scale"),
    [
        ("en", "", Scale.US),
        ("en", "US", Scale.US),
        ("en", "CA", Scale.US),
        ("en", "GB", Scale.UK),
        ("en", "IE", Scale.UK),
        ("en", "AU", Scale.UK),
        ("en", "NZ", Scale.UK),
        ("fr", "", Scale.EU),
        ("de", "", Scale.EU),
        ("es", "", Scale.EU),
        ("en", "DE", Scale.EU),
        ("en", "SE", Scale.EU),
        ("ja", "", Scale.JP),
        ("zh-hans", "", Scale.CN),
        ("ar", "", Scale.EU),
        # The country comes first: a French speaker shipping to London, a Japanese to the US.
        ("fr", "GB", Scale.UK),
        ("ja", "US", Scale.US),
        ("en", "JP", Scale.JP),
        ("en", "CN", Scale.CN),
        # A country without a scale of its own falls back on the language.
        ("ja", "BR", Scale.JP),
        ("xx", "", Scale.US),
    ],
)
def test_the_shoppers_scale_follows_their_country_then_their_language(language, country, scale):
    assert scale_for(language, country) == scale


@pytest.mark.parametrize(
    ("header", "country"),
    [
        ("en-GB,en;q=0.9", "GB"),
        ("en-US", "US"),
        ("zh-Hans-CN,zh;q=0.9", "CN"),
        ("ja,en-US;q=0.8", ""),
        ("fr", ""),
        ("", ""),
        ("*", ""),
        ("en-GB-oxendict-x-very-long-garbage" * 20, ""),
    ],
)
def test_the_country_is_the_region_of_the_browsers_first_language(header, country):
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=header)
    request.session = {}

    assert request_country(request) == country


def test_the_shipping_country_given_at_checkout_comes_before_the_browser():
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en-US")
    request.session = {COUNTRY_SESSION_KEY: "FR"}

    assert request_country(request) == "FR"


# --- pages -----------------------------------------------------------------------------------
@pytest.fixture
def ring(db):
    sizes = ["6", "7", "7.5"]
    return ProductFactory(
        handle="band",
        name="Band",
        option1_name="Metal",
        option2_name="Ring size",
        variants=[
            {"option1": "Platinum", "option2": size, "ring_size": size, "price": Decimal("300")}
            for size in sizes
        ],
    )


def options(body: str) -> list[str]:
    select = re.search(r'<select id="option-2".*?</select>', body, re.S).group(0)
    return re.findall(r"<option [^>]*>([^<]*)</option>", select)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "header", "expected"),
    [
        ("fr", "", ["52 (US 6)", "54 (US 7)", "56 (US 7,5)"]),
        ("ja", "", ["12号（US 6）", "14号（US 7）", "15号（US 7.5）"]),
        ("zh-hans", "", ["12号（US 6）", "14号（US 7）", "16号（US 7.5）"]),
        ("en", "", ["6", "7", "7.5"]),
        ("en", "en-GB,en;q=0.8", ["L½ (US 6)", "N½ (US 7)", "O½ (US 7.5)"]),
        ("ar", "", ["52 (US 6)", "54 (US 7)", "56 (US 7.5)"]),
    ],
)
def test_the_product_page_shows_sizes_in_the_shoppers_scale(
    client, ring, language, header, expected
):
    response = client.get(f"/{language}/p/band/", HTTP_ACCEPT_LANGUAGE=header)

    assert response.status_code == 200
    body = response.content.decode()
    assert options(body) == expected
    # The variant picker still matches on the stored values.
    assert '<option value="7"' in body and '<option value="7.5"' in body


@pytest.mark.django_db
def test_a_size_nobody_can_read_is_shown_as_stored_on_the_page(client):
    ProductFactory(
        handle="odd",
        option1_name="Ring size",
        variants=[
            {"option1": value, "ring_size": value[:8], "price": Decimal("10")}
            for value in ("Adjust", "7-ish", "99")
        ],
    )
    response = client.get("/fr/p/odd/")

    assert response.status_code == 200
    select = re.search(r'<select id="option-1".*?</select>', response.content.decode(), re.S)
    labels = re.findall(r"<option [^>]*>([^<]*)</option>", select.group(0))
    assert labels == ["Adjust", "7-ish", "99"]


@pytest.mark.django_db
def test_the_bag_and_checkout_show_the_size_for_the_country_the_order_ships_to(
    client,
    ring,
    shipping,  # noqa: F811
):
    variant = ring.variants.get(option2="7")
    client.post("/en/cart/add/", {"variant": variant.pk, "quantity": 1})
    assert "Platinum / 7<" in client.get("/en/cart/").content.decode()
    assert "Platine / 54 (US 7)" in client.get("/fr/cart/").content.decode()

    # An English-speaking shopper who ships to Paris reads European sizes from then on.
    review = go_to_review(client, prefix="/en").content.decode()
    assert "Platinum / 54 (US 7)" in review
    assert "Platinum / 54 (US 7)" in client.get("/en/p/band/").content.decode()


@pytest.mark.django_db
def test_the_order_keeps_the_size_in_the_scale_of_its_shipping_country(ring, shipping):  # noqa: F811
    variant = ring.variants.get(option2="7.5")

    order = place(cart_with((variant, 1)), language="en", address=LONDON, currency="USD")
    assert OrderLine.objects.get(order=order).variant_title == "Platinum / O½ (US 7.5)"
    order = place(
        cart_with((variant, 1), session_key="other"),
        language="ja",
        address=PARIS,
        idempotency_key="key-00000002",
    )
    assert (
        OrderLine.objects.get(order=order).variant_title == "プラチナ / 56（US 7.5）"
    )  # Japanese parentheses


# --- the size guide --------------------------------------------------------------------------
@pytest.fixture
def guide(db):
    return store_page_save(
        slug="ring-size-guide",
        kind=PageKind.SIZE_GUIDE,
        texts={
            code: {"title": f"Ring sizes {code}", "summary": "", "body": "<p>Measure.</p>"}
            for code in LANGUAGES
        },
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "scale"),
    [
        ("en", Scale.US),
        ("fr", Scale.EU),
        ("de", Scale.EU),
        ("es", Scale.EU),
        ("ja", Scale.JP),
        ("zh-hans", Scale.CN),
        ("ar", Scale.EU),
    ],
)
def test_the_size_guide_renders_the_table_in_every_language(client, guide, language, scale):
    response = client.get(f"/{language}/pages/ring-size-guide/")

    assert response.status_code == 200
    body = response.content.decode()
    table = re.search(r'<table class="ring-sizes__table">.*?</table>', body, re.S).group(0)
    assert "<caption" in table
    assert table.count('<th scope="col"') == 7
    assert table.count('<th scope="row"') == len(guide_rows(language)) == 21
    with translation.override(language):
        names = {each: str(SCALE_NAMES[each]) for each in Scale}
    highlighted = re.findall(r'<th scope="col" class="is-shopper">([^<]*)', table)
    assert [html.unescape(text).strip() for text in highlighted] == [names[scale]]
    assert table.count('class="is-shopper"') == 1 + 21
    # The row of US 7, every scale's size beside it.
    decimal = "," if language in ("fr", "de", "es") else "."
    assert re.search(
        rf"<th scope=\"row\">54{decimal}4</th>\s*<td>17{decimal}3</td>\s*<td[^>]*>7</td>\s*"
        rf"<td[^>]*>N½</td>\s*<td[^>]*>54</td>\s*<td[^>]*>14</td>\s*<td[^>]*>14</td>",
        table,
    ), table[:2000]


@pytest.mark.django_db
def test_another_page_kind_has_no_size_table(client, guide):
    store_page_save(
        slug="shipping",
        kind=PageKind.SHIPPING,
        texts={"en": {"title": "Shipping", "summary": "", "body": "<p>Insured.</p>"}},
    )
    body = client.get("/en/pages/shipping/").content.decode()

    assert "ring-sizes__table" not in body


@pytest.mark.django_db
def test_signing_in_gives_the_session_the_default_addresss_country(client, ring):
    from customers.models import Address
    from tests.factories import UserFactory

    # Given an English-speaking customer whose default address is in London
    customer = UserFactory(email="ada@example.com")
    Address.objects.create(
        user=customer, full_name="Ada", line1="1 Road", city="London", country="GB", is_default=True
    )
    assert options(client.get("/en/p/band/").content.decode()) == ["6", "7", "7.5"]

    # When she signs in
    client.force_login(customer)

    # Then ring sizes are in the UK scale
    assert options(client.get("/en/p/band/").content.decode())[1] == "N½ (US 7)"
