"""Pictures drawn in the tests with Pillow (never from /work/shared), and a design set."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageDraw


def drawing(seed: int, size: tuple[int, int] = (240, 180), background="white") -> Image.Image:
    """A few coloured shapes placed by the seed: different seeds, different pictures."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    width, height = size
    for _ in range(6):
        x0, y0 = rng.randrange(width - 40), rng.randrange(height - 40)
        x1, y1 = x0 + rng.randrange(20, 120), y0 + rng.randrange(20, 120)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        else:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
    return image


def encoded(image: Image.Image, image_format: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


def picture_bytes(seed: int, image_format: str = "PNG", **options) -> bytes:
    return encoded(drawing(seed), image_format, **options)


@pytest.fixture
def design_set(db):
    from design.models import DesignSet

    return DesignSet.objects.create(name="Spring references")
