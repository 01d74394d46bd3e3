"""Help intents: the store's own pages and FAQ (by meaning, ai.services.assistant_help_answer),
plus the shopper's country's shipping methods and duty rates read from the configured zones."""

from __future__ import annotations

import pytest

from content.models import FaqEntry, FaqTopic, PageKind, StorePage

from .conftest import understood
from .helpers import say, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def help_content(db):
    from ai.assistant import help as help_module

    help_module.clear_cache()
    page = StorePage(slug="ring-size-guide", kind=PageKind.SIZE_GUIDE, is_published=True)
    page.set_current_language("en")
    page.title = "Ring size guide"
    page.summary = "How to measure your ring size at home."
    page.body = (
        "<p>Wrap a strip of paper around your finger, mark where it overlaps and measure the "
        "length in millimetres. A circumference of 52 mm is a French size 52, a US size 6.</p>"
    )
    page.save()
    entry = FaqEntry(topic=FaqTopic.CARE, is_published=True)
    entry.set_current_language("en")
    entry.question = "How do I clean silver jewellery?"
    entry.answer = "<p>Polish silver with a soft dry cloth; keep it away from perfume.</p>"
    entry.save()
    yield {"page": page, "faq": entry}
    help_module.clear_cache()


def test_a_size_question_is_answered_from_the_size_guide(help_content):
    result = say(start(), "how do I find my ring size?", understood("size_help", sizes=[]))

    assert "strip of paper" in result.reply.text or "measure" in result.reply.text
    assert result.reply.help[0]["title"] == "Ring size guide"
    assert result.reply.help[0]["url"]
    assert result.reply.products == []


def test_a_care_question_in_french_finds_the_english_faq(help_content):
    result = say(
        start(language="fr"),
        "comment nettoyer mes bijoux en argent ?",
        understood("care", "fr"),
    )

    assert result.reply.help
    assert result.reply.help[0]["title"] == "How do I clean silver jewellery?"


def test_shipping_lists_the_methods_of_the_shoppers_country(shipping_fr):
    result = say(
        start(), "how long is shipping to France?", understood("shipping", countries=["FR"])
    )

    assert "France" in result.reply.text
    assert "Standard" in result.reply.text
    assert "3 to 6 days" in result.reply.text
    assert "$15.00" in result.reply.text


def test_duties_give_the_countrys_rates(shipping_fr):
    conversation = start(country="FR")
    result = say(conversation, "do I pay customs?", understood("duties_taxes"))

    assert "2.5%" in result.reply.text
    assert "TVA 20%" in result.reply.text


def test_a_country_the_shop_does_not_ship_to_is_said_so(shipping_fr):
    result = say(start(), "do you ship to Japan?", understood("shipping", countries=["JP"]))

    assert "do not ship to Japan" in result.reply.text


def test_a_question_nothing_answers_offers_a_person_and_is_not_answered(db):
    from ai.assistant import help as help_module

    help_module.clear_cache()
    result = say(start(), "do you accept crypto?", understood("payment"))

    assert [action["kind"] for action in result.reply.actions] == ["handoff"]
    assert result.reply_message.answered is False
