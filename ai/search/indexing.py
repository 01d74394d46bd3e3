"""Keeping the search index in step with the catalog: re-embedding, its jobs, its status.

    search_reindex(...)                 re-embed every product and rebuild the index (in process)
    search_reindex_products(...)        re-embed these products now
    search_reindex_dirty(...)           re-embed the products marked search_index_dirty
    search_reindex_start(...)           the full rebuild as a background job
    search_reindex_dirty_start(...)     the dirty re-index as a job, when any product is dirty
    search_mark_dirty_reindex_soon(...) after an import: (mark and) re-embed soon, in a job
    search_index_status()               what the index holds, for the admin and the checks

The dirty flag is the catalog's (Product.search_index_dirty): read through catalog.selectors
(products_search_dirty) and written only through catalog.services (products_mark_search_dirty,
products_clear_search_dirty).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from ai.embeddings import get_embedder
from ai.index import VectorIndexUnavailable, index_kind
from ai.index.indexer import ReindexReport, reindex_products
from ai.models import Capability, ProductEmbedding
from ai.registry import model_version_active, model_version_register
from catalog.selectors import products_search_dirty
from catalog.services import products_mark_search_dirty
from shop.jobs import job_start
from shop.models import Job

from .semantic import embedder_info

JOB_SEARCH_REINDEX = "search.reindex"
JOB_SEARCH_REINDEX_DIRTY = "search.reindex_dirty"


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
    if not products_search_dirty().exists():
        return None
    return job_start(kind=JOB_SEARCH_REINDEX_DIRTY, queue=queue)


def search_mark_dirty_reindex_soon(
    *, product_ids: Iterable[int] | None = None, queue: str | None = None
) -> Job | None:
    """After an import or a change of shared text (a category renamed): re-embed soon.

    Marks `product_ids` dirty when given (products saved through catalog.services already
    are) through the catalog's service, then starts the dirty re-index job when the
    transaction commits.
    """
    with transaction.atomic():
        if product_ids is not None:
            products_mark_search_dirty(product_ids=product_ids)
        return search_reindex_dirty_start(queue=queue)


def search_index_status() -> dict:
    """What the search index holds: backend, index kind, vectors, dirty products, version."""
    backend = getattr(settings, "AI_EMBEDDING_BACKEND", "use-multilingual")
    status = {
        "embedding_backend": backend,
        "index": None,
        "vectors": 0,
        "dirty_products": products_search_dirty().count(),
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
