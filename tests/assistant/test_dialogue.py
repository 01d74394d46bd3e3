"""The dialogue per intent: short replies, products from the store's search, product facts,
out of scope, handoff, language of the reply. Understandings are built by hand here; the
real NLU is exercised in test_with_nlu.py."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from assistant.models import ConversationStatus, Message, Sender

from .conftest import understood
from .helpers import say, start

pytestmark = pytest.mark.django_db


def test_a_greeting_gets_a_short_greeting_in_the_shoppers_language():
    conversation = start()
    result = say(conversation, "Bonjour", understood("greeting", "fr"))

    assert result.reply.language == "fr"
    assert result.reply.products == []
    assert result.reply_message.sender == Sender.ASSISTANT
    assert result.reply_message.language == "fr"
    assert result.shopper_message.intent == "greeting"


@pytest.mark.parametrize("intent", ["goodbye", "thanks"])
def test_goodbye_and_thanks_are_answered_briefly(intent):
    result = say(start(), "ok", understood(intent))

    assert result.reply.text
    assert len(result.reply.text) < 120
    assert result.reply.answered


def test_out_of_scope_is_a_polite_list_of_what_it_can_do_never_products(shop_catalog):
    conversation = start()
    result = say(conversation, "what's the weather in Paris", understood("out_of_scope"))

    assert result.reply.products == []
    assert "I can help you" in result.reply.text
    assert result.reply_message.answered is False
    assert result.shopper_message.answered is False


def test_a_product_search_shows_cards_with_price_and_availability(shop_catalog):
    result = say(
        start(),
        "show me rings",
        understood("product_search", categories=["rings"], product_query="rings"),
    )

    handles = [card["handle"] for card in result.reply.products]
    assert set(handles) == {"sapphire-ring", "diamond-ring"}
    card = result.reply.products[0]
    assert card["price_display"]
    assert card["currency"] == "USD"
    assert card["available"] is True
    assert card["url"].endswith(f"/{card['handle']}/")
    assert result.reply_message.products == result.reply.products


def test_prices_are_shown_in_the_shoppers_currency(shop_catalog):
    from tests.factories import ExchangeRateFactory

    ExchangeRateFactory(currency="EUR", rate=Decimal("0.5"))
    result = say(
        start(),
        "sapphire ring",
        understood("product_search", product_query="sapphire ring"),
        currency="EUR",
    )

    card = result.reply.products[0]
    assert card["handle"] == "sapphire-ring"
    assert card["currency"] == "EUR"
    assert card["price"] == "450.00"


@pytest.mark.parametrize(
    ("language", "first", "follow_up"),
    [("en", "rings", "and in white gold?"), ("fr", "bagues", "et en or blanc ?")],
)
def test_a_follow_up_naming_a_metal_refines_the_last_search(
    shop_catalog, language, first, follow_up
):
    conversation = start(language=language)
    say(
        conversation,
        first,
        understood("product_search", language, categories=["rings"], product_query=first),
    )
    # The follow-up may be understood as a search or not understood at all: both refine.
    for understanding in (
        understood("product_search", language, metals=["white-gold"], product_query=""),
        understood("product_search", language, low=True, metals=["white-gold"]),
    ):
        result = say(conversation, follow_up, understanding)

        assert [card["handle"] for card in result.reply.products] == ["sapphire-ring"]
        assert result.reply.intent == "product_search"


def test_an_unsure_other_guess_for_a_follow_up_still_refines_but_a_sure_one_does_not(
    shop_catalog, monkeypatch
):
    from ai import services as ai_services

    monkeypatch.setattr(
        ai_services, "assistant_help_answer", lambda question, *, language, limit=3: []
    )
    conversation = start()
    say(
        conversation,
        "rings",
        understood("product_search", categories=["rings"], product_query="rings"),
    )
    unsure = understood("care", confidence=0.58, metals=["white-gold"])
    unsure = dataclasses.replace(
        unsure, ranking=(("care", 0.58), ("product_search", 0.22), ("product_question", 0.12))
    )
    refined = say(conversation, "and in white gold?", unsure)
    assert [card["handle"] for card in refined.reply.products] == ["sapphire-ring"]

    sure = understood("care", confidence=0.99, metals=["white-gold"])
    care = say(conversation, "how to clean white gold", sure)
    assert care.reply.products == []
    assert care.reply.intent == "care"


def test_a_search_that_finds_nothing_is_not_answered(shop_catalog):
    result = say(start(), "zzqx", understood("product_search", product_query="zzqxw vvbnm"))

    assert result.reply.products == []
    assert result.reply_message.answered is False


def test_a_product_question_reads_the_named_product_now(shop_catalog):
    conversation = start()
    question = understood("product_question", product_handles=["sapphire-ring"])
    first = say(conversation, "is the sapphire ring in stock?", question)

    assert "Sapphire halo ring" in first.reply.text
    assert "18K" in first.reply.text
    assert "Sapphire" in first.reply.text.split("Stones:")[1]
    assert "In stock" in first.reply.text

    # Sold out in the meantime: the next answer says so (never remembered).
    shop_catalog["sapphire-ring"].variants.update(stock_quantity=0)
    second = say(conversation, "is the sapphire ring in stock?", question)
    assert "Out of stock" in second.reply.text


def test_a_product_question_on_a_product_page_is_about_that_product(shop_catalog, shipping_fr):
    conversation = start(product=shop_catalog["diamond-ring"], country="FR")
    result = say(conversation, "what metal is it?", understood("product_question"))

    assert "Diamond solitaire ring" in result.reply.text
    assert "950" in result.reply.text
    assert "3 to 6 days" in result.reply.text
    assert result.reply.products[0]["handle"] == "diamond-ring"


def test_a_product_question_in_japanese_names_the_product_in_japanese(shop_catalog):
    conversation = start(product=shop_catalog["diamond-ring"], language="ja")
    result = say(conversation, "素材は？", understood("product_question", "ja"))

    assert "ダイヤモンド ソリテール リング" in result.reply.text


def test_a_person_is_offered_after_two_unsure_turns_in_a_row():
    conversation = start()
    first = say(conversation, "blorp", understood("x", low=True))
    assert first.reply.actions == []
    second = say(conversation, "flurb", understood("x", low=True))

    assert [action["kind"] for action in second.reply.actions] == ["handoff"]
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.BOT

    # "yes" accepts the offer: the conversation goes to people.
    third = say(conversation, "yes", understood("x", low=True))
    conversation.refresh_from_db()
    assert third.handoff is True
    assert conversation.status == ConversationStatus.OPEN


def test_a_sure_turn_between_two_unsure_ones_resets_the_count():
    conversation = start()
    say(conversation, "blorp", understood("x", low=True))
    say(conversation, "hello", understood("greeting"))
    third = say(conversation, "flurb", understood("x", low=True))

    assert third.reply.actions == []


@pytest.mark.parametrize("intent", ["human_agent", "complaint"])
def test_asking_for_a_person_hands_the_conversation_over(intent):
    conversation = start()
    result = say(conversation, "I want to talk to someone", understood(intent))

    conversation.refresh_from_db()
    assert result.handoff is True
    assert conversation.status == ConversationStatus.OPEN
    assert "24 hours" in result.reply.text
    assert Message.objects.filter(conversation=conversation, sender=Sender.SYSTEM).exists()


def test_while_people_have_the_conversation_the_assistant_stays_quiet():
    conversation = start()
    say(conversation, "a person please", understood("human_agent"))
    result = say(conversation, "hello?", understood("greeting"))

    assert result.reply_message is None
    assert result.shopper_message.text == "hello?"


def test_the_reply_is_in_the_language_of_the_message_not_the_page():
    conversation = start(language="en")
    result = say(conversation, "Hallo, guten Tag", understood("greeting", "de"))

    assert result.reply.language == "de"
    conversation.refresh_from_db()
    assert conversation.language == "de"
