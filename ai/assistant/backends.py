"""Which intent model answers: the active "assistant" ModelVersion's, or the built-in one.

    current_model() -> IntentModel

With a version active, its artifact (a file under AI_ASSISTANT_DIR written by the training
job) is loaded once per process; the active version is looked up (one query) at most every
few seconds, so web processes pick up a model the worker just trained.

Before any training, the built-in model: fitted on the shipped train files the first time a
process needs it, and cached on disk as AI_ASSISTANT_DIR/builtin-<key>.pkl, the key a digest
of the shipped data, the encoders (USE and the e5 engine's version) and the recipe (every
IntentModel parameter, e5_weight included, and RECIPE_VERSION). The next process (or the next
start) loads the file in well under a second instead of training again; a change of data,
encoder or recipe makes a new key, so a stale model is never served. One load per process, even
when several threads ask at once; a file lock keeps two processes starting together from both
training.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connections

from . import training
from .examples import data_hash, shipped_examples
from .model import RECIPE_VERSION, IntentModel

logger = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 10.0
_lock = threading.Lock()
_cache: dict[str, IntentModel] = {}
_active: dict = {"checked": 0.0, "key": None, "path": ""}


class AssistantModelError(Exception):
    """The assistant's model cannot be loaded; the message says what to do."""


def models_dir() -> Path:
    configured = getattr(settings, "AI_ASSISTANT_DIR", "") or ""
    return Path(configured) if configured else Path(settings.VAR_DIR) / "models" / "assistant"


def load_artifact(path: str | Path) -> IntentModel:
    try:
        return IntentModel.loads(Path(path).read_bytes())
    except (OSError, ValueError, EOFError, AttributeError, ImportError, TypeError) as exc:
        raise AssistantModelError(f"The assistant model file {path} cannot be read: {exc}") from exc


# --- the built-in model --------------------------------------------------------------------------
def builtin_key() -> str:
    """Digest of what the built-in model is made of: shipped train data, encoders (USE and the
    e5 engine's version), recipe (RECIPE_VERSION and every parameter, e5_weight included)."""
    # training.DEFAULT_PARAMS read at call time (the tests change it).
    model = IntentModel(**training.DEFAULT_PARAMS)
    encoder = model.encoders_name() if model.uses_vectors else ""
    recipe = f"{RECIPE_VERSION}:{sorted(model.params().items())}:{training.DEFAULT_FOLDS}"
    digest = hashlib.sha256(f"{data_hash('train')}|{encoder}|{recipe}".encode())
    return digest.hexdigest()[:20]


def builtin_path() -> Path:
    return models_dir() / f"builtin-{builtin_key()}.pkl"


@contextlib.contextmanager
def _file_lock(path: Path):
    """An exclusive lock between processes (POSIX); no lock where fcntl is missing."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomically(path: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pkl")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def train_builtin(progress=None) -> IntentModel:
    """Fits the built-in model on the shipped train files (no merchant examples)."""
    examples = shipped_examples("train")
    if not examples:
        raise AssistantModelError(
            "The assistant has no training examples (ai/assistant/data/train/*.jsonl)."
        )
    started = time.monotonic()
    model = training.fit_calibrated(
        [example.text for example in examples],
        [example.intent for example in examples],
        progress=progress,
    )
    model.info["train_seconds"] = round(time.monotonic() - started, 1)
    model.info["builtin"] = True
    return model


def builtin_model() -> IntentModel:
    """The built-in model: from this process's memory, the disk cache, or trained now."""
    # Keyed by the folder only: the shipped data does not change under a running process, so
    # the digest of the files is computed once, when the model is loaded.
    key = f"builtin:{models_dir()}"
    model = _cache.get(key)
    if model is not None:
        return model
    with _lock:
        model = _cache.get(key)
        if model is None:
            model = _load_or_train_builtin(builtin_path())
            for old in [name for name in _cache if name.startswith("builtin:")]:
                del _cache[old]
            _cache[key] = model
    return model


def _load_or_train_builtin(path: Path) -> IntentModel:
    path.parent.mkdir(parents=True, exist_ok=True)
    with _file_lock(path.with_suffix(".lock")):
        if path.exists():
            try:
                return load_artifact(path)
            except AssistantModelError:
                logger.warning("Retraining the built-in assistant model: %s is unreadable", path)
        logger.info("Training the built-in assistant model (cached as %s)", path)
        model = train_builtin()
        _write_atomically(path, model.dumps())
        return model


# --- the model in use ------------------------------------------------------------------------
def _active_version():
    from ai.models import Capability
    from ai.registry import model_version_active

    return model_version_active(capability=Capability.ASSISTANT)


def current_model(*, fresh: bool = False) -> IntentModel:
    """The active version's model, or the built-in one (see the module doc)."""
    now = time.monotonic()
    if fresh or _active["key"] is None or now - _active["checked"] > CHECK_EVERY_SECONDS:
        version = _active_version()
        if version is not None and version.artifact_path:
            _active.update(key=f"artifact:{version.pk}:{version.artifact_path}")
            _active["path"] = version.artifact_path
        else:
            _active.update(key="builtin", path="")
        _active["checked"] = now
    key = _active["key"]
    if key == "builtin":
        return builtin_model()
    model = _cache.get(key)
    if model is not None:
        return model
    with _lock:
        model = _cache.get(key)
        if model is None:
            try:
                model = load_artifact(_active["path"])
            except AssistantModelError:
                # The chat keeps answering with the built-in model; the operator sees why.
                logger.exception("The active assistant model cannot be loaded")
                model = None
            if model is not None:
                for old in [name for name in _cache if name.startswith("artifact:")]:
                    del _cache[old]
                _cache[key] = model
    return model if model is not None else builtin_model()


def clear_cache(*, builtin: bool = False) -> None:
    """Forgets the loaded models (after a training; tests). The built-in one stays unless
    `builtin`: it only changes with the shipped data, which its key follows."""
    with _lock:
        for name in list(_cache):
            if builtin or not name.startswith("builtin:"):
                del _cache[name]
        _active.update({"checked": 0.0, "key": None, "path": ""})


def warm_up() -> float | None:
    """Loads the model in use (training the built-in one if nothing is cached) and answers one
    message, so the first shopper does not wait; seconds taken, None when it failed (logged:
    the first message then loads it as it would without a warm-up)."""
    started = time.monotonic()
    try:
        current_model().predict(["hello"])
    except Exception:  # noqa: BLE001 - best effort, like the search warm-up
        logger.exception("Assistant warm-up failed; the first message will load the model")
        return None
    return round(time.monotonic() - started, 2)


def start_warm_up() -> threading.Thread | None:
    """Warms the assistant up in a web worker (gunicorn.conf.py), in a thread so the worker
    serves at once; a message arriving meanwhile waits for the same load. None when
    AI_ASSISTANT_WARM_UP is off."""
    if not getattr(settings, "AI_ASSISTANT_WARM_UP", False):
        return None

    def work() -> None:
        try:
            warm_up()
        finally:
            connections.close_all()  # this thread's own database connections

    thread = threading.Thread(target=work, name="assistant-warm-up", daemon=True)
    thread.start()
    return thread
