"""The recommender's mathematics: pure numpy and scikit-surprise, no Django.

Two parts, each measured (see evaluation.py and docs/benchmarks.md):

- A rating model (scikit-surprise; SVD by default) predicts how much a shopper would like an
  item, in stars. It gives RMSE/MAE and, blended in with a small weight, a preference signal.
- A top-N ranker that decides what is shown. Measured on MovieLens 100k, ranking by the rating
  model alone is worse than "most popular" (the rating model predicts how much someone who
  *does* watch a film likes it, not *which* films they pick). Item-based models on implicit
  feedback rank best; the default is EASE (Steck 2019: a closed-form ridge regression of every
  item on every other item, B = I - P / diag(P) with P = (X'X + lambda I)^-1), whose
  item-item weights also give the per-product "similar" lists. Popularity is blended in with a
  small weight and is the cold-start fallback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

RATING_MODELS = ("svd", "svdpp", "nmf", "knnbaseline", "knnwithmeans", "baselineonly", "slopeone")


@dataclass
class Interactions:
    """A user × item matrix of implicit strengths, with the ids the rows and columns stand for."""

    users: list
    items: list
    matrix: sparse.csr_matrix  # float32 (n_users, n_items), 0 where nothing happened
    user_index: dict = field(init=False)
    item_index: dict = field(init=False)

    def __post_init__(self) -> None:
        self.user_index = {user: row for row, user in enumerate(self.users)}
        self.item_index = {item: column for column, item in enumerate(self.items)}

    @classmethod
    def from_triples(cls, triples: Iterable[tuple], *, items: Sequence | None = None):
        """From (user, item, strength) triples; strengths of the same pair add up."""
        triples = list(triples)
        users = sorted({user for user, _item, _value in triples}, key=_sort_key)
        item_list = list(items) if items is not None else []
        known = set(item_list)
        for _user, item, _value in triples:
            if item not in known:
                known.add(item)
                item_list.append(item)
        if items is None:
            item_list.sort(key=_sort_key)
        user_index = {user: row for row, user in enumerate(users)}
        item_index = {item: column for column, item in enumerate(item_list)}
        rows = np.fromiter((user_index[t[0]] for t in triples), dtype=np.int64, count=len(triples))
        cols = np.fromiter((item_index[t[1]] for t in triples), dtype=np.int64, count=len(triples))
        values = np.fromiter((t[2] for t in triples), dtype=np.float32, count=len(triples))
        # Duplicate pairs add up (coo -> csr sums them).
        matrix = sparse.coo_matrix(
            (values, (rows, cols)), shape=(len(users), len(item_list)), dtype=np.float32
        ).tocsr()
        return cls(users, item_list, matrix)


def _dense(matrix) -> np.ndarray:
    return matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)


def _gram(matrix) -> np.ndarray:
    """X'X as a dense float64 array, from a sparse or dense X."""
    if sparse.issparse(matrix):
        x = matrix.astype(np.float64)
        return _dense(x.T @ x)
    x = np.asarray(matrix, dtype=np.float64)
    return x.T @ x


def _sort_key(value):
    return (0, value, "") if isinstance(value, (int, float)) else (1, 0, str(value))


# --- item-item models ------------------------------------------------------------------------
def ease_weights(matrix: np.ndarray, *, l2: float = 500.0) -> np.ndarray:
    """EASE item-item weights (n_items, n_items) from a user × item matrix; zero diagonal."""
    gram = _gram(matrix)
    gram[np.diag_indices_from(gram)] += l2
    precision = np.linalg.inv(gram)
    weights = precision / (-np.diag(precision))
    weights[np.diag_indices_from(weights)] = 0.0
    return weights.astype(np.float32)


def cosine_weights(matrix: np.ndarray, *, shrink: float = 10.0) -> np.ndarray:
    """Item-item cosine similarity of co-occurrence (item-kNN), shrunk for rare pairs."""
    gram = _gram(matrix)
    norms = np.sqrt(np.diag(gram))
    weights = gram / (np.outer(norms, norms) + shrink + 1e-9)
    weights[np.diag_indices_from(weights)] = 0.0
    return weights.astype(np.float32)


def popularity(matrix: np.ndarray) -> np.ndarray:
    """How many users interacted with each item, scaled to 0..1."""
    counts = np.asarray((matrix > 0).sum(axis=0), dtype=np.float32).ravel()
    top = counts.max() if counts.size else 0.0
    return counts / top if top > 0 else counts


