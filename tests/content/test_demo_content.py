"""The demo store's pages and FAQ (content/demo_content.toml): complete in all seven languages,
loaded through the service, safe as stored, and findable by the help search in each language."""

from __future__ import annotations

import pytest
from django.conf import settings

from content import selectors
from content.models import FaqEntry, FaqTopic, PageKind, StorePage
from content.services import PAGE_FIELDS, read_content_file, store_content_load
from demo.seed import STEPS
from shop.rich_text import sanitize_html

LANGUAGES = [code for code, _name in settings.LANGUAGES]
DATA = read_content_file()
REQUIRED_KINDS = {"shipping", "returns", "care", "size_guide", "warranty", "payment", "contact"}


def test_the_file_has_every_required_page_and_enough_faq():
    kinds = {page["kind"] for page in DATA["pages"]}

    assert kinds >= REQUIRED_KINDS
    assert kinds <= set(PageKind.values)
    assert len(DATA["faq"]) >= 16
    assert {entry["topic"] for entry in DATA["faq"]} <= set(FaqTopic.values)
    slugs = {page["slug"] for page in DATA["pages"]}
    assert {entry["page"] for entry in DATA["faq"] if entry.get("page")} <= slugs


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_exists_in_every_language_and_survives_the_sanitiser(language):
    for page in DATA["pages"]:
        texts = page["texts"][language]
        assert all(texts.get(name, "").strip() for name in PAGE_FIELDS), (page["slug"], language)
        # Nothing the sanitiser would strip: what the author wrote is what shoppers see.
        assert sanitize_html(texts["body"]) == texts["body"].strip(), (page["slug"], language)
    for entry in DATA["faq"]:
        texts = entry["texts"][language]
        assert texts["question"].strip() and texts["answer"].strip(), (entry, language)
        assert sanitize_html(texts["answer"]) == texts["answer"].strip()


def test_texts_are_written_per_language_not_copied():
    for item in DATA["pages"] + DATA["faq"]:
        field = "title" if "slug" in item else "question"
        values = [item["texts"][code][field] for code in LANGUAGES]
        assert len(set(values)) == len(values), values


def test_the_size_guide_leaves_the_conversion_table_to_the_catalog():
    """The page renders catalog.ring_sizes' table under its text (tests/catalog/
    test_ring_sizes.py): no second, hand-typed table with figures of its own in any language."""
    guide = next(page for page in DATA["pages"] if page["kind"] == "size_guide")

    for language in LANGUAGES:
        body = guide["texts"][language]["body"]
        assert "<table>" not in body and "N½" not in body, language


@pytest.mark.django_db
def test_the_demo_step_loads_everything_in_every_language_and_again_without_duplicates():
    assert "store pages" in dict(STEPS)

    counts = store_content_load(data=DATA)
    again = store_content_load(data=DATA)

    assert counts == again == {"store pages": 7, "FAQ entries": len(DATA["faq"])}
    assert StorePage.objects.filter(is_published=True).count() == 7
    assert FaqEntry.objects.filter(is_published=True).count() == len(DATA["faq"])
    for model, field in ((StorePage, "title"), (FaqEntry, "question")):
        translations = model._parler_meta.root_model.objects.exclude(**{field: ""})
        for obj in model.objects.all():
            languages = set(translations.filter(master=obj).values_list("language_code", flat=True))
            assert languages == set(LANGUAGES), (obj, languages)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "query", "slug"),
    [
        ("en", "refund", "returns"),
        ("fr", "retour", "returns"),
        ("de", "Rückgabe", "returns"),
        ("es", "devolucion", "returns"),
        ("ja", "返品", "returns"),
        ("zh-hans", "退货", "returns"),
        ("ar", "الإرجاع", "returns"),
        ("fr", "taille de bague", "ring-size-guide"),
        ("de", "Zoll", "shipping"),
        ("ja", "関税", "shipping"),
        ("zh-hans", "珍珠", "care"),
        ("es", "garantía", "warranty-authenticity"),
        ("ar", "الدفع", "payment"),
        # Whole questions, as shoppers type them.
        ("en", "how long does delivery take?", "shipping"),
        ("de", "Wie lange dauert die Lieferung?", "shipping"),
        ("es", "¿Cómo puedo devolver un anillo?", "returns"),
        ("zh-hans", "如何退货", "returns"),
        ("ja", "返品したい", "returns"),
        ("fr", "comment nettoyer mes perles", "care"),
    ],
)
def test_the_help_search_finds_the_demo_answers_in_each_language(language, query, slug):
    store_content_load(data=DATA)

    results = selectors.search_help(query, language)

    found = [page.slug for page in results.pages] + [
        entry.page.slug for entry in results.faqs if entry.page
    ]
    assert slug in found, (query, found)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "query", "question"),
    [
        ("en", "how long does delivery take", "How long does delivery take?"),
        ("de", "wie lange dauert die lieferung", "Wie lange dauert die Lieferung?"),
        ("en", "refund", "When will I get my refund?"),
        ("ja", "指輪のサイズ", "自分の指輪のサイズを知るには？"),
        ("fr", "perles", "Comment prendre soin de mes perles ?"),
    ],
)
def test_the_best_answer_comes_first(language, query, question):
    store_content_load(data=DATA)

    results = selectors.search_help(query, language)

    assert results.faqs[0].safe_translation_getter("question", language_code=language) == question
