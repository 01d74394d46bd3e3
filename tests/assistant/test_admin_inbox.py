"""The merchant's inbox: conversations listed and filtered, one conversation's page with its
transcript and the shopper's bag and orders, replying, assigning, closing, and who may do what."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from ai import services as ai_services
from assistant.models import ConversationStatus, Message, Sender
from tests.factories import ProductFactory, UserFactory

from .inbox_data import conversation, message, order, staff_member

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:assistant_conversation_changelist"


def page_url(item) -> str:
    return reverse("admin:assistant_conversation_change", args=[item.pk])


@pytest.fixture
def shopper(db):
    return UserFactory(email="claire@example.com")


@pytest.fixture
def handed_over(shopper):
    chat = conversation(user=shopper, language="fr", country="FR", status=ConversationStatus.OPEN)
    message(
        chat,
        Sender.SHOPPER,
        "Où est ma commande ?",
        intent="order_status",
        confidence=0.91,
        language="fr",
    )
    message(chat, Sender.ASSISTANT, "Votre commande est en route.", intent="order_status")
    message(chat, Sender.SHOPPER, "Je veux parler à quelqu'un", intent="human_agent")
    return chat


def test_the_inbox_lists_and_filters_conversations(merchant_client, merchant, handed_over):
    # Given a handed-over French conversation, one with the bot in German, one assigned to me
    conversation(language="de", email="hans@example.com")
    mine = conversation(language="en", status=ConversationStatus.ASSIGNED, assigned_to=merchant)
    message(mine, Sender.SHOPPER, "Hello?")

    # When the merchant opens the inbox
    response = merchant_client.get(reverse(CHANGELIST))
    # Then every conversation is listed with its shopper and last message
    assert response.status_code == 200
    text = response.content.decode()
    assert "claire@example.com" in text and "hans@example.com" in text
    assert "Je veux parler à quelqu&#x27;un" in text
    assert reverse("admin:assistant_conversation_analytics") in text

    # And the filters narrow it: waiting for a person, by language, assigned to me
    def listed(**query):
        return list(merchant_client.get(reverse(CHANGELIST), query).context["cl"].result_list)

    assert listed(status__exact="open") == [handed_over]
    assert listed(language="de") == [conversation_with_email("hans@example.com")]
    assert listed(assigned="me") == [mine]


def conversation_with_email(email):
    from assistant.models import Conversation

    return Conversation.objects.get(email=email)


def test_a_conversation_page_shows_transcript_intents_bag_orders_and_country(
    merchant_client, handed_over, shopper
):
    # Given the shopper has a bag and an order
    from orders.models import Cart, CartLine

    ring = ProductFactory(handle="gold-ring", name="Gold ring")
    Cart.objects.create(user=shopper).lines.create(variant=ring.variants.first(), quantity=2)
    order(number="261201-CLAIRE01", email=shopper.email, user=shopper)
    assert CartLine.objects.count() == 1

    # When the merchant opens the conversation
    response = merchant_client.get(page_url(handed_over))

    # Then the page shows the transcript with the intent and confidence of each message
    assert response.status_code == 200
    text = response.content.decode()
    assert "Où est ma commande ?" in text
    assert "order_status" in text and "0.91" in text
    assert "human_agent" in text
    # the shopper's language and country, bag and orders
    assert "France" in text and "(FR)" in text
    assert "2 × Gold ring" in text
    assert "261201-CLAIRE01" in text
    # and the reply form, assign and close buttons
    assert 'name="_action" value="reply"' in text
    assert 'value="assign"' in text and 'value="close"' in text


def test_the_shoppers_text_is_escaped_everywhere(merchant_client):
    # Given a shopper who typed HTML
    chat = conversation(email="mallory@example.com", status=ConversationStatus.OPEN)
    message(chat, Sender.SHOPPER, "<script>alert('x')</script><b>bold</b>")

    # Then the inbox list and the conversation page show it as text
    for url in (reverse(CHANGELIST), page_url(chat)):
        text = merchant_client.get(url).content.decode()
        assert "<script>alert(" not in text
        assert "<b>bold</b>" not in text
        assert "&lt;script&gt;alert(" in text


def test_a_reply_posts_a_staff_message(merchant_client, merchant, handed_over):
    # When the merchant replies from the conversation page
    response = merchant_client.post(
        page_url(handed_over), {"_action": "reply", "text": "Bonjour, je regarde votre commande."}
    )

    # Then they come back to the page, and the shopper's chat has the staff message
    assert response.status_code == 302
    assert response["Location"] == page_url(handed_over)
    reply = Message.objects.filter(conversation=handed_over, sender=Sender.STAFF).get()
    assert reply.text == "Bonjour, je regarde votre commande."
    assert reply.staff_user == merchant
    assert (
        "Bonjour, je regarde votre commande."
        in merchant_client.get(page_url(handed_over)).content.decode()
    )


def test_an_empty_reply_is_refused_with_a_message(merchant_client, handed_over):
    response = merchant_client.post(page_url(handed_over), {"_action": "reply", "text": "   "})
    assert response.status_code == 200
    assert response.context["reply_form"].errors
    assert not Message.objects.filter(sender=Sender.STAFF).exists()


def test_assign_to_me_and_close_from_the_page(merchant_client, merchant, handed_over):
    merchant_client.post(page_url(handed_over), {"_action": "assign"})
    handed_over.refresh_from_db()
    assert handed_over.status == ConversationStatus.ASSIGNED
    assert handed_over.assigned_to == merchant

    merchant_client.post(page_url(handed_over), {"_action": "close"})
    handed_over.refresh_from_db()
    assert handed_over.status == ConversationStatus.CLOSED


def test_list_actions_assign_and_close(merchant_client, merchant, handed_over):
    other = conversation(status=ConversationStatus.OPEN)
    response = merchant_client.post(
        reverse(CHANGELIST),
        {"action": "assign_to_me", "_selected_action": [handed_over.pk, other.pk]},
    )
    assert response.status_code == 302
    handed_over.refresh_from_db()
    other.refresh_from_db()
    assert handed_over.assigned_to == merchant and other.assigned_to == merchant

    merchant_client.post(
        reverse(CHANGELIST), {"action": "close_conversations", "_selected_action": [other.pk]}
    )
    other.refresh_from_db()
    assert other.status == ConversationStatus.CLOSED


def test_staff_without_the_reply_permission_may_read_but_not_act(client, handed_over):
    # Given a staff member who may only view conversations
    reader = staff_member("reader@example.com", "view_conversation")
    client.force_login(reader)

    # Then they see the conversation, without the reply form
    response = client.get(page_url(handed_over))
    assert response.status_code == 200
    assert 'value="reply"' not in response.content.decode()
    # and every write is refused
    for action in ("reply", "assign", "close"):
        response = client.post(page_url(handed_over), {"_action": action, "text": "Hi"})
        assert response.status_code == 403
    # the list actions are not offered to them
    changelist = client.get(reverse(CHANGELIST))
    assert "assign_to_me" not in changelist.content.decode()
    handed_over.refresh_from_db()
    assert handed_over.status == ConversationStatus.OPEN
    assert not Message.objects.filter(sender=Sender.STAFF).exists()


def test_staff_with_the_reply_permission_may_reply(client, handed_over):
    agent = staff_member("agent@example.com", "view_conversation", "reply_conversation")
    client.force_login(agent)
    response = client.post(page_url(handed_over), {"_action": "assign"})
    assert response.status_code == 302
    handed_over.refresh_from_db()
    assert handed_over.assigned_to == agent


def test_staff_without_any_assistant_permission_gets_403(client, handed_over):
    client.force_login(staff_member("stranger@example.com"))
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(page_url(handed_over)).status_code == 403
    assert client.get(reverse("admin:assistant_conversation_analytics")).status_code == 403


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    title: str
    snippet: str
    url: str
    score: float


def test_suggested_replies_are_the_help_answer_for_the_last_question(
    merchant_client, handed_over, monkeypatch
):
    # Given the help retrieval finds the shipping page for the shopper's last question
    asked = []

    def help_answer(question, *, language, limit=3):
        asked.append((question, language))
        return [Hit("page", 1, "Livraison", "Livraison en 3 à 6 jours.", "/fr/pages/ship/", 0.8)]

    monkeypatch.setattr(ai_services, "assistant_help_answer", help_answer, raising=False)

    # When the merchant opens the conversation
    response = merchant_client.get(page_url(handed_over))

    # Then the suggestion for the shopper's last message is offered, ready to send or edit
    assert asked == [("Je veux parler à quelqu'un", "fr")]
    text = response.content.decode()
    assert "Livraison en 3 à 6 jours." in text
    assert "Send this answer" in text
    edit = merchant_client.get(page_url(handed_over), {"suggestion": "1"})
    assert edit.context["reply_form"].initial["text"].startswith("Livraison: Livraison en 3")
    assert edit.context["reply_form"].initial["text"].endswith("/fr/pages/ship/")


def test_the_assistants_own_answer_is_suggested_with_its_products(merchant_client, shop_catalog):
    # Given a shopper whose search the assistant understood, but who wants a person
    chat = conversation(email="ann@example.com", status=ConversationStatus.OPEN)
    message(chat, Sender.SHOPPER, "diamond ring", intent="product_search", confidence=0.97)

    # When the merchant opens the conversation
    response = merchant_client.get(page_url(chat))

    # Then the assistant's answer is the first suggestion, with the products' addresses
    [first, *_rest] = response.context["suggestions"]
    assert first["title"] == "The assistant's answer"
    assert "/en/p/diamond-ring/" in first["text"]
    assert "Diamond" in first["text"]
    # and replaying it stored nothing
    assert Message.objects.filter(conversation=chat).count() == 1


def test_a_misunderstood_message_is_relabelled_from_its_conversation(
    merchant_client, merchant, handed_over
):
    from ai.models import IntentExample

    question = Message.objects.filter(sender=Sender.SHOPPER).first()
    response = merchant_client.post(
        page_url(handed_over),
        {"_action": "train", "message": question.pk, "intent": "shipping"},
    )
    assert response.status_code == 302
    example = IntentExample.objects.get()
    assert (example.text, example.intent, example.language) == (
        "Où est ma commande ?",
        "shipping",
        "fr",
    )
    # A message of another conversation cannot be filed from this one
    other = message(conversation(), Sender.SHOPPER, "elsewhere")
    merchant_client.post(
        page_url(handed_over), {"_action": "train", "message": other.pk, "intent": "care"}
    )
    assert IntentExample.objects.count() == 1


def test_a_missing_or_malformed_conversation_redirects_not_500(merchant_client):
    for object_id in ("999999", "not-a-number", "%00"):
        response = merchant_client.get(f"/admin/assistant/conversation/{object_id}/change/")
        assert response.status_code in (302, 404)


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_inbox_list_and_a_page_cost_the_same_queries_however_many_messages(
    merchant_client, shopper
):
    chat = conversation(user=shopper, status=ConversationStatus.OPEN)
    for number in range(2):
        other = conversation(email=f"few{number}@example.com")
        message(other, Sender.SHOPPER, f"question {number}")
        message(chat, Sender.SHOPPER, f"question {number}", intent="shipping")
    _queries(merchant_client, page_url(chat))  # warm: the help index and caches load once
    few_list = _queries(merchant_client, reverse(CHANGELIST))
    few_page = _queries(merchant_client, page_url(chat))

    for number in range(8):
        other = conversation(email=f"many{number}@example.com")
        message(other, Sender.SHOPPER, f"question {number}")
        message(chat, Sender.STAFF, f"answer {number}", staff_user=shopper)
    assert _queries(merchant_client, reverse(CHANGELIST)) == few_list
    assert _queries(merchant_client, page_url(chat)) == few_page
