"""The assistant's analytics page: empty, then with conversations, intents, handoffs, ratings,
assisted orders and the questions it could not answer (each one click from an FAQ entry or a
training example)."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from assistant.analytics import assistant_stats
from assistant.models import ConversationStatus, Sender
from orders.models import Cart
from tests.factories import UserFactory

from .inbox_data import conversation, message, order, staff_member

pytestmark = pytest.mark.django_db

ANALYTICS = "admin:assistant_conversation_analytics"


def test_the_analytics_page_says_what_to_expect_when_there_is_nothing_yet(merchant_client):
    response = merchant_client.get(reverse(ANALYTICS))
    assert response.status_code == 200
    text = response.content.decode()
    assert "No conversations yet in this period" in text
    assert "None: the assistant answered every question in this period." in text
    assert 'class="assistant-chart"' not in text


def test_the_app_index_and_the_inbox_link_to_the_analytics(merchant_client):
    url = reverse(ANALYTICS)
    app_index = reverse("admin:app_list", args=["assistant"])
    assert url in merchant_client.get(app_index).content.decode()
    changelist = reverse("admin:assistant_conversation_changelist")
    assert url in merchant_client.get(changelist).content.decode()


@pytest.fixture
def month_of_chats(db):
    """Five conversations over three days: two handed over, ratings, one unanswered question,
    and orders placed by chatting shoppers inside and outside the 24 hours after."""
    now = timezone.now()
    two_days_ago = now - dt.timedelta(days=2)
    alice = UserFactory(email="alice@example.com")

    # Alice asks for rings, rates the answer up, and orders an hour later: assisted.
    chat = conversation(user=alice, when=two_days_ago)
    message(chat, Sender.SHOPPER, "diamond ring", intent="product_search", when=two_days_ago)
    message(chat, Sender.ASSISTANT, "Here are rings.", rating=1, when=two_days_ago)
    order(number="A-1", email=alice.email, user=alice, when=two_days_ago + dt.timedelta(hours=1))
    # An order of hers three days later does not count.
    order(number="A-2", email=alice.email, user=alice, when=now + dt.timedelta(days=2))

    # A guest asks about shipping, then wants a person (open): handed over.
    guest = conversation(session_key="guest-1", status=ConversationStatus.OPEN)
    message(guest, Sender.SHOPPER, "shipping to Japan?", intent="shipping")
    message(guest, Sender.ASSISTANT, "5 to 8 days.", rating=-1)
    # The guest's bag (same session) became an order: assisted.
    order(number="G-1", email="guest@example.com", cart=Cart.objects.create(session_key="guest-1"))

    # A closed conversation a person answered: handed over, though closed now.
    closed = conversation(status=ConversationStatus.CLOSED)
    message(closed, Sender.SHOPPER, "my parcel is damaged", intent="complaint")
    message(closed, Sender.STAFF, "Sorry! We send a new one.")

    # The assistant could not answer: the shopper's own words are the question.
    lost = conversation(language="fr")
    message(lost, Sender.SHOPPER, "<b>gravure</b> possible ?", intent="out_of_scope", language="fr")
    message(lost, Sender.ASSISTANT, "Je peux aider pour…", answered=False, intent="out_of_scope")

    # A plain greeting, resolved by the assistant.
    hello = conversation()
    message(hello, Sender.SHOPPER, "hello", intent="greeting")

    # An order by someone who never chatted: not assisted.
    order(number="X-1", email="nobody@example.com")
    return {"lost": lost, "guest": guest}


def test_the_figures(month_of_chats):
    stats = assistant_stats(days=30)

    assert stats.conversations == 5
    assert sum(count for _day, count in stats.per_day) == 5
    assert stats.per_day[-1][1] == 4  # today
    assert stats.per_day[-3][1] == 1  # two days ago
    assert stats.handed_over == 2
    assert stats.resolved_without_person == 3
    assert stats.resolved_share == pytest.approx(0.6)
    assert (stats.ratings_up, stats.ratings_down) == (1, 1)
    assert stats.assisted_orders == 2
    assert {intent for intent, _count, _share in stats.intents} == {
        "product_search",
        "shipping",
        "complaint",
        "out_of_scope",
        "greeting",
    }
    [question] = stats.unanswered
    assert question.question == "<b>gravure</b> possible ?"
    assert question.language == "fr"


def test_the_page_with_data(merchant_client, month_of_chats):
    response = merchant_client.get(reverse(ANALYTICS), {"days": "7"})
    assert response.status_code == 200
    text = response.content.decode()

    # The chart is inline SVG, one bar per day
    assert len(re.findall(r"<rect ", text)) == 7
    assert "60%" in text  # resolved without a person
    assert "product_search" in text
    # The unanswered question is shown as text, never as HTML
    assert "&lt;b&gt;gravure&lt;/b&gt; possible ?" in text
    assert "<b>gravure</b>" not in text


def test_make_an_faq_entry_opens_the_add_form_filled_in(merchant_client, month_of_chats):
    response = merchant_client.get(reverse(ANALYTICS))
    [link] = re.findall(r'href="([^"]*/content/faqentry/add/\?[^"]*)"', response.content.decode())
    link = html.unescape(link)
    query = parse_qs(urlsplit(link).query)
    assert query["question"] == ["<b>gravure</b> possible ?"]
    assert query["language"] == ["fr"]

    form = merchant_client.get(link)
    assert form.status_code == 200
    assert "&lt;b&gt;gravure&lt;/b&gt; possible ?" in form.content.decode()


def test_add_as_training_example(merchant_client, merchant, month_of_chats):
    from ai.models import IntentExample

    response = merchant_client.get(reverse(ANALYTICS))
    [question] = response.context["stats"].unanswered

    # When the merchant files the question under the intent it should have been
    response = merchant_client.post(
        reverse(ANALYTICS), {"_action": "train", "message": question.message_id, "intent": "care"}
    )

    # Then it is stored as the merchant's example, in the shopper's language, for the next training
    assert response.status_code == 302
    example = IntentExample.objects.get()
    assert (example.text, example.intent, example.language) == (
        "<b>gravure</b> possible ?",
        "care",
        "fr",
    )
    assert example.source == "merchant" and example.created_by == merchant


def test_an_unknown_intent_or_message_adds_nothing(merchant_client, month_of_chats):
    from ai.models import IntentExample

    for data in (
        {"_action": "train", "message": "1", "intent": "weather"},
        {"_action": "train", "message": "99999", "intent": "care"},
        {"_action": "train", "message": "x", "intent": "care"},
    ):
        assert merchant_client.post(reverse(ANALYTICS), data).status_code == 302
    assert not IntentExample.objects.exists()


def test_view_only_staff_see_the_figures_but_cannot_add_examples(client, month_of_chats):
    client.force_login(staff_member("reader@example.com", "view_conversation"))
    response = client.get(reverse(ANALYTICS))
    assert response.status_code == 200
    assert "Make an FAQ entry" not in response.content.decode()
    assert (
        client.post(reverse(ANALYTICS), {"_action": "train", "message": "1", "intent": "care"})
    ).status_code == 403


@pytest.mark.parametrize("days", ["", "0", "-3", "abc", "99999999999999999999", "\x00"])
def test_malformed_periods_fall_back(merchant_client, days):
    response = merchant_client.get(reverse(ANALYTICS), {"days": days})
    assert response.status_code == 200
    assert response.context["stats"].days == 30


def test_the_analytics_cost_the_same_queries_however_many_conversations(merchant_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert merchant_client.get(reverse(ANALYTICS)).status_code == 200
        return len(captured)

    def chats(count: int) -> None:
        for _ in range(count):
            chat = conversation()
            message(chat, Sender.SHOPPER, "engraving?", intent="out_of_scope", answered=False)

    chats(2)
    few = queries()
    chats(10)
    assert queries() == few
