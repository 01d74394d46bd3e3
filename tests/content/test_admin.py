"""Store pages and FAQ entries in the admin: the merchant's pages, sanitising, translators."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from content.models import FaqEntry, StorePage
from shop.permissions import TRANSLATORS_GROUP
from tests.factories import UserFactory
from tests.shop.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def translator(client):
    user = UserFactory(email="translator@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name=TRANSLATORS_GROUP))
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        lambda c: reverse("admin:content_storepage_changelist"),
        lambda c: (
            reverse("admin:content_storepage_changelist") + "?kind=returns&is_published__exact=1"
        ),
        lambda c: reverse("admin:content_storepage_changelist") + "?q=retour",
        lambda c: reverse("admin:content_storepage_add"),
        lambda c: reverse("admin:content_storepage_change", args=[c["returns"].pk]),
        lambda c: (
            reverse("admin:content_storepage_change", args=[c["returns"].pk]) + "?language=ja"
        ),
        lambda c: reverse("admin:content_faqentry_changelist"),
        lambda c: reverse("admin:content_faqentry_changelist") + "?topic=care&q=pearls",
        lambda c: reverse("admin:content_faqentry_add"),
        lambda c: (
            reverse("admin:content_faqentry_change", args=[c["translated"].pk]) + "?language=fr"
        ),
    ],
)
def test_every_content_admin_page_loads_for_the_merchant(merchant_client, help_content, url):
    response = merchant_client.get(url(help_content))

    assert response.status_code == 200


def test_the_change_page_has_a_tab_per_language_and_a_view_on_site_link(
    merchant_client, help_content
):
    page = help_content["returns"]
    body = merchant_client.get(
        reverse("admin:content_storepage_change", args=[page.pk])
    ).content.decode()

    for code in ("en", "fr", "de", "es", "ja", "zh-hans", "ar"):
        assert f"?language={code}" in body
    assert "viewsitelink" in body


def test_a_script_typed_in_the_admin_is_removed_before_it_is_stored(merchant_client, help_content):
    page = help_content["returns"]
    url = reverse("admin:content_storepage_change", args=[page.pk]) + "?language=fr"
    data = admin_form_data(merchant_client, url)
    data["body"] = '<p>Sous 30 jours.</p><script>alert("x")</script><p onmouseover="x()">Ok</p>'
    data["is_published"] = "on"

    response = merchant_client.post(url, data)

    assert response.status_code == 302
    stored = StorePage.objects.get(pk=page.pk).safe_translation_getter("body", language_code="fr")
    assert stored == "<p>Sous 30 jours.</p><p>Ok</p>"


def test_the_publish_actions_change_what_shoppers_see(merchant_client, client, help_content):
    hidden = help_content["hidden"]
    changelist = reverse("admin:content_faqentry_changelist")

    merchant_client.post(changelist, {"action": "publish", "_selected_action": [hidden.pk]})

    assert FaqEntry.objects.get(pk=hidden.pk).is_published


def test_a_translator_edits_the_texts_and_nothing_else(translator, help_content):
    page = help_content["returns"]
    url = reverse("admin:content_storepage_change", args=[page.pk]) + "?language=es"

    form = translator.get(url)
    assert form.status_code == 200
    body = form.content.decode()
    assert 'name="title"' in body
    assert 'name="is_published"' not in body and 'name="slug"' not in body

    response = translator.post(
        url,
        {"title": "Devoluciones", "summary": "Gratis durante 30 días.", "body": "<p>Fácil.</p>"},
    )

    assert response.status_code == 302
    page = StorePage.objects.get(pk=page.pk)
    assert page.safe_translation_getter("title", language_code="es") == "Devoluciones"
    assert page.is_published and page.slug == "returns"


def test_a_translator_edits_an_faq_answer_but_cannot_add_delete_or_publish(
    translator, help_content
):
    entry = help_content["english_only"]
    url = reverse("admin:content_faqentry_change", args=[entry.pk]) + "?language=fr"

    translator.post(
        url, {"question": "Comment nettoyer les perles ?", "answer": "<p>Doucement.</p>"}
    )

    assert (
        FaqEntry.objects.get(pk=entry.pk).safe_translation_getter("question", language_code="fr")
        == "Comment nettoyer les perles ?"
    )
    assert translator.get(reverse("admin:content_faqentry_add")).status_code == 403
    assert (
        translator.get(reverse("admin:content_faqentry_delete", args=[entry.pk])).status_code == 403
    )
    hidden = help_content["hidden"]
    translator.post(
        reverse("admin:content_faqentry_changelist"),
        {"action": "publish", "_selected_action": [hidden.pk]},
    )
    assert not FaqEntry.objects.get(pk=hidden.pk).is_published


def test_translation_coverage_counts_store_pages_and_faq_per_language(
    merchant_client, help_content
):
    from catalog.translation_coverage import translation_coverage

    rows = {row.code: row for row in translation_coverage()}

    # Three pages and three entries; in German, one of each (the returns page and its question).
    assert (rows["de"].pages.done, rows["de"].pages.total) == (1, 3)
    assert (rows["de"].faq.done, rows["de"].faq.total) == (1, 3)
    assert rows["en"].pages.percent == 100.0
    page = merchant_client.get(reverse("admin:catalog_translation_coverage")).content.decode()
    assert "Store pages" in page and "33.3 %" in page
