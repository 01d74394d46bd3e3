"""The recommendation blocks on the home, product and cart pages: what shoppers see, and a
constant number of queries however many products the blocks show."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from ai import services
from catalog.models import ProductVariant
from customers.models import User
from events.models import InteractionEvent
from tests.catalog.test_query_counts import add_image, count_queries
from tests.factories import CategoryFactory, ProductFactory


@pytest.fixture(autouse=True)
def _english():
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def grow_store(size: int, *, start: int = 0) -> None:
    """`size` rings and `size` necklaces (with pictures), each bought along with the others of
    its kind by a few shoppers, so every list has up to `size - 1` products."""
    rings = CategoryFactory(slug="rings", name="Rings")
    necklaces = CategoryFactory(slug="necklaces", name="Necklaces")
    for category, prefix in ((rings, "ring"), (necklaces, "necklace")):
        products = [
            ProductFactory(handle=f"{prefix}-{n}", category=category)
            for n in range(start, start + size)
        ]
        for product in products:
            if not product.images.exists():
                add_image(product)
        for n in range(3):
            user, _created = User.objects.get_or_create(email=f"{prefix}{n}@example.com")
            for product in products:
                InteractionEvent.objects.create(kind="cart_add", product=product, user=user)
    services.recommend_train()


def section_titles(html: str) -> list[str]:
    return re.findall(r'<h2 id="[\w-]+-title" class="section__title">([^<]+)</h2>', html)


def cards_in(html: str, section_id: str) -> int:
    match = re.search(rf'id="{section_id}".*?</section>', html, re.S)
    return match.group(0).count('class="product-card"') if match else 0


def test_a_new_visitor_sees_what_is_popular_on_the_home_page(client, db):
    grow_store(3)

    html = client.get("/en/").content.decode()

    assert "Popular right now" in section_titles(html)
    assert cards_in(html, "recommended") == 6


def test_a_signed_in_shopper_sees_recommendations_with_reasons(client, db):
    grow_store(4)
    shopper = User.objects.create(email="fan@example.com")
    ring = ProductVariant.objects.filter(product__handle="ring-0").first().product
    InteractionEvent.objects.create(kind="view", product=ring, user=shopper)
    InteractionEvent.objects.create(kind="purchase", product=ring, user=shopper)
    services.recommend_train()
    client.force_login(shopper)

    html = client.get("/en/").content.decode()

    assert "Recommended for you" in section_titles(html)
    assert "Because you bought" in html
    block = re.search(r'id="recommended".*?</section>', html, re.S).group(0)
    assert "/p/ring-0/" not in block  # never what they bought


def test_a_guest_with_a_session_history_sees_recommendations(client, db):
    grow_store(4)
    # A guest with a session (a cookieless visitor's views are not recorded: bots)
    client.post("/currency/", {"currency": "USD", "next": "/"})
    client.get("/en/p/necklace-1/")  # the view is recorded against the guest's session

    html = client.get("/en/").content.decode()

    assert "Recommended for you" in section_titles(html)
    assert "Because you viewed" in html
    block = re.search(r'id="recommended".*?</section>', html, re.S).group(0)
    assert "/p/necklace-" in block


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_home_page_block_costs_the_same_queries_for_few_and_many_products(
    client, db, signed_in
):
    grow_store(2)
    if signed_in:
        shopper = User.objects.get(email="ring0@example.com")
        client.force_login(shopper)
    else:
        client.post("/currency/", {"currency": "USD", "next": "/"})  # the guest has a session
        client.get("/en/p/ring-0/")
    few = count_queries(client, "/en/")
    html = client.get("/en/").content.decode()
    assert cards_in(html, "recommended") >= 1

    grow_store(8, start=2)
    many = count_queries(client, "/en/")
    html = client.get("/en/").content.decode()

    assert cards_in(html, "recommended") == 8
    assert many == few


def test_the_product_page_loads_its_blocks_from_the_fragment(client, db):
    grow_store(4)

    page = client.get("/en/p/ring-0/").content.decode()
    url = re.search(r'data-recommendations-url="([^"]+)"', page).group(1).replace("&amp;", "&")
    fragment = client.get(url)

    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert section_titles(html) == ["Often bought together", "You may also like"]
    assert cards_in(html, "similar-products") == 3
    assert "/p/ring-0/" not in html


def test_the_product_fragment_costs_the_same_queries_for_few_and_many_products(
    client, db, settings
):
    # Without the card cache: with it, cold, the second block's cards come from the first's
    # when the two lists overlap (fewer queries, never more).
    settings.AI_RECOMMEND_CARD_CACHE_SECONDS = 0
    grow_store(3)
    client.get("/en/p/ring-0/")
    url = "/api/v1/products/ring-0/recommendations/?lang=en&currency=USD"
    few = count_queries(client, url)
    assert cards_in(client.get(url).content.decode(), "similar-products") == 2

    grow_store(9, start=3)
    many = count_queries(client, url)

    assert cards_in(client.get(url).content.decode(), "similar-products") == 8
    assert many == few


def test_the_product_fragment_answers_404_for_unknown_or_unpublished_products(client, db):
    ProductFactory(handle="draft-ring", status="draft")

    for url in (
        "/api/v1/products/no-such-ring/recommendations/",
        "/api/v1/products/draft-ring/recommendations/",
        "/api/v1/products/bad%00handle/recommendations/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    assert client.post("/api/v1/products/draft-ring/recommendations/").status_code in (403, 405)


def test_the_cart_suggests_what_goes_with_the_bag_but_never_its_contents(client, db):
    grow_store(4)
    variant = ProductVariant.objects.filter(product__handle="necklace-0").first()
    client.post("/en/cart/add/", {"variant": variant.pk, "quantity": 1})

    html = client.get("/en/cart/").content.decode()

    assert "Goes well with your bag" in section_titles(html)
    block = re.search(r'id="cart-suggestions".*?</section>', html, re.S).group(0)
    assert "/p/necklace-" in block
    assert "/p/necklace-0/" not in block


def test_the_cart_block_costs_the_same_queries_for_few_and_many_products(client, db):
    grow_store(2)
    variant = ProductVariant.objects.filter(product__handle="ring-0").first()
    client.post("/en/cart/add/", {"variant": variant.pk, "quantity": 1})
    few = count_queries(client, "/en/cart/")

    grow_store(8, start=2)
    many = count_queries(client, "/en/cart/")

    html = client.get("/en/cart/").content.decode()
    assert cards_in(html, "cart-suggestions") == 4
    assert many == few
