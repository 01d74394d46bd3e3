"""Offline evaluation: rating error of the rating model and top-10 ranking quality, compared in
the same run with a popularity baseline. Pure Python and numpy, no Django.

Protocol (what `evaluate_recommender` and bench/recommend.py print):

- Train on a split's training ratings (every rating counts as an interaction for the ranker;
  the stars train the rating model).
- RMSE and MAE of the rating model on every held-out rating.
- For each user with at least one held-out rating of 4 or 5 stars ("relevant"), rank every item
  seen in training except the user's own training items; the top 10 give precision@10
  (hits / 10), recall@10 (hits / number of relevant items) and NDCG@10 (binary gains, ideal
  ranking of min(10, relevant) hits). Averages over those users.
- The popularity baseline ranks items by how many training users rated them, with the same
  exclusions, users and metrics.
"""

from __future__ import annotations

import csv
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .algorithms import Interactions, Ranker, RatingModel, top_n

RELEVANT_STARS = 4.0
K = 10


class RatingsFileError(ValueError):
    """A ratings file that cannot be read; `errors` lists (line number, reason)."""

    def __init__(self, message: str, errors: list[tuple[int, str]] | None = None):
        super().__init__(message)
        self.errors = errors or []


@dataclass(frozen=True)
class Rating:
    user: str
    item: str
    rating: float
    timestamp: int


MAX_LINE_ERRORS = 50


def parse_ratings(text: str, *, max_errors: int = MAX_LINE_ERRORS) -> list[Rating]:
    """Ratings from MovieLens `u.data` (tab-separated) or CSV user,item,rating,timestamp.

    A CSV header line (user,item,rating[,timestamp]) is skipped; the timestamp may be left out
    (0). All or nothing: any bad line raises RatingsFileError listing every bad line (up to
    `max_errors`) with its number and reason.
    """
    ratings, errors = [], []
    lines = text.splitlines()
    delimiter = "\t" if any("\t" in line for line in lines[:5]) else ","
    for number, row in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row]
        if number == 1 and cells[0].lower() in ("user", "user_id", "userid"):
            continue
        reason = ""
        if len(cells) not in (3, 4):
            reason = f"expected 3 or 4 fields (user, item, rating, timestamp), found {len(cells)}"
        elif not cells[0] or not cells[1]:
            reason = "the user and the item must not be empty"
        elif len(cells[0]) > 64 or len(cells[1]) > 64:
            reason = "user and item ids are at most 64 characters"
        else:
            try:
                stars = float(cells[2])
            except ValueError:
                stars = math.nan
            if not math.isfinite(stars) or not 0.5 <= stars <= 5:
                reason = f"the rating must be a number from 0.5 to 5, not {cells[2][:20]!r}"
            timestamp = 0
            if not reason and len(cells) == 4 and cells[3]:
                try:
                    timestamp = int(cells[3])
                except ValueError:
                    reason = f"the timestamp must be a whole number, not {cells[3][:20]!r}"
                else:
                    if not 0 <= timestamp < 2**53:
                        reason = "the timestamp is out of range"
        if reason:
            errors.append((number, reason))
            if len(errors) >= max_errors:
                break
            continue
        ratings.append(Rating(cells[0], cells[1], stars, timestamp))
    if errors:
        raise RatingsFileError(f"{len(errors)} bad line(s)", errors)
    if not ratings:
        raise RatingsFileError("The file holds no ratings.", [(0, "no ratings")])
    return ratings


def read_ratings_file(path: Path | str) -> list[Rating]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = Path(path).read_text(encoding="latin-1")
    return parse_ratings(text)


def load_split(directory: Path | str, split: str) -> tuple[list[Rating], list[Rating]]:
    """`<split>.base` and `<split>.test` of a MovieLens-style folder (or .csv files)."""
    directory = Path(directory)
    found = []
    for part in ("base", "test"):
        for name in (f"{split}.{part}", f"{split}.{part}.csv", f"{split}_{part}.csv"):
            if (directory / name).is_file():
                found.append(read_ratings_file(directory / name))
                break
        else:
            raise FileNotFoundError(f"No {split}.{part} in {directory}")
    return found[0], found[1]


