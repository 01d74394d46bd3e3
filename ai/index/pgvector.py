"""The pgvector index: HNSW (cosine) inside PostgreSQL, shared by every process.

The `embedding` column of ai_productembedding is not part of the Django model (SQLite
cannot have it). It is an untyped `vector` column, added by migration
ai.0002_pgvector only when the server offers the extension; one partial HNSW index per
embedding backend indexes `embedding::vector(<dimension>)` for that backend's rows, which
lets models of different dimensions share the table. Everything here is raw SQL on a
Django connection (`using`), so the tests can run it against a server of their own.

The bytes in the model's `vector` column stay the source of truth: build() and upsert()
copy them into `embedding` with a binary COPY (fast: no float formatting).
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
from collections.abc import Iterable

import numpy as np
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .base import (
    ProgressCallback,
    SearchHit,
    VectorIndex,
    as_query_vector,
    best_per_product,
    language_codes,
    search_languages,
)

TABLE = "ai_productembedding"
COLUMN = "embedding"
_SYNC_CHUNK = 2000
_PGCOPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_PGCOPY_TRAILER = struct.pack(">h", -1)

# Per-connection facts that do not change while a process runs (cleared by reset()).
_ready: dict[str, bool] = {}
_iterative_scan: dict[str, bool] = {}


# --- SQL building blocks (a DB-API cursor in, no Django models) -------------------------------
def vector_extension_available(cursor) -> bool:
    """True when the server can CREATE EXTENSION vector (it is installed on the server)."""
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
    return cursor.fetchone() is not None


def vector_column_exists(cursor) -> bool:
    cursor.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s AND column_name = %s",
        [TABLE, COLUMN],
    )
    return cursor.fetchone() is not None


def hnsw_index_name(backend: str, dimension: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", backend.lower()).strip("_")[:24]
    digest = hashlib.sha1(backend.encode()).hexdigest()[:8]
    return f"ai_pe_hnsw_{slug}_{digest}_{int(dimension)}"


def install_schema(cursor, *, backend: str, dimension: int) -> None:
    """Creates the extension, the column and the backend's HNSW index (each if missing)."""
    dimension = int(dimension)
    cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
    cursor.execute(f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {COLUMN} vector")
    # The backend name is a literal in the index predicate (a parameter cannot be), and the
    # searches repeat it literally so the planner can match the partial index.
    cursor.execute(
        f"CREATE INDEX IF NOT EXISTS {hnsw_index_name(backend, dimension)} ON {TABLE} "
        f"USING hnsw (({COLUMN}::vector({dimension})) vector_cosine_ops) "
        f"WHERE backend = %s AND dimension = {dimension}",
        [backend],
    )


def uninstall_schema(cursor) -> None:
    """Drops the column and with it every HNSW index on it (the extension stays)."""
    cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {COLUMN}")


def copy_payload(ids: np.ndarray, vectors: np.ndarray) -> bytes:
    """Rows (id bigint, embedding vector) in PostgreSQL's binary COPY format."""
    count, dimension = vectors.shape
    row = np.dtype(
        [
            ("fields", ">i2"),
            ("id_length", ">i4"),
            ("id", ">i8"),
            ("vector_length", ">i4"),
            ("dimension", ">u2"),
            ("unused", ">u2"),
            ("values", ">f4", (dimension,)),
        ]
    )
    rows = np.empty(count, dtype=row)
    rows["fields"] = 2
    rows["id_length"] = 8
    rows["id"] = ids
    rows["vector_length"] = 4 + 4 * dimension
    rows["dimension"] = dimension
    rows["unused"] = 0
    rows["values"] = vectors
    return _PGCOPY_HEADER + rows.tobytes() + _PGCOPY_TRAILER


def _copy_in(cursor, sql: str, payload: bytes) -> None:
    raw = getattr(cursor, "cursor", cursor)  # Django's CursorWrapper around the driver's
    if hasattr(raw, "copy_expert"):  # psycopg2
        raw.copy_expert(sql, io.BytesIO(payload))
    else:  # psycopg 3
        with raw.copy(sql) as copy:
            copy.write(payload)


def write_vectors(cursor, ids: np.ndarray, vectors: np.ndarray) -> int:
    """Sets `embedding` of these ai_productembedding rows (call inside a transaction)."""
    if not len(ids):
        return 0
    cursor.execute(
        "CREATE TEMPORARY TABLE IF NOT EXISTS ai_embedding_load "
        "(id bigint PRIMARY KEY, embedding vector) ON COMMIT DELETE ROWS"
    )
    cursor.execute("TRUNCATE ai_embedding_load")
    _copy_in(
        cursor,
        "COPY ai_embedding_load (id, embedding) FROM STDIN WITH (FORMAT BINARY)",
        copy_payload(ids, vectors),
    )
    cursor.execute(
        f"UPDATE {TABLE} AS target SET {COLUMN} = source.embedding "
        "FROM ai_embedding_load AS source WHERE target.id = source.id"
    )
    return len(ids)


def vector_literal(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{value:.8g}" for value in vector.tolist()) + "]"


# --- availability -----------------------------------------------------------------------------
def pgvector_ready(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True on PostgreSQL when migration ai.0002 could add the vector column."""
    if using not in _ready:
        connection = connections[using]
        ready = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                ready = vector_column_exists(cursor)
        _ready[using] = ready
    return _ready[using]


def reset() -> None:
    _ready.clear()
    _iterative_scan.clear()


def _supports_iterative_scan(cursor, using: str) -> bool:
    """pgvector 0.8 filters during the HNSW scan instead of after it (no lost results)."""
    if using not in _iterative_scan:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        row = cursor.fetchone()
        version = tuple(int(part) for part in re.findall(r"\d+", row[0] if row else "0")[:2])
        _iterative_scan[using] = version >= (0, 8)
    return _iterative_scan[using]


# --- the index --------------------------------------------------------------------------------
class PgVectorIndex(VectorIndex):
    kind = "pgvector"

    def __init__(self, *, backend: str, dimension: int, using: str = DEFAULT_DB_ALIAS):
        super().__init__(backend=backend, dimension=dimension)
        self.using = using

    @property
    def connection(self):
        return connections[self.using]

    def ensure_schema(self) -> None:
        with transaction.atomic(using=self.using), self.connection.cursor() as cursor:
            install_schema(cursor, backend=self.backend, dimension=self.dimension)
        _ready[self.using] = True

    def _sync(self, product_ids: list[int] | None, progress: ProgressCallback | None) -> int:
        """Copies the stored bytes into `embedding`, in chunks of rows ordered by id."""
        where = "backend = %s AND dimension = %s"
        params: list = [self.backend, self.dimension]
        if product_ids is not None:
            where += " AND product_id = ANY(%s)"
            params.append(list(product_ids))
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {where}", params)
            total = cursor.fetchone()[0]
        done, last_id = 0, 0
        while True:
            with transaction.atomic(using=self.using), self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, vector FROM {TABLE} WHERE {where} AND id > %s "
                    f"ORDER BY id LIMIT {_SYNC_CHUNK}",
                    [*params, last_id],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
                vectors = np.frombuffer(
                    b"".join(bytes(row[1]) for row in rows), dtype=np.float32
                ).reshape(len(rows), self.dimension)
                write_vectors(cursor, ids, vectors)
            done += len(rows)
            last_id = int(ids[-1])
            if progress:
                progress(done, max(total, done), "")
        return done

    def build(self, *, progress: ProgressCallback | None = None) -> int:
        self.ensure_schema()
        return self._sync(None, progress)

    def upsert(self, product_ids: Iterable[int]) -> int:
        product_ids = [int(pk) for pk in product_ids]
        if not product_ids:
            return 0
        return self._sync(product_ids, None)

    def __len__(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE backend = %s AND dimension = %s "
                f"AND {COLUMN} IS NOT NULL",
                [self.backend, self.dimension],
            )
            return cursor.fetchone()[0]

    def search_query(
        self,
        query_vector,
        *,
        k: int,
        language: str | None = None,
        filter_product_ids: Iterable[int] | None = None,
    ) -> tuple[str, list]:
        """The SQL of a search and its parameters (rows: product_id, cosine distance)."""
        query = as_query_vector(query_vector, self.dimension)
        languages = search_languages(language)
        dimension = self.dimension
        distance = f"{COLUMN}::vector({dimension}) <=> %s::vector({dimension})"
        where = [f"backend = %s AND dimension = {dimension} AND {COLUMN} IS NOT NULL"]
        params: list = [vector_literal(query), self.backend]
        if languages is not None:
            where.append("language = ANY(%s)")
            params.append(languages)
        if filter_product_ids is not None:
            where.append("product_id = ANY(%s)")
            params.append([int(pk) for pk in filter_product_ids])
        # A product has at most one row per language in scope.
        per_product = len(languages) if languages is not None else len(language_codes())
        params.append(k * per_product)
        sql = (
            f"SELECT product_id, {distance} AS distance FROM {TABLE} "
            f"WHERE {' AND '.join(where)} ORDER BY distance LIMIT %s"
        )
        return sql, params

    def search(
        self,
        query_vector,
        *,
        k: int = 50,
        language: str | None = None,
        filter_product_ids: Iterable[int] | None = None,
    ) -> list[SearchHit]:
        if filter_product_ids is not None:
            filter_product_ids = list(filter_product_ids)
            if not filter_product_ids:
                return []
        sql, params = self.search_query(
            query_vector, k=k, language=language, filter_product_ids=filter_product_ids
        )
        if k <= 0:
            return []
        limit = params[-1]
        ef_search = max(int(getattr(settings, "AI_PGVECTOR_EF_SEARCH", 100)), limit)
        with transaction.atomic(using=self.using), self.connection.cursor() as cursor:
            # pgvector caps hnsw.ef_search at 1000.
            cursor.execute(f"SET LOCAL hnsw.ef_search = {min(ef_search, 1000)}")
            if _supports_iterative_scan(cursor, self.using):
                cursor.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        # relaxed_order may return rows slightly out of order.
        rows.sort(key=lambda row: row[1])
        return best_per_product((row[0] for row in rows), (1.0 - row[1] for row in rows), k)
