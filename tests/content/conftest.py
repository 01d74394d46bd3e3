"""A small help centre: three pages (one unpublished) and FAQ entries in English and French."""

from __future__ import annotations

import pytest

from content.models import FaqTopic, PageKind
from content.services import faq_entry_save, store_page_save


@pytest.fixture
def help_content(db):
    returns = store_page_save(
        slug="returns",
        kind=PageKind.RETURNS,
        texts={
            "en": {
                "title": "Returns",
                "summary": "Free returns within 30 days.",
                "body": "<p>Send it back.</p>",
            },
            "fr": {
                "title": "Retours",
                "summary": "Retour gratuit sous 30 jours.",
                "body": "<p>Renvoyez-le.</p>",
            },
            "de": {
                "title": "Rückgabe",
                "summary": "Kostenlose Rückgabe in 30 Tagen.",
                "body": "<p>Zurückschicken.</p>",
            },
            "ja": {
                "title": "返品について",
                "summary": "30日以内の返品は無料です。",
                "body": "<p>返送してください。</p>",
            },
        },
        position=1,
    )
    store_page_save(
        slug="shipping",
        kind=PageKind.SHIPPING,
        texts={"en": {"title": "Shipping", "summary": "", "body": "<p>Insured delivery.</p>"}},
        position=0,
    )
    store_page_save(
        slug="secret-sale",
        kind=PageKind.OTHER,
        texts={"en": {"title": "Secret sale", "summary": "", "body": "<p>Soon.</p>"}},
        is_published=False,
    )
    translated = faq_entry_save(
        topic=FaqTopic.RETURNS,
        page=returns,
        texts={
            "en": {"question": "How do I return a ring?", "answer": "<p>Use the return label.</p>"},
            "fr": {
                "question": "Comment retourner une bague ?",
                "answer": "<p>Utilisez l’étiquette.</p>",
            },
            "de": {
                "question": "Wie funktioniert die Rückgabe?",
                "answer": "<p>Mit dem Etikett.</p>",
            },
            "ja": {"question": "返品の方法は？", "answer": "<p>返品ラベルをご利用ください。</p>"},
        },
    )
    english_only = faq_entry_save(
        topic=FaqTopic.CARE,
        texts={"en": {"question": "How do I clean pearls?", "answer": "<p>With a soft cloth.</p>"}},
    )
    hidden = faq_entry_save(
        topic=FaqTopic.CARE,
        texts={"en": {"question": "Draft question about polish", "answer": "<p>Later.</p>"}},
        is_published=False,
    )
    return {
        "returns": returns,
        "translated": translated,
        "english_only": english_only,
        "hidden": hidden,
    }