# --- metrics --------------------------------------------------------------------------------
def ranking_metrics(recommended: dict, relevant: dict, *, k: int = K) -> dict[str, float]:
    """Mean precision@k, recall@k and NDCG@k over the users in `relevant` (user -> set)."""
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    precision = recall = ndcg = 0.0
    users = [user for user, items in relevant.items() if items]
    for user in users:
        wanted = relevant[user]
        shown = list(recommended.get(user, []))[:k]
        hits = np.array([item in wanted for item in shown], dtype=float)
        found = float(hits.sum())
        precision += found / k
        recall += found / len(wanted)
        dcg = float((hits * discounts[: len(hits)]).sum())
        ideal = float(discounts[: min(k, len(wanted))].sum())
        ndcg += dcg / ideal
    n = len(users) or 1
    return {
        f"precision_at_{k}": precision / n,
        f"recall_at_{k}": recall / n,
        f"ndcg_at_{k}": ndcg / n,
        "users": len(users),
    }


@dataclass
class EvaluationConfig:
    rating_model: str = "svd"
    method: str = "ease"
    l2: float = 500.0
    shrink: float = 10.0
    popularity_weight: float = 0.0
    rating_weight: float = 0.2
    k: int = K
    random_state: int = 0


def evaluate(
    train: list[Rating],
    test: list[Rating],
    config: EvaluationConfig | None = None,
    *,
    strengths: dict | None = None,
) -> dict:
    """Every figure of one split (see the module's docstring), rounded to 4 places.

    `strengths` ((user, item) -> implicit strength) weighs the ranker's training interactions
    as the store's training does; without it every rating counts 1.
    """
    config = config or EvaluationConfig()
    started = time.perf_counter()
    rating_model = RatingModel(config.rating_model, random_state=config.random_state).fit(
        (r.user, r.item, r.rating) for r in train
    )
    rating_seconds = time.perf_counter() - started
    errors = np.array([rating_model.predict(r.user, r.item) - r.rating for r in test])
    rmse = float(np.sqrt(np.mean(errors**2))) if errors.size else 0.0
    mae = float(np.mean(np.abs(errors))) if errors.size else 0.0

    strengths = strengths or {}
    data = Interactions.from_triples(
        (r.user, r.item, strengths.get((r.user, r.item), 1.0)) for r in train
    )
    relevant: dict = {}
    for r in test:
        if r.rating >= RELEVANT_STARS and r.user in data.user_index:
            relevant.setdefault(r.user, set()).add(r.item)
    users = [user for user in data.users if user in relevant]
    rows = data.matrix[[data.user_index[u] for u in users]]
    seen = rows.toarray() > 0

    started = time.perf_counter()
    ranker = Ranker(
        method=config.method,
        l2=config.l2,
        shrink=config.shrink,
        popularity_weight=config.popularity_weight,
        rating_weight=config.rating_weight,
    ).fit(data.matrix)
    ranker_seconds = time.perf_counter() - started
    scores = ranker.rank_scores(
        rows, users=users, items=data.items, rating_model=rating_model, exclude=seen
    )
    best = top_n(scores, exclude=seen, n=config.k)
    model = ranking_metrics(
        {u: [data.items[j] for j in best[row]] for row, u in enumerate(users)},
        relevant,
        k=config.k,
    )
    baseline = Ranker(method="popularity").fit(data.matrix)
    best = top_n(baseline.score(rows), exclude=seen, n=config.k)
    popular = ranking_metrics(
        {u: [data.items[j] for j in best[row]] for row, u in enumerate(users)},
        relevant,
        k=config.k,
    )
    k = config.k
    result = {
        "rmse": rmse,
        "mae": mae,
        f"precision_at_{k}": model[f"precision_at_{k}"],
        f"recall_at_{k}": model[f"recall_at_{k}"],
        f"ndcg_at_{k}": model[f"ndcg_at_{k}"],
        f"popularity_precision_at_{k}": popular[f"precision_at_{k}"],
        f"popularity_recall_at_{k}": popular[f"recall_at_{k}"],
        f"popularity_ndcg_at_{k}": popular[f"ndcg_at_{k}"],
    }
    result = {key: round(value, 4) for key, value in result.items()}
    baseline_ndcg = popular[f"ndcg_at_{k}"]
    result["ndcg_ratio_to_popularity"] = (
        round(model[f"ndcg_at_{k}"] / baseline_ndcg, 3) if baseline_ndcg else None
    )
    result.update(
        {
            "users_evaluated": model["users"],
            "train_ratings": len(train),
            "test_ratings": len(test),
            "rating_model": config.rating_model,
            "ranking": config.method,
            "rating_model_seconds": round(rating_seconds, 3),
            "ranker_seconds": round(ranker_seconds, 3),
        }
    )
    return result
