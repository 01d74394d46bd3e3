"""Measuring any sentiment scorer on held-out reviews, the way it will label them in the store.

Both training jobs (training.py, finetuning.py) measure the new model and the model in use on
the same held-out reviews with `measure`, overall and per language, so "better" means the same
thing whichever backend trained which: macro-F1 of the labels the scorer would store (a
fine-tuned e5 model's decision rule, the likelier class for the others), binary accuracy on the
polar reviews (1-2 against 4-5 stars: the sign of P(positive) - P(negative)) and the share of
polar reviews filed as neutral.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .model import binary_accuracy, macro_f1, prediction_from_probabilities


def scorer_labels(scorer, texts: list[str]) -> tuple[np.ndarray, list[str]]:
    """(n, 3) probabilities and the labels `scorer` gives `texts` when it scores reviews."""
    if not texts:
        return np.zeros((0, 3)), []
    rule = getattr(scorer, "rule", None)
    if rule is not None and hasattr(scorer, "probabilities"):
        probabilities, star_probabilities = scorer.probabilities(texts)
        return probabilities, rule.labels(probabilities, star_probabilities)
    probabilities = scorer.predict_proba(texts)
    return probabilities, [prediction_from_probabilities(row).label for row in probabilities]


def metrics_for(truth: Sequence[str], probabilities: np.ndarray, predicted: Sequence[str]) -> dict:
    truth, predicted = list(truth), list(predicted)
    polar = [label for t, label in zip(truth, predicted, strict=True) if t != "neutral"]
    accuracy = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p) / max(1, len(truth))
    binary = binary_accuracy(truth, probabilities) if len(truth) else None
    return {
        "macro_f1": round(macro_f1(truth, predicted), 4),
        "binary_accuracy": None if binary is None else round(binary, 4),
        "accuracy": round(float(accuracy), 4),
        "polar_as_neutral": (
            round(sum(1 for label in polar if label == "neutral") / len(polar), 4)
            if polar
            else None
        ),
        "examples": len(truth),
    }


def measure(
    scorer, texts: list[str], truth: Sequence[str], languages: Sequence[str]
) -> tuple[dict, dict[str, dict]]:
    """(metrics over every text, {language: metrics}) of `scorer` on held-out reviews."""
    probabilities, predicted = scorer_labels(scorer, list(texts))
    overall = metrics_for(truth, probabilities, predicted)
    per_language = {}
    for language in sorted(set(languages)):
        rows = [index for index, value in enumerate(languages) if value == language]
        per_language[language or "unknown"] = metrics_for(
            [truth[i] for i in rows], probabilities[rows], [predicted[i] for i in rows]
        )
    return overall, per_language
