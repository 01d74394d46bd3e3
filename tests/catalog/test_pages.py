"""The shopper-facing catalog pages: home, listings, product, search, errors, switchers."""

import io
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import get_template
from django.test import Client
from django.utils import timezone, translation
from PIL import Image

from catalog.models import ProductImage, PublicationStatus
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

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def png_bytes(colour=(200, 160, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def add_image(product, *, position=0, alt_text="") -> ProductImage:
    try:
        from catalog.images import product_image_create
    except ImportError:  # the upload helper is optional for these pages
        image = ProductImage(product=product, position=position, alt_text=alt_text)
        image.image.save(f"{product.handle}-{position}.png", ContentFile(png_bytes()), save=False)
        image.save()
        return image
    return product_image_create(
        product=product,
        file=ContentFile(png_bytes(), name="photo.png"),
        alt_text=alt_text,
        position=position,
    )


def html(response) -> str:
    return response.content.decode()


def listed_handles(response) -> list[str]:
    """Product handles in the order the listing shows them."""
    return [product.handle for product in response.context["products"]]


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Each request activates its language and nothing resets it, so a test that visited /fr/
    would create the next test's products in French. Start and end every test in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def shop(db):
    """A small catalog: two metals, two stones, a category tree, a collection, rates."""
    ExchangeRateFactory(currency="EUR", rate=Decimal("0.92"))
    ExchangeRateFactory(currency="JPY", rate=Decimal("151.5"))
    ExchangeRateFactory(currency="AED", rate=Decimal("3.6725"))
    ExchangeRateFactory(currency="CNY", rate=Decimal("7.24"))
    gold = MaterialFactory(slug="yellow-gold", name="Yellow gold")
    platinum = MaterialFactory(slug="platinum", name="Platinum", colour_hex="#e5e4e2")
    diamond = GemstoneTypeFactory(slug="diamond", name="Diamond")
    sapphire = GemstoneTypeFactory(slug="sapphire", name="Sapphire", colour_hex="#0f52ba")
    rings = CategoryFactory(slug="rings", name="Rings")
    engagement = CategoryFactory(slug="engagement-rings", name="Engagement rings", parent=rings)
    necklaces = CategoryFactory(slug="necklaces", name="Necklaces", position=1)

    solitaire = ProductFactory(
        handle="solitaire",
        name="Diamond Solitaire",
        category=engagement,
        tags="bridal, gift",
        is_featured=True,
        variants=[
            {"price": Decimal("100.00"), "metal": gold, "sku": "SOL-YG", "option1": "Yellow gold"},
            {"price": Decimal("180.00"), "metal": platinum, "sku": "SOL-PT", "option1": "Platinum"},
        ],
    )
    ProductGemstoneFactory(product=solitaire, gemstone_type=diamond, carat=Decimal("0.75"))
    product_set_translation(product=solitaire, language="fr", name="Solitaire diamant")
    product_set_translation(product=solitaire, language="ar", name="خاتم سوليتير")
    product_set_translation(product=solitaire, language="ja", name="ダイヤモンド ソリテール")

    band = ProductFactory(
        handle="band",
        name="Platinum Band",
        category=rings,
        variants=[{"price": Decimal("300.00"), "metal": platinum, "sku": "BAND-1"}],
    )
    pendant = ProductFactory(
        handle="pendant",
        name="Sapphire Pendant",
        category=necklaces,
        variants=[{"price": Decimal("50.00"), "metal": gold, "stock_quantity": 0}],
    )
    ProductGemstoneFactory(product=pendant, gemstone_type=sapphire)
    # Newest first: the pendant was added last, the solitaire first.
    now = timezone.now()
    for age, product in enumerate([pendant, band, solitaire]):
        type(product).objects.filter(pk=product.pk).update(created_at=now - timedelta(days=age))

    collection = CollectionFactory(slug="bridal", name="Bridal")
    collection.products.set([solitaire, band])
    return {
        "gold": gold,
        "platinum": platinum,
        "diamond": diamond,
        "sapphire": sapphire,
        "rings": rings,
        "engagement": engagement,
        "necklaces": necklaces,
        "solitaire": solitaire,
        "band": band,
        "pendant": pendant,
        "collection": collection,
    }


# --- Every page, every language ------------------------------------------------------------
PAGES = {
    "home": "/{lang}/",
    "product list": "/{lang}/products/",
    "category": "/{lang}/c/rings/",
    "collection": "/{lang}/collections/bridal/",
    "product": "/{lang}/p/solitaire/",
    "search with results": "/{lang}/search/?q=solitaire",
    "search without query": "/{lang}/search/",
    "search without results": "/{lang}/search/?q=zzzzzz",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_answers_in_every_language(client, shop, language, page):
    response = client.get(PAGES[page].format(lang=language))

    assert response.status_code == 200
    assert f'<html lang="{language}"' in html(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_address_gives_the_shop_404_page_in_every_language(client, shop, language):
    response = client.get(f"/{language}/no-such-page/at-all/")

    assert response.status_code == 404
    assert "error-page" in html(response)
    assert f'<html lang="{language}"' in html(response)
    # The navigation comes from the context processor here, not from a catalog view.
    assert f'href="/{language}/c/rings/"' in html(response)


@pytest.mark.parametrize(
    "url", ["/en/p/no-such-product/", "/en/c/no-such-category/", "/en/collections/nope/"]
)
def test_unknown_catalog_item_gives_404(client, shop, url):
    assert client.get(url).status_code == 404


def test_500_page_renders_without_context_or_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        page = get_template("500.html").render()

    assert "Something went wrong" in page
    assert "{%" not in page


# --- Languages ------------------------------------------------------------------------------
def test_translated_name_is_shown_when_it_exists(client, shop):
    response = client.get("/fr/products/")

    assert "Solitaire diamant" in html(response)
    assert "Diamond Solitaire" not in html(response)


def test_english_name_is_the_fallback_for_a_missing_translation(client, shop):
    response = client.get("/de/products/")

    assert "Diamond Solitaire" in html(response)
    assert "Platinum Band" in html(response)


def test_product_page_shows_the_translation(client, shop):
    response = client.get("/ja/p/solitaire/")

    assert "ダイヤモンド ソリテール" in html(response)


def test_arabic_pages_are_right_to_left(client, shop):
    arabic = html(client.get("/ar/p/solitaire/"))
    english = html(client.get("/en/p/solitaire/"))

    assert '<html lang="ar" dir="rtl"' in arabic
    assert "خاتم سوليتير" in arabic
    assert '<html lang="en" dir="ltr"' in english


def test_every_page_links_its_translations_with_hreflang(client, shop):
    page = html(client.get("/fr/p/solitaire/"))

    for language in LANGUAGES:
        assert (
            f'<link rel="alternate" hreflang="{language}" '
            f'href="http://testserver/{language}/p/solitaire/">' in page
        )
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/en/p/solitaire/">'
        in page
    )
    assert '<link rel="canonical" href="http://testserver/fr/p/solitaire/">' in page


def test_language_switcher_keeps_the_shopper_on_the_same_page(client, shop):
    # Given the product page in English, which offers each language with its own address
    page = html(client.get("/en/p/solitaire/?variant=1"))
    assert 'name="next" value="/fr/p/solitaire/?variant=1"' in page
    assert 'action="/i18n/setlang/"' in page

    # When the shopper picks French
    response = client.post(
        "/i18n/setlang/", {"language": "fr", "next": "/fr/p/solitaire/"}, follow=True
    )

    # Then they see the same product in French, priced in euros
    assert response.redirect_chain[-1][0] == "/fr/p/solitaire/"
    assert "Solitaire diamant" in html(response)
    assert "92,00\xa0€" in html(response)


def test_currency_switcher_shows_prices_in_the_chosen_currency(client, shop):
    response = client.post(
        "/currency/", {"currency": "JPY", "next": "/en/p/solitaire/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/en/p/solitaire/"
    assert "¥15,150" in html(response)


def test_japanese_shoppers_see_yen_in_japanese_format(client, shop):
    page = html(client.get("/ja/products/"))

    assert "￥15,150" in page


def test_currency_switcher_offers_every_currency(client, shop):
    page = html(client.get("/en/"))

    for currency in settings.SHOP_CURRENCIES:
        assert f'name="currency" value="{currency}"' in page
    assert 'name="next" value="/en/"' in page


# --- Home -----------------------------------------------------------------------------------
def test_home_shows_featured_collections_and_new_arrivals(client, shop):
    add_image(shop["band"], alt_text="A platinum band")

    response = client.get("/en/")

    page = html(response)
    assert "Bridal" in page
    assert [p.handle for p in response.context["new_arrivals"]] == ["pendant", "band", "solitaire"]
    assert response.context["collections"][0].cover is not None
    assert "/media/" in page


def test_empty_catalog_says_so_and_points_staff_to_the_import(merchant_client, db):
    shopper_page = html(Client().get("/en/"))
    staff_page = html(merchant_client.get("/en/"))

    assert "No products yet" in shopper_page
    assert "/admin/" not in shopper_page
    assert "No products yet" in staff_page
    assert 'href="/admin/' in staff_page


# --- Listings: facets, sorting, pagination ---------------------------------------------------
def test_product_list_shows_published_products_only(client, shop):
    ProductFactory(handle="secret", name="Secret Draft", status=PublicationStatus.DRAFT)

    response = client.get("/en/products/")

    assert sorted(listed_handles(response)) == ["band", "pendant", "solitaire"]
    assert "Secret Draft" not in html(response)


def test_category_page_includes_products_of_its_subcategories(client, shop):
    response = client.get("/en/c/rings/")

    assert sorted(listed_handles(response)) == ["band", "solitaire"]


def test_category_page_breadcrumbs_and_navigation_mark_the_current_category(client, shop):
    page = html(client.get("/en/c/engagement-rings/"))

    assert 'aria-label="Breadcrumb"' in page
    assert '<a href="/en/c/rings/">Rings</a>' in page
    assert 'href="/en/c/engagement-rings/" aria-current="page"' in page
    assert 'href="/en/c/rings/" aria-current="true"' in page


def test_collection_page_lists_its_products(client, shop):
    response = client.get("/en/collections/bridal/")

    assert sorted(listed_handles(response)) == ["band", "solitaire"]


def test_metal_facet_filters_and_counts(client, shop):
    response = client.get("/en/products/?metal=platinum")

    assert sorted(listed_handles(response)) == ["band", "solitaire"]
    metal_options = {option.value: option.count for option in response.context["facets"]["metal"]}
    assert metal_options == {"platinum": 2, "yellow-gold": 2}


def test_gemstone_facet_filters(client, shop):
    response = client.get("/en/products/?gemstone=sapphire")

    assert listed_handles(response) == ["pendant"]


def test_facets_combine(client, shop):
    response = client.get("/en/products/?metal=yellow-gold&gemstone=diamond")

    assert listed_handles(response) == ["solitaire"]
    # Each facet counts what the other filters leave, so the shopper sees their alternatives.
    facets = response.context["facets"]
    assert {o.value: o.count for o in facets["metal"]} == {"yellow-gold": 1, "platinum": 1}
    assert {o.value: o.count for o in facets["gemstone"]} == {"diamond": 1, "sapphire": 1}
    assert [o.value for o in facets["metal"] if o.selected] == ["yellow-gold"]


def test_category_facet_narrows_all_products_to_a_branch(client, shop):
    response = client.get("/en/products/?category=rings")

    assert sorted(listed_handles(response)) == ["band", "solitaire"]
    counts = {option.value: option.count for option in response.context["facets"]["category"]}
    assert counts == {"rings": 2, "necklaces": 1}


def test_in_stock_only_hides_sold_out_pieces(client, shop):
    response = client.get("/en/products/?in_stock=1")

    assert "pendant" not in listed_handles(response)


def test_price_range_in_base_currency(client, shop):
    response = client.get("/en/products/?price_min=60&price_max=200")

    assert listed_handles(response) == ["solitaire"]


def test_price_range_is_read_in_the_shoppers_currency(client, shop):
    # The solitaire costs 100.00 USD, shown as 92,00 € to a French shopper.
    below = client.get("/fr/products/?price_min=50&price_max=91.99")
    exact = client.get("/fr/products/?price_min=92&price_max=92")

    assert "solitaire" not in listed_handles(below)
    assert listed_handles(exact) == ["solitaire"]


def test_price_range_typed_the_wrong_way_round_still_works(client, shop):
    response = client.get("/en/products/?price_min=200&price_max=60")

    assert listed_handles(response) == ["solitaire"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["pendant", "solitaire", "band"]),
        ("price_desc", ["band", "solitaire", "pendant"]),
        ("newest", ["pendant", "band", "solitaire"]),
        ("featured", ["solitaire", "pendant", "band"]),
    ],
)
def test_sorting(client, shop, sort, expected):
    response = client.get(f"/en/products/?sort={sort}")

    assert listed_handles(response) == expected


def test_pagination_splits_the_listing(client, shop, settings):
    settings.SHOP_PRODUCTS_PER_PAGE = 2

    first = client.get("/en/products/?sort=price_asc")
    second = client.get("/en/products/?sort=price_asc&page=2")

    assert listed_handles(first) == ["pendant", "solitaire"]
    assert listed_handles(second) == ["band"]
    assert 'aria-label="Pages"' in html(first)
    assert 'href="?sort=price_asc&amp;page=2" rel="next"' in html(first)
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2' in html(second)


def test_page_past_the_end_shows_the_last_page(client, shop, settings):
    settings.SHOP_PRODUCTS_PER_PAGE = 2

    response = client.get("/en/products/?sort=price_asc&page=99")

    assert response.status_code == 200
    assert listed_handles(response) == ["band"]


@pytest.mark.parametrize(
    "query",
    [
        "price_min=abc",
        "price_max=1e999",
        "price_min=-5",
        "price_min=NaN",
        "price_max=12345678901234567890",
        "sort=evil",
        "sort=",
        "metal=nonexistent",
        "metal=%3Cscript%3E",
        "gemstone=%27%20OR%201%3D1",
        "category=../../etc/passwd",
        "category=necklaces&category=necklaces",
        "page=-1",
        "page=0",
        "page=abc",
        "page=99999999999999999999999",
        "in_stock=maybe",
        "metal=" + "&metal=".join(f"m{n}" for n in range(100)),
    ],
)
def test_malformed_listing_parameters_never_break_the_page(client, shop, query):
    response = client.get(f"/en/products/?{query}")

    assert response.status_code == 200
    assert response.context["products"] is not None


def test_unusable_price_is_ignored_with_a_message(client, shop):
    response = client.get("/en/products/?price_min=abc")

    assert sorted(listed_handles(response)) == ["band", "pendant", "solitaire"]
    assert "Some filters could not be used" in html(response)
    assert "Lowest price" in html(response)


def test_unknown_metal_is_ignored(client, shop):
    response = client.get("/en/products/?metal=unobtainium")

    assert sorted(listed_handles(response)) == ["band", "pendant", "solitaire"]


def test_empty_filter_result_offers_to_clear_filters(client, shop):
    page = html(client.get("/en/products/?metal=platinum&gemstone=sapphire"))

    assert "No pieces match these filters" in page
    assert 'href="/en/products/"' in page


# --- Product cards ------------------------------------------------------------------------
def test_cards_show_price_from_badges_and_placeholder(client, shop):
    ProductFactory(
        handle="on-sale",
        name="On Sale",
        category=shop["rings"],
        variants=[{"price": Decimal("80.00"), "compare_at_price": Decimal("120.00")}],
    )

    page = html(client.get("/en/products/"))

    assert "From $100.00" in page  # the solitaire has two prices
    assert "Out of stock" in page  # the pendant
    assert "Sale" in page
    assert "img/placeholder" in page


def test_card_uses_the_thumbnail(client, shop):
    image = add_image(shop["band"], alt_text="Band on velvet")

    page = html(client.get("/en/products/"))

    expected = image.thumbnail.url if image.thumbnail else image.image.url
    assert f'src="{expected}" alt="Band on velvet"' in page


# --- Product page ---------------------------------------------------------------------------
def test_product_page_shows_price_availability_gemstones_and_breadcrumbs(client, shop):
    response = client.get("/en/p/solitaire/")

    page = html(response)
    assert "<h1" in page and "Diamond Solitaire" in page
    assert "$100.00" in page
    assert "In stock" in page
    assert "Diamond" in page and "0.75" in page
    assert '<a href="/en/c/engagement-rings/">Engagement rings</a>' in page
    assert '<a href="/en/c/rings/">Rings</a>' in page


def test_variant_data_for_the_picker_is_embedded_with_formatted_prices(client, shop):
    response = client.get("/en/p/solitaire/")

    match = re.search(
        r'<script id="product-variants" type="application/json">(.*?)</script>', html(response)
    )
    data = json.loads(match.group(1))
    prices = {variant["sku"]: variant["price"] for variant in data["variants"]}
    assert prices == {"SOL-YG": "$100.00", "SOL-PT": "$180.00"}
    assert {v["options"][0] for v in data["variants"]} == {"Yellow gold", "Platinum"}


def test_variant_picker_works_without_javascript(client, shop):
    platinum = shop["solitaire"].variants.get(sku="SOL-PT")

    page = html(client.get(f"/en/p/solitaire/?variant={platinum.pk}"))

    assert '<select id="variant-choice" name="variant">' in page
    assert f'<option value="{platinum.pk}" selected>' in page
    assert "data-variant-price>$180.00<" in page


def test_low_stock_and_sold_out_are_announced(client, shop):
    ProductFactory(
        handle="rare",
        name="Rare Ring",
        variants=[
            {"price": Decimal("10.00"), "stock_quantity": 2, "sku": "RARE-1", "option1": "A"},
            {"price": Decimal("10.00"), "stock_quantity": 0, "sku": "RARE-2", "option1": "B"},
        ],
    )

    page = html(client.get("/en/p/rare/"))
    pendant = html(client.get("/en/p/pendant/"))

    assert "Only 2 left" in page
    assert "Out of stock" in page  # in the variant list
    assert "Out of stock" in pendant


def test_garbled_variant_parameter_is_ignored(client, shop):
    for value in ["abc", "-1", "999999", "1e9"]:
        response = client.get(f"/en/p/solitaire/?variant={value}")
        assert response.status_code == 200


def test_product_seo_title_and_description(client, shop):
    product = shop["solitaire"]
    product_set_translation(
        product=product,
        language="en",
        name="Diamond Solitaire",
        seo_title="Solitaire ring in 18K gold",
        seo_description="A round diamond on a slim band.",
    )

    page = html(client.get("/en/p/solitaire/"))

    assert "<title>Solitaire ring in 18K gold" in page
    assert '<meta name="description" content="A round diamond on a slim band.">' in page
    assert '"@type": "Product"' in page


def test_product_gallery_lists_every_picture(client, shop):
    for position in range(3):
        add_image(shop["solitaire"], position=position, alt_text=f"View {position}")

    page = html(client.get("/en/p/solitaire/"))

    assert page.count("data-gallery-thumb") == 3
    assert "Image 2 of 3" in page
    assert 'alt="View 0"' in page


def test_description_markup_is_sanitised(client, shop):
    product_set_translation(
        product=shop["band"],
        language="en",
        name="Platinum Band",
        description='<p>Lovely <strong>band</strong></p><script>alert("owned")</script>'
        '<img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a>',
    )

    page = html(client.get("/en/p/band/"))

    assert "<p>Lovely <strong>band</strong></p>" in page
    assert "alert(" not in page
    assert "onerror" not in page
    assert "javascript:" not in page


def test_unpublished_product_is_hidden_from_shoppers(client, shop):
    ProductFactory(handle="draft-ring", name="Draft Ring", status=PublicationStatus.DRAFT)
    ProductFactory(handle="old-ring", name="Old Ring", status=PublicationStatus.ARCHIVED)

    assert client.get("/en/p/draft-ring/").status_code == 404
    assert client.get("/en/p/old-ring/").status_code == 404


def test_staff_preview_unpublished_product_with_a_notice(merchant_client, shop):
    ProductFactory(handle="draft-ring", name="Draft Ring", status=PublicationStatus.DRAFT)

    response = merchant_client.get("/en/p/draft-ring/")

    assert response.status_code == 200
    assert "Preview" in html(response)
    assert "Draft" in html(response)


# --- Search ---------------------------------------------------------------------------------
def search(client, query, language="en"):
    return client.get(f"/{language}/search/", {"q": query})


def test_search_matches_every_word_case_insensitively(client, shop):
    assert listed_handles(search(client, "DIAMOND solitaire")) == ["solitaire"]
    # "diamond" is understood as a gemstone filter: the sapphire pendant is not a diamond piece.
    assert "pendant" not in listed_handles(search(client, "diamond pendant"))


def test_search_matches_sku_handle_and_tags(client, shop):
    assert listed_handles(search(client, "BAND-1")) == ["band"]
    assert listed_handles(search(client, "bridal")) == ["solitaire"]
    assert "pendant" in listed_handles(search(client, "pendant"))


def test_search_in_a_language_also_matches_english(client, shop):
    assert listed_handles(search(client, "diamant", language="fr")) == ["solitaire"]
    # "Platinum" is understood as the metal: the band first (its name says it), then the
    # solitaire, which is also made in platinum.
    assert listed_handles(search(client, "Platinum", language="fr")) == ["band", "solitaire"]


def test_search_ignores_unpublished_products(client, shop):
    ProductFactory(handle="hidden", name="Hidden Diamond", status=PublicationStatus.DRAFT)

    assert "hidden" not in listed_handles(search(client, "diamond"))


def test_search_without_results_suggests_categories(client, shop):
    page = html(search(client, "unicorn tiara"))

    assert "No results for “unicorn tiara”" in page
    assert "Popular categories" in page
    assert 'href="/en/c/rings/"' in page


def test_search_without_query_prompts(client, shop):
    page = html(client.get("/en/search/?q=%20%20"))

    assert "What are you looking for?" in page


def test_search_query_is_escaped(client, shop):
    page = html(search(client, '<script>alert("q")</script>'))

    assert '<script>alert("q")' not in page


def test_product_without_variants_or_pictures_still_has_a_page(client, shop):
    ProductFactory(handle="bare", name="Bare Ring", variants=[])

    page = html(client.get("/en/p/bare/"))

    assert "Bare Ring" in page
    assert "Currently unavailable" in page
    assert "img/placeholder" in page
