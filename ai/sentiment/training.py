"""The "ngram-logreg" training job's work: fit the encoder + char n-grams classifier on the
store's rated reviews (finetuning.py fine-tunes e5 instead; AI_SENTIMENT_BACKEND chooses).

Stars are the labels (1-2 negative, 3 neutral, 4-5 positive). A stratified share of the reviews
is held out; the new model and the model in use now (the active version, or the built-in model)
are both measured on it, and the new version is activated only when its held-out macro-F1 is
higher. The classifier is saved as a file under AI_SENTIMENT_DIR (var/models/sentiment/ by
default), which the ModelVersion's artifact_path points to.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter

from django.utils import timezone

from ai.embeddings import get_embedder
from ai.models import Capability
from ai.registry import model_version_active, model_version_register
from reviews.selectors import rated_reviews_for_training
from shop.text_language import detect_language

from .backends import BACKEND_NGRAM, clear_cache, get_scorer, models_dir
from .evaluation import measure
from .model import LABELS, SentimentModel, evaluate, label_for_stars
from .scoring import review_text

MIN_REVIEWS = 30
MIN_PER_CLASS = 3


class NotEnoughReviews(ValueError):
    pass


def check_enough_reviews(labels: list[str]) -> None:
    """Raises NotEnoughReviews (saying what is missing) unless `labels` can train a model."""
    counts = Counter(labels)
    if len(labels) < MIN_REVIEWS or any(counts[label] < MIN_PER_CLASS for label in LABELS):
        raise NotEnoughReviews(
            f"Training needs at least {MIN_REVIEWS} rated reviews with at least {MIN_PER_CLASS} "
            f"of each sentiment (1-2, 3 and 4-5 stars); the store has {len(labels)} "
            f"({counts['negative']} negative, {counts['neutral']} neutral, "
            f"{counts['positive']} positive)."
        )


def stratified_split(labels: list[str], *, test_share: float, seed: int) -> tuple[list, list]:
    rng = random.Random(seed)
    train, test = [], []
    by_label: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        by_label.setdefault(label, []).append(index)
    for label in sorted(by_label):
        indexes = by_label[label][:]
        rng.shuffle(indexes)
        held = max(1, round(len(indexes) * test_share)) if len(indexes) > 1 else 0
        test.extend(indexes[:held])
        train.extend(indexes[held:])
    return sorted(train), sorted(test)


def train_sentiment(
    *,
    rows: list[tuple[str, str, int, str]] | None = None,
    test_share: float = 0.2,
    seed: int = 13,
    c: float = 1.0,
    progress=None,
) -> dict:
    """Fits, measures, saves and registers a new sentiment model version; returns the report.

    `rows`: (title, text, stars, language); by default every review of the store not rejected.
    """

    if rows is None:
        rows = rated_reviews_for_training()
    texts = [review_text(title, text) for title, text, _stars, _language in rows]
    labels = [label_for_stars(stars) for _title, _text, stars, _language in rows]
    languages = [
        language or detect_language(text)
        for text, (_title, _body, _stars, language) in zip(texts, rows, strict=True)
    ]
    check_enough_reviews(labels)
    report = progress or (lambda done, total, message="": None)
    train_idx, test_idx = stratified_split(labels, test_share=test_share, seed=seed)

    model = SentimentModel(char_ngrams=True, c=c)
    embedder = get_embedder(model.embedding_backend)
    vectors = []
    batch = 64
    for start in range(0, len(texts), batch):
        encoding = model.encode(
            texts[start : start + batch],
            embed=lambda chunk: embedder.embed(chunk, batch_size=128),
        )
        vectors.append(encoding.review_vectors)
        report(min(start + batch, len(texts)), len(texts) * 10 // 8, "Embedding reviews")
    import numpy as np

    vectors = np.concatenate(vectors) if vectors else np.zeros((0, embedder.dimension))

    def pick(items, indexes):
        return [items[index] for index in indexes]

    model.fit(pick(texts, train_idx), pick(labels, train_idx), vectors=vectors[train_idx])
    report(9, 10, "Measuring on the held-out reviews")
    truth = pick(labels, test_idx)
    test_texts = pick(texts, test_idx)
    new_probabilities = model.predict_proba(test_texts, vectors=vectors[test_idx])
    new_metrics = evaluate(truth, new_probabilities)
    per_language = {}
    test_languages = pick(languages, test_idx)
    for language in sorted(set(test_languages)):
        mask = [i for i, value in enumerate(test_languages) if value == language]
        per_language[language or "unknown"] = evaluate(
            [truth[i] for i in mask], new_probabilities[mask]
        )

    active = model_version_active(capability=Capability.SENTIMENT)
    current = get_scorer(fresh=True)
    if isinstance(current, SentimentModel) and current.vector_kind == model.vector_kind:
        current_probabilities = current.predict_proba(test_texts, vectors=vectors[test_idx])
        current_metrics = evaluate(truth, current_probabilities)
    else:
        # Another kind of model (a fine-tuned e5 one is measured with its decision rule).
        current_metrics, _per_language = measure(current, test_texts, truth, test_languages)
    better = new_metrics["macro_f1"] > current_metrics["macro_f1"]

    folder = models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"sentiment-{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.pkl"
    path.write_bytes(model.dumps())
    version = model_version_register(
        capability=Capability.SENTIMENT,
        parameters={
            "backend": BACKEND_NGRAM,
            **model.describe(),
            "train_reviews": len(train_idx),
            "test_reviews": len(test_idx),
            "test_share": test_share,
            "seed": seed,
            "languages": dict(Counter(languages)),
        },
        metrics={
            **new_metrics,
            "per_language": per_language,
            "compared_with": f"v{active.version}" if active is not None else "built-in",
            "compared_macro_f1": current_metrics["macro_f1"],
            "compared_binary_accuracy": current_metrics["binary_accuracy"],
            "activated": better,
        },
        artifact_path=str(path),
        activate=better,
    )
    clear_cache()
    return {
        "version": version.version,
        "activated": better,
        "metrics": new_metrics,
        "per_language": per_language,
        "compared_with": version.metrics["compared_with"],
        "compared_metrics": current_metrics,
        "train_reviews": len(train_idx),
        "test_reviews": len(test_idx),
        "artifact_path": str(path),
    }
