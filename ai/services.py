"""The AI app's public face: catalog, customers, orders, views, admin and tasks call AI only here.

A pure facade: it imports and re-exports, and holds no code of its own; nothing inside `ai`
imports it (each module there imports the one that does the work). What each name does is in
its own module:

Jobs (long work on a Celery worker, with progress in the admin): the kernel's shop.jobs since
issue 13 step 7, re-exported here for the callers of ai's jobs
    job_start, job_retry, job_cancel, job_progress, job_kinds, JobReporter, JobCancelled; Job
    (shop.models), its statuses in shop.models.JobStatus. ai's kinds are declared in
    ai/tasks.py (see shop/jobs.py); another app declares its own with shop.jobs.job_kind.

Model registry: ai.registry
    model_version_register, model_version_activate, model_version_active.

Embeddings and semantic search (the vector part): ai.search.semantic
    embed_texts(texts) -> (n, d) float32, L2-normalised; embedder_info().
    search_semantic(query, language=..., limit=..., product_ids=...) -> [(product_id, score)]
    search_semantic_by_vector(vector, ...) -> the same for a vector you already have.

Re-indexing and index status: ai.search.indexing
    search_reindex, search_reindex_products, search_reindex_dirty, search_reindex_start,
    search_reindex_dirty_start, search_mark_dirty_reindex_soon, search_index_status.

Search: ranking and query understanding (issue 4): ai.search.ranking, ai.search.suggest
    search_products(query, language=..., filters=..., limit=..., offset=..., currency=...,
    mode=..., facets=...) -> a SearchResult: published products for a shopper's query, best
    first. Understands metals, purities, gemstones, categories, colours and price limits in the
    store's seven languages, corrects typos, ranks by BM25 and the multilingual encoder
    together. `filters` (a SearchFilters or a dict: metals, gemstones, categories as slugs,
    price_min/price_max in the base currency, ignore) narrows further; `currency` is the
    shopper's, for prices typed without one. mode="lexical" or "vector" gives the baselines of
    `manage.py evaluate_search`.
    search_filters(**fields) -> a SearchFilters; search_autocomplete(prefix, language=...);
    search_highlight(text, terms) -> `text` escaped with the matched words in <mark>.

Recommendations (issue 5): ai.recommend.serving, ai.recommend.jobs
    recommend_for_shopper, recommend_for_user, similar_products, bought_together, bought_by,
    cart_suggestions, recommendable_product; recommend_train, recommend_train_start.

Review sentiment (issue 6): ai.sentiment.*, language detection in the kernel (shop.text_language)
    detect_language(text), score_texts(texts), score_review(review), extract_aspects,
    sentiment_score_reviews(...) (now), sentiment_score_reviews_start(...) (a job, on commit),
    sentiment_train(...), start_sentiment_training(...) (the backend of AI_SENTIMENT_BACKEND:
    fine-tuning e5 runs on the training queue).

Shop assistant, understanding (issue 14): ai.assistant.entities, ai.assistant.help
    assistant_extract_entities(text, language=..., currency=...) -> Entities: order numbers,
    e-mails, metals, stones, categories, sizes, prices (base currency), countries, products
    named, and the product words for search_products.
    assistant_help_answer(question, language=..., limit=3) -> [HelpHit]: the store pages and
    FAQ entries answering a question, by meaning and by words, with a snippet and the URL.
    assistant_understand(text, language_hint=..., currency=...) -> Understanding (intent,
    confidence, language, ranking, entities, low_confidence); ASSISTANT_INTENTS (the public
    intent names); assistant_train(...) (now), assistant_train_start(...) (a job),
    JOB_ASSISTANT_TRAIN; assistant_add_training_example(text=..., intent=..., language=...,
    source="merchant", user=None) stores an example for the next training.

Heavy libraries load on first use only (numpy models; torch for the transformers backend;
scipy for recommender training); nothing here imports TensorFlow.
"""

from __future__ import annotations

from shop.jobs import (
    JobCancelled,
    JobReporter,
    job_cancel,
    job_kinds,
    job_progress,
    job_retry,
    job_start,
)
from shop.models import Job
from shop.text_language import detect_language

