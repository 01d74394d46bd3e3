"""How close a draft is to the pictures its model learnt from (numpy and Pillow; no TensorFlow).

The screening page shows each draft's nearest training pictures, and a draft whose nearest
picture is more similar than DESIGN_NEAR_COPY_SIMILARITY is flagged a near copy: a GAN trained
on a few hundred pictures can memorise one, and a merchant must not sell a copy of someone
else's reference piece as a new design.

A picture's features (`picture_features`) are one L2-normalised float32 vector of two parts,
computed at 48 x 48:

- colour layout: the picture blurred and reduced to 12 x 12, each pixel minus the background
  colour (the median of the border, as design.pictures pads with), then centred: the
  background counts for nothing, so two different pieces both shot on white are not alike
  because of the white;
- shape: a small histogram of oriented gradients of the grey picture (8 x 8 cells, 6
  orientations, square-rooted magnitudes), centred too; it survives a recolouring (a gold
  ring made silver), so it weighs 1.5 against the colour's 1.

A draft is compared at nine small shifts (`draft_features`: ±2 pixels of 48 in x and y) and
each training picture scores its best one, so a copy moved a few pixels is still a copy. The
cosine is the similarity (1 = the same picture). Measured with bench/design_near_copy.py on
400 of the shared jewelry photos at 64 pixels (2 cores, 2026-12-07): at 0.90, 99% of copies
shifted by 3 pixels, 93% of recoloured ones, 94% of noised ones (sigma 10) and 100% of JPEG
re-saves are flagged, 36% of copies changed all three ways at once; 14% of the photos find
another photo at least that close, part of them real duplicates of the same product in the
shared set (the design set's own near-duplicate filter drops those on import).

A set's features are cached on its pictures (DesignImage.features, computed once, recomputed
when FEATURES_VERSION changes: a picture's file never changes after it is stored); each call of
`set_features` reads the set's current rows, so pictures added or removed count at once.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

logger = logging.getLogger(__name__)

# Bump when the features change: cached vectors of another version are recomputed.
FEATURES_VERSION = 1
WORK_SIDE = 48  # pictures are compared at 48 x 48
COLOUR_SIDE = 12
CELLS = 8
ORIENTATIONS = 6
FEATURE_DIM = COLOUR_SIDE * COLOUR_SIDE * 3 + CELLS * CELLS * ORIENTATIONS
# The shape part weighs more: it survives a recolouring, which the colour part does not.
COLOUR_WEIGHT = 1.0
SHAPE_WEIGHT = 1.5
# A draft is compared at these offsets (pixels at WORK_SIDE) in x and y; ±2 of 48 is ±3 of 64.
SHIFTS = (-2, 0, 2)
# Each pixel's cell, as the first index of its cell's orientations in the histogram.
_CELL_INDEX = (
    (np.arange(WORK_SIDE)[:, None] // (WORK_SIDE // CELLS)) * CELLS
    + np.arange(WORK_SIDE)[None, :] // (WORK_SIDE // CELLS)
) * ORIENTATIONS
# Stored as: one byte of version, then FEATURE_DIM float32.
STORED_BYTES = 1 + FEATURE_DIM * 4


def _as_image(picture) -> Image.Image:
    if isinstance(picture, Image.Image):
        return picture.convert("RGB")
    if isinstance(picture, (bytes, bytearray)):
        with Image.open(io.BytesIO(picture)) as opened:
            return opened.convert("RGB")
    array = np.asarray(picture)
    if array.dtype != np.uint8:
        array = np.clip(array, 0, 255).astype(np.uint8)
    return Image.fromarray(array).convert("RGB")


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 1e-8 else vector


def _shift(pixels: np.ndarray, dx: int, dy: int, background: np.ndarray) -> np.ndarray:
    """The picture moved by (dx, dy) pixels, the uncovered edge filled with its background."""
    if not dx and not dy:
        return pixels
    out = np.empty_like(pixels)
    out[...] = background
    height, width = pixels.shape[:2]
    out[max(dy, 0) : height + min(dy, 0), max(dx, 0) : width + min(dx, 0)] = pixels[
        max(-dy, 0) : height + min(-dy, 0), max(-dx, 0) : width + min(-dx, 0)
    ]
    return out


def _centred_unit(vector: np.ndarray) -> np.ndarray:
    return _unit(vector - vector.mean())


def _features_of(pixels: np.ndarray, background: np.ndarray) -> np.ndarray:
    image = Image.fromarray(pixels.astype(np.uint8))
    blurred = image.filter(ImageFilter.GaussianBlur(radius=2))
    small = np.asarray(
        blurred.resize((COLOUR_SIDE, COLOUR_SIDE), Image.Resampling.BOX), dtype=np.float32
    )
    colour = _centred_unit((small - background).reshape(-1))

    grey = np.asarray(image.convert("L").filter(ImageFilter.GaussianBlur(radius=1)), np.float32)
    gy, gx = np.gradient(grey)
    magnitude = np.hypot(gx, gy)
    # Unsigned orientation in [0, pi): a ring's edge is the same edge lit from either side.
    angle = np.mod(np.arctan2(gy, gx), np.pi)
    bins = np.minimum((angle / np.pi * ORIENTATIONS).astype(int), ORIENTATIONS - 1)
    histogram = np.bincount(
        (_CELL_INDEX + bins).reshape(-1),
        weights=magnitude.reshape(-1),
        minlength=CELLS * CELLS * ORIENTATIONS,
    )
    shape = _centred_unit(np.sqrt(histogram))  # root: strong edges dominate less

    return _unit(np.concatenate([COLOUR_WEIGHT * colour, SHAPE_WEIGHT * shape])).astype(np.float32)


def _work_pixels(picture) -> tuple[np.ndarray, np.ndarray]:
    image = _as_image(picture).resize((WORK_SIDE, WORK_SIDE), Image.Resampling.BOX)
    pixels = np.asarray(image, dtype=np.float32)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    return pixels, np.median(border, axis=0)


def picture_features(picture) -> np.ndarray:
    """The feature vector (float32, FEATURE_DIM, unit length or zero for a blank picture) of a
    PIL image, an (h, w, 3) uint8 array or PNG/JPEG bytes: what a training picture stores."""
    pixels, background = _work_pixels(picture)
    return _features_of(pixels, background)


def draft_features(picture) -> np.ndarray:
    """The features of a draft and of its copies shifted by SHIFTS pixels (at WORK_SIDE) in
    each direction, (len(SHIFTS)**2, FEATURE_DIM): a draft is compared with each training
    picture at its best shift, so a copy moved a little is still seen as the copy it is."""
    pixels, background = _work_pixels(picture)
    return np.stack(
        [
            _features_of(_shift(pixels, dx, dy, background), background)
            for dx in SHIFTS
            for dy in SHIFTS
        ]
    )


def features_to_bytes(vector: np.ndarray) -> bytes:
    return bytes([FEATURES_VERSION]) + np.asarray(vector, dtype="<f4").tobytes()


def features_from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    """The stored vector, or None when missing or of another FEATURES_VERSION."""
    if data is None:
        return None
    data = bytes(data)
    if len(data) != STORED_BYTES or data[0] != FEATURES_VERSION:
        return None
    return np.frombuffer(data, dtype="<f4", offset=1).astype(np.float32)


@dataclass(frozen=True)
class SetFeatures:
    """The features of a set's pictures: row i of `matrix` is picture `ids[i]`."""

    ids: list[int]
    matrix: np.ndarray  # (n, FEATURE_DIM) float32

    def nearest(self, features: np.ndarray, k: int = 3) -> list[tuple[int, float]]:
        return nearest(features, self, k=k)


