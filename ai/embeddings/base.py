"""The interface every embedding backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

DEFAULT_BATCH_SIZE = 64


class EmbeddingBackendError(Exception):
    """A backend cannot be loaded (unknown name, missing model files, not cached offline).

    The message is meant for the merchant or operator: it says what is wrong and what to do.
    """


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension.

    `name` identifies the model as well as the backend (stored with every embedding), so
    vectors of two different models are never compared with each other.
    """

    name: str
    dimension: int

    @abstractmethod
    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        """Embeds one batch; returns an (n, dimension) array, not necessarily normalised."""

    def embed(self, texts: list[str], *, batch_size: int = DEFAULT_BATCH_SIZE) -> np.ndarray:
        """Embeds `texts`; returns a C-contiguous (len(texts), dimension) float32 array."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a list of texts, not one string")
        texts = [text if isinstance(text, str) else str(text) for text in texts]
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        batch_size = max(1, int(batch_size))
        for start in range(0, len(texts), batch_size):
            chunk = texts[start : start + batch_size]
            out[start : start + len(chunk)] = self._embed_batch(chunk)
        return normalise(out)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} ({self.dimension}-d)>"


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Scales each row to unit length in place (a zero row stays zero); returns the array."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors
