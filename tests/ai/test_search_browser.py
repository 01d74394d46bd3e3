"""The header search box's autocomplete in a real Chromium (keyboard and screen-reader wiring)."""

import re

import pytest

from ai.search import snapshot
from tests.e2e.conftest import browser_page  # noqa: F401 - the Chromium fixture

from .test_search_query import search_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop():
    snapshot.clear_cache()
    yield search_catalog()
    snapshot.clear_cache()


def test_typing_shows_suggestions_the_keyboard_can_choose(browser_page, live_server, shop):  # noqa: F811
    page = browser_page
    page.goto(f"{live_server.url}/en/")
    box = page.locator("#site-search")

    # When the shopper types the start of a stone's name
    box.press_sequentially("sapph", delay=30)

    # Then a listbox of suggestions opens under the box
    listbox = page.locator("#site-search-suggestions")
    listbox.get_by_role("option", name="Sapphire halo ring").wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert listbox.get_by_role("option", name="Sapphire", exact=True).count() == 1

    # When they move down with the arrow key, the first option becomes the active one
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"

    # Escape closes the list; Enter on a chosen option opens it
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("h", delay=30)  # "sapphh": no suggestion
    box.fill("")
    box.press_sequentially("sapphire halo", delay=30)
    listbox.get_by_role("option", name="Sapphire halo ring").wait_for()
    for _ in range(10):  # down to the product's option
        box.press("ArrowDown")
        active = box.get_attribute("aria-activedescendant")
        if active and "Sapphire halo ring" in page.locator(f"#{active}").inner_text():
            break
    box.press("Enter")
    page.wait_for_url(re.compile(r"/en/p/sapphire-ring/$"))
