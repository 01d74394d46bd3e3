"""The canvas (a 1000 x 1000 design space drawn at twice the asked size), the seeded random
streams, the backdrop and shadows, and `_Piece`: what a piece-drawing function receives.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFilter

from .palette import (
    BACKDROPS,
    POLISHED,
    WHITE,
    Colour,
    Point,
    _metal_palette,
    _mix,
    _rgb,
)


# --- canvas -----------------------------------------------------------------------------------
class _Canvas:
    """The 2x drawing surface with the helpers every piece uses.

    The backdrop and the soft shadows are painted on a small image first (blurs are cheap
    there, and smooth gradients lose nothing) and scaled up on the first real drawing.
    """

    LOW = 256

    def __init__(self, size: int, rng: random.Random, view_rng: random.Random):
        self.size = size
        self.u = size / 1000
        self.rng = rng
        self.view_rng = view_rng
        self.low = Image.new("RGB", (self.LOW, self.LOW))
        self.sparkle_points: list[tuple[float, float, float]] = []
        self._im: Image.Image | None = None
        self._draw: ImageDraw.ImageDraw | None = None
        self._quarter: Image.Image | None = None

    @property
    def quarter(self) -> Image.Image:
        """The backdrop smoothed to a quarter of the canvas; blown up 4x it is the backdrop.

        A smooth resize to full size costs several times more, and the blocks it avoids are
        invisible: neighbouring blocks of a soft gradient differ by less than one level.
        """
        if self._quarter is None:
            q = self.size // 4
            self._quarter = self.low.resize((q, q), Image.Resampling.BILINEAR)
        return self._quarter

    @property
    def im(self) -> Image.Image:
        if self._im is None:
            self._im = self.quarter.resize((self.size, self.size), Image.Resampling.NEAREST)
        return self._im

    def background_region(self, bbox: tuple[int, int, int, int]) -> Image.Image:
        """The bare backdrop (with its shadows) inside bbox, whose corners are multiples of 4."""
        left, top, right, bottom = bbox
        part = self.quarter.crop((left // 4, top // 4, right // 4, bottom // 4))
        return part.resize((right - left, bottom - top), Image.Resampling.NEAREST)

    @property
    def draw(self) -> ImageDraw.ImageDraw:
        if self._draw is None:
            self._draw = ImageDraw.Draw(self.im, "RGBA")
        return self._draw

    def p(self, x: float, y: float) -> Point:
        return (x * self.u, y * self.u)

    def box(self, cx: float, cy: float, rx: float, ry: float) -> tuple[float, float, float, float]:
        u = self.u
        return ((cx - rx) * u, (cy - ry) * u, (cx + rx) * u, (cy + ry) * u)

    def mask(self) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        m = Image.new("L", (self.size, self.size), 0)
        return m, ImageDraw.Draw(m)

    def paint_metal(
        self,
        mask: Image.Image,
        metal: Colour,
        stops: Sequence[tuple[float, str]] = POLISHED,
        vertical: bool = False,
        flip: bool = False,
    ) -> None:
        bbox = mask.getbbox()
        if not bbox:
            return
        w, h = bbox[2] - bbox[0], bbox[3] - bbox[1]
        ramp = Image.frombytes(
            "L", (256, 1), bytes(range(255, -1, -1)) if flip else bytes(range(256))
        )
        # One resized row repeated is far cheaper than resizing a whole plane.
        if vertical:
            column = ramp.resize((h, 1), Image.Resampling.BILINEAR).tobytes()
            grad = Image.frombytes("L", (h, w), column * w).transpose(Image.Transpose.TRANSPOSE)
        else:
            row = ramp.resize((w, 1), Image.Resampling.BILINEAR).tobytes()
            grad = Image.frombytes("L", (w, h), row * h)
        grad.putpalette(_metal_palette(metal, stops))
        self.im.paste(grad.convert("RGB"), bbox[:2], mask.crop(bbox))

    def restore_background(self, mask: Image.Image) -> None:
        bbox = mask.getbbox()
        if bbox:
            bbox = _align4(bbox, self.size)
            self.im.paste(self.background_region(bbox), bbox[:2], mask.crop(bbox))


def _align4(bbox: tuple[int, int, int, int], limit: int) -> tuple[int, int, int, int]:
    left, top, right, bottom = bbox
    return (
        left // 4 * 4,
        top // 4 * 4,
        min(limit, -(-right // 4) * 4),
        min(limit, -(-bottom // 4) * 4),
    )


def _seeded(*parts: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _backdrop(c: _Canvas, seed_rng: random.Random) -> None:
    centre_hex, edge_hex = BACKDROPS[seed_rng.randrange(len(BACKDROPS))]
    centre, edge = _rgb(centre_hex), _rgb(edge_hex)
    s = c.LOW
    # A radial falloff, centred a little above the middle like a lit sweep.
    grad = Image.radial_gradient("L").resize(
        (int(s * 1.5), int(s * 1.5)), Image.Resampling.BILINEAR
    )
    off_x = int(s * 0.25 + c.view_rng.uniform(-0.05, 0.05) * s)
    off_y = int(s * 0.32)
    grad = grad.crop((off_x, off_y, off_x + s, off_y + s))
    c.low.paste(
        Image.composite(Image.new("RGB", (s, s), edge), Image.new("RGB", (s, s), centre), grad)
    )
    # A faint floor where the sweep curves, far below the piece.
    floor = Image.linear_gradient("L").resize((s, s)).point(lambda v: max(0, v - 150) // 3)
    c.low.paste(Image.new("RGB", (s, s), _mix(edge, (120, 110, 100), 0.25)), (0, 0), floor)


def _shadow(c: _Canvas, cx: float, cy: float, rx: float, ry: float, strength: int = 90) -> None:
    """A soft contact shadow on the backdrop, drawn before the piece."""
    s = c.LOW
    k = s / 1000
    m = Image.new("L", (s, s), 0)
    ImageDraw.Draw(m).ellipse(
        ((cx - rx) * k, (cy - ry) * k, (cx + rx) * k, (cy + ry) * k), fill=strength
    )
    m = m.filter(ImageFilter.GaussianBlur(max(1.5, ry * k * 0.9)))
    tone = _mix(c.low.getpixel((s // 2, int(s * 0.95))), (60, 50, 45), 0.55)
    c.low.paste(Image.new("RGB", (s, s), tone), (0, 0), m)


# --- pieces -----------------------------------------------------------------------------------
class _Piece:
    def __init__(self, c: _Canvas, metal: Colour, gem: Colour | None, shape: str, style: str):
        self.c = c
        self.metal = metal
        self.gem = gem
        self.shape = shape
        self.style = style
        self.rng = c.rng

    def pick(self, *choices: str) -> str:
        """The asked style when it is one of `choices`, else one chosen from the seed."""
        picked = self.rng.choice(choices)
        return self.style if self.style in choices else picked

    def stone(self) -> Colour:
        return self.gem or _mix(self.metal, WHITE, 0.6)
