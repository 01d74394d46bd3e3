"""Built-in words whose category the catalog lacks, and queries no word of which matches.

A catalog imported from a merchant's file often has English text only and categories of its
own ("Necklace", "Bracelet", "Earrings", no "pendants"): a shopper's "Anhänger" (pendant)
must still find the pendants, through the English word, and a word the tables do not know
still finds the product the encoder sets clearly apart; gibberish finds nothing.
"""

from decimal import Decimal

import pytest

from ai import services
from ai.index.indexer import reindex_products
from ai.search import snapshot as search_snapshot
from ai.search.query import parse_query
from catalog.models import Material
from tests.factories import CategoryFactory, MaterialFactory, ProductFactory

PENDANTS = {"heart-pendant", "locket-pendant"}


def english_only_catalog() -> dict:
    """Nine products, English text only, categories named like a Shopify product type."""
    necklace = CategoryFactory(slug="necklace", name="Necklace")
    bracelet = CategoryFactory(slug="bracelet", name="Bracelet")
    earrings = CategoryFactory(slug="earrings", name="Earrings")
    silver = MaterialFactory(slug="silver", name="Silver", kind=Material.Kind.METAL)
    leather = MaterialFactory(slug="leather", name="Leather", kind=Material.Kind.OTHER)
    rows = [
        ("heart-pendant", "Heart pendant", necklace, "A small heart pendant on a fine chain."),
        ("locket-pendant", "Oval locket pendant", necklace, "An engraved locket pendant."),
        ("beaded-choker", "Beaded choker", necklace, "Glass beads on a stretch cord."),
        ("herringbone-chain", "Herringbone chain", necklace, "A flat, supple chain."),
        ("leather-cuff", "Braided leather cuff", bracelet, "Brown braided leather, snap clasp."),
        ("charm-bracelet", "Moon charm bracelet", bracelet, "A crescent moon charm."),
        ("bangle", "Hammered bangle", bracelet, "A hammered open bangle."),
        ("hoop-earrings", "Small hoop earrings", earrings, "Lightweight everyday hoops."),
        ("stud-earrings", "Ball stud earrings", earrings, "Polished round studs."),
    ]
    items = {}
    for handle, name, category, description in rows:
        metal = leather if handle == "leather-cuff" else silver
        items[handle] = ProductFactory(
            handle=handle,
            name=name,
            description=description,
            category=category,
            variants=[{"price": Decimal("80.00"), "metal": metal}],
        )
    return items


@pytest.fixture
def english_shop(db, use_embedder):
    search_snapshot.clear_cache()
    items = english_only_catalog()
    reindex_products(embedder=use_embedder)
    yield items
    search_snapshot.clear_cache()


def handles(result, shop) -> list[str]:
    by_pk = {item.pk: handle for handle, item in shop.items()}
    return [by_pk[pk] for pk in result.product_ids]


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("Anhänger", "de"),
        ("pendentif", "fr"),
        ("ペンダント", "ja"),
        ("吊坠", "zh-hans"),
        ("colgante", "es"),
        ("دلاية", "ar"),
    ],
)
def test_pendant_in_any_language_finds_the_pendants_of_a_catalog_without_that_category(
    english_shop, query, language
):
    # Given an English-only catalog with no "pendants" category
    # When a shopper asks for a pendant in their own language
    result = services.search_products(query, language=language)

    # Then the two pendants come first, matched through the English word
    assert set(handles(result, english_shop)[:2]) == PENDANTS
    assert "pendant" in result.matched_terms
    # and nothing was filtered or relaxed for a category the catalog does not have
    assert result.recognised == []
    assert not result.relaxed


def test_a_lexicon_word_without_its_key_becomes_a_hint_not_a_filter(english_shop):
    snap = search_snapshot.current(backend="use-multilingual")

    parsed = parse_query("Silberanhänger", language="de", snapshot=snap)

    # The catalog's own metal is a filter; the missing category is searched by its English word
    assert [item.key for item in parsed.recognised] == ["metal:silver"]
    assert [(hint.key, hint.english) for hint in parsed.hints] == [
        ("category:pendants", ("pendant",))
    ]


def test_the_longest_built_in_phrase_wins_and_is_not_taken_for_a_typo(english_shop):
    snap = search_snapshot.current(backend="use-multilingual")

    parsed = parse_query("bague de fiançailles", language="fr", snapshot=snap)

    # "bague de fiançailles" is one phrase (engagement rings), not "bague" plus a typo
    assert [(hint.key, hint.english) for hint in parsed.hints] == [
        ("category:engagement-rings", ("engagement", "ring"))
    ]
    assert parsed.recognised == [] and parsed.corrected_words == {}


def test_a_compound_with_a_missing_category_keeps_the_filter_and_finds_the_pendants(
    english_shop,
):
    result = services.search_products("Silberanhänger", language="de")

    assert set(handles(result, english_shop)[:2]) == PENDANTS


def test_a_word_naming_a_category_the_catalog_has_is_still_a_filter(english_shop):
    # "Ohrringe" is "earrings": the catalog has that category, so it filters
    result = services.search_products("Ohrringe", language="de")

    assert [item.key for item in result.recognised] == ["category:earrings"]
    assert set(handles(result, english_shop)) == {"hoop-earrings", "stud-earrings"}


@pytest.mark.parametrize(("query", "language"), [("lune", "fr"), ("Mond", "de"), ("月", "ja")])
def test_a_word_no_table_knows_finds_what_the_encoder_sets_clearly_apart(
    english_shop, query, language
):
    # Given a word that matches no product text and no built-in table ("moon")
    result = services.search_products(query, language=language)

    # Then the moon charm bracelet, far closer than anything else, is the answer
    assert handles(result, english_shop) == ["charm-bracelet"]


@pytest.mark.parametrize(
    ("query", "language"), [("zzzzqqq", "en"), ("xyzzy plugh", "en"), ("qwertz uiop", "de")]
)
def test_gibberish_still_finds_nothing(english_shop, query, language):
    result = services.search_products(query, language=language)

    assert result.product_ids == []
    assert result.total == 0
