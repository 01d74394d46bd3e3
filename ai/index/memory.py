"""The in-process index: one numpy matrix of normalised vectors per process.

Search is one matrix-vector product (cosine = dot product of unit vectors) plus a partial
sort, exact rather than approximate. The matrix is loaded from the ProductEmbedding rows on
first use and reloaded whenever the backend's change counter (SearchIndexVersion) moved,
which costs one tiny query per search; so when a worker re-indexes, every web process
picks the change up on its next search. Memory: rows x dimension x 4 bytes per process
(100k products x 512-d = 205 MB; x the languages that have their own text).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db import DEFAULT_DB_ALIAS

from ai.models import ProductEmbedding

from .base import (
    ProgressCallback,
    SearchHit,
    VectorIndex,
    as_query_vector,
    best_per_product,
    search_languages,
)
from .store import current_version

_CHUNK = 2000


@dataclass(frozen=True)
class _Snapshot:
    version: int
    matrix: np.ndarray  # (rows, dimension) float32, unit rows
    product_ids: np.ndarray  # (rows,) int64
    language_index: np.ndarray  # (rows,) int16, position in `languages`
    languages: tuple[str, ...]


class MemoryIndex(VectorIndex):
    kind = "memory"

    def __init__(self, *, backend: str, dimension: int, using: str = DEFAULT_DB_ALIAS):
        super().__init__(backend=backend, dimension=dimension)
        self.using = using
        self._snapshot: _Snapshot | None = None
        self._lock = threading.Lock()

    # --- loading --------------------------------------------------------------------------
    def _load(self, version: int, progress: ProgressCallback | None = None) -> _Snapshot:
        rows = ProductEmbedding.objects.using(self.using).filter(
            backend=self.backend, dimension=self.dimension
        )
        total = rows.count()
        matrix = np.empty((total, self.dimension), dtype=np.float32)
        product_ids = np.empty(total, dtype=np.int64)
        language_index = np.empty(total, dtype=np.int16)
        languages: dict[str, int] = {}
        count = 0
        values = rows.order_by("pk").values_list("product_id", "language", "vector")
        for product_id, language, vector in values.iterator(chunk_size=_CHUNK):
            if count == len(matrix):  # rows were added after the count
                grow = max(_CHUNK, count // 4)
                matrix = np.concatenate([matrix, np.empty((grow, self.dimension), np.float32)])
                product_ids = np.concatenate([product_ids, np.empty(grow, np.int64)])
                language_index = np.concatenate([language_index, np.empty(grow, np.int16)])
            matrix[count] = np.frombuffer(vector, dtype=np.float32)
            product_ids[count] = product_id
            language_index[count] = languages.setdefault(language, len(languages))
            count += 1
            if progress and count % _CHUNK == 0:
                progress(count, max(total, count), "")
        return _Snapshot(
            version=version,
            matrix=matrix[:count],
            product_ids=product_ids[:count],
            language_index=language_index[:count],
            languages=tuple(languages),
        )

    def _current(self) -> _Snapshot:
        version = current_version(self.backend, using=self.using)
        snapshot = self._snapshot
        if snapshot is not None and snapshot.version == version:
            return snapshot
        with self._lock:
            snapshot = self._snapshot
            if snapshot is None or snapshot.version != version:
                snapshot = self._load(version)
                self._snapshot = snapshot
        return snapshot

    # --- interface ------------------------------------------------------------------------
    def build(self, *, progress: ProgressCallback | None = None) -> int:
        with self._lock:
            self._snapshot = self._load(current_version(self.backend, using=self.using), progress)
            return len(self._snapshot.product_ids)

    def upsert(self, product_ids: Iterable[int]) -> int:
        """Drops this process's copy; it reloads on the next search.

        Other processes reload when the indexer bumps the change counter after writing.
        """
        with self._lock:
            self._snapshot = None
        return 0

    def __len__(self) -> int:
        return len(self._current().product_ids)

    def search(
        self,
        query_vector,
        *,
        k: int = 50,
        language: str | None = None,
        filter_product_ids: Iterable[int] | None = None,
    ) -> list[SearchHit]:
        query = as_query_vector(query_vector, self.dimension)
        languages = search_languages(language)
        if k <= 0:
            return []
        snapshot = self._current()
        if not len(snapshot.product_ids):
            return []
        scores = snapshot.matrix @ query
        mask = None
        if languages is not None:
            wanted = [
                snapshot.languages.index(code) for code in languages if code in snapshot.languages
            ]
            mask = np.isin(snapshot.language_index, wanted)
        if filter_product_ids is not None:
            allowed = np.fromiter((int(pk) for pk in filter_product_ids), dtype=np.int64)
            in_filter = np.isin(snapshot.product_ids, allowed)
            mask = in_filter if mask is None else mask & in_filter
        if mask is not None:
            candidates = np.flatnonzero(mask)
            if not len(candidates):
                return []
            scores = scores[candidates]
        else:
            candidates = None
        # A product has at most one row per language in scope; taking that many times k rows
        # guarantees k distinct products when there are that many.
        per_product = len(languages) if languages is not None else max(1, len(snapshot.languages))
        take = min(len(scores), k * per_product)
        top = (
            np.argpartition(-scores, take - 1)[:take]
            if take < len(scores)
            else np.arange(len(scores))
        )
        top = top[np.argsort(-scores[top], kind="stable")]
        rows = top if candidates is None else candidates[top]
        return best_per_product(snapshot.product_ids[rows], scores[top], k)
