"""Semantic search: the vector part of the search (ranking and query understanding build on it).

    embed_texts(texts) -> (n, d) float32, L2-normalised; embedder_info()
    search_semantic(query, language=..., limit=..., product_ids=...) -> [(product_id, score)]
    search_semantic_by_vector(vector, ...) -> the same for a vector you already have.

Query vectors are cached (the last few hundred): shoppers repeat queries and autocomplete
asks often. Heavy libraries load on first use only (the embedder).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
from django.conf import settings

from ai.embeddings import Embedder, get_embedder
from ai.embeddings import batch_size as embedding_batch_size
from ai.index import SearchHit, get_index


def embed_texts(texts: list[str], *, backend: str | None = None) -> np.ndarray:
    """Embeds texts with the configured backend (or the one named): (n, d) float32, unit rows."""
    return get_embedder(backend).embed(list(texts), batch_size=embedding_batch_size())


def embedder_info(embedder: Embedder | None = None) -> dict:
    """The search embedder's identity, as recorded with model versions."""
    embedder = embedder or get_embedder()
    return {
        "embedding_backend": getattr(settings, "AI_EMBEDDING_BACKEND", "use-multilingual"),
        "embedder": embedder.name,
        "model": str(getattr(embedder, "model_dir", "") or embedder.name),
        "dimension": embedder.dimension,
    }


class _QueryCache:
    """The last few hundred query vectors: shoppers repeat queries and autocomplete asks often."""

    def __init__(self, size: int = 512):
        self.size = size
        self._items: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def vector(self, embedder: Embedder, text: str) -> np.ndarray:
        key = (embedder.name, text)
        with self._lock:
            vector = self._items.get(key)
            if vector is not None:
                self._items.move_to_end(key)
                return vector
        vector = embedder.embed([text])[0]
        vector.setflags(write=False)
        with self._lock:
            self._items[key] = vector
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return vector


_query_cache = _QueryCache()


def search_semantic_by_vector(
    vector,
    *,
    language: str | None = None,
    limit: int = 50,
    product_ids: Iterable[int] | None = None,
    embedder: Embedder | None = None,
) -> list[SearchHit]:
    """The products whose text is nearest to `vector` (from embed_texts), best first."""
    embedder = embedder or get_embedder()
    index = get_index(backend=embedder.name, dimension=embedder.dimension)
    return index.search(vector, k=limit, language=language, filter_product_ids=product_ids)


def search_semantic(
    query: str,
    *,
    language: str | None = None,
    limit: int = 50,
    product_ids: Iterable[int] | None = None,
) -> list[SearchHit]:
    """Products whose text means something close to `query`, in any language, best first.

    Returns [(product_id, cosine score)], at most `limit`, one per product. `language`
    (a code of settings.LANGUAGES) looks at the products' text in that language and their
    default-language text; None looks at every language. `product_ids` limits the search
    to these products (for example those passing the shopper's filters). Any product
    status can come back: the caller keeps what the shopper may see.
    """
    query = (query or "").strip()
    if not query or limit <= 0:
        return []
    embedder = get_embedder()
    vector = _query_cache.vector(embedder, query)
    return search_semantic_by_vector(
        vector, language=language, limit=limit, product_ids=product_ids, embedder=embedder
    )
