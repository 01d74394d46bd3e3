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
    are) through the catalog's service, then starts the dirty re-index job when the
    transaction commits.
    """
    from catalog.services import products_mark_search_dirty

    with transaction.atomic():
        if product_ids is not None:
            products_mark_search_dirty(product_ids=product_ids)
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
def search_products(
    query: str,
    *,
    language: str,
    filters=None,
    limit: int = 50,
    offset: int = 0,
    currency: str | None = None,
    mode: str = "hybrid",
    facets: bool = True,
):
    """Published products for a shopper's query, best first: an ai.search.ranking.SearchResult.

    Understands metals, purities, gemstones, categories, colours and price limits in the
    store's seven languages (ai.search.query), corrects typos, and ranks by BM25 and the
    multilingual encoder together. `filters` (a SearchFilters or a dict: metals, gemstones,
    categories as slugs, price_min/price_max in the base currency, ignore: recognised keys
    to drop) narrows further; `currency` is the shopper's, for prices typed in the query
    without one. The result has the page's product ids and scores, the total, what the query
    was understood to ask, the matched terms (search_highlight) and facet counts.
    mode="lexical" or "vector" gives the baselines of `manage.py evaluate_search`.
    """
    from .search.ranking import search

    return search(
        query,
        language=language,
        filters=filters,
        limit=limit,
        offset=offset,
        currency=currency,
        mode=mode,
        facets=facets,
    )


def search_autocomplete(prefix: str, *, language: str, limit: int = 8) -> list[dict]:
    """Suggestions while typing: [{"text", "kind", "value"}] (categories, metals, stones,
    then published products; value is a slug or a product handle)."""
    from .search.suggest import autocomplete

    return autocomplete(prefix, language=language, limit=limit, backend=get_embedder().name)


def search_highlight(text: str, terms):
    """`text` HTML-escaped with the words matching `terms` (SearchResult.matched_terms) in
    <mark>: safe to put in a template as it is."""
    from .search.suggest import highlight

    return highlight(text, terms)


def search_filters(**fields):
    """A SearchFilters for search_products (metals, gemstones, categories, price_min,
    price_max, ignore)."""
    from .search.ranking import SearchFilters

    return SearchFilters(**fields)


__all__ += ["search_autocomplete", "search_filters", "search_highlight", "search_products"]


# --- recommendations (issue 5) -----------------------------------------------------------------
# (the public functions of ai/recommend/ are re-exported here)
from .recommend.serving import (  # noqa: E402
    Recommendations,
    Suggestion,
    bought_by,
    bought_together,
    cart_suggestions,
    recommend_for_shopper,
    recommendable_product,
    similar_products,
)

JOB_RECOMMEND_TRAIN = "recommend.train"


def recommend_for_user(user, *, limit: int | None = None, language: str | None = None):
    """A signed-in shopper's recommendations (see recommend_for_shopper for guests)."""
    return recommend_for_shopper(user=user, language=language, limit=limit)


def recommend_train(*, progress=None, **overrides) -> dict:
    """Trains the recommender and precomputes every list now, in this process (the job's work).

    `overrides` (rating_model, ranking, l2, rating_weight, popularity_weight, list_size,
    max_items) replace the AI_RECOMMEND_* settings for this run.
    """
    from .recommend.training import TrainingConfig, train_recommender

    return train_recommender(config=TrainingConfig.from_settings(**overrides), progress=progress)


def recommend_train_start(*, user=None, queue: str | None = None, params: dict | None = None):
    """Starts the training job (or returns the one queued or running)."""
    return job_start(kind=JOB_RECOMMEND_TRAIN, params=params, user=user, queue=queue)


__all__ += [
    "JOB_RECOMMEND_TRAIN",
    "Recommendations",
    "Suggestion",
    "bought_by",
    "bought_together",
    "cart_suggestions",
    "recommend_for_shopper",
    "recommend_for_user",
    "recommend_train",
    "recommend_train_start",
    "recommendable_product",
    "similar_products",
]


# --- review sentiment (issue 6) ----------------------------------------------------------------
# (the public functions of ai/sentiment/ are re-exported here)
#   detect_language(text)                 the store language of a text ("" unknown)
#   score_texts(texts)                    [{"label", "score", "probabilities", "aspects"}]
#   score_review(review)                  the same for one review (not stored)
#   sentiment_score_reviews(...)          score and store reviews now (the job's work)
#   sentiment_score_reviews_start(...)    the same as a background job, on commit
#   sentiment_train(...)                  fit, measure, register (activate only if better)
#   start_sentiment_training(...)         the same as a background job
from shop.text_language import detect_language  # noqa: E402

from .sentiment.aspects import ASPECT_LABELS, ASPECTS, extract_aspects  # noqa: E402
from .sentiment.backends import SentimentBackendError  # noqa: E402
from .sentiment.scoring import review_text as _review_text  # noqa: E402
from .sentiment.scoring import score_texts  # noqa: E402

JOB_SENTIMENT_SCORE = "sentiment.score_reviews"
JOB_SENTIMENT_TRAIN = "sentiment.train"


def score_review(review) -> dict:
    """The sentiment of a review (an object with title and text): label, score, aspects."""
    return score_texts([_review_text(review.title, review.text)])[0]


def sentiment_score_reviews(
    *, review_ids: list[int] | None = None, only_unscored: bool = False, progress=None
) -> dict:
    from .sentiment.scoring import score_reviews

    return score_reviews(review_ids=review_ids, only_unscored=only_unscored, progress=progress)


def sentiment_score_reviews_start(
    *,
    review_ids: list[int] | None = None,
    only_unscored: bool = False,
    user=None,
    queue: str | None = None,
) -> Job:
    """Scores reviews in a background job started when the transaction commits.

    With `review_ids` (a review just saved) every call gets a job of its own; a bulk run (all
    reviews, or all unscored) returns the one already queued or running.
    """
    return job_start(
        kind=JOB_SENTIMENT_SCORE,
        params={
            "review_ids": list(review_ids) if review_ids is not None else None,
            "only_unscored": only_unscored,
        },
        user=user,
        queue=queue,
        force=review_ids is not None,
    )


def sentiment_train(*, progress=None, **options) -> dict:
    from .sentiment.training import train_sentiment

    return train_sentiment(progress=progress, **options)


def start_sentiment_training(*, user=None, queue: str | None = None) -> Job:
    """Trains the sentiment model on the store's reviews in a background job."""
    return job_start(kind=JOB_SENTIMENT_TRAIN, user=user, queue=queue)


__all__ += [
    "ASPECTS",
    "ASPECT_LABELS",
    "JOB_SENTIMENT_SCORE",
    "JOB_SENTIMENT_TRAIN",
    "SentimentBackendError",
    "detect_language",
    "extract_aspects",
    "score_review",
    "score_texts",
    "sentiment_score_reviews",
    "sentiment_score_reviews_start",
    "sentiment_train",
    "start_sentiment_training",
]
