"""The interface of a vector index over the stored product embeddings."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable

import numpy as np
from django.conf import settings

# (done, total, message): how long work reports progress (a JobReporter, a tqdm bar, ...).
ProgressCallback = Callable[[int, int, str], None]

# (product_id, score): score is the cosine similarity, 1.0 for the same direction.
SearchHit = tuple[int, float]


class VectorIndexUnavailable(Exception):
    """The configured index cannot serve on this database (for example pgvector on SQLite)."""


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def search_languages(language: str | None) -> list[str] | None:
    """The embedding rows a search in `language` looks at: that language and the default one.

    Every product has a row in the default language (its fallback text), so a shopper
    searching in Japanese also finds products whose text exists only in English.
    None means every language.
    """
    if language is None:
        return None
    codes = language_codes()
    if language not in codes:
        raise ValueError(f"Unknown language {language!r}; expected one of {', '.join(codes)}")
    return sorted({language, settings.LANGUAGE_CODE})


def as_query_vector(query_vector, dimension: int) -> np.ndarray:
    vector = np.asarray(query_vector, dtype=np.float32).reshape(-1)
    if vector.shape[0] != dimension:
        raise ValueError(f"The query vector has {vector.shape[0]} dimensions, expected {dimension}")
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def best_per_product(
    product_ids: Iterable[int], scores: Iterable[float], k: int
) -> list[SearchHit]:
    """The k best products from rows sorted best first (a product may have several rows)."""
    hits: list[SearchHit] = []
    seen: set[int] = set()
    for product_id, score in zip(product_ids, scores, strict=True):
        product_id = int(product_id)
        if product_id in seen:
            continue
        seen.add(product_id)
        hits.append((product_id, float(score)))
        if len(hits) >= k:
            break
    return hits


class VectorIndex(ABC):
    """Nearest-neighbour search over the ProductEmbedding rows of one embedding backend.

    The rows (ai.models.ProductEmbedding) are the source of truth, written by
    ai.index.indexer; an index makes them searchable:

    - build(): take in every stored row (after a full re-index);
    - upsert(product_ids): take in the stored rows of these products (after they changed);
    - search(query_vector, k=..., language=..., filter_product_ids=...): the k most similar
      products as (product_id, cosine score), best first, one hit per product.
    """

    kind: str = ""

    def __init__(self, *, backend: str, dimension: int):
        self.backend = backend
        self.dimension = int(dimension)

    @abstractmethod
    def build(self, *, progress: ProgressCallback | None = None) -> int:
        """Takes in every stored vector of the backend; returns how many the index holds."""

    @abstractmethod
    def upsert(self, product_ids: Iterable[int]) -> int:
        """Takes in the stored vectors of these products; returns how many rows were read."""

    @abstractmethod
    def search(
        self,
        query_vector,
        *,
        k: int = 50,
        language: str | None = None,
        filter_product_ids: Iterable[int] | None = None,
    ) -> list[SearchHit]:
        """The k products nearest to the query vector, best first."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.backend} ({self.dimension}-d)>"
