"""Nearest training pictures and the near-copy flag (design.similarity, design.drafts)."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from design.drafts import DraftBatch, drafts_store
from design.models import DesignImage
from design.pictures import normalise
from design.services import design_set_add_uploads
from design.similarity import (
    SetFeatures,
    draft_features,
    features_from_bytes,
    nearest,
    picture_features,
    set_features,
)

from .conftest import drawing, picture_bytes

SIZE = 64


def draft_pixels(seed: int) -> np.ndarray:
    """A test drawing as a generator would give it: a 64 x 64 square."""
    return np.asarray(normalise(drawing(seed), SIZE))


def shifted_noisy_copy(pixels: np.ndarray, *, dx=3, dy=2, sigma=8.0) -> np.ndarray:
    moved = np.full_like(pixels, 255)
    moved[dy:, dx:] = pixels[:-dy, :-dx]
    noise = np.random.default_rng(0).normal(0, sigma, pixels.shape)
    return np.clip(moved + noise, 0, 255).astype(np.uint8)


def recoloured(pixels: np.ndarray) -> np.ndarray:
    """The same piece in another metal: greyed and tinted cool (gold made silver)."""
    grey = pixels.astype(np.float32).mean(axis=2, keepdims=True)
    return np.clip(grey * np.array([0.8, 0.85, 1.0]) + 20, 0, 255).astype(np.uint8)


@pytest.fixture
def training_set(design_set):
    files = [SimpleUploadedFile(f"piece-{seed}.png", picture_bytes(seed)) for seed in range(1, 7)]
    assert design_set_add_uploads(design_set=design_set, files=files, category="rings").ok
    return design_set


def batch_of(*pictures: np.ndarray) -> DraftBatch:
    return DraftBatch(
        images=np.stack(pictures),
        latents=np.zeros((len(pictures), 8), dtype=np.float32),
        categories=["rings"] * len(pictures),
        seed=1,
        positions=range(len(pictures)),
    )


def test_features_are_unit_vectors_and_a_picture_is_nearest_to_itself():
    pictures = [draft_pixels(seed) for seed in (1, 2, 3)]
    among = SetFeatures(ids=[10, 11, 12], matrix=np.stack([picture_features(p) for p in pictures]))

    assert np.allclose(np.linalg.norm(among.matrix, axis=1), 1.0, atol=1e-5)
    found = nearest(draft_features(pictures[1]), among, k=3)
    assert [pk for pk, _ in found][0] == 11 and found[0][1] == pytest.approx(1.0, abs=1e-3)
    assert [score for _, score in found] == sorted((score for _, score in found), reverse=True)
    assert nearest(draft_features(pictures[1]), among, k=1) == found[:1]
    assert nearest(draft_features(pictures[1]), SetFeatures(ids=[], matrix=among.matrix[:0])) == []


@pytest.mark.django_db
def test_a_shifted_noised_copy_of_a_training_picture_is_flagged_and_a_new_piece_is_not(
    training_set, settings
):
    settings.DESIGN_NEAR_COPY_SIMILARITY = 0.90
    copied = DesignImage.objects.get(original_filename="piece-3.png")
    with copied.image.open("rb") as stored, Image.open(stored) as opened:
        original = np.asarray(opened.convert("RGB").resize((SIZE, SIZE), Image.Resampling.LANCZOS))

    copy, tinted, new = drafts_store(
        batch=batch_of(shifted_noisy_copy(original), recoloured(original), draft_pixels(seed=42)),
        design_set=training_set,
        set_features=set_features(training_set),
    )

    assert copy.near_copy is True
    assert copy.nearest[0]["image"] == copied.pk
    assert copy.nearest[0]["similarity"] >= 0.90 and copy.nearest_similarity >= 0.90
    assert len(copy.nearest) == 3
    assert tinted.near_copy is True and tinted.nearest[0]["image"] == copied.pk
    assert new.near_copy is False and new.nearest_similarity < 0.90
    # The setting decides: raised above the copy's score, the copy is no longer flagged.
    settings.DESIGN_NEAR_COPY_SIMILARITY = 0.999
    (again,) = drafts_store(
        batch=batch_of(shifted_noisy_copy(original)),
        design_set=training_set,
        set_features=set_features(training_set),
    )
    assert again.near_copy is False


@pytest.mark.django_db
def test_the_sets_features_are_cached_on_its_pictures_and_follow_the_set(training_set):
    assert not DesignImage.objects.filter(features__isnull=False).exists()

    first = set_features(training_set)

    assert len(first.ids) == 6 and first.matrix.shape[0] == 6
    stored = DesignImage.objects.get(pk=first.ids[0])
    assert np.array_equal(features_from_bytes(stored.features), first.matrix[0])
    # A picture added later counts at once; a stale vector (another version) is recomputed.
    design_set_add_uploads(
        design_set=training_set,
        files=[SimpleUploadedFile("late.png", picture_bytes(77))],
        category="rings",
    )
    DesignImage.objects.filter(pk=first.ids[0]).update(features=b"\x00stale")
    second = set_features(training_set)
    assert len(second.ids) == 7
    assert np.array_equal(second.matrix[second.ids.index(first.ids[0])], first.matrix[0])
    assert features_from_bytes(DesignImage.objects.get(pk=first.ids[0]).features) is not None
