"""Latent vectors for design drafts (numpy only): fresh ones, variations and interpolations.

A draft is stored with its latent vector, so it can be regenerated, varied and blended; every
function here is reproducible: the same seed gives the same vectors on any machine (numpy's
PCG64 `default_rng`, whose stream numpy keeps stable across versions).

- Diversity is the truncation trick (Brock et al., BigGAN): a latent is drawn from the
  standard normal and each coordinate redrawn while it lies beyond a bound, then scaled. 1.0 is
  the generator's own distribution (bound 3, nearly untouched); lower values shrink the vectors
  towards the mean (0), where a GAN draws its most typical, cleanest pictures; 0 gives the mean
  itself (every draft the same). Above 1 (up to 2) the vectors spread further: bolder drafts,
  more of them broken.
- A variation moves a kept draft's latent a little: `strength` of fresh noise mixed in on the
  sphere, so the variation keeps the latent's norm (what the generator was trained on).
- Interpolation is spherical (slerp): for Gaussian latents the straight line between two
  vectors passes through the low-norm middle the generator rarely saw, the great circle keeps
  the norm (White, "Sampling generative networks", 2016).
"""

from __future__ import annotations

import numpy as np

DIVERSITY_MIN = 0.0
DIVERSITY_MAX = 2.0
# Coordinates beyond this many standard deviations are redrawn (the truncation bound at 1.0).
TRUNCATION_BOUND = 3.0


def _rng(seed: int, *stream: int) -> np.random.Generator:
    """A generator for a seed (any integer) and an optional stream number."""
    return np.random.default_rng([int(seed) % 2**64, *stream])


def _truncated_normal(rng: np.random.Generator, shape: tuple[int, ...], bound: float) -> np.ndarray:
    values = rng.standard_normal(shape)
    for _attempt in range(100):  # P(|z| > 3) = 0.27%: one or two rounds in practice
        outside = np.abs(values) > bound
        if not outside.any():
            break
        values[outside] = rng.standard_normal(int(outside.sum()))
    return np.clip(values, -bound, bound)


def latents_for(*, seed: int, count: int, latent_dim: int, diversity: float = 1.0) -> np.ndarray:
    """`count` latent vectors (float32, shape (count, latent_dim)) for a seed.

    Draft i of a seed is the same whatever the count (the first 16 of 64 are the 16 of a run
    asking for 16): each row has its own stream, derived from (seed, i).
    """
    if count < 0 or latent_dim < 1:
        raise ValueError("count must be >= 0 and latent_dim >= 1")
    diversity = float(diversity)
    if not DIVERSITY_MIN <= diversity <= DIVERSITY_MAX:
        raise ValueError(f"diversity must be between {DIVERSITY_MIN} and {DIVERSITY_MAX}")
    rows = [
        _truncated_normal(_rng(seed, index), (latent_dim,), TRUNCATION_BOUND)
        for index in range(count)
    ]
    latents = np.stack(rows) if rows else np.zeros((0, latent_dim))
    return (latents * diversity).astype(np.float32)


def _slerp(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Spherical interpolation of two vectors at the fractions t (shape (k,)); the norm moves
    linearly between the two norms. Nearly parallel vectors fall back to a straight line."""
    norm_a, norm_b = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    t = t[:, None]
    if norm_a == 0.0 or norm_b == 0.0:
        return (1 - t) * a + t * b
    unit_a, unit_b = a / norm_a, b / norm_b
    omega = float(np.arccos(np.clip(np.dot(unit_a, unit_b), -1.0, 1.0)))
    if omega < 1e-6:
        return (1 - t) * a + t * b
    sin = np.sin(omega)
    direction = (np.sin((1 - t) * omega) * unit_a + np.sin(t * omega) * unit_b) / sin
    return direction * ((1 - t) * norm_a + t * norm_b)


def interpolate(*, a, b, steps: int) -> np.ndarray:
    """`steps` latents from a to b (both included), spherically; shape (steps, dim), float32."""
    a = np.asarray(a, dtype=np.float64).reshape(-1)
    b = np.asarray(b, dtype=np.float64).reshape(-1)
    if a.shape != b.shape:
        raise ValueError("the two latents differ in size")
    if steps < 2:
        raise ValueError("an interpolation needs at least 2 steps")
    result = _slerp(a, b, np.linspace(0.0, 1.0, steps))
    result[0], result[-1] = a, b  # exactly the two drafts at the ends
    return result.astype(np.float32)


def variations_of(*, latent, count: int, strength: float, seed: int) -> np.ndarray:
    """`count` latents near `latent`: strength 0 gives the latent itself, 1 an unrelated one.

    Each is the slerp from the latent towards fresh noise of the same norm, `strength` of the
    way: close variations keep the draft's shape and change its details."""
    latent = np.asarray(latent, dtype=np.float64).reshape(-1)
    strength = float(strength)
    if not 0.0 <= strength <= 1.0:
        raise ValueError("strength must be between 0 and 1")
    if count < 0:
        raise ValueError("count must be >= 0")
    rng = _rng(seed)
    norm = float(np.linalg.norm(latent)) or float(np.sqrt(latent.size))
    rows = []
    for _index in range(count):
        noise = _truncated_normal(rng, latent.shape, TRUNCATION_BOUND)
        noise *= norm / (float(np.linalg.norm(noise)) or 1.0)
        rows.append(_slerp(latent, noise, np.array([strength]))[0])
    if not rows:
        return np.zeros((0, latent.size), dtype=np.float32)
    return np.stack(rows).astype(np.float32)
