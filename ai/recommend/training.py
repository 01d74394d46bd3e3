"""Training: from the store's interaction events to precomputed top-N lists in the database.

One run (the `recommend.train` job, nightly and from the admin):

1. read every interaction event (events.selectors) and the published products (catalog),
2. fit the top-N ranker (EASE by default) on implicit strengths and the Surprise rating model
   (SVD by default) on stars (see data.py for the weights),
3. compute per signed-in shopper the best products not yet bought, with variety across
   categories and the product that explains each one; per product the similar ones
   (item-item weights blended with content similarity of the product embeddings, so products
   nobody has touched yet get neighbours too) and the ones bought together; per country,
   language and overall the most popular,
4. measure the ranking against popularity on a held-out fifth of the store's own history,
5. replace every list in one transaction and record a ModelVersion with parameters and metrics.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from dataclasses import asdict, dataclass

import numpy as np
from django.conf import settings
from django.db import transaction
from scipy import sparse

from catalog.selectors import published_products
from events.selectors import interaction_rows

from ..models import Capability, ProductEmbedding, RecommendationKind, RecommendationList
from ..registry import model_version_active, model_version_register
from .algorithms import Interactions, Ranker, RatingModel
from .data import EVENT_WEIGHTS, IMPLIED_STARS, StoreHistory, history_from_rows
from .evaluation import EvaluationConfig, Rating, evaluate

logger = logging.getLogger(__name__)

USER_CHUNK = 1000
PER_CATEGORY_IN_FIRST = 3  # variety: at most this many of one category among the first VARIETY
VARIETY_WINDOW = 12
TOGETHER_SIZE = 12
SEGMENT_MIN_PRODUCTS = 3
CONTENT_WEIGHT = 0.5
PRODUCT_CHUNK = 500


@dataclass
class TrainingConfig:
    rating_model: str = "svd"
    ranking: str = "ease"
    l2: float = 500.0
    rating_weight: float = 0.2
    popularity_weight: float = 0.0
    list_size: int = 24
    max_items: int = 5000

    @classmethod
    def from_settings(cls, **overrides) -> TrainingConfig:
        config = cls(
            rating_model=getattr(settings, "AI_RECOMMEND_RATING_MODEL", cls.rating_model),
            ranking=getattr(settings, "AI_RECOMMEND_RANKING", cls.ranking),
            l2=float(getattr(settings, "AI_RECOMMEND_EASE_L2", cls.l2)),
            rating_weight=float(getattr(settings, "AI_RECOMMEND_RATING_WEIGHT", cls.rating_weight)),
            popularity_weight=float(
                getattr(settings, "AI_RECOMMEND_POPULARITY_WEIGHT", cls.popularity_weight)
            ),
            list_size=int(getattr(settings, "AI_RECOMMEND_LIST_SIZE", cls.list_size)),
            max_items=int(getattr(settings, "AI_RECOMMEND_MAX_ITEMS", cls.max_items)),
        )
        for key, value in overrides.items():
            if value is not None:
                setattr(config, key, type(getattr(config, key))(value))
        return config


@dataclass
class CatalogInfo:
    ids: list[int]
    category: dict[int, int | None]
    in_stock: set[int]


def _catalog() -> CatalogInfo:

    rows = list(published_products().order_by("pk").values_list("pk", "category_id", "in_stock"))
    return CatalogInfo(
        ids=[pk for pk, _category, _stock in rows],
        category={pk: category for pk, category, _stock in rows},
        in_stock={pk for pk, _category, stock in rows if stock},
    )


def _history() -> StoreHistory:

    return history_from_rows(interaction_rows())


# --- content similarity ------------------------------------------------------------------------
def _embedding_backend() -> str | None:
    active = model_version_active(capability=Capability.SEARCH)
    if active is not None and active.parameters.get("embedder"):
        return active.parameters["embedder"]
    row = ProductEmbedding.objects.values_list("backend", flat=True).order_by("-pk").first()
    return row


def content_vectors(product_ids: list[int]) -> np.ndarray | None:
    """The products' embeddings (mean over languages, unit length), (n, d), or None when no
    product is embedded. Products without embeddings get zero rows."""
    backend = _embedding_backend()
    if backend is None or not product_ids:
        return None
    position = {pk: i for i, pk in enumerate(product_ids)}
    sums: dict[int, np.ndarray] = {}
    for product_id, vector in (
        ProductEmbedding.objects.filter(backend=backend, product_id__in=product_ids)
        .values_list("product_id", "vector")
        .iterator(chunk_size=2000)
    ):
        array = np.frombuffer(bytes(vector), dtype=np.float32)
        sums[product_id] = sums[product_id] + array if product_id in sums else array.copy()
    if not sums:
        return None
    dimension = next(iter(sums.values())).shape[0]
    matrix = np.zeros((len(product_ids), dimension), dtype=np.float32)
    for product_id, vector in sums.items():
        if vector.shape[0] == dimension:
            norm = float(np.linalg.norm(vector)) or 1.0
            matrix[position[product_id]] = vector / norm
    return matrix


# --- lists -------------------------------------------------------------------------------------
def diversify(candidates: list, category_of: dict, *, limit: int) -> list:
    """Keeps the order but allows at most PER_CATEGORY_IN_FIRST of one category among the
    first VARIETY_WINDOW; what was held back comes after."""
    chosen, held, counts = [], [], defaultdict(int)
    for entry in candidates:
        category = category_of.get(entry[0])
        if len(chosen) < VARIETY_WINDOW and counts[category] >= PER_CATEGORY_IN_FIRST:
            held.append(entry)
            continue
        counts[category] += 1
        chosen.append(entry)
        if len(chosen) >= limit:
            return chosen
    return (chosen + held)[:limit]


def _top(scores: np.ndarray, allowed: np.ndarray, n: int) -> np.ndarray:
    scores = np.where(allowed, scores, -np.inf)
    n = min(n, int(np.isfinite(scores).sum()))
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, n - 1)[:n]
    return part[np.argsort(-scores[part], kind="stable")]


def _user_lists(
    *,
    history: StoreHistory,
    data: Interactions,
    ranker: Ranker,
    rating_model: RatingModel | None,
    config: TrainingConfig,
    catalog: CatalogInfo,
    progress,
) -> list[RecommendationList]:
    users = [s for s in data.users if s.startswith("u:")]
    items = data.items
    in_stock = np.array([pk in catalog.in_stock for pk in items])
    lists = []
    weights = ranker.weights
    for start in range(0, len(users), USER_CHUNK):
        chunk = users[start : start + USER_CHUNK]
        rows = data.matrix[[data.user_index[u] for u in chunk]]
        allowed = np.tile(in_stock, (len(chunk), 1))
        for offset, subject in enumerate(chunk):
            bought = [
                data.item_index[pk]
                for pk in history.purchased.get(subject, ())
                if pk in data.item_index
            ]
            allowed[offset, bought] = False
        scores = ranker.rank_scores(
            rows, users=chunk, items=items, rating_model=rating_model, exclude=~allowed
        )
        for offset, subject in enumerate(chunk):
            best = _top(scores[offset], allowed[offset], config.list_size * 2)
            row = rows[offset]
            history_columns = row.indices
            entries = []
            for column in best:
                because, kind = None, None
                if weights is not None and history_columns.size:
                    contributions = row.data * weights[history_columns, column]
                    contributions[history_columns == column] = -np.inf
                    top = int(np.argmax(contributions))
                    if contributions[top] > 0:
                        because = items[history_columns[top]]
                        kind = history.best_kind.get((subject, because), "view")
                score = round(float(scores[offset, column]), 5)
                entries.append([items[column], score, because, kind])
            entries = diversify(entries, catalog.category, limit=config.list_size)
            lists.append(
                RecommendationList(
                    kind=RecommendationKind.USER, user_id=int(subject[2:]), items=entries
                )
            )
        if progress:
            progress(min(start + USER_CHUNK, len(users)), len(users), "shoppers")
    return lists


def _product_lists(
    *, data: Interactions, ranker: Ranker, history: StoreHistory, config, catalog
) -> list[RecommendationList]:
    """Similar products (item-item weights + content) and bought together, per product.

    Computed PRODUCT_CHUNK rows at a time, so memory stays small for large catalogs.
    """
    product_ids = catalog.ids
    n = len(product_ids)
    if not n:
        return []
    position = {pk: i for i, pk in enumerate(product_ids)}

    # Collaborative: the symmetrised item-item weights, each row scaled to 0..1.
    collab, model_row, model_pos = None, np.full(n, -1, dtype=np.int64), None
    if ranker.weights is not None:
        modelled = [pk for pk in product_ids if pk in data.item_index]
        if modelled:
            columns = np.array([data.item_index[pk] for pk in modelled], dtype=np.int64)
            model_pos = np.array([position[pk] for pk in modelled], dtype=np.int64)
            model_row[model_pos] = np.arange(len(modelled))
            weights = ranker.weights[np.ix_(columns, columns)]
            collab = np.clip(weights + weights.T, 0, None)
            top = collab.max(axis=1, keepdims=True)
            top[top == 0] = 1.0
            collab = collab / top
    content = content_vectors(product_ids)

    # Bought together: co-occurrence in the same shoppers' baskets, cosine-normalised.
    baskets = [
        sorted({position[pk] for pk in products if pk in position})
        for products in history.basket.values()
    ]
    baskets = [b for b in baskets if len(b) >= 2]
    basket_matrix = None
    if baskets:
        rows = np.repeat(np.arange(len(baskets)), [len(b) for b in baskets])
        cols = np.concatenate([np.array(b) for b in baskets])
        basket_matrix = sparse.csc_matrix(
            (np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(len(baskets), n)
        )
        basket_counts = np.asarray(basket_matrix.sum(axis=0), dtype=np.float32).ravel()

    in_stock = np.array([pk in catalog.in_stock for pk in product_ids])
    lists = []
    for start in range(0, n, PRODUCT_CHUNK):
        stop = min(n, start + PRODUCT_CHUNK)
        similar = np.zeros((stop - start, n), dtype=np.float32)
        if collab is not None:
            local = model_row[start:stop]
            has = np.where(local >= 0)[0]
            if has.size:
                similar[np.ix_(has, model_pos)] = collab[local[has]]
        if content is not None:
            similar += CONTENT_WEIGHT * np.clip(content[start:stop] @ content.T, 0, None)
        together = None
        if basket_matrix is not None:
            co = (basket_matrix[:, start:stop].T @ basket_matrix).toarray()
            together = co / (np.sqrt(np.outer(basket_counts[start:stop], basket_counts)) + 1.0)
        for offset in range(stop - start):
            i = start + offset
            pk = product_ids[i]
            allowed = in_stock.copy()
            allowed[i] = False
            row = similar[offset]
            best = _top(row, allowed & (row > 0), config.list_size)
            if best.size:
                lists.append(
                    RecommendationList(
                        kind=RecommendationKind.SIMILAR,
                        product_id=pk,
                        items=[[product_ids[j], round(float(row[j]), 5), pk, None] for j in best],
                    )
                )
            if together is not None:
                row = together[offset]
                best = _top(row, allowed & (row > 0), TOGETHER_SIZE)
                if best.size:
                    lists.append(
                        RecommendationList(
                            kind=RecommendationKind.TOGETHER,
                            product_id=pk,
                            items=[
                                [product_ids[j], round(float(row[j]), 5), pk, None] for j in best
                            ],
                        )
                    )
    return lists


def _popular_lists(*, history: StoreHistory, config, catalog) -> list[RecommendationList]:
    def ranked(counts: dict) -> list:
        entries = [
            [pk, round(score, 3), None, None]
            for pk, score in counts.items()
            if pk in catalog.in_stock
        ]
        entries.sort(key=lambda entry: (-entry[1], entry[0]))
        return diversify(entries, catalog.category, limit=config.list_size * 2)

    overall = dict(history.overall)
    # With no events at all, the newest products in stock stand in for "popular".
    if not overall:
        overall = dict.fromkeys(sorted(catalog.in_stock, reverse=True), 0.0)
    lists = [
        RecommendationList(kind=RecommendationKind.POPULAR, segment="all", items=ranked(overall))
    ]
    for prefix, segments in (
        ("country", history.country_counts),
        ("language", history.language_counts),
    ):
        for code, counts in segments.items():
            if len(counts) >= SEGMENT_MIN_PRODUCTS and code:
                lists.append(
                    RecommendationList(
                        kind=RecommendationKind.POPULAR,
                        segment=f"{prefix}:{code}"[:20],
                        items=ranked(dict(counts)),
                    )
                )
    return lists


# --- evaluation on the store's own history ----------------------------------------------------
def history_ratings(history: StoreHistory, product_ids: set[int] | None = None) -> list[Rating]:
    return [
        Rating(subject, str(product), stars, 0)
        for subject, product, stars in history.rating_triples()
        if product_ids is None or product in product_ids
    ]


def evaluate_history(
    history: StoreHistory,
    *,
    config: TrainingConfig,
    product_ids: set[int] | None = None,
    test_fraction: float = 0.2,
    seed: int = 0,
    max_subjects: int = 3000,
) -> dict:
    """The MovieLens comparison on the store: a random fifth of (shopper, product) pairs held
    out; relevant = implied or reviewed stars of 4 or more (bag, wishlist, purchase). At most
    `max_subjects` shoppers (a seeded sample) take part."""
    ratings = history_ratings(history, product_ids)
    per_subject = defaultdict(list)
    for rating in ratings:
        per_subject[rating.user].append(rating)
    train, test = [], []
    rng = random.Random(seed)
    subjects = sorted(per_subject)
    if len(subjects) > max_subjects:
        # A large store: measure on a sample of shoppers (the figures barely move, the time does).
        subjects = sorted(rng.sample(subjects, max_subjects))
    for subject in subjects:
        pairs = per_subject[subject]
        pairs.sort(key=lambda r: r.item)
        rng.shuffle(pairs)
        held = max(1, round(len(pairs) * test_fraction)) if len(pairs) >= 3 else 0
        test.extend(pairs[:held])
        train.extend(pairs[held:])
    if not test or len({r.user for r in train}) < 2:
        return {}
    return evaluate(
        train,
        test,
        EvaluationConfig(
            rating_model=config.rating_model,
            method=config.ranking,
            l2=config.l2,
            rating_weight=config.rating_weight,
            popularity_weight=config.popularity_weight,
        ),
        # The ranker learns from the same damped event strengths as the nightly training.
        strengths={
            (subject, str(product)): strength
            for subject, product, strength in history.implicit_triples()
        },
    )


# --- the whole run -----------------------------------------------------------------------------
def train_recommender(*, config: TrainingConfig | None = None, progress=None) -> dict:
    """Trains, precomputes every list and records a ModelVersion; returns the report."""
    config = config or TrainingConfig.from_settings()
    started = time.perf_counter()

    def report(done: float, message: str) -> None:
        if progress:
            progress(int(done), 100, message)

    report(1, "Reading interactions")
    catalog = _catalog()
    history = _history()
    known = set(catalog.ids)
    triples = [t for t in history.implicit_triples() if t[1] in known]
    # The item-item model is quadratic in products: keep the most active ones if there are many.
    counts = defaultdict(int)
    for _subject, product, _strength in triples:
        counts[product] += 1
    item_ids = sorted(counts, key=lambda pk: (-counts[pk], pk))[: config.max_items]
    item_set = set(item_ids)
    triples = [t for t in triples if t[1] in item_set]
    data = Interactions.from_triples(triples, items=sorted(item_ids))
    read_seconds = time.perf_counter() - started

    report(10, "Fitting the ranking model")
    phase = time.perf_counter()
    ranker = Ranker(
        method=config.ranking if data.items else "popularity",
        l2=config.l2,
        rating_weight=config.rating_weight,
        popularity_weight=config.popularity_weight,
    )
    if data.items:
        ranker.fit(data.matrix)
    ranker_seconds = time.perf_counter() - phase

    report(25, "Fitting the rating model")
    phase = time.perf_counter()
    rating_model = None
    rating_triples = [
        (subject, product, stars)
        for subject, product, stars in history.rating_triples()
        if product in item_set
    ]
    if rating_triples and (config.rating_weight or config.ranking == "rating"):
        rating_model = RatingModel(config.rating_model).fit(rating_triples)
    rating_seconds = time.perf_counter() - phase

    phase = time.perf_counter()
    lists: list[RecommendationList] = []
    if data.items and ranker.method != "popularity":

        def user_progress(done, total, _message):
            report(30 + 40 * done / max(total, 1), f"Lists for shoppers: {done}/{total}")

        lists += _user_lists(
            history=history,
            data=data,
            ranker=ranker,
            rating_model=rating_model,
            config=config,
            catalog=catalog,
            progress=user_progress,
        )
    user_seconds = time.perf_counter() - phase
    report(70, "Lists for products")
    phase = time.perf_counter()
    lists += _product_lists(
        data=data, ranker=ranker, history=history, config=config, catalog=catalog
    )
    lists += _popular_lists(history=history, config=config, catalog=catalog)
    product_seconds = time.perf_counter() - phase

    report(85, "Measuring against popularity")
    phase = time.perf_counter()
    metrics = {}
    try:
        metrics = evaluate_history(history, config=config, product_ids=known)
    except Exception:  # a measurement must never lose the night's lists
        logger.exception("Could not evaluate the recommender on the store's history")
    measure_seconds = time.perf_counter() - phase
    train_seconds = time.perf_counter() - started

    report(92, "Saving lists")
    kinds = defaultdict(int)
    for entry in lists:
        kinds[entry.kind] += 1
    with transaction.atomic():
        model_version = model_version_register(
            capability=Capability.RECOMMEND,
            parameters={**asdict(config), "event_weights": _weights_doc()},
            metrics={
                **{key: value for key, value in metrics.items() if not isinstance(value, str)},
                "events": history.events,
                "shoppers": len(data.users),
                "products": len(catalog.ids),
                "items_modelled": len(data.items),
                "lists": dict(kinds),
                "seconds": round(train_seconds, 3),
            },
        )
        for entry in lists:
            entry.model_version = model_version
        RecommendationList.objects.all().delete()
        RecommendationList.objects.bulk_create(lists, batch_size=500)
    return {
        "model_version": model_version.version,
        "events": history.events,
        "shoppers": len(data.users),
        "items_modelled": len(data.items),
        "lists": dict(kinds),
        "metrics": metrics,
        "seconds": {
            "read": round(read_seconds, 3),
            "ranker": round(ranker_seconds, 3),
            "rating_model": round(rating_seconds, 3),
            "user_lists": round(user_seconds, 3),
            "product_lists": round(product_seconds, 3),
            "measure": round(measure_seconds, 3),
            "total": round(time.perf_counter() - started, 3),
        },
    }


def _weights_doc() -> dict:

    return {"implicit": EVENT_WEIGHTS, "stars": IMPLIED_STARS, "rating": "stars - 2.5"}
