"""The design bench's metrics, in numpy alone (no TensorFlow), so tests/design can check them.

All of them work on feature vectors (rows): bench/design.py takes them from its own category
classifier's penultimate layer, since FID's Inception weights cannot be downloaded here.

- KID (Binkowski et al. 2018, "Demystifying MMD GANs"): the unbiased estimate of the squared
  maximum mean discrepancy with the cubic polynomial kernel k(x, y) = (x . y / d + 1) ** 3,
  averaged over random subsets of equal size, with its standard deviation over the subsets.
  Unbiased: two samples of one distribution give about 0 (it can be slightly negative), so a
  real-vs-real figure is the floor a generator can reach.
- Spread: the mean pairwise Euclidean distance within a set (a collapsed generator draws the
  same picture again and again and has a small spread).
- Near copies: a draft is a near copy when the cosine similarity to its nearest training
  picture is at least a threshold chosen from real data (copy_threshold: how similar a
  training picture and a lightly altered copy of it are).
"""

from __future__ import annotations

import numpy as np


def polynomial_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """k(x, y) = (x . y / d + 1) ** 3, the kernel KID uses."""
    dim = x.shape[1]
    return (x @ y.T / dim + 1.0) ** 3


def mmd2_unbiased(x: np.ndarray, y: np.ndarray) -> float:
    """The unbiased MMD^2 estimate between samples x (m, d) and y (n, d)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    m, n = len(x), len(y)
    if m < 2 or n < 2:
        raise ValueError("MMD needs at least two samples on each side")
    k_xx = polynomial_kernel(x, x)
    k_yy = polynomial_kernel(y, y)
    k_xy = polynomial_kernel(x, y)
    sum_xx = (k_xx.sum() - np.trace(k_xx)) / (m * (m - 1))
    sum_yy = (k_yy.sum() - np.trace(k_yy)) / (n * (n - 1))
    return float(sum_xx + sum_yy - 2.0 * k_xy.mean())


def kid(
    x: np.ndarray,
    y: np.ndarray,
    *,
    subsets: int = 50,
    subset_size: int = 100,
    seed: int = 0,
) -> tuple[float, float]:
    """KID between feature sets x and y: the mean and standard deviation of mmd2_unbiased over
    `subsets` random subsets of min(subset_size, len(x), len(y)) rows from each side (drawn
    without replacement within a subset)."""
    rng = np.random.default_rng(seed)
    size = min(subset_size, len(x), len(y))
    values = []
    for _ in range(subsets):
        a = x[rng.choice(len(x), size, replace=False)]
        b = y[rng.choice(len(y), size, replace=False)]
        values.append(mmd2_unbiased(a, b))
    return float(np.mean(values)), float(np.std(values))


def mean_pairwise_distance(features: np.ndarray, *, max_rows: int = 1000, seed: int = 0) -> float:
    """The mean Euclidean distance over all distinct pairs (of at most max_rows random rows)."""
    features = np.asarray(features, dtype=np.float64)
    if len(features) < 2:
        raise ValueError("a spread needs at least two rows")
    if len(features) > max_rows:
        rng = np.random.default_rng(seed)
        features = features[rng.choice(len(features), max_rows, replace=False)]
    squares = (features**2).sum(axis=1)
    distances2 = squares[:, None] + squares[None, :] - 2.0 * features @ features.T
    distances = np.sqrt(np.clip(distances2, 0.0, None))
    n = len(features)
    return float(distances[np.triu_indices(n, k=1)].mean())


def _unit(features: np.ndarray) -> np.ndarray:
    features = np.asarray(features, dtype=np.float64)
    norms = np.linalg.norm(features, axis=1, keepdims=True)
    return features / np.maximum(norms, 1e-12)


def nearest_similarity(
    queries: np.ndarray, references: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each query row: the cosine similarity to its nearest reference row, and that row's
    index."""
    similarities = _unit(queries) @ _unit(references).T
    index = similarities.argmax(axis=1)
    return similarities[np.arange(len(queries)), index], index


def pair_similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row by row cosine similarity of two equally long sets (a picture and its copy)."""
    return (_unit(a) * _unit(b)).sum(axis=1)


def copy_threshold(originals: np.ndarray, copies: np.ndarray, *, quantile: float = 0.1) -> float:
    """The near-copy threshold: the `quantile` of the similarities between pictures and their
    lightly altered copies. With 0.1, nine of ten such copies are at or above it: a draft that
    close to a training picture is as close as a retouched copy would be."""
    return float(np.quantile(pair_similarity(originals, copies), quantile))


def near_copy_share(queries: np.ndarray, references: np.ndarray, *, threshold: float) -> float:
    """The share of queries whose nearest reference is at least `threshold` similar."""
    similarity, _ = nearest_similarity(queries, references)
    return float((similarity >= threshold).mean())


def assigned_share(predicted: np.ndarray, asked: np.ndarray) -> float:
    """The share of drafts the classifier assigns to the category they were asked for."""
    predicted = np.asarray(predicted)
    asked = np.asarray(asked)
    return float((predicted == asked).mean())


def per_class_share(predicted: np.ndarray, asked: np.ndarray, classes: int) -> list[float | None]:
    """assigned_share within each class (None for a class with no rows)."""
    predicted = np.asarray(predicted)
    asked = np.asarray(asked)
    out: list[float | None] = []
    for label in range(classes):
        rows = asked == label
        out.append(float((predicted[rows] == label).mean()) if rows.any() else None)
    return out
