"""Checking, hashing and normalising one picture (Pillow and numpy only; no TensorFlow).

- Checked by content, never by extension: catalog.images.check_image_bytes (the store's one
  check: a real, complete JPEG/PNG/WEBP/GIF within SHOP_MAX_IMAGE_PIXELS, decompression bombs
  refused), after a size limit of DESIGN_MAX_UPLOAD_BYTES.
- Normalised: upright, RGB (transparency flattened on white), padded to a square on its own
  background colour (the median of the border pixels, so a product shot on white stays on
  white), resized with Lanczos to DESIGN_IMAGE_SIZE. A GIF gives its first frame.
- Hashed: a DCT perceptual hash (pHash) of the normalised picture, 64 bits. The same hash is
  an exact duplicate. Two pictures are the same picture resized or recompressed (a near
  duplicate) when their hashes differ in at most
  DESIGN_NEAR_DUPLICATE_BITS bits AND their colour thumbnails (32 x 32 RGB) differ by at most
  DESIGN_NEAR_DUPLICATE_DIFFERENCE on average (0-255; default 1.0). The hash alone is not
  enough for product photos: on the 1,566 shared jewelry photos, most pairs within 6 bits were
  different pieces shot the same way (a gold and a silver earring on white, same pose), their
  thumbnails 1.2 to 30 apart; a copy at 90% or 70% size re-saved as JPEG stays under 1.0 (157
  of 158 sampled), a copy at half size and JPEG quality 70 under 1.0 about half the time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from catalog.images import check_image_bytes

HASH_SIDE = 32  # the picture is reduced to 32 x 32 before its DCT
HASH_BITS_SIDE = 8  # the 8 x 8 lowest frequencies give the 64 bits


@dataclass(frozen=True)
class Picture:
    """A checked picture, ready to store: its PNG, hash and the original's size."""

    png: bytes
    phash: str
    width: int
    height: int
    thumb: np.ndarray  # colour_thumbnail() of the normalised picture


class PictureError(ValueError):
    """Why a file cannot be a picture to learn from (a sentence for the merchant)."""


def image_size() -> int:
    size = int(settings.DESIGN_IMAGE_SIZE)
    if not 16 <= size <= 1024:
        raise ValueError("DESIGN_IMAGE_SIZE must be between 16 and 1024 pixels")
    return size


def read_limited(file, limit: int) -> bytes:
    """Reads at most limit + 1 bytes, so a huge file is refused without holding all of it."""
    declared = getattr(file, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise PictureError(_too_large(declared, limit))
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise PictureError(_too_large(len(data), limit))
    return data


def _too_large(size: int, limit: int) -> str:
    return _("The file is too large (%(size)s); the largest picture is %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }


def check_picture(data: bytes) -> Picture:
    """Checks, normalises and hashes one picture's bytes; raises PictureError with the reason."""
    if len(data) > settings.DESIGN_MAX_UPLOAD_BYTES:
        raise PictureError(_too_large(len(data), settings.DESIGN_MAX_UPLOAD_BYTES))
    try:
        checked = check_image_bytes(data)
    except ValidationError as exc:
        raise PictureError(" ".join(exc.messages)) from None
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.seek(0)  # a GIF's first frame
            normalised = normalise(opened, image_size())
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise PictureError(_("The picture could not be read.")) from exc
    out = io.BytesIO()
    normalised.save(out, format="PNG")
    return Picture(
        png=out.getvalue(),
        phash=perceptual_hash(normalised),
        width=checked.width,
        height=checked.height,
        thumb=colour_thumbnail(normalised),
    )


def _flat_rgb(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on white."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def border_colour(image: Image.Image) -> tuple[int, int, int]:
    """The median colour of the outermost pixels: the background a product is shot on."""
    pixels = np.asarray(image)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    return tuple(int(v) for v in np.median(border, axis=0))


def normalise(image: Image.Image, size: int) -> Image.Image:
    """Upright RGB, padded to a square on its background, resized to size x size (Lanczos)."""
    image = _flat_rgb(ImageOps.exif_transpose(image))
    width, height = image.size
    side = max(width, height)
    if width != height:
        square = Image.new("RGB", (side, side), border_colour(image))
        square.paste(image, ((side - width) // 2, (side - height) // 2))
        image = square
    if side != size:
        image = image.resize((size, size), Image.Resampling.LANCZOS)
    return image


@lru_cache(maxsize=1)
def _dct_matrix(n: int) -> np.ndarray:
    """The orthonormal DCT-II matrix: dct(x) = M @ x, and in 2-D, M @ X @ M.T."""
    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    matrix = np.cos(np.pi * (2 * i + 1) * k / (2 * n)) * np.sqrt(2 / n)
    matrix[0] /= np.sqrt(2)
    return matrix


def perceptual_hash(image: Image.Image) -> str:
    """pHash: grey 32 x 32, 2-D DCT, the 8 x 8 lowest frequencies against their median (the
    constant term left out of the median: it is the brightness, not the picture), 16 hex digits."""
    grey = image.convert("L").resize((HASH_SIDE, HASH_SIDE), Image.Resampling.LANCZOS)
    pixels = np.asarray(grey, dtype=np.float64)
    matrix = _dct_matrix(HASH_SIDE)
    low = (matrix @ pixels @ matrix.T)[:HASH_BITS_SIDE, :HASH_BITS_SIDE].flatten()
    median = np.median(low[1:])
    value = 0
    for bit in low > median:
        value = (value << 1) | int(bit)
    return f"{value:016x}"


def colour_thumbnail(image: Image.Image) -> np.ndarray:
    """32 x 32 RGB (box-averaged) as floats: what a near duplicate must share besides its hash."""
    small = image.convert("RGB").resize((HASH_SIDE, HASH_SIDE), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32)


def thumbnail_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference of two colour thumbnails, 0 (same) to 255."""
    return float(np.abs(a - b).mean())


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hashes in hex."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
