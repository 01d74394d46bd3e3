"""Vector indexes over the product embeddings.

    from ai.index import get_index
    index = get_index(backend=embedder.name, dimension=embedder.dimension)
    index.search(vector, k=50, language="ja")      # [(product_id, cosine), ...] best first

`AI_VECTOR_INDEX` chooses the index:

- ``auto`` (default): pgvector when the database is PostgreSQL and migration ai.0002 could
  add the vector column (the server has the extension), else the in-process index;
- ``memory``: a numpy matrix in each process (ai.index.memory);
- ``pgvector``: HNSW inside PostgreSQL (ai.index.pgvector); an error when unavailable.

One index object per (kind, backend, dimension, database) and process.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from .base import SearchHit, VectorIndex, VectorIndexUnavailable, search_languages
from .memory import MemoryIndex
from .pgvector import PgVectorIndex, pgvector_ready

__all__ = [
    "MemoryIndex",
    "PgVectorIndex",
    "SearchHit",
    "VectorIndex",
    "VectorIndexUnavailable",
    "clear_cache",
    "get_index",
    "index_kind",
    "search_languages",
]

KINDS = ("auto", "memory", "pgvector")

_cache: dict[tuple[str, str, int, str], VectorIndex] = {}
_lock = threading.Lock()


def index_kind(*, kind: str | None = None, using: str = DEFAULT_DB_ALIAS) -> str:
    """The index kind that serves: "memory" or "pgvector"."""
    kind = kind or getattr(settings, "AI_VECTOR_INDEX", "auto") or "auto"
    if kind not in KINDS:
        raise VectorIndexUnavailable(
            f"Unknown vector index {kind!r} (AI_VECTOR_INDEX); choose auto, memory or pgvector."
        )
    if kind == "auto":
        return "pgvector" if pgvector_ready(using) else "memory"
    if kind == "pgvector" and not pgvector_ready(using):
        raise VectorIndexUnavailable(
            "AI_VECTOR_INDEX=pgvector needs PostgreSQL with the pgvector extension available "
            "to the server (migration ai.0002 adds the vector column when it is); use auto "
            "to fall back to the in-process index."
        )
    return kind


def get_index(
    *, backend: str, dimension: int, kind: str | None = None, using: str = DEFAULT_DB_ALIAS
) -> VectorIndex:
    kind = index_kind(kind=kind, using=using)
    key = (kind, backend, int(dimension), using)
    index = _cache.get(key)
    if index is None:
        with _lock:
            index = _cache.get(key)
            if index is None:
                index_class = PgVectorIndex if kind == "pgvector" else MemoryIndex
                index = index_class(backend=backend, dimension=dimension, using=using)
                _cache[key] = index
    return index


def clear_cache() -> None:
    """Forgets the indexes of this process and what it learnt about the database (tests)."""
    from . import pgvector

    with _lock:
        _cache.clear()
    pgvector.reset()