def set_features(design_set) -> SetFeatures:
    """The features of every picture of a set, computing (and storing) those not cached yet."""
    from .models import DesignImage

    rows = list(DesignImage.objects.filter(design_set=design_set).only("pk", "image", "features"))
    ids: list[int] = []
    vectors: list[np.ndarray] = []
    missing: list[DesignImage] = []
    for row in rows:
        vector = features_from_bytes(row.features)
        if vector is None:
            try:
                with row.image.open("rb") as stored:
                    vector = picture_features(stored.read())
            except (OSError, ValueError):
                logger.warning("Cannot read design picture %s for its features", row.pk)
                continue
            row.features = features_to_bytes(vector)
            missing.append(row)
        ids.append(row.pk)
        vectors.append(vector)
    if missing:
        DesignImage.objects.bulk_update(missing, ["features"], batch_size=200)
    matrix = np.stack(vectors) if vectors else np.zeros((0, FEATURE_DIM), dtype=np.float32)
    return SetFeatures(ids=ids, matrix=matrix)


def nearest(features: np.ndarray, among: SetFeatures, k: int = 3) -> list[tuple[int, float]]:
    """The k pictures of `among` most similar to `features`, best first: [(image id, cosine)].

    `features` is one vector (picture_features) or the rows of draft_features (each picture
    then scores its best row). Ties go to the lower picture id, so the order never depends on
    the database's."""
    if not among.ids or k <= 0:
        return []
    query = np.asarray(features, dtype=np.float32)
    scores = among.matrix @ query.T
    if scores.ndim == 2:
        scores = scores.max(axis=1)
    order = np.lexsort((np.asarray(among.ids), -scores))[:k]
    return [(among.ids[i], round(float(scores[i]), 4)) for i in order]


def is_near_copy(similarity: float | None) -> bool:
    from django.conf import settings

    return similarity is not None and similarity >= settings.DESIGN_NEAR_COPY_SIMILARITY
