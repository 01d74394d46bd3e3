"""External rating files (MovieLens u.data, CSV) kept for offline evaluation."""

from __future__ import annotations

import random
from pathlib import Path

from django.db import transaction

from ..models import ExternalRating
from .evaluation import Rating, RatingsFileError, parse_ratings

MAX_FILE_BYTES = 200 * 1024 * 1024


def ratings_import(*, path: Path | str, dataset: str, replace: bool = False) -> dict:
    """Loads a ratings file into the dataset, all or nothing.

    Raises RatingsFileError (with every bad line and its reason) and writes nothing when any
    line is bad. `replace` empties the dataset first (in the same transaction).
    """
    path = Path(path)
    dataset = (dataset or "").strip()[:100]
    if not dataset:
        raise RatingsFileError("The dataset needs a name.", [(0, "empty dataset name")])
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise RatingsFileError(
                f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB.",
                [(0, "file too large")],
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise RatingsFileError(f"Cannot read {path}: {exc.strerror or exc}", []) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    if "\x00" in text:
        raise RatingsFileError("The file is not a text file.", [(0, "binary content")])
    ratings = parse_ratings(text)
    with transaction.atomic():
        replaced = 0
        if replace:
            replaced, _kinds = ExternalRating.objects.filter(dataset=dataset).delete()
        ExternalRating.objects.bulk_create(
            [
                ExternalRating(
                    dataset=dataset,
                    user_ref=r.user,
                    item_ref=r.item,
                    rating=r.rating,
                    timestamp=r.timestamp,
                )
                for r in ratings
            ],
            batch_size=5000,
        )
    return {
        "dataset": dataset,
        "imported": len(ratings),
        "replaced": replaced,
        "users": len({r.user for r in ratings}),
        "items": len({r.item for r in ratings}),
    }


def dataset_ratings(*, dataset: str) -> list[Rating]:
    rows = (
        ExternalRating.objects.filter(dataset=dataset)
        .order_by("id")
        .values_list("user_ref", "item_ref", "rating", "timestamp")
        .iterator(chunk_size=10000)
    )
    return [Rating(user, item, rating, timestamp) for user, item, rating, timestamp in rows]


def random_split(
    ratings: list[Rating], *, test_fraction: float = 0.2, seed: int = 0
) -> tuple[list[Rating], list[Rating]]:
    """An 80/20 split like MovieLens u1..u5 (ratings shuffled with a fixed seed)."""
    shuffled = list(ratings)
    random.Random(seed).shuffle(shuffled)
    held = int(len(shuffled) * test_fraction)
    return shuffled[held:], shuffled[:held]
