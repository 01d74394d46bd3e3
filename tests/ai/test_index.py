"""Product texts, the in-process vector index and semantic search through ai.services."""

import pytest

from ai import services
from ai.index import MemoryIndex
from ai.index.indexer import reindex_products
from ai.index.text import product_texts
from ai.models import ProductEmbedding
from catalog.models import GemstoneType
from catalog.services import product_create, product_set_translation


def _index(embedder):
    return MemoryIndex(backend=embedder.name, dimension=embedder.dimension)


def test_a_product_text_has_its_name_category_metal_gemstone_and_description(catalog):
    ring = catalog["ring"]

    text = product_texts([ring.pk])[ring.pk]["en"]

    assert text.startswith("Solitaire engagement ring. Rings. ")
    for part in ("Yellow gold", "18K", "Diamond", "A round brilliant diamond on a slim band."):
        assert part in text
    assert "<strong>" not in text


def test_a_translated_product_text_uses_the_translated_names(catalog):
    # Given a French name for the ring and for diamonds (the category already has one)
    ring = catalog["ring"]
    product_set_translation(product=ring, language="fr", name="Bague de fiançailles solitaire")
    diamond = GemstoneType.objects.get(slug="diamond")
    diamond.set_current_language("fr")
    diamond.name = "Diamant"
    diamond.save()

    texts = product_texts([ring.pk])[ring.pk]

    # Then the French text is French where a translation exists, English elsewhere
    assert set(texts) == {"en", "fr"}
    assert texts["fr"].startswith("Bague de fiançailles solitaire. Bagues. ")
    assert "Diamant" in texts["fr"] and "Yellow gold" in texts["fr"]


def test_the_in_process_index_finds_the_nearest_product(catalog, use_embedder):
    # Given the catalog embedded into an in-process index
    index = _index(use_embedder)
    reindex_products(embedder=use_embedder, index=index)

    # When shoppers search in French, Japanese and German
    def top(query, language):
        return index.search(use_embedder.embed([query])[0], k=3, language=language)[0][0]

    # Then the nearest product is the one they mean
    assert top("bague en diamant", "fr") == catalog["ring"].pk
    assert top("真珠のネックレス", "ja") == catalog["necklace"].pk
    assert top("Lederarmband", "de") == catalog["bracelet"].pk


def test_semantic_search_through_the_services(catalog, use_embedder, settings):
    settings.AI_EMBEDDING_BACKEND = "use-multilingual"
    services.search_reindex()

    hits = services.search_semantic("collier de perles", language="fr", limit=2)

    assert [pk for pk, _score in hits][0] == catalog["necklace"].pk
    assert len(hits) == 2
    assert hits[0][1] > hits[1][1]
    assert services.search_semantic("   ", language="fr") == []


def test_a_product_written_only_in_french_is_found_by_a_japanese_query(db, use_embedder, settings):
    # Given products whose only text is French
    settings.AI_EMBEDDING_BACKEND = "use-multilingual"
    earrings = product_create(
        handle="boucles-rubis",
        language="fr",
        name="Boucles d'oreilles en rubis",
        description="Deux rubis taille ovale sur or rose.",
    )
    product_create(handle="montre", language="fr", name="Montre en acier", description="")
    services.search_reindex()

    # When a shopper searches in Japanese
    hits = services.search_semantic("ルビーのイヤリング", language="ja", limit=1)

    # Then the French product is found (through its default-language row)
    assert hits[0][0] == earrings.pk
    languages = ProductEmbedding.objects.filter(product=earrings).values_list("language", flat=True)
    assert sorted(languages) == ["en", "fr"]


def test_search_can_be_limited_to_given_products(catalog, use_embedder):
    index = _index(use_embedder)
    reindex_products(embedder=use_embedder, index=index)
    allowed = [catalog["necklace"].pk, catalog["bracelet"].pk]

    hits = index.search(use_embedder.embed(["diamond ring"])[0], k=5, filter_product_ids=allowed)

    assert sorted(pk for pk, _score in hits) == sorted(allowed)
    assert index.search(use_embedder.embed(["ring"])[0], k=5, filter_product_ids=[]) == []


def test_a_search_in_an_unknown_language_is_refused(catalog, use_embedder):
    index = _index(use_embedder)

    with pytest.raises(ValueError, match="Unknown language 'xx'"):
        index.search(use_embedder.embed(["ring"])[0], k=5, language="xx")


def test_a_reindex_by_another_process_reaches_this_process_index(catalog, use_embedder):
    # Given a web process whose index is loaded
    web = _index(use_embedder)
    reindex_products(embedder=use_embedder, index=web)
    query = use_embedder.embed(["montre de plongée"])[0]
    assert len(web.search(query, k=5)) == 3

    # When a worker (an index object of its own) embeds a new product
    watch = product_create(handle="diver-watch", name="Diver's watch in steel")
    worker = _index(use_embedder)
    reindex_products([watch.pk], embedder=use_embedder, index=worker)

    # Then the web process finds it on its next search
    assert web.search(query, k=1)[0][0] == watch.pk


def test_a_deleted_product_leaves_every_process_index(
    catalog, use_embedder, django_capture_on_commit_callbacks
):
    web = _index(use_embedder)
    reindex_products(embedder=use_embedder, index=web)
    query = use_embedder.embed(["pearls"])[0]
    assert web.search(query, k=1)[0][0] == catalog["necklace"].pk

    with django_capture_on_commit_callbacks(execute=True):
        catalog["necklace"].delete()

    assert catalog["necklace"].pk not in [pk for pk, _score in web.search(query, k=5)]
