"""The assistant's training job's work: fit, measure, compare with the model in use, register.

`train_assistant` fits on the shipped train files plus the merchant's active IntentExample
rows (training.fit_calibrated), measures on the shipped eval files per language, compares with
the model in use on the same eval (backends.current_model), saves the artifact under
AI_ASSISTANT_DIR and records a ModelVersion, active only when better. It sits above both
training (the recipe) and backends (the model in use), which is why it is not in either.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Sequence

from django.utils import timezone

from ai.models import Capability
from ai.registry import model_version_active, model_version_register

from .backends import clear_cache, current_model, models_dir
from .examples import Example, data_hash, shipped_examples, training_examples
from .intents import OUT_OF_SCOPE
from .training import DEFAULT_FOLDS, Progress, embed_examples, evaluate_model, fit_calibrated


def _quiet(done: int, total: int, message: str = "") -> None:
    pass


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
