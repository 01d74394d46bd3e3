"""Drafts from a trained generator: `load_generator(artifact_dir).generate(latents, categories)`.

The contract the drafts code (design/drafts*.py) and the benchmark rely on:

    generator = load_generator(artifact_dir)       # cached per folder
    generator.categories: list[str]                 # the labels it was trained on, in order
    generator.latent_dim: int
    generator.size: int                             # pictures are size x size
    generator.conditional: bool
    generator.generate(latents, categories) -> np.ndarray uint8 (n, size, size, 3)
        latents: float32 (n, latent_dim); categories: n labels from .categories (ignored, but
        still checked for their count, by an unconditional generator)

The same latent vector and category always give the same picture (the generator runs in
inference mode), so a draft is stored as (model version, category, latent) and regenerated.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import tensorflow as tf

from .model import GanConfig, build_generator
from .training import META_FILE, WEIGHTS_FILE, to_uint8

BATCH = 64
_cache: dict[str, LoadedGenerator] = {}
_lock = threading.Lock()


class UnknownCategory(ValueError):
    pass


class LoadedGenerator:
    """A trained generator ready to draw pictures."""

    def __init__(self, artifact_dir: Path):
        self.artifact_dir = Path(artifact_dir)
        meta = json.loads((self.artifact_dir / META_FILE).read_text())
        self.meta = meta
        self.config = GanConfig(**meta["config"])
        self.categories: list[str] = list(meta["categories"])
        self.latent_dim: int = int(self.config.latent_dim)
        self.size: int = int(self.config.size)
        self.conditional: bool = bool(self.config.conditional)
        self._index = {name: i for i, name in enumerate(self.categories)}
        self.model = build_generator(self.config)
        self.model.load_weights(str(self.artifact_dir / WEIGHTS_FILE))
        self._run = tf.function(
            lambda inputs: self.model(inputs, training=False), reduce_retracing=True
        )

    def category_index(self, category: str) -> int:
        try:
            return self._index[category]
        except KeyError:
            raise UnknownCategory(f"The model knows no category {category!r}") from None

    def generate(self, latents: np.ndarray, categories: list[str]) -> np.ndarray:
        """(n, latent_dim) float32 latents and n category labels -> (n, size, size, 3) uint8."""
        latents = np.asarray(latents, dtype=np.float32)
        if latents.ndim != 2 or latents.shape[1] != self.latent_dim:
            raise ValueError(f"latents must be of shape (n, {self.latent_dim})")
        if len(categories) != len(latents):
            raise ValueError("one category per latent vector is needed")
        labels = np.array([self.category_index(c) for c in categories], dtype=np.int32)
        if not self.conditional:
            labels[:] = 0
        out = np.empty((len(latents), self.size, self.size, 3), dtype=np.uint8)
        for start in range(0, len(latents), BATCH):
            z = latents[start : start + BATCH]
            inputs = [z, labels[start : start + BATCH]] if self.conditional else [z]
            out[start : start + BATCH] = to_uint8(self._run(inputs).numpy())
        return out


def load_generator(artifact_dir: Path | str) -> LoadedGenerator:
    """The generator saved in `artifact_dir` by train_gan, loaded once per folder and process."""
    key = str(Path(artifact_dir).resolve())
    with _lock:
        loaded = _cache.get(key)
        if loaded is None:
            loaded = _cache[key] = LoadedGenerator(Path(key))
        return loaded


def clear_cache() -> None:
    with _lock:
        _cache.clear()
