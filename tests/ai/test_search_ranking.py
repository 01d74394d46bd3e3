"""Hybrid ranking through ai.services: typos, cross-lingual retrieval, published only, filters,
facets, autocomplete and highlighting, on a small catalog embedded with the real encoder."""

from decimal import Decimal

import pytest

from ai import services
from ai.index.indexer import reindex_products
from catalog.models import PublicationStatus
from catalog.services import products_set_status
from tests.factories import ExchangeRateFactory

from .test_search_query import search_shop  # noqa: F401 - the catalog fixture


@pytest.fixture
def indexed(search_shop, use_embedder):  # noqa: F811
    reindex_products(embedder=use_embedder)
    return search_shop


def handles(result, shop) -> list[str]:
    by_pk = {item.pk: key for key, item in shop.items() if hasattr(item, "handle")}
    return [by_pk[pk] for pk in result.product_ids]


def test_a_query_finds_the_piece_it_names(indexed):
    result = services.search_products("sapphire ring", language="en")

    assert handles(result, indexed) == ["sapphire-ring"]
    assert result.scores[0] > 0


def test_typos_are_tolerated_and_the_correction_is_offered(indexed):
    result = services.search_products("saphire rnig", language="en")

    assert handles(result, indexed)[0] == "sapphire-ring"
    assert result.corrected_query == "Sapphire Rings"


def test_a_misspelt_word_of_the_text_still_matches(indexed):
    result = services.search_products("solitare", language="en")

    assert handles(result, indexed)[0] == "diamond-ring"


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("サファイアの指輪", "ja"),
        ("蓝宝石戒指", "zh-hans"),
        ("خاتم ياقوت أزرق", "ar"),
        ("bague saphir", "fr"),
        ("Saphirring", "de"),
        ("anillo de zafiro", "es"),
    ],
)
def test_a_query_in_any_language_finds_a_product_whose_text_is_only_english(
    indexed, query, language
):
    result = services.search_products(query, language=language)

    assert handles(result, indexed)[0] == "sapphire-ring"


def test_the_encoder_alone_also_crosses_languages(indexed):
    # Given only vectors (no query understanding, no text matching)
    result = services.search_products("真珠のイヤリング", language="ja", mode="vector")

    # Then the English-only pearl earrings come first for "pearl earrings" in Japanese
    assert handles(result, indexed)[0] == "pearl-earrings"


def test_unpublished_products_never_come_back(indexed):
    for mode in ("hybrid", "lexical", "vector"):
        result = services.search_products("diamond ring pavé solitaire", language="en", mode=mode)
        assert "draft-ring" not in handles(result, indexed), mode
        assert "diamond-ring" in handles(result, indexed), mode


def test_unpublishing_takes_effect_on_the_next_search(indexed):
    ring = indexed["sapphire-ring"]
    products_set_status(
        products=type(ring).objects.filter(pk=ring.pk), status=PublicationStatus.DRAFT
    )

    result = services.search_products("sapphire ring", language="en")

    assert "sapphire-ring" not in handles(result, indexed)


def test_a_price_limit_in_the_query_filters_in_the_base_currency(indexed):
    # Given 1 USD = 150 JPY
    ExchangeRateFactory(currency="JPY", rate=Decimal("150"))

    # When a Japanese shopper asks for earrings under 30,000 yen (200 USD)
    result = services.search_products("ピアス 30000円以下", language="ja")

    # Then the 120 USD pearl earrings come, the 300 USD hoops do not
    assert handles(result, indexed) == ["pearl-earrings"]
    assert [item.kind for item in result.recognised] == ["price", "category"]


def test_a_price_without_currency_is_in_the_shoppers_currency(indexed):
    ExchangeRateFactory(currency="EUR", rate=Decimal("0.5"))

    in_dollars = services.search_products("earrings under 200", language="en")
    in_euros = services.search_products("earrings under 200", language="fr", currency="EUR")

    assert handles(in_dollars, indexed) == ["pearl-earrings"]
    assert set(handles(in_euros, indexed)) == {"pearl-earrings", "gold-hoops"}


def test_shopper_filters_narrow_and_ignored_recognitions_widen(indexed):
    rings = services.search_products("ring", language="en")
    platinum = services.search_products(
        "ring", language="en", filters=services.search_filters(metals=["platinum"])
    )
    widened = services.search_products(
        "sapphire ring", language="en", filters={"ignore": ["gemstone:sapphire"]}
    )

    assert set(handles(rings, indexed)) == {"sapphire-ring", "diamond-ring"}
    assert handles(platinum, indexed) == ["diamond-ring"]
    assert set(handles(widened, indexed)) == {"sapphire-ring", "diamond-ring"}
    assert handles(widened, indexed)[0] == "sapphire-ring"


def test_filters_that_match_nothing_are_relaxed_not_a_dead_end(indexed):
    result = services.search_products("ruby earrings", language="en")

    assert result.relaxed
    assert result.total > 0


def test_colour_words_favour_stones_of_that_colour(indexed):
    result = services.search_products("red necklace or ring", language="en")

    assert handles(result, indexed)[0] == "ruby-necklace"


def test_facets_count_the_results_by_metal_stone_category_and_price(indexed):
    result = services.search_products("earrings", language="en")

    metals = {option.value: option.count for option in result.facets["metal"]}
    categories = {option.value: option.count for option in result.facets["category"]}
    assert result.total == 2
    assert metals == {"sterling-silver": 1, "yellow-gold": 1}
    assert categories == {"earrings": 2}
    assert sum(option.count for option in result.facets["price"]) == 2


