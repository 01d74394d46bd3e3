"""The whole flow with the real understanding (ai.services.assistant_understand: the shipped
intent model, language detection, entities): what shoppers type, in the seven languages.

Marked slow: the first run of a fresh checkout trains the built-in intent model (cached on
disk afterwards, see ai/assistant/backends.py)."""

from __future__ import annotations

import pytest

from assistant import services
from assistant.models import ConversationStatus
from orders.models import OrderStatus

from .helpers import start

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def tell(conversation, text: str, *, user=None, language: str = "en"):
    conversation.refresh_from_db()
    return services.assistant_reply(
        conversation=conversation,
        text=text,
        user=user,
        session_key="" if user else conversation.session_key,
        language=language,
        currency="USD",
    )


ORDER_QUESTIONS = {
    "en": "hi, where is my order {number}? my email is {email}",
    "fr": "bonjour, où en est ma commande {number} ? mon mail : {email}",
    "de": "Hallo, wo ist meine Bestellung {number}? E-Mail: {email}",
    "es": "hola, dónde está mi pedido {number}? mi correo es {email}",
    "ja": "注文番号{number}の配送状況を教えてください。メールは{email}です",
    "zh-hans": "你好，我的订单{number}到哪了？邮箱是{email}",
    "ar": "مرحبا، أين طلبي رقم {number}؟ بريدي الإلكتروني {email}",
}


@pytest.mark.parametrize("language", list(ORDER_QUESTIONS))
def test_a_guest_gets_their_order_status_in_their_language(shipped_order, language):
    text = ORDER_QUESTIONS[language].format(number=shipped_order.number, email=shipped_order.email)
    result = tell(start(session_key=f"s-{language}"), text, language=language)

    assert result.reply.intent == "order_status"
    assert result.reply.language == language
    assert shipped_order.number in result.reply.text
    assert "JD0001234" in result.reply.text


PERSON = {
    "en": "can I talk to a real person please",
    "fr": "je voudrais parler à un conseiller",
    "de": "ich möchte mit einem Mitarbeiter sprechen",
    "es": "quiero hablar con una persona",
    "ja": "担当者と話したいです",
    "zh-hans": "我要转人工客服",
    "ar": "أريد التحدث مع موظف",
}


@pytest.mark.parametrize("language", list(PERSON))
def test_asking_for_a_person_hands_over_in_every_language(language):
    conversation = start(session_key=f"p-{language}")
    result = tell(conversation, PERSON[language], language=language)

    conversation.refresh_from_db()
    assert result.handoff is True
    assert conversation.status == ConversationStatus.OPEN


@pytest.mark.parametrize(
    ("language", "first", "follow_up"),
    [("en", "show me rings", "and in white gold?"), ("fr", "des bagues", "et en or blanc ?")],
)
def test_a_follow_up_refines_the_last_search(shop_catalog, language, first, follow_up):
    conversation = start(language=language)
    found = tell(conversation, first, language=language)
    assert {card["handle"] for card in found.reply.products} >= {"sapphire-ring", "diamond-ring"}

    refined = tell(conversation, follow_up, language=language)

    assert [card["handle"] for card in refined.reply.products] == ["sapphire-ring"]


def test_the_weather_gets_the_options_and_no_products(shop_catalog):
    result = tell(start(), "what's the weather like in Paris tomorrow?")

    assert result.reply.intent == "out_of_scope"
    assert result.reply.products == []
    assert result.reply_message.answered is False


@pytest.mark.parametrize(
    ("language", "ask", "yes"),
    [("fr", "je veux annuler ma commande", "oui"), ("ja", "注文をキャンセルしたい", "はい")],
)
def test_a_signed_in_customer_cancels_with_a_yes(customer, alice_order, language, ask, yes):
    conversation = start(user=customer, language=language)
    proposal = tell(conversation, ask, user=customer, language=language)
    assert [action["kind"] for action in proposal.reply.actions] == ["cancel"]

    tell(conversation, yes, user=customer, language=language)

    alice_order.refresh_from_db()
    assert alice_order.status == OrderStatus.CANCELLED