def _scale_rows(scores: np.ndarray) -> np.ndarray:
    """Each row divided by its largest absolute value, so blends weigh rows alike."""
    top = np.abs(scores).max(axis=1, keepdims=True)
    top[top == 0] = 1.0
    return scores / top


@dataclass
class Ranker:
    """Scores every item for users given their interaction rows; higher is better.

    method: "ease" (default), "itemknn", "popularity" or "rating" (the rating model alone).
    popularity_weight blends the popularity of items in (rows are scaled to 0..1 first);
    rating_weight blends the rating model's predictions in (scaled the same way).
    """

    method: str = "ease"
    l2: float = 500.0
    shrink: float = 10.0
    popularity_weight: float = 0.0
    rating_weight: float = 0.0
    weights: np.ndarray | None = None
    item_popularity: np.ndarray | None = None

    def fit(self, matrix: np.ndarray) -> Ranker:
        """Learns from a user × item matrix of implicit strengths (1.0 per rating on MovieLens;
        the event weights of ai/recommend/data.py in the store)."""
        if not sparse.issparse(matrix):
            matrix = sparse.csr_matrix(np.asarray(matrix, dtype=np.float32))
        self.item_popularity = popularity(matrix)
        if self.method == "ease":
            self.weights = ease_weights(matrix, l2=self.l2)
        elif self.method == "itemknn":
            self.weights = cosine_weights(matrix, shrink=self.shrink)
        elif self.method in ("popularity", "rating"):
            self.weights = None
        else:
            raise ValueError(f"Unknown ranking method {self.method!r}")
        return self

    def score(self, rows: np.ndarray, *, ratings: np.ndarray | None = None) -> np.ndarray:
        """Scores (n_rows, n_items) for interaction rows (n_rows, n_items)."""
        if not sparse.issparse(rows):
            rows = sparse.csr_matrix(np.asarray(rows, dtype=np.float32))
        if self.method == "popularity":
            return np.tile(self.item_popularity, (rows.shape[0], 1))
        if self.method == "rating":
            if ratings is None:
                raise ValueError("The rating method needs the rating model's predictions")
            return np.asarray(ratings, dtype=np.float32)
        scores = _scale_rows(np.asarray(rows @ self.weights))
        if self.popularity_weight:
            scores = scores + self.popularity_weight * self.item_popularity
        if self.rating_weight and ratings is not None:
            scores = scores + self.rating_weight * _scale_rows(np.asarray(ratings) - 1.0)
        return scores

    def rank_scores(
        self,
        rows,
        *,
        users: Sequence,
        items: Sequence,
        rating_model: RatingModel | None = None,
        exclude: np.ndarray | None = None,
        candidates: int = 100,
    ) -> np.ndarray:
        """Scores with the rating model blended in (rating_weight), however fast it predicts.

        SVD-like models predict every (user, item) at once; the others (k-NN, slope one...)
        predict one pair at a time, so only each row's `candidates` best items by the
        item-item scores (outside `exclude`) get the rating bonus: the top-N is chosen among
        them anyway.
        """
        if self.method == "rating":
            if rating_model is None:
                raise ValueError("The rating method needs a rating model")
            return np.asarray(rating_model.predict_matrix(users, items), dtype=np.float64)
        if not (self.rating_weight and rating_model is not None) or self.method == "popularity":
            return np.asarray(self.score(rows), dtype=np.float64)
        if rating_model.predicts_in_bulk:
            ratings = rating_model.predict_matrix(users, items)
            return np.asarray(self.score(rows, ratings=ratings), dtype=np.float64)
        scores = np.asarray(self.score(rows), dtype=np.float64)
        masked = scores.copy()
        if exclude is not None:
            masked[np.asarray(exclude, dtype=bool)] = -np.inf
        count = min(candidates, scores.shape[1])
        if count <= 0:
            return scores
        best = np.argpartition(-masked, count - 1, axis=1)[:, :count]
        for row, columns in enumerate(best):
            columns = columns[np.isfinite(masked[row, columns])]
            if not columns.size:
                continue
            stars = np.array([rating_model.predict(users[row], items[c]) for c in columns]) - 1.0
            top = stars.max()
            if top > 0:
                scores[row, columns] += self.rating_weight * stars / top
        return scores

    def neighbours(self, column: int, *, limit: int) -> list[tuple[int, float]]:
        """The items most like item `column` (by the learnt weights), best first."""
        if self.weights is None:
            return []
        # An item's row of weights says how much it predicts the others; symmetrised.
        row = self.weights[column] + self.weights[:, column]
        order = np.argsort(-row, kind="stable")[: limit + 1]
        return [(int(j), float(row[j])) for j in order if j != column and row[j] > 0][:limit]


