"""The AI app's public face: catalog, customers, orders, views, admin and tasks call AI only here.

Jobs (long work on a Celery worker, with progress in the admin)
    job_start, job_retry, job_cancel, job_progress, job_kinds, JobReporter, Job statuses in
    ai.models.JobStatus. New kinds are declared in ai/tasks.py (see ai/jobs.py).

Model registry
    model_version_register, model_version_activate, model_version_active.

Embeddings
    embed_texts(texts) -> (n, d) float32, L2-normalised; embedder_info().

Semantic search (the vector part; ranking and query understanding build on it)
    search_semantic(query, language=..., limit=..., product_ids=...) -> [(product_id, score)]
    search_semantic_by_vector(vector, ...) -> the same for a vector you already have.
    search_reindex(...)                 re-embed every product and rebuild the index (in process)
    search_reindex_dirty(...)           re-embed the products marked search_index_dirty
    search_reindex_start(...)           the same full rebuild as a background job
    search_mark_dirty_reindex_soon(...) after an import: (mark and) re-embed soon, in a job
    search_index_status()               what the index holds, for the admin and the checks

Heavy libraries load on first use only (numpy models; torch for the transformers backend);
nothing here imports TensorFlow.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
from django.conf import settings
from django.db import transaction

from .embeddings import Embedder, EmbeddingBackendError, get_embedder
from .embeddings import batch_size as embedding_batch_size
from .index import SearchHit, VectorIndexUnavailable, get_index, index_kind
from .index.indexer import ReindexReport, reindex_products
from .jobs import (
    JobCancelled,
    JobReporter,
    job_cancel,
    job_kinds,
    job_progress,
    job_retry,
    job_start,
)
from .models import Capability, Job, ModelVersion, ProductEmbedding
from .registry import model_version_activate, model_version_active, model_version_register

__all__ = [
    "EmbeddingBackendError",
    "JobCancelled",
    "JobReporter",
    "VectorIndexUnavailable",
    "embed_texts",
    "embedder_info",
    "job_cancel",
    "job_kinds",
    "job_progress",
    "job_retry",
    "job_start",
    "model_version_activate",
    "model_version_active",
    "model_version_register",
    "search_index_status",
    "search_mark_dirty_reindex_soon",
    "search_reindex",
    "search_reindex_dirty",
    "search_reindex_dirty_start",
    "search_reindex_start",
    "search_semantic",
    "search_semantic_by_vector",
]

JOB_SEARCH_REINDEX = "search.reindex"
JOB_SEARCH_REINDEX_DIRTY = "search.reindex_dirty"


# --- embeddings -------------------------------------------------------------------------------
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


# --- semantic search --------------------------------------------------------------------------
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


# --- (re)indexing -----------------------------------------------------------------------------
def search_reindex(
    *,
    full: bool = True,
    languages: Iterable[str] | None = None,
    progress=None,
) -> dict:
    """Embeds every product and rebuilds the index; records a search ModelVersion.

    full=True embeds every text again (after a model change); full=False embeds only texts
    that changed and still rebuilds the index. Returns the report as a dict (the job result).
    """
    embedder = get_embedder()
    report: ReindexReport = reindex_products(
        None, languages=languages, force=full, embedder=embedder, progress=progress
    )
    model_version = model_version_register(
        capability=Capability.SEARCH,
        parameters={**embedder_info(embedder), "index": report.index, "full": full},
        metrics={
            "products": report.products,
            "texts": report.texts,
            "embedded": report.embedded,
            "indexed": report.indexed,
            "seconds": report.seconds,
        },
        artifact_path=str(getattr(embedder, "model_dir", "") or ""),
    )
    return {**report.as_dict(), "model_version": model_version.version}


def search_reindex_products(*, product_ids: Iterable[int], progress=None) -> dict:
    """Re-embeds these products now (texts that changed) and updates the index."""
    return reindex_products(product_ids, progress=progress).as_dict()


def search_reindex_dirty(*, progress=None) -> dict:
    """Re-embeds the products marked search_index_dirty and clears their flag."""
    return reindex_products(only_dirty=True, progress=progress).as_dict()


def search_reindex_start(
    *, user=None, full: bool = True, queue: str | None = None, force: bool = False
) -> Job:
    """Starts the full rebuild as a background job (returns the running one if any)."""
    return job_start(
        kind=JOB_SEARCH_REINDEX, params={"full": full}, user=user, queue=queue, force=force
    )


def search_reindex_dirty_start(*, queue: str | None = None) -> Job | None:
    """Starts a job re-embedding the dirty products, if there are any (the periodic task)."""
    from catalog.models import Product

    if not Product.objects.filter(search_index_dirty=True).exists():
        return None
    return job_start(kind=JOB_SEARCH_REINDEX_DIRTY, queue=queue)


def search_mark_dirty_reindex_soon(
    *, product_ids: Iterable[int] | None = None, queue: str | None = None
) -> Job | None:
    """After an import or a change of shared text (a category renamed): re-embed soon.

    Marks `product_ids` dirty when given (products saved through catalog.services already
    are), then starts the dirty re-index job when the transaction commits.
    """
    from catalog.models import Product

    with transaction.atomic():
        if product_ids is not None:
            Product.objects.filter(pk__in=list(product_ids)).update(search_index_dirty=True)
        return search_reindex_dirty_start(queue=queue)


def search_index_status() -> dict:
    """What the search index holds: backend, index kind, vectors, dirty products, version."""
    from catalog.models import Product

    backend = getattr(settings, "AI_EMBEDDING_BACKEND", "use-multilingual")
    status = {
        "embedding_backend": backend,
        "index": None,
        "vectors": 0,
        "dirty_products": Product.objects.filter(search_index_dirty=True).count(),
        "active_version": None,
        "error": "",
    }
    try:
        status["index"] = index_kind()
    except VectorIndexUnavailable as exc:
        status["error"] = str(exc)
    active = model_version_active(capability=Capability.SEARCH)
    if active is not None:
        status["active_version"] = active.version
        embedder_name = active.parameters.get("embedder")
        if embedder_name:
            status["vectors"] = ProductEmbedding.objects.filter(backend=embedder_name).count()
    return status


__all__ += ["JOB_SEARCH_REINDEX", "JOB_SEARCH_REINDEX_DIRTY", "ModelVersion", "Job"]


# --- search: ranking and query understanding (issue 4) ----------------------------------------
# (the public functions of ai/search/ are re-exported here)


# --- recommendations (issue 5) -----------------------------------------------------------------
# (the public functions of ai/recommend/ are re-exported here)


# --- review sentiment (issue 6) ----------------------------------------------------------------
# (the public functions of ai/sentiment/ are re-exported here)
