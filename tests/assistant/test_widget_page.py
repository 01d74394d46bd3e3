"""The chat widget's markup on storefront pages (its behaviour is in test_widget_browser.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_every_storefront_page_has_the_widget_without_inline_script(client):
    ProductFactory(handle="gold-ring", name="Gold ring")
    for url in ("/en/", "/en/p/gold-ring/", "/en/no-such-page/"):
        text = client.get(url).content.decode()
        # The widget, its stylesheet and its script file; the API address and the CSRF token
        assert re.search(r'<div class="assistant" data-assistant ', text)
        assert "/static/assistant/widget.js" in text
        assert "/static/assistant/widget.css" in text
        assert f'data-messages-url="{reverse("api-assistant-messages")}"' in text
        assert 'name="csrfmiddlewaretoken"' in text
        # a real button with its state, a labelled dialog, a polite log
        assert re.search(
            r'<button type="button" class="assistant__launcher" aria-expanded="false"', text
        )
        assert 'role="dialog"' in text and 'aria-labelledby="assistant-title"' in text
        assert 'role="log" aria-live="polite"' in text
        assert "Talk to a person" in text
        # no inline script anywhere (the policy forbids them; JSON data blocks are not scripts)
        assert not re.search(r'<script(?![^>]*\b(src=|type="application/(ld\+)?json"))[^>]*>', text)


def test_the_product_page_names_its_product_for_the_chat(client):
    ProductFactory(handle="gold-ring", name="Gold ring")
    text = client.get("/en/p/gold-ring/").content.decode()
    assert 'data-assistant-product="gold-ring"' in text
    assert "data-assistant-product" not in client.get("/en/").content.decode()


def test_the_widget_speaks_the_page_language(client):
    text = client.get("/ar/").content.decode()
    assert 'data-language="ar"' in text
    text = client.get("/zh-hans/").content.decode()
    assert 'data-language="zh-hans"' in text
