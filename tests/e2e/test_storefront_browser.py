"""A shopper's first visit, in a real Chromium: home, French, Arabic, a category, a product."""

import re

import pytest

from catalog.models import Category, Product, PublicationStatus
from demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_store(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # the merchant's login file goes to a scratch folder
    seed_demo(products=24, seed=7, processes=1)
    return Product.objects.filter(status=PublicationStatus.PUBLISHED)


def test_a_shopper_browses_in_french_and_arabic(browser_page, live_server, demo_store):
    page = browser_page

    # Given the demo store, when a shopper opens the home page
    page.goto(f"{live_server.url}/")
    # Then they land on the English store with products and a working language switcher
    assert page.url.endswith("/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("html").get_attribute("dir") == "ltr"
    english_title = page.get_by_role("heading", level=1).inner_text()
    assert page.locator("#new-arrivals a[href*='/products/']").count() > 0

    # When they switch to French through the switcher
    page.locator("[data-menu] summary").first.click()
    page.get_by_role("button", name=re.compile("fran", re.IGNORECASE)).click()
    page.wait_for_url(re.compile(r"/fr/$"))
    # Then the page is in French, prices are shown the French way (euros by default)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() != english_title
    assert "€" in page.locator("main").inner_text()

    # When they switch to Arabic
    page.locator("[data-menu] summary").first.click()
    page.get_by_role("button", name=re.compile("عربي|العربية")).click()
    page.wait_for_url(re.compile(r"/ar/$"))
    # Then the page is laid out right to left
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == "rtl"

    # When they open a category that has products
    category = (
        Category.objects.filter(products__status=PublicationStatus.PUBLISHED)
        .distinct()
        .order_by("slug")
        .first()
    )
    page.goto(f"{live_server.url}{category.get_absolute_url().replace('/en/', '/ar/', 1)}")
    # Then they see product cards with pictures that have alternative text
    cards = page.locator("a[href*='/products/']")
    assert cards.count() > 0
    images = page.locator("main img")
    assert images.count() > 0
    for index in range(min(images.count(), 5)):
        assert images.nth(index).get_attribute("alt") is not None

    # When they open a product from the listing
    product = category.products.filter(status=PublicationStatus.PUBLISHED).first()
    page.goto(f"{live_server.url}{product.get_absolute_url().replace('/en/', '/ar/', 1)}")
    # Then the product page shows its Arabic name, a price and the variant picker
    product.set_current_language("ar")
    assert page.get_by_role(
        "heading", level=1
    ).inner_text().strip() == product.safe_translation_getter("name", any_language=True)
    assert page.locator("[data-variant-root]").is_visible()
    assert re.search(r"\d", page.locator("[data-variant-root]").inner_text())