from .assistant.entities import Entities
from .assistant.entities import extract_entities as assistant_extract_entities
from .assistant.examples import intent_example_add as assistant_add_training_example
from .assistant.help import HelpHit
from .assistant.help import help_answer as assistant_help_answer
from .assistant.intents import INTENTS as ASSISTANT_INTENTS
from .assistant.jobs import JOB_ASSISTANT_TRAIN, assistant_train, assistant_train_start
from .assistant.understanding import Understanding
from .assistant.understanding import understand as assistant_understand
from .embeddings import EmbeddingBackendError
from .index import VectorIndexUnavailable
from .models import ModelVersion
from .recommend.jobs import JOB_RECOMMEND_TRAIN, recommend_train, recommend_train_start
from .recommend.serving import (
    Recommendations,
    Suggestion,
    bought_by,
    bought_together,
    cart_suggestions,
    recommend_for_shopper,
    recommend_for_user,
    recommendable_product,
    similar_products,
)
from .registry import model_version_activate, model_version_active, model_version_register
from .search.indexing import (
    JOB_SEARCH_REINDEX,
    JOB_SEARCH_REINDEX_DIRTY,
    search_index_status,
    search_mark_dirty_reindex_soon,
    search_reindex,
    search_reindex_dirty,
    search_reindex_dirty_start,
    search_reindex_products,
    search_reindex_start,
)
from .search.ranking import SearchFilters as search_filters
from .search.ranking import search as search_products
from .search.semantic import (
    embed_texts,
    embedder_info,
    search_semantic,
    search_semantic_by_vector,
)
from .search.suggest import highlight as search_highlight
from .search.suggest import search_autocomplete
from .sentiment.aspects import ASPECT_LABELS, ASPECTS, extract_aspects
from .sentiment.backends import SentimentBackendError
from .sentiment.jobs import (
    JOB_SENTIMENT_FINETUNE,
    JOB_SENTIMENT_SCORE,
    JOB_SENTIMENT_TRAIN,
    score_review,
    sentiment_score_reviews,
    sentiment_score_reviews_start,
    sentiment_train,
    start_sentiment_training,
)
from .sentiment.scoring import score_texts

__all__ = [
    "ASPECTS",
    "ASSISTANT_INTENTS",
    "ASPECT_LABELS",
    "JOB_ASSISTANT_TRAIN",
    "JOB_RECOMMEND_TRAIN",
    "JOB_SEARCH_REINDEX",
    "JOB_SEARCH_REINDEX_DIRTY",
    "JOB_SENTIMENT_FINETUNE",
    "JOB_SENTIMENT_SCORE",
    "JOB_SENTIMENT_TRAIN",
    "EmbeddingBackendError",
    "Entities",
    "HelpHit",
    "Job",
    "JobCancelled",
    "JobReporter",
    "ModelVersion",
    "Recommendations",
    "SentimentBackendError",
    "Suggestion",
    "Understanding",
    "VectorIndexUnavailable",
    "assistant_add_training_example",
    "assistant_train",
    "assistant_train_start",
    "assistant_extract_entities",
    "assistant_help_answer",
    "assistant_understand",
    "bought_by",
    "bought_together",
    "cart_suggestions",
    "detect_language",
    "embed_texts",
    "embedder_info",
    "extract_aspects",
    "job_cancel",
    "job_kinds",
    "job_progress",
    "job_retry",
    "job_start",
    "model_version_activate",
    "model_version_active",
    "model_version_register",
    "recommend_for_shopper",
    "recommend_for_user",
    "recommend_train",
    "recommend_train_start",
    "recommendable_product",
    "score_review",
    "score_texts",
    "search_autocomplete",
    "search_filters",
    "search_highlight",
    "search_index_status",
    "search_mark_dirty_reindex_soon",
    "search_products",
    "search_reindex",
    "search_reindex_dirty",
    "search_reindex_dirty_start",
    "search_reindex_products",
    "search_reindex_start",
    "search_semantic",
    "search_semantic_by_vector",
    "sentiment_score_reviews",
    "sentiment_score_reviews_start",
    "sentiment_train",
    "start_sentiment_training",
    "similar_products",
]
