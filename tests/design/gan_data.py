"""Tiny synthetic picture sets for the GAN tests: drawn with numpy, one look per category."""

from __future__ import annotations

import numpy as np

CATEGORIES = ["rings", "earrings", "pendants"]


def synthetic_set(
    *, count: int = 24, size: int = 16, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """(count, size, size, 3) uint8 pictures and their labels, cycling through CATEGORIES:
    a ring is a dark circle outline, an earring a filled disc, a pendant a square on a line,
    each on a light background with a little noise and a random place."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    images = np.empty((count, size, size, 3), dtype=np.uint8)
    labels = np.arange(count) % len(CATEGORIES)
    for i, label in enumerate(labels):
        picture = np.full((size, size, 3), 230.0) + rng.normal(0, 8, (size, size, 3))
        cy, cx = rng.integers(size // 3, size - size // 3, 2)
        r = size / 4
        distance = np.hypot(yy - cy, xx - cx)
        if label == 0:
            shape = np.abs(distance - r) < max(1.0, size / 16)
            colour = (180, 140, 30)
        elif label == 1:
            shape = distance < r
            colour = (40, 90, 200)
        else:
            shape = (np.abs(yy - cy) < r / 1.5) & (np.abs(xx - cx) < r / 1.5) | (
                (np.abs(xx - cx) < 1) & (yy < cy)
            )
            colour = (160, 30, 60)
        picture[shape] = colour
        images[i] = np.clip(picture, 0, 255).astype(np.uint8)
    return images, labels