def top_n(scores: np.ndarray, *, exclude: np.ndarray | None = None, n: int = 10) -> np.ndarray:
    """Column indexes of the n best scores per row, excluding marked cells; best first."""
    scores = np.array(scores, dtype=np.float64, copy=True)
    if exclude is not None:
        scores[np.asarray(exclude, dtype=bool)] = -np.inf
    n = min(n, scores.shape[1])
    if n <= 0:
        return np.zeros((scores.shape[0], 0), dtype=np.int64)
    part = np.argpartition(-scores, n - 1, axis=1)[:, :n]
    order = np.take_along_axis(scores, part, axis=1)
    best = np.take_along_axis(part, np.argsort(-order, axis=1, kind="stable"), axis=1)
    return best


# --- rating model (scikit-surprise) ----------------------------------------------------------
def make_rating_model(name: str = "svd", *, random_state: int = 0, **options):
    """A scikit-surprise algorithm by name (see RATING_MODELS)."""
    import surprise

    name = (name or "svd").lower()
    if name == "svd":
        return surprise.SVD(random_state=random_state, **options)
    if name == "svdpp":
        return surprise.SVDpp(random_state=random_state, **options)
    if name == "nmf":
        return surprise.NMF(random_state=random_state, **options)
    if name == "knnbaseline":
        sim = {"name": "pearson_baseline", "user_based": False}
        return surprise.KNNBaseline(sim_options=sim, verbose=False, **options)
    if name == "knnwithmeans":
        sim = {"name": "pearson", "user_based": False}
        return surprise.KNNWithMeans(sim_options=sim, verbose=False, **options)
    if name == "baselineonly":
        return surprise.BaselineOnly(verbose=False, **options)
    if name == "slopeone":
        return surprise.SlopeOne(**options)
    raise ValueError(f"Unknown rating model {name!r}; choose one of {', '.join(RATING_MODELS)}")


class RatingModel:
    """A Surprise algorithm trained on (user, item, stars) triples, predicting in bulk."""

    def __init__(self, name: str = "svd", *, scale: tuple[float, float] = (1, 5), **options):
        self.name = name
        self.scale = scale
        self.algorithm = make_rating_model(name, **options)
        self.trainset = None

    def fit(self, triples: Iterable[tuple]) -> RatingModel:
        import surprise

        reader = surprise.Reader(rating_scale=self.scale)
        raw = [(user, item, float(rating), None) for user, item, rating in triples]
        self.trainset = surprise.Dataset(reader).construct_trainset(raw)
        self.algorithm.fit(self.trainset)
        return self

    @property
    def predicts_in_bulk(self) -> bool:
        """Latent-factor models (SVD, NMF) predict whole matrices with numpy."""
        algorithm = self.algorithm
        return (
            hasattr(algorithm, "pu") and hasattr(algorithm, "bu") and not hasattr(algorithm, "yj")
        )

    def predict(self, user, item) -> float:
        return float(self.algorithm.predict(user, item, clip=True).est)

    def predict_matrix(self, users: Sequence, items: Sequence) -> np.ndarray:
        """Predicted stars (len(users), len(items)); fast path for SVD-like models."""
        algorithm = self.algorithm
        trainset = self.trainset
        low, high = self.scale
        if self.predicts_in_bulk:
            mean = trainset.global_mean
            inner_users = [_inner(trainset.to_inner_uid, u) for u in users]
            inner_items = [_inner(trainset.to_inner_iid, i) for i in items]
            out = np.full((len(users), len(items)), mean, dtype=np.float64)
            known_u = np.array([u is not None for u in inner_users])
            known_i = np.array([i is not None for i in inner_items])
            uu = np.array([u if u is not None else 0 for u in inner_users], dtype=np.int64)
            ii = np.array([i if i is not None else 0 for i in inner_items], dtype=np.int64)
            if getattr(algorithm, "biased", True):
                out += np.where(known_u, algorithm.bu[uu], 0.0)[:, None]
                out += np.where(known_i, algorithm.bi[ii], 0.0)[None, :]
            dots = algorithm.pu[uu] @ algorithm.qi[ii].T
            out += dots * np.outer(known_u, known_i)
            return np.clip(out, low, high)
        return np.array(
            [[self.predict(user, item) for item in items] for user in users], dtype=np.float64
        )


def _inner(convert, raw):
    try:
        return convert(raw)
    except ValueError:
        return None
