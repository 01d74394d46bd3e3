"""design.latents: reproducible by seed, diversity as truncation, variations and slerp strips."""

from __future__ import annotations

import numpy as np
import pytest

from design.latents import interpolate, latents_for, variations_of


def test_the_same_seed_gives_the_same_latents_and_another_seed_others():
    first = latents_for(seed=7, count=5, latent_dim=32)
    again = latents_for(seed=7, count=5, latent_dim=32)
    other = latents_for(seed=8, count=5, latent_dim=32)

    assert first.shape == (5, 32) and first.dtype == np.float32
    assert np.array_equal(first, again)
    assert not np.allclose(first, other)
    # Draft i of a seed does not depend on how many were asked.
    assert np.array_equal(latents_for(seed=7, count=2, latent_dim=32), first[:2])


def test_lower_diversity_draws_closer_to_the_mean():
    wide = latents_for(seed=1, count=64, latent_dim=64, diversity=1.0)
    narrow = latents_for(seed=1, count=64, latent_dim=64, diversity=0.5)
    mean = latents_for(seed=1, count=4, latent_dim=64, diversity=0.0)

    assert np.linalg.norm(narrow, axis=1).mean() < 0.6 * np.linalg.norm(wide, axis=1).mean()
    assert np.abs(wide).max() <= 3.0  # truncated at three standard deviations
    assert not mean.any()
    with pytest.raises(ValueError):
        latents_for(seed=1, count=1, latent_dim=8, diversity=2.5)


def test_an_interpolation_starts_and_ends_at_the_two_latents_and_keeps_the_norm():
    a, b = latents_for(seed=3, count=2, latent_dim=128)
    strip = interpolate(a=a, b=b, steps=7)

    assert strip.shape == (7, 128)
    assert np.array_equal(strip[0], a) and np.array_equal(strip[-1], b)
    # Spherical: the middle keeps about the ends' norm (a straight line would lose ~30%).
    norms = np.linalg.norm(strip, axis=1)
    assert norms.min() > 0.9 * min(norms[0], norms[-1])
    # Each step moves towards b.
    to_b = [float(np.dot(row, b) / np.linalg.norm(row)) for row in strip]
    assert to_b == sorted(to_b)
    with pytest.raises(ValueError):
        interpolate(a=a, b=b[:10], steps=3)


def test_variations_stay_near_the_latent_by_strength_and_repeat_by_seed():
    (latent,) = latents_for(seed=5, count=1, latent_dim=64)

    def cosine(rows):
        return rows @ latent / np.linalg.norm(rows, axis=1) / np.linalg.norm(latent)

    close = variations_of(latent=latent, count=6, strength=0.1, seed=1)
    far = variations_of(latent=latent, count=6, strength=0.8, seed=1)

    assert close.shape == (6, 64) and close.dtype == np.float32
    assert cosine(close).min() > 0.95
    assert cosine(far).max() < cosine(close).min()
    assert np.array_equal(close, variations_of(latent=latent, count=6, strength=0.1, seed=1))
    assert not np.allclose(close, variations_of(latent=latent, count=6, strength=0.1, seed=2))
    assert np.allclose(variations_of(latent=latent, count=1, strength=0.0, seed=1)[0], latent)
