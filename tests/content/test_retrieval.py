"""What the shop assistant will read: plain-text help documents and a change announcement."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.selectors import help_documents
from content.services import faq_entry_save, store_page_save
from content.signals import help_content_changed

pytestmark = pytest.mark.django_db


def test_help_documents_are_plain_text_in_the_language_with_the_english_fallback(help_content):
    documents = {doc.key: doc for doc in help_documents(language="fr")}

    returns = documents[f"page:{help_content['returns'].pk}"]
    assert (returns.title, returns.language, returns.topic) == ("Retours", "fr", "returns")
    assert returns.text == "Retour gratuit sous 30 jours. Renvoyez-le."
    assert returns.url == "/fr/pages/returns/"
    pearls = documents[f"faq:{help_content['english_only'].pk}"]
    assert (pearls.title, pearls.language) == ("How do I clean pearls?", "en")
    assert pearls.text == "With a soft cloth."
    # Unpublished texts are never offered.
    assert f"faq:{help_content['hidden'].pk}" not in documents
    assert not any(doc.url.endswith("/secret-sale/") for doc in documents.values())


def test_table_cells_stay_apart_in_plain_text(db):
    store_page_save(
        slug="sizes",
        kind="size_guide",
        texts={"en": {"title": "Sizes", "body": "<table><tr><td>7</td><td>N½</td></tr></table>"}},
    )

    (doc,) = help_documents(language="en")

    assert doc.text == "7 N½"


def test_help_documents_cost_four_queries_whatever_their_number(help_content):
    for n in range(10):
        faq_entry_save(topic="orders", texts={"en": {"question": f"Q{n}?", "answer": "<p>A</p>"}})

    with CaptureQueriesContext(connection) as context:
        help_documents(language="de")

    assert len(context.captured_queries) == 4


def test_every_write_is_announced_after_commit(
    merchant_client, help_content, django_capture_on_commit_callbacks
):
    heard = []

    def listener(**kwargs):
        heard.append((kwargs["kind"], kwargs["object_id"]))

    help_content_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            page = store_page_save(slug="about", kind="about", texts={"en": {"title": "About"}})
            assert heard == []  # not before the commit
        entry = help_content["english_only"]
        with django_capture_on_commit_callbacks(execute=True):
            # A translator-style save: only the French translation row is written.
            merchant_client.post(
                reverse("admin:content_faqentry_change", args=[entry.pk]) + "?language=fr",
                {
                    "question": "Comment nettoyer les perles ?",
                    "answer": "",
                    "topic": "care",
                    "page": "",
                    "is_published": "on",
                    "position": "0",
                },
            )
    finally:
        help_content_changed.disconnect(listener)

    assert ("page", page.pk) in heard
    assert ("faq", entry.pk) in heard
