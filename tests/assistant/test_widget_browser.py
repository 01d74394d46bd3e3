"""The chat widget in a real Chromium: opened and used with the keyboard only, product cards for
"diamond ring", replies shown as text, Escape closing it with the focus back on the launcher,
right to left in Arabic and within a 360px phone screen, and the handoff round trip (the
shopper asks for a person, the merchant replies in the admin, the reply appears in the chat,
on another page too).

The understanding is fixed per message (what the NLU would say, as the dialogue tests do): these
tests are about the widget and the API behind it, not the intent model."""

from __future__ import annotations

import re

import pytest

from ai import services as ai_services
from assistant import services
from assistant.models import Conversation, ConversationStatus, Message, Sender
from tests.e2e.conftest import browser_page  # noqa: F401 - the Chromium fixture

from .conftest import understood

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The first reply loads the search index in the server: generous on a busy machine (a wait, not
# a timed assertion).
FIRST_REPLY_MS = 60_000


def fake_understand(text: str, *, language_hint: str | None = None, currency=None):
    language = language_hint or "en"
    lowered = text.lower()
    if "ring" in lowered or "خاتم" in text:
        return understood("product_search", language, product_query="diamond ring")
    if "person" in lowered:
        return understood("human_agent", language)
    if "hello" in lowered:
        return understood("greeting", language)
    return understood("out_of_scope", language, low=True)


@pytest.fixture
def chat_ready(monkeypatch, shop_catalog, settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    monkeypatch.setattr(ai_services, "assistant_understand", fake_understand, raising=False)
    return shop_catalog


@pytest.fixture
def watched(browser_page):  # noqa: F811
    """The page, collecting script errors and Content-Security-Policy violations."""
    problems: list[str] = []
    browser_page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    browser_page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    browser_page.problems = problems
    return browser_page


def active_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id || ''")


def active_is_launcher(page) -> bool:
    return page.evaluate("document.activeElement.hasAttribute('data-assistant-launcher')")


def test_keyboard_only_chat_shows_product_cards_as_text(watched, live_server, chat_ready):
    page = watched
    page.goto(f"{live_server.url}/en/")
    launcher = page.get_by_role("button", name="Chat with us")
    assert launcher.get_attribute("aria-expanded") == "false"

    # When the shopper reaches the launcher with Tab and presses Enter
    page.locator("main").focus()
    for _ in range(200):
        page.keyboard.press("Tab")
        if active_is_launcher(page):
            break
    assert active_is_launcher(page), "the launcher is reachable with Tab"
    page.keyboard.press("Enter")

    # Then the chat opens as a labelled dialog, with the focus in the message box
    dialog = page.get_by_role("dialog", name="Shop assistant")
    assert dialog.is_visible()
    assert launcher.get_attribute("aria-expanded") == "true"
    assert active_id(page) == "assistant-input"
    assert page.locator("[data-assistant-log]").get_attribute("aria-live") == "polite"
    assert dialog.get_by_role("button", name="Talk to a person").is_visible()

    # When they ask for a diamond ring with the keyboard
    page.keyboard.type("diamond ring")
    page.keyboard.press("Enter")

    # Then product cards appear: picture, name linking to the product, price, availability
    card = page.locator(".assistant-card").filter(has_text="Diamond").first
    card.wait_for(timeout=FIRST_REPLY_MS)
    link = card.locator("a.assistant-card__name")
    assert re.search(r"/en/p/diamond-ring/$", link.get_attribute("href"))
    assert re.search(r"\d", card.locator(".assistant-card__price").inner_text())
    assert card.locator(".assistant-card__stock").inner_text() == "In stock"
    # the answer can be rated
    answer = page.locator(".assistant-msg--assistant").last
    assert answer.get_by_role("button", name="Yes, helpful").count() == 1
    conversation = Conversation.objects.get()
    assert page.evaluate("sessionStorage.getItem('aurelia.assistant.conversation')") == str(
        conversation.public_id
    )

    # When they type HTML, it is shown as the text they typed, never run or rendered
    page.keyboard.type('<img src=x onerror="window.pwned=1"><b>bold</b>')
    page.keyboard.press("Enter")
    page.locator(".assistant-msg--assistant").nth(1).wait_for()
    mine = page.locator(".assistant-msg--shopper").last.inner_text()
    assert '<img src=x onerror="window.pwned=1"><b>bold</b>' in mine
    assert page.locator("[data-assistant-log] img:not(.assistant-card__image)").count() == 0
    assert page.locator("[data-assistant-log] b").count() == 0
    assert page.evaluate("window.pwned === undefined")

    # When they rate the first answer with the keyboard
    up = answer.get_by_role("button", name="Yes, helpful")
    up.focus()
    page.keyboard.press("Enter")
    # (a locator wait: wait_for_function evaluates a string, which the page's CSP refuses)
    answer.locator(".assistant__rate[aria-pressed=true]").wait_for()
    answer.locator(".assistant__rated").filter(has_text="Thank you").wait_for()
    assert Message.objects.filter(sender=Sender.ASSISTANT, rating=1).count() == 1

    # When they press Escape, the chat closes and the focus returns to the launcher
    page.locator("#assistant-input").focus()
    page.keyboard.press("Escape")
    assert dialog.is_hidden()
    assert launcher.get_attribute("aria-expanded") == "false"
    assert active_is_launcher(page)
    assert page.problems == []


def test_arabic_is_right_to_left_and_fits_a_phone(watched, live_server, chat_ready):
    page = watched
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"

    launcher = page.locator("[data-assistant-launcher]")
    box = launcher.bounding_box()
    # The launcher sits at the inline end: the left side of a right-to-left page
    assert box["x"] < 360 / 2

    launcher.click()
    panel = page.locator("[data-assistant-panel]")
    assert panel.evaluate("element => getComputedStyle(element).direction") == "rtl"
    panel_box = panel.bounding_box()
    assert panel_box["x"] >= 0 and panel_box["x"] + panel_box["width"] <= 360
    assert panel_box["height"] <= 740
    # The message box and the buttons can be used at that size
    page.locator("#assistant-input").fill("خاتم ألماس")
    page.locator("[data-assistant-send]").click()
    page.locator(".assistant-card").first.wait_for(timeout=FIRST_REPLY_MS)
    card_box = page.locator(".assistant-card").first.bounding_box()
    assert card_box["x"] >= 0 and card_box["x"] + card_box["width"] <= 360
    assert Conversation.objects.get().language == "ar"
    assert page.problems == []


def test_talk_to_a_person_and_the_merchants_reply_appears(
    watched, live_server, chat_ready, merchant
):
    page = watched
    page.goto(f"{live_server.url}/en/p/diamond-ring/")
    page.get_by_role("button", name="Chat with us").click()
    page.locator("#assistant-input").fill("hello")
    page.keyboard.press("Enter")
    page.locator(".assistant-msg--assistant").first.wait_for(timeout=FIRST_REPLY_MS)
    conversation = Conversation.objects.get()
    # The chat knows the product page it was opened on
    assert conversation.product.handle == "diamond-ring"

    # When the shopper asks for a person
    page.get_by_role("button", name="Talk to a person").click()
    page.get_by_text("A person from the shop will answer here").wait_for()
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.OPEN

    # And the merchant answers from the inbox
    services.conversation_staff_reply(
        conversation=conversation, text="Hello, this is Claire from the shop.", staff=merchant
    )

    # Then the reply appears in the open chat (the widget polls)
    staff = page.locator(".assistant-msg--staff")
    staff.filter(has_text="Hello, this is Claire from the shop.").wait_for(timeout=20_000)
    # (the status may follow one poll later than the message)
    page.get_by_text("A member of the shop team is answering you.").wait_for()

    # And on the next page the chat is still open with the whole conversation
    page.goto(f"{live_server.url}/en/")
    page.locator(".assistant-msg--staff").filter(has_text="Claire from the shop").wait_for()
    assert page.locator("[data-assistant-panel]").is_visible()
    assert page.locator(".assistant-msg--shopper").filter(has_text="hello").count() == 1
    assert page.problems == []