def test_pages_of_results_do_not_overlap(indexed):
    first = services.search_products("jewelry ring earrings necklace", language="en", limit=2)
    second = services.search_products(
        "jewelry ring earrings necklace", language="en", limit=2, offset=2
    )

    assert first.total == second.total
    assert not set(first.product_ids) & set(second.product_ids)


def test_lexical_mode_is_plain_bm25_without_understanding_or_typos(indexed):
    result = services.search_products("saphire", language="en", mode="lexical")

    assert result.product_ids == []
    assert result.recognised == []


def test_autocomplete_offers_names_and_published_products(indexed):
    suggestions = services.search_autocomplete("sapph", language="en")
    french = services.search_autocomplete("bag", language="fr")
    drafts = services.search_autocomplete("pav", language="en")

    assert {"text": "Sapphire", "kind": "gemstone", "value": "sapphire"} in suggestions
    assert {"text": "Sapphire halo ring", "kind": "product", "value": "sapphire-ring"} in (
        suggestions
    )
    assert {"text": "Bagues", "kind": "category", "value": "rings"} in french
    assert all(item["value"] != "draft-ring" for item in drafts)


def test_autocomplete_of_nothing_is_nothing(indexed):
    assert services.search_autocomplete("   ", language="en") == []
    assert services.search_autocomplete("zzzzqqq", language="en") == []


def test_highlighting_marks_matched_words_and_escapes_everything_else():
    marked = services.search_highlight('<b>Sapphire</b> "rings" & co', ["sapphir", "ring"])

    assert marked == (
        "&lt;b&gt;<mark>Sapphire</mark>&lt;/b&gt; &quot;<mark>rings</mark>&quot; &amp; co"
    )


def test_highlighting_marks_chinese_bigrams():
    assert services.search_highlight("蓝宝石戒指", ["戒指"]) == "蓝宝石<mark>戒指</mark>"


def test_search_works_before_anything_is_embedded(search_shop):  # noqa: F811
    result = services.search_products("pearl", language="en")

    assert handles(result, search_shop) == ["pearl-earrings"]


def test_an_import_marks_its_products_dirty_and_starts_a_reindex_job(db, settings):
    # Given a product already embedded (not dirty)
    import io
    from pathlib import Path

    from catalog.importers import import_shopify_csv
    from catalog.models import Product
    from shop.models import Job

    settings.SHOP_IMPORT_PLACEHOLDER_SIZE = 160
    data = Path(__file__).resolve().parents[1] / "data" / "shopify" / "good.csv"
    import_shopify_csv(file=io.BytesIO(data.read_bytes()))
    Product.objects.update(search_index_dirty=False)
    Job.objects.all().delete()

    # When the same file is imported again (an update)
    report = import_shopify_csv(file=io.BytesIO(data.read_bytes()))

    # Then its products are dirty again and a job re-embeds them
    assert report.ok
    assert Product.objects.filter(search_index_dirty=True).count() == 4
    assert Job.objects.filter(kind=services.JOB_SEARCH_REINDEX_DIRTY).count() == 1


def test_a_dry_run_import_starts_nothing(db, settings):
    import io
    from pathlib import Path

    from catalog.importers import import_shopify_csv
    from shop.models import Job

    settings.SHOP_IMPORT_PLACEHOLDER_SIZE = 160
    data = Path(__file__).resolve().parents[1] / "data" / "shopify" / "good.csv"

    import_shopify_csv(file=io.BytesIO(data.read_bytes()), dry_run=True)

    assert not Job.objects.exists()


def test_a_facet_narrows_what_the_query_asked_for(indexed):
    # "gold" means every gold; the shopper then picks rose gold in the facet
    every_gold = services.search_products("gold", language="en")
    rose_only = services.search_products(
        "gold", language="en", filters=services.search_filters(metals=["rose-gold"])
    )

    assert set(handles(every_gold, indexed)) == {"sapphire-ring", "ruby-necklace", "gold-hoops"}
    assert handles(rose_only, indexed) == ["ruby-necklace"]


def test_a_stale_snapshot_never_shows_a_product_unpublished_meanwhile(indexed, monkeypatch):
    # Given a snapshot taken while the sapphire ring was published
    from ai.search import ranking, snapshot

    old = snapshot.current(backend="use-multilingual")
    ring = indexed["sapphire-ring"]
    products_set_status(
        products=type(ring).objects.filter(pk=ring.pk), status=PublicationStatus.DRAFT
    )

    # When a large catalog's reload is still running and the old snapshot serves
    monkeypatch.setattr(ranking, "current_or_stale", lambda backend: (old, False))
    result = services.search_products("sapphire ring", language="en")

    # Then the page is checked against the database
    assert "sapphire-ring" not in handles(result, indexed)


def test_a_slow_snapshot_reload_happens_in_the_background(indexed, monkeypatch):
    # Given a snapshot whose load was slow (a large catalog)
    from ai.search import snapshot

    first = snapshot.current(backend="use-multilingual")
    first.load_seconds = 60.0
    started = []
    monkeypatch.setattr(snapshot, "_load_in_background", lambda signature: started.append(1))

    # When the catalog changes
    indexed["pearl-earrings"].save()
    served, fresh = snapshot.current_or_stale(backend="use-multilingual")

    # Then the old snapshot keeps serving while a reload starts
    assert served is first and not fresh
    assert started == [1]
