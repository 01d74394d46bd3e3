"""Product pictures drawn with Pillow, for the demo store and for imports without photos.

Everything is drawn from code (no image files): the category picks the piece (ring, solitaire,
band, necklace, pendant, chain, studs, hoops, drops, bangle, tennis bracelet, brooch, anklet),
the metal colour gives polished gradients with highlights, the gem colour and the cut (from the
seed unless given) give a faceted stone. The same arguments always give the same bytes.

Pictures are drawn at twice the asked size and downsampled, which anti-aliases every edge.
Coordinates below are in a 1000 x 1000 design space, scaled by `_Canvas.u`.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
from collections.abc import Callable, Sequence

from PIL import Image, ImageChops, ImageDraw, ImageFilter

Colour = tuple[int, int, int]
Point = tuple[float, float]

GEM_SHAPES = ("round", "oval", "pear", "emerald", "heart", "marquise", "princess", "cushion")
# Shapes the caller may ask for besides the faceted ones.
SPHERE_SHAPES = ("pearl", "cabochon")

# Soft studio backdrops: (centre, edge), light enough for every metal to read.
BACKDROPS: tuple[tuple[str, str], ...] = (
    ("#fbf8f3", "#e4dccf"),
    ("#f8f5f9", "#dcd3e2"),
    ("#f3f7f8", "#cfdce1"),
    ("#faf4f2", "#e6d4cf"),
    ("#f5f7f2", "#d8e0d0"),
    ("#f7f7f7", "#d9d9dc"),
    ("#fbf6ee", "#e9d8bf"),
    ("#f1f3f8", "#d2d8e6"),
)

WHITE: Colour = (255, 255, 255)


# --- colour helpers ---------------------------------------------------------------------------
def _rgb(value: str | None, default: str = "#c9a227") -> Colour:
    text = (value or default).strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    try:
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    except (ValueError, IndexError):
        return _rgb(default)


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    t = max(0.0, min(1.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _luma(c: Colour) -> float:
    return (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255


def _deep(c: Colour) -> Colour:
    """The colour of a stone's darkest facet: its own hue, deep, towards blue-black."""
    return _mix((int(c[0] * 0.28), int(c[1] * 0.28), int(c[2] * 0.32)), (18, 22, 40), 0.35)


def _shade(c: Colour, f: float, deep: Colour | None = None) -> Colour:
    """f < 1 darkens towards the deep tone, f > 1 lightens towards white."""
    if f >= 1:
        return _mix(c, WHITE, f - 1)
    return _mix(c, deep or _deep(c), 1 - f)


def _rgba(c: Colour, alpha: int) -> tuple[int, int, int, int]:
    return (c[0], c[1], c[2], alpha)


# --- metal ------------------------------------------------------------------------------------
def _metal_tones(metal: Colour) -> dict[str, Colour]:
    white_metal = max(metal) - min(metal) < 30
    dark = _mix(metal, (40, 38, 42) if white_metal else (70, 42, 14), 0.62)
    return {
        "dark": dark,
        "low": _mix(metal, dark, 0.4),
        "mid": metal,
        "light": _mix(metal, WHITE, 0.45),
        "glint": _mix(metal, WHITE, 0.88),
    }


def _metal_palette(metal: Colour, stops: Sequence[tuple[float, str]]) -> list[int]:
    """A 256-entry palette interpolated between named tones, for a polished gradient."""
    tones = _metal_tones(metal)
    points = [(pos, tones[name]) for pos, name in stops]
    palette: list[int] = []
    for i in range(256):
        x = i / 255
        for (p0, c0), (p1, c1) in zip(points, points[1:], strict=False):
            if p0 <= x <= p1:
                colour = _mix(c0, c1, (x - p0) / (p1 - p0) if p1 > p0 else 0)
                break
        else:
            colour = points[-1][1]
        palette.extend(colour)
    return palette


# Reflections of a soft box on polished metal: dark, bright band, dark, second softer band.
POLISHED = (
    (0.0, "dark"),
    (0.12, "low"),
    (0.26, "light"),
    (0.33, "glint"),
    (0.42, "mid"),
    (0.58, "low"),
    (0.7, "dark"),
    (0.82, "mid"),
    (0.9, "light"),
    (1.0, "low"),
)
INNER = ((0.0, "low"), (0.3, "dark"), (0.55, "low"), (0.8, "mid"), (1.0, "dark"))
TOP_FACE = ((0.0, "low"), (0.35, "mid"), (0.6, "light"), (0.78, "glint"), (1.0, "mid"))
SOFT = ((0.0, "low"), (0.35, "mid"), (0.55, "light"), (0.7, "glint"), (1.0, "mid"))
# The band's outer surface, curving away at both sides, with a broad highlight left of centre.
OUTER = (
    (0.0, "dark"),
    (0.14, "low"),
    (0.3, "mid"),
    (0.4, "light"),
    (0.47, "glint"),
    (0.56, "light"),
    (0.75, "mid"),
    (0.9, "low"),
    (1.0, "dark"),
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


# --- gems -------------------------------------------------------------------------------------
def _shape_outline(shape: str, n: int = 32) -> list[Point]:
    """Unit outline (fits in [-1, 1]) of a cut seen face up, starting at the top."""
    pts: list[Point] = []
    if shape in ("round", "oval", "pearl", "cabochon"):
        n = 16 if shape == "round" else 20
        for i in range(n):
            t = 2 * math.pi * i / n
            pts.append((math.sin(t), -math.cos(t)))
    elif shape == "pear":
        for i in range(n):
            t = 2 * math.pi * i / n
            pts.append((math.sin(t) * math.sin(t / 2) / 0.77, -math.cos(t)))
    elif shape == "marquise":
        for i in range(n):
            t = 2 * math.pi * i / n
            s = math.sin(t)
            pts.append((s * abs(s) ** 0.35, -math.cos(t)))
    elif shape == "heart":
        raw = []
        for i in range(n):
            t = 2 * math.pi * i / n + math.pi
            x = 16 * math.sin(t) ** 3
            y = -(13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t))
            raw.append((x / 16, (y + 2.5) / 14.5))
        pts = raw
    elif shape == "emerald":
        a, b, k = 0.72, 1.0, 0.28
        pts = [(-a + k, -b), (a - k, -b), (a, -b + k), (a, b - k), (a - k, b), (-a + k, b)]
        pts += [(-a, b - k), (-a, -b + k)]
    elif shape == "princess":
        pts = [(0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1)]
    else:  # cushion: a superellipse
        for i in range(n):
            t = 2 * math.pi * i / n
            s, co = math.sin(t), math.cos(t)
            pts.append((math.copysign(abs(s) ** 0.55, s), -math.copysign(abs(co) ** 0.55, co)))
    return pts


def _place(
    pts: Sequence[Point], cx: float, cy: float, rx: float, ry: float, angle: float, u: float
):
    ca, sa = math.cos(angle), math.sin(angle)
    out = []
    for x, y in pts:
        x, y = x * rx, y * ry
        out.append(((cx + x * ca - y * sa) * u, (cy + x * sa + y * ca) * u))
    return out


def _gem(
    c: _Canvas,
    cx: float,
    cy: float,
    rx: float,
    ry: float,
    shape: str,
    colour: Colour,
    angle: float = 0.0,
    tilt: float = 1.0,
    sparkle: bool = True,
    pavilion: float = 0.0,
) -> None:
    """A faceted stone seen face up; tilt < 1 squashes it vertically for a perspective view."""
    if shape in SPHERE_SHAPES:
        _sphere(c, cx, cy, rx, ry * tilt, colour, pearl=shape == "pearl")
        return
    u = c.u
    d = c.draw
    deep = _deep(colour)
    light_dir = (-0.6, -0.8)
    outline = _place(_shape_outline(shape), cx, cy, rx, ry * tilt, angle, u)
    centre = (cx * u, cy * u)
    # Heart and pear have their visual centre below the middle of the box.
    if shape in ("heart", "pear"):
        centre = (cx * u, (cy + 0.18 * ry * tilt) * u)
    light_gem = _luma(colour) > 0.75
    contrast = 0.85 if light_gem else 0.45
    if pavilion:
        # Seen from the front, the cone under the girdle shows below the crown.
        xs = [q[0] for q in outline]
        left, right = min(xs), max(xs)
        girdle_y = max(q[1] for q in outline) - (ry * tilt * 0.35) * u
        culet = (cx * u, girdle_y + ry * pavilion * u)
        mid = (cx * u, girdle_y)
        d.polygon(
            [(left, girdle_y - ry * tilt * 0.4 * u), mid, culet], fill=_shade(colour, 1.1, deep)
        )
        d.polygon(
            [mid, (right, girdle_y - ry * tilt * 0.4 * u), culet], fill=_shade(colour, 0.5, deep)
        )
        for k in (0.33, 0.66):
            d.line(
                [(left + (right - left) * k, girdle_y), culet],
                fill=_rgba(_shade(colour, 1.4, deep), 120),
                width=max(1, int(u)),
            )
    d.polygon(outline, fill=_shade(colour, 0.55, deep))
    step = shape in ("emerald",)
    n = len(outline)
    if step:
        # Step cut: concentric rings of flat facets, each side lit by its direction.
        rings = [1.0, 0.8, 0.62, 0.45]
        for ri, (r0, r1) in enumerate(zip(rings, rings[1:], strict=False)):
            for i in range(n):
                a0, a1 = outline[i], outline[(i + 1) % n]
                q = [
                    _lerp(centre, a0, r0),
                    _lerp(centre, a1, r0),
                    _lerp(centre, a1, r1),
                    _lerp(centre, a0, r1),
                ]
                nx, ny = _normal(centre, a0, a1)
                lit = -(nx * light_dir[0] + ny * light_dir[1])
                f = 1 + lit * contrast * (1 if ri % 2 == 0 else -0.7)
                d.polygon(q, fill=_shade(colour, f, deep))
        table = [_lerp(centre, p, rings[-1]) for p in outline]
        d.polygon(table, fill=_shade(colour, 1.12, deep))
        d.line([*table, table[0]], fill=_rgba(_shade(colour, 1.5, deep), 150), width=max(1, int(u)))
    else:
        table_scale = 0.5
        for i in range(n):
            a0, a1 = outline[i], outline[(i + 1) % n]
            mid = ((a0[0] + a1[0]) / 2, (a0[1] + a1[1]) / 2)
            nx, ny = _normal(centre, a0, a1)
            lit = -(nx * light_dir[0] + ny * light_dir[1])
            # Alternate facets catch and lose the light, as a brilliant cut does.
            f_out = 1 + contrast * (0.8 * lit + (0.45 if i % 2 else -0.35))
            f_in = 1 + contrast * (-0.6 * lit + (-0.3 if i % 2 else 0.4))
            t0, t1 = _lerp(centre, a0, table_scale), _lerp(centre, a1, table_scale)
            tm = _lerp(centre, mid, table_scale * 0.86)
            d.polygon([a0, mid, tm, t0], fill=_shade(colour, f_out, deep))
            d.polygon([mid, a1, t1, tm], fill=_shade(colour, f_in, deep))
        table = [_lerp(centre, p, table_scale) for p in outline]
        d.polygon(table, fill=_shade(colour, 1.08 if light_gem else 1.05, deep))
        # The table shows the pavilion below: a star of darker and lighter kites.
        for i in range(0, n, 2):
            a0, a1 = table[i], table[(i + 1) % n]
            d.polygon(
                [centre, a0, a1], fill=_rgba(_shade(colour, 0.75 if i % 4 else 1.25, deep), 90)
            )
        edge = _rgba(_shade(colour, 1.55, deep), 110)
        for i in range(n):
            d.line([outline[i], table[i]], fill=edge, width=max(1, int(u * 0.9)))
        d.line([*table, table[0]], fill=edge, width=max(1, int(u * 0.9)))
    # Girdle: a crisp dark edge, and a lit rim on the top-left.
    d.line(
        [*outline, outline[0]],
        fill=_rgba(_shade(colour, 0.35, deep), 220),
        width=max(1, int(u * 1.6)),
    )
    arc = outline[-max(2, n // 4) :] + outline[:2]
    d.line(arc, fill=_rgba(WHITE, 120), width=max(1, int(u * 1.4)), joint="curve")
    if sparkle:
        c.sparkle_points.append((cx - rx * 0.25, cy - ry * tilt * 0.28, max(rx, ry) * 0.9))


def _lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _normal(centre: Point, a0: Point, a1: Point) -> tuple[float, float]:
    mx, my = (a0[0] + a1[0]) / 2 - centre[0], (a0[1] + a1[1]) / 2 - centre[1]
    length = math.hypot(mx, my) or 1
    return mx / length, my / length


def _sphere(
    c: _Canvas, cx: float, cy: float, rx: float, ry: float, colour: Colour, pearl: bool = False
) -> None:
    """A pearl, a cabochon or a metal bead: concentric shading with an off-centre highlight."""
    u = c.u
    d = c.draw
    steps = 18
    dark = _mix(colour, (90, 80, 95) if pearl else _deep(colour), 0.55)
    d.ellipse(c.box(cx, cy, rx, ry), fill=dark)
    for i in range(1, steps + 1):
        t = i / steps
        r = 1 - t * 0.92
        ox, oy = -0.32 * t, -0.36 * t
        col = (
            _mix(dark, colour, min(1, t * 1.6)) if t < 0.7 else _mix(colour, WHITE, (t - 0.7) * 2.3)
        )
        d.ellipse(c.box(cx + ox * rx, cy + oy * ry, rx * r, ry * r), fill=col)
    if not pearl and _luma(colour) > 0.8:
        # A pale cabochon is read as opal: flashes of spectral colour under the dome.
        flashes = ((80, 200, 150), (90, 150, 240), (240, 140, 190), (250, 190, 90), (120, 220, 220))
        spots = random.Random(f"{cx:.1f}:{cy:.1f}:{rx:.1f}")
        for k in range(14):
            a = spots.uniform(0, 2 * math.pi)
            dist = spots.uniform(0, 0.62)
            fx, fy = cx + math.cos(a) * dist * rx, cy + math.sin(a) * dist * ry
            size = spots.uniform(0.08, 0.2)
            d.ellipse(
                c.box(fx, fy, rx * size * 1.4, ry * size),
                fill=_rgba(flashes[k % len(flashes)], 95),
            )
    if pearl:
        # Orient: the faint rosy and green sheen a real pearl shows at its rim.
        d.arc(
            c.box(cx, cy, rx * 0.93, ry * 0.93),
            20,
            150,
            fill=_rgba((230, 180, 200), 90),
            width=int(3 * u),
        )
        d.arc(
            c.box(cx, cy, rx * 0.9, ry * 0.9),
            160,
            230,
            fill=_rgba((190, 220, 200), 70),
            width=int(3 * u),
        )
    d.ellipse(c.box(cx - rx * 0.38, cy - ry * 0.4, rx * 0.14, ry * 0.1), fill=_rgba(WHITE, 220))


def _small_stone(c: _Canvas, cx: float, cy: float, r: float, colour: Colour, metal: Colour) -> None:
    """A pavé or halo stone: a bead-set round with a glint."""
    d = c.draw
    tones = _metal_tones(metal)
    d.ellipse(c.box(cx, cy, r * 1.28, r * 1.28), fill=tones["low"])
    d.ellipse(c.box(cx, cy, r, r), fill=_shade(colour, 0.6))
    d.ellipse(c.box(cx - r * 0.12, cy - r * 0.12, r * 0.72, r * 0.72), fill=_shade(colour, 1.05))
    d.pieslice(c.box(cx, cy, r * 0.72, r * 0.72), 200, 290, fill=_shade(colour, 1.35))
    d.pieslice(c.box(cx, cy, r * 0.72, r * 0.72), 20, 110, fill=_shade(colour, 0.7))
    d.ellipse(c.box(cx - r * 0.3, cy - r * 0.32, r * 0.2, r * 0.2), fill=_rgba(WHITE, 230))


def _prong(c: _Canvas, x: float, y: float, r: float, metal: Colour) -> None:
    tones = _metal_tones(metal)
    d = c.draw
    d.ellipse(c.box(x, y, r, r * 1.15), fill=tones["dark"])
    d.ellipse(c.box(x - r * 0.1, y - r * 0.12, r * 0.8, r * 0.9), fill=tones["mid"])
    d.ellipse(c.box(x - r * 0.3, y - r * 0.35, r * 0.35, r * 0.35), fill=tones["glint"])


def _sparkles(c: _Canvas) -> None:
    """Star glints on a few stones; drawn last, with a soft glow."""
    if not c.sparkle_points:
        return
    rng = c.view_rng
    points = list(c.sparkle_points)
    rng.shuffle(points)
    glow, gd = c.mask()
    u = c.u
    for x, y, r in points[: max(1, min(4, len(points) // 3 + 1))]:
        length = r * rng.uniform(0.35, 0.6)
        w = length * 0.09
        for ax, ay in ((1, 0), (0, 1)):
            px, py = -ay, ax
            gd.polygon(
                [
                    ((x - ax * length) * u, (y - ay * length) * u),
                    ((x + px * w) * u, (y + py * w) * u),
                    ((x + ax * length) * u, (y + ay * length) * u),
                    ((x - px * w) * u, (y - py * w) * u),
                ],
                fill=255,
            )
        gd.ellipse(c.box(x, y, w * 2.2, w * 2.2), fill=255)
    bbox = glow.getbbox()
    if not bbox:
        return
    pad = int(8 * u)
    bbox = (
        max(0, bbox[0] - pad),
        max(0, bbox[1] - pad),
        min(c.size, bbox[2] + pad),
        min(c.size, bbox[3] + pad),
    )
    glow = glow.crop(bbox)
    soft = glow.filter(ImageFilter.GaussianBlur(2.5 * u))
    glow = ImageChops.lighter(glow, soft.point(lambda v: min(255, v * 2)))
    c.im.paste(Image.new("RGB", glow.size, WHITE), bbox[:2], glow)


# --- shapes shared by several pieces ----------------------------------------------------------
def _ellipse_pts(cx: float, cy: float, rx: float, ry: float, u: float, n: int = 96):
    return [
        (
            (cx + rx * math.cos(2 * math.pi * i / n)) * u,
            (cy + ry * math.sin(2 * math.pi * i / n)) * u,
        )
        for i in range(n)
    ]


def _band(
    c: _Canvas,
    cx: float,
    cy: float,
    rx: float,
    ry: float,
    thickness: float,
    offset: tuple[float, float],
    metal: Colour,
    rim_stops: Sequence[tuple[float, str]] = POLISHED,
) -> None:
    """A ring, hoop or bangle in perspective: front rim, outer surface, inner surface, hole.

    The back rim is the front rim moved by `offset`; what shows of the band is the sweep
    between the two, minus the opening seen through both rims.
    """
    dx, dy = offset
    sweep, sd = c.mask()
    for k in range(13):
        t = k / 12
        sd.ellipse(c.box(cx + dx * t, cy + dy * t, rx, ry), fill=255)
    if abs(dy) >= abs(dx):
        c.paint_metal(sweep, metal, OUTER)
    else:
        c.paint_metal(sweep, metal, TOP_FACE, vertical=True)
    rim, rd = c.mask()
    rd.ellipse(c.box(cx, cy, rx, ry), fill=255)
    rd.ellipse(c.box(cx, cy, rx - thickness, ry - thickness), fill=0)
    c.paint_metal(rim, metal, rim_stops)
    inner, idr = c.mask()
    idr.ellipse(c.box(cx, cy, rx - thickness, ry - thickness), fill=255)
    c.paint_metal(inner, metal, INNER, flip=True)
    hole, hd = c.mask()
    hd.ellipse(c.box(cx, cy, rx - thickness, ry - thickness), fill=255)
    back, bd = c.mask()
    bd.ellipse(c.box(cx + dx, cy + dy, rx - thickness, ry - thickness), fill=255)
    hole = ImageChops.darker(hole, back)
    c.restore_background(hole)
    # A crisp specular line along the top of the front rim and the far edge of the band.
    d = c.draw
    tones = _metal_tones(metal)
    u = c.u
    d.arc(
        c.box(cx, cy, rx - thickness * 0.45, ry - thickness * 0.45),
        200,
        250,
        fill=_rgba(tones["glint"], 200),
        width=max(1, int(thickness * 0.18 * u)),
    )
    d.arc(
        c.box(cx, cy, rx - thickness * 0.45, ry - thickness * 0.45),
        300,
        330,
        fill=_rgba(tones["glint"], 150),
        width=max(1, int(thickness * 0.12 * u)),
    )
    d.arc(
        c.box(cx + dx, cy + dy, rx, ry),
        200,
        340,
        fill=_rgba(tones["dark"], 90),
        width=max(1, int(1.5 * u)),
    )


def _bezier(p0: Point, p1: Point, p2: Point, p3: Point, n: int = 60) -> list[Point]:
    out = []
    for i in range(n + 1):
        t = i / n
        a, b, cc, dd = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3
        out.append(
            (
                a * p0[0] + b * p1[0] + cc * p2[0] + dd * p3[0],
                a * p0[1] + b * p1[1] + cc * p2[1] + dd * p3[1],
            )
        )
    return out


def _resample(path: Sequence[Point], spacing: float) -> list[tuple[float, float, float]]:
    """Points every `spacing` along a polyline, with the tangent angle at each."""
    out = []
    carry = 0.0
    for (x0, y0), (x1, y1) in zip(path, path[1:], strict=False):
        seg = math.hypot(x1 - x0, y1 - y0)
        if seg == 0:
            continue
        ang = math.atan2(y1 - y0, x1 - x0)
        pos = carry
        while pos <= seg:
            t = pos / seg
            out.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, ang))
            pos += spacing
        carry = pos - seg
    return out


def _chain(
    c: _Canvas,
    path: Sequence[Point],
    metal: Colour,
    link: float = 16,
    wire: float = 4.5,
    style: str = "cable",
) -> None:
    """Alternating face-on and edge-on links along a path; each link catches light by angle."""
    d = c.draw
    u = c.u
    tones = _metal_tones(metal)
    spacing = link * (1.25 if style == "cable" else 1.0)
    for i, (x, y, ang) in enumerate(_resample(path, spacing)):
        lit = 0.5 + 0.5 * math.cos(2 * (ang + 0.6) + i * 0.9)
        col = _mix(tones["low"], tones["light"], lit)
        hi = _mix(tones["light"], tones["glint"], lit)
        ca, sa = math.cos(ang), math.sin(ang)
        if style == "box" or i % 2 == 0:
            a, b = link * 0.85, link * (0.52 if style != "box" else 0.62)
            pts = []
            for k in range(20):
                t = 2 * math.pi * k / 20
                ex, ey = a * math.cos(t), b * math.sin(t)
                pts.append(((x + ex * ca - ey * sa) * u, (y + ex * sa + ey * ca) * u))
            pts.append(pts[0])
            d.line(pts, fill=tones["dark"], width=max(1, int((wire + 2) * u)), joint="curve")
            d.line(pts, fill=col, width=max(1, int(wire * u)), joint="curve")
            d.line(pts[11:15], fill=hi, width=max(1, int(wire * 0.4 * u)))
        else:
            a = link * 0.95
            p0 = ((x - a * ca) * u, (y - a * sa) * u)
            p1 = ((x + a * ca) * u, (y + a * sa) * u)
            d.line([p0, p1], fill=tones["dark"], width=max(1, int((wire * 1.7 + 2) * u)))
            d.line([p0, p1], fill=col, width=max(1, int(wire * 1.7 * u)))
            off = wire * 0.35
            d.line(
                [
                    (p0[0] - sa * off * u, p0[1] + ca * off * u),
                    (p1[0] - sa * off * u, p1[1] + ca * off * u),
                ],
                fill=hi,
                width=max(1, int(wire * 0.45 * u)),
            )


def _metal_blob(
    c: _Canvas,
    draw_mask: Callable[[ImageDraw.ImageDraw], None],
    metal: Colour,
    stops=SOFT,
    vertical: bool = False,
) -> Image.Image:
    m, md = c.mask()
    draw_mask(md)
    c.paint_metal(m, metal, stops, vertical=vertical)
    return m


def _bezel(
    c: _Canvas,
    cx: float,
    cy: float,
    rx: float,
    ry: float,
    shape: str,
    gem: Colour,
    metal: Colour,
    angle: float = 0.0,
) -> None:
    u = c.u
    outline = _place(_shape_outline(shape), cx, cy, rx * 1.16 + 6, ry * 1.16 + 6, angle, u)
    _metal_blob(c, lambda md: md.polygon(outline, fill=255), metal, POLISHED)
    inner = _place(_shape_outline(shape), cx, cy, rx * 1.04 + 2, ry * 1.04 + 2, angle, u)
    c.draw.polygon(inner, fill=_metal_tones(metal)["dark"])
    _gem(c, cx, cy, rx, ry, shape, gem, angle)


def _gem_size(shape: str, base: float) -> tuple[float, float]:
    """Half width and height of a stone of this cut, for a stone of about `base` radius."""
    return {
        "round": (base, base),
        "oval": (base * 0.8, base * 1.1),
        "pear": (base * 0.78, base * 1.15),
        "marquise": (base * 0.62, base * 1.25),
        "emerald": (base * 0.95, base * 1.05),
        "heart": (base * 1.05, base),
        "princess": (base * 0.88, base * 0.88),
        "cushion": (base * 0.95, base * 0.95),
        "pearl": (base, base),
        "cabochon": (base * 0.85, base * 1.05),
    }.get(shape, (base, base))


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


def _ring(p: _Piece, kind: str) -> None:
    c, rng = p.c, p.rng
    cx = 500 + c.view_rng.uniform(-15, 15)
    cy = 615
    rx, ry = 215, 190
    if kind == "wedding":
        depth, thick = rng.uniform(58, 82), rng.uniform(18, 24)
    elif kind == "engagement":
        depth, thick = rng.uniform(28, 36), 13
    else:
        depth, thick = rng.uniform(38, 56), 15
    _shadow(c, cx, cy + ry + 18, rx * 1.05, 26)
    style = p.pick("plain", "milgrain", "groove", "pave") if kind == "wedding" else ""
    if style == "pave" and p.gem is None:
        style = "plain"
    rim = TOP_FACE if kind == "wedding" else POLISHED
    _band(c, cx, cy, rx, ry, thick, (0, -depth), p.metal, rim)
    top_y = cy - ry - depth  # top of the band's outer surface
    u = c.u
    tones = _metal_tones(p.metal)
    if kind == "wedding":
        d = c.draw
        if style == "milgrain":
            for edge in (0, 1):
                for k in range(13, 60):
                    t = math.pi * k / 72 + math.pi
                    ex = cx + (rx - 3) * math.cos(t)
                    ey = cy + (ry - 3) * math.sin(t) - (depth - 5 if edge else 5)
                    d.ellipse(
                        c.box(ex, ey, 3.2, 3.2), fill=tones["glint"] if k % 2 else tones["low"]
                    )
        elif style == "groove":
            d.arc(c.box(cx, cy - depth / 2, rx, ry), 185, 355, fill=tones["dark"], width=int(4 * u))
            d.arc(
                c.box(cx, cy - depth / 2 + 3, rx, ry),
                185,
                355,
                fill=_rgba(tones["glint"], 160),
                width=int(2 * u),
            )
        elif style == "pave":
            for k in range(-6, 7):
                t = -math.pi / 2 + k * 0.16
                ex = cx + rx * 0.99 * math.cos(t)
                ey = cy - depth / 2 + ry * 0.99 * math.sin(t) + 2
                _small_stone(c, ex, ey, 11 * (1 - abs(k) * 0.035), p.stone(), p.metal)
                if k % 3 == 0:
                    c.sparkle_points.append((ex, ey, 22))
        return
    shape = p.shape
    base = {"engagement": 96, "cocktail": 104}.get(kind, rng.uniform(82, 98))
    gw, gh = _gem_size(shape, base)
    tilt = 0.72
    lift = {"engagement": 62, "cocktail": 40}.get(kind, 48)
    gy = top_y - gh * tilt - lift
    gem = p.stone()
    accent = _rgb("#eef4fb") if p.gem and _luma(p.gem) < 0.75 else _shade(gem, 0.92)
    default = {"engagement": "solo", "cocktail": "halo"}.get(kind)
    if p.style in ("halo", "three", "solo"):
        setting = p.style
    else:
        setting = default or rng.choice(["halo", "three", "solo"])
    pave = p.style == "pave" or (kind == "engagement" and not p.style and rng.random() < 0.5)
    if pave:
        # Pavé shoulders running down the band.
        for k in range(1, 8):
            for side in (-1, 1):
                t = -math.pi / 2 + side * (0.2 + k * 0.12)
                ex = cx + (rx - 2) * math.cos(t)
                ey = cy - depth * 0.5 + (ry - 2) * math.sin(t)
                _small_stone(c, ex, ey, 8.5 - k * 0.45, _rgb("#eef4fb"), p.metal)
    # The claws: wires rising from the band to the girdle; the back ones go behind the stone.
    n_prongs = 6 if (kind == "engagement" and shape == "round" and rng.random() < 0.5) else 4
    rim = _place(_shape_outline(shape, 64), cx, gy, gw * 0.96, gh * tilt * 0.96, 0, 1)
    if shape in ("pear", "heart", "marquise"):
        idx = [0, 16, 32, 48] if shape == "marquise" else [0, 20, 32, 44]
    elif shape in ("emerald", "princess"):
        m = len(rim)
        idx = [1, 3, 5, 7] if m == 8 else list(range(0, m, max(1, m // 4)))
    else:
        step = len(rim) / n_prongs
        idx = [int(step * k + step / 2) % len(rim) for k in range(n_prongs)]
    tips = [rim[i] for i in idx]
    back_tips = [t for t in tips if t[1] < gy]
    front_tips = [t for t in tips if t[1] >= gy]
    claw = 10 if kind == "engagement" else 9

    def wire(tip: Point) -> None:
        base_pt = (cx + (tip[0] - cx) * 0.3, top_y + 12)
        d = c.draw
        d.line([c.p(*base_pt), c.p(*tip)], fill=tones["dark"], width=int(claw * 1.25 * u))
        d.line([c.p(*base_pt), c.p(*tip)], fill=tones["light"], width=int(claw * 0.7 * u))

    gallery_y = gy + gh * tilt * 0.95
    if setting == "halo":
        # A halo sits on a tapered basket instead of open claws.
        back_tips, front_tips = [], []
        basket = [
            c.p(cx - gw * 0.75, gallery_y),
            c.p(cx + gw * 0.75, gallery_y),
            c.p(cx + gw * 0.35, top_y + 14),
            c.p(cx - gw * 0.35, top_y + 14),
        ]
        _metal_blob(c, lambda md: md.polygon(basket, fill=255), p.metal, POLISHED)
    for tip in back_tips:
        wire(tip)
    _metal_blob(
        c,
        lambda md: md.ellipse(c.box(cx, gallery_y + 10, gw * 0.5, 12), fill=255),
        p.metal,
        POLISHED,
    )
    if setting == "three":
        side_shape = "emerald" if shape == "emerald" else "round"
        sw, sh = _gem_size(side_shape, base * 0.5)
        for side in (-1, 1):
            sx = cx + side * (gw + sw * 0.9)
            sy = top_y - sh * tilt - 14
            for pxo in (-0.7, 0.7):
                c.draw.line(
                    [c.p(sx + pxo * sw * 0.5, top_y + 8), c.p(sx + pxo * sw, sy)],
                    fill=tones["low"],
                    width=int(8 * u),
                )
            _gem(
                c,
                sx,
                sy,
                sw,
                sh,
                side_shape,
                accent,
                tilt=tilt,
                pavilion=0.45 if side_shape == "round" else 0.0,
            )
            for pxo in (-0.75, 0.75):
                _prong(c, sx + pxo * sw, sy + sh * tilt * 0.3, 7, p.metal)
    if setting == "halo":
        outline = _shape_outline(shape, 32)
        halo_pts = _place(_densify(outline, 22), cx, gy, gw * 1.3 + 16, gh * tilt * 1.3 + 12, 0, 1)
        backing = _place(outline, cx, gy, gw * 1.3 + 28, gh * tilt * 1.3 + 24, 0, u)
        under = _place(outline, cx, gy + 16, gw * 1.3 + 26, gh * tilt * 1.3 + 22, 0, u)
        _metal_blob(c, lambda md: md.polygon(under, fill=255), p.metal, INNER)
        _metal_blob(c, lambda md: md.polygon(backing, fill=255), p.metal, POLISHED)
        for hx, hy in halo_pts:
            _small_stone(c, hx, hy, 10, accent, p.metal)
        _gem(c, cx, gy, gw, gh, shape, gem, tilt=tilt)
    else:
        _gem(c, cx, gy, gw, gh, shape, gem, tilt=tilt, pavilion=0.5 if shape == "round" else 0.0)
    for tip in front_tips:
        wire(tip)
    for tip in back_tips + front_tips:
        _prong(c, tip[0], tip[1], claw * 0.9, p.metal)


def _densify(pts: Sequence[Point], count: int) -> list[Point]:
    """`count` points evenly spaced along a closed outline."""
    closed = [*pts, pts[0]]
    total = sum(math.dist(a, b) for a, b in zip(closed, closed[1:], strict=False))
    return [(x, y) for x, y, _a in _resample(closed, total / count)][:count]


def _necklace(p: _Piece, pendant_size: float, close_up: bool) -> None:
    c, rng = p.c, p.rng
    bottom = 560 if close_up else 640
    spread = 300 if close_up else 400
    left = _bezier((500 - spread - 80, -30), (500 - spread, 300), (430, bottom - 20), (500, bottom))
    right = _bezier(
        (500, bottom), (570, bottom - 20), (500 + spread, 300), (500 + spread + 80, -30)
    )
    _shadow(c, 500, bottom + pendant_size * 2.3, pendant_size * 1.2, 20, strength=70)
    style = rng.choice(["cable", "cable", "box"])
    link = 13 if close_up else 11
    _chain(c, left[::-1], p.metal, link=link, wire=4, style=style)
    _chain(c, right, p.metal, link=link, wire=4, style=style)
    _pendant(p, 500, bottom, pendant_size)


def _pendant(p: _Piece, x: float, y: float, size: float) -> None:
    c = p.c
    tones = _metal_tones(p.metal)
    # Bail: a loop the chain runs through.
    bail, bd = c.mask()
    bd.rounded_rectangle(c.box(x, y + 16, 14, 26), radius=12 * c.u, fill=255)
    c.paint_metal(bail, p.metal, POLISHED)
    c.draw.rounded_rectangle(c.box(x, y + 16, 5, 16), radius=5 * c.u, fill=tones["dark"])
    top = y + 40
    style = (
        p.pick("bezel", "halo", "heart", "disc", "drop")
        if p.gem
        else p.pick("heart", "disc", "bar")
    )
    if style == "heart" and p.gem is None:
        hx, hy = size * 1.0, size * 0.95
        outline = _place(_shape_outline("heart", 64), x, top + hy, hx, hy, 0, c.u)
        _metal_blob(c, lambda md: md.polygon(outline, fill=255), p.metal, POLISHED)
        inner = _place(_shape_outline("heart", 64), x - 4, top + hy - 4, hx * 0.8, hy * 0.8, 0, c.u)
        c.draw.line([*inner, inner[0]], fill=_rgba(tones["glint"], 150), width=int(3 * c.u))
        c.sparkle_points.append((x - hx * 0.4, top + hy * 0.6, size * 0.6))
        return
    if style == "disc" or style == "bar":
        if style == "bar":
            _metal_blob(
                c,
                lambda md: md.rounded_rectangle(
                    c.box(x, top + size * 1.2, size * 0.22, size * 1.2), radius=8 * c.u, fill=255
                ),
                p.metal,
                POLISHED,
            )
            return
        _metal_blob(
            c, lambda md: md.ellipse(c.box(x, top + size, size, size), fill=255), p.metal, POLISHED
        )
        c.draw.ellipse(
            c.box(x, top + size, size * 0.86, size * 0.86),
            outline=_rgba(tones["dark"], 160),
            width=int(2 * c.u),
        )
        if p.gem:
            _bezel(c, x, top + size, size * 0.3, size * 0.3, "round", p.gem, p.metal)
        return
    shape = p.shape
    if style == "drop" and shape not in ("pear", "pearl", "oval", "marquise"):
        shape = "pear"
    gw, gh = _gem_size(shape, size * 0.75)
    gy = top + gh * 1.2
    if style == "halo":
        outline = _shape_outline(shape, 32)
        backing = _place(outline, x, gy, gw * 1.35 + 18, gh * 1.35 + 18, 0, c.u)
        _metal_blob(c, lambda md: md.polygon(backing, fill=255), p.metal, POLISHED)
        for hx, hy in _place(_densify(outline, 20), x, gy, gw * 1.35 + 7, gh * 1.35 + 7, 0, 1):
            _small_stone(
                c,
                hx,
                hy,
                9,
                _rgb("#eef4fb") if _luma(p.gem) < 0.75 else _shade(p.gem, 0.9),
                p.metal,
            )
        _gem(c, x, gy, gw, gh, shape, p.gem)
    elif shape in SPHERE_SHAPES:
        _gem(c, x, gy, gw, gh, shape, p.gem)
        _metal_blob(c, lambda md: md.ellipse(c.box(x, gy - gh, 12, 8), fill=255), p.metal)
    else:
        _bezel(c, x, gy, gw, gh, shape, p.gem, p.metal)


def _chain_only(p: _Piece) -> None:
    c, rng = p.c, p.rng
    # A chain laid in a loose loop with its clasp, as on a display bust seen from above.
    cx, cy = 500, 520
    rx, ry = rng.uniform(300, 340), rng.uniform(250, 290)
    pts = []
    for i in range(201):
        t = -math.pi / 2 + 2 * math.pi * i / 200 * 0.97 + 0.05
        wob = 1 + 0.04 * math.sin(3 * t + rng.random())
        pts.append((cx + rx * wob * math.cos(t), cy + ry * wob * math.sin(t)))
    _shadow(c, cx, cy + ry * 0.35, rx * 1.05, ry * 0.9, strength=45)
    style = p.pick("cable", "box", "curb")
    link = rng.uniform(18, 24)
    _chain(c, pts, p.metal, link=link, wire=link * 0.33, style="box" if style == "curb" else style)
    _clasp(c, pts[0], p.metal)


def _clasp(c: _Canvas, at: Point, metal: Colour) -> None:
    x, y = at
    tones = _metal_tones(metal)
    _metal_blob(c, lambda md: md.ellipse(c.box(x - 8, y, 20, 16), fill=255), metal, POLISHED)
    c.draw.ellipse(c.box(x - 8, y, 10, 7), fill=tones["dark"])


def _earrings(p: _Piece, kind: str) -> None:
    c, rng = p.c, p.rng
    xs = (310, 690)
    if kind == "hoops":
        rx, ry = rng.uniform(105, 130), rng.uniform(165, 190)
        for x in xs:
            _shadow(c, x, 500 + ry + 40, rx * 0.9, 20, strength=70)
        for i, x in enumerate(xs):
            cy = 500
            _band(
                c,
                x,
                cy,
                rx,
                ry,
                rng.uniform(20, 28) if i == 0 else 24,
                (-26 if i == 0 else 26, -8),
                p.metal,
            )
            if p.gem and p.style != "plain":
                for k in range(-4, 5):
                    t = math.pi / 2 + k * 0.22
                    _small_stone(
                        c,
                        x + (rx - 12) * math.cos(t),
                        cy + (ry - 12) * math.sin(t),
                        8.5,
                        p.gem,
                        p.metal,
                    )
            c.draw.line(
                [c.p(x, cy - ry + 4), c.p(x, cy - ry - 26)],
                fill=_metal_tones(p.metal)["low"],
                width=int(6 * c.u),
            )
        return
    if kind == "drops":
        for x in xs:
            _shadow(c, x, 830, 80, 18, strength=60)
        for x in xs:
            top = 260
            _sphere(c, x, top, 26, 26, _mix(p.metal, WHITE, 0.1)) if not p.gem else _gem(
                c, x, top, 28, 28, "round", p.gem, sparkle=False
            )
            _chain(c, [(x, top + 28), (x, top + 170)], p.metal, link=11, wire=3.5)
            shape = (
                p.shape
                if p.shape in ("pear", "oval", "marquise", "pearl", "heart", "emerald")
                else "pear"
            )
            gw, gh = _gem_size(shape, 78)
            gy = top + 180 + gh
            if p.gem is None:
                _metal_blob(
                    c,
                    lambda md, x=x, gy=gy, gw=gw, gh=gh: md.polygon(
                        _place(_shape_outline("pear", 40), x, gy, gw, gh, 0, c.u), fill=255
                    ),
                    p.metal,
                    POLISHED,
                )
            elif shape in SPHERE_SHAPES:
                _gem(c, x, gy, gw, gh, shape, p.gem)
            else:
                _bezel(c, x, gy, gw, gh, shape, p.gem, p.metal)
        return
    # Studs: a solitaire in claws, a pearl, a cluster, or a polished metal ball.
    style = p.pick("solitaire", "cluster", "pearl", "ball") if p.gem else "ball"
    if p.shape == "pearl":
        style = "pearl"
    elif style == "pearl":
        style = "solitaire"
    size = rng.uniform(110, 130)
    for x in xs:
        _shadow(c, x + 20, 560 + size, size * 0.9, 22, strength=75)
    for i, x in enumerate(xs):
        y = 500 + (10 if i else -10)
        # The post and butterfly back, seen behind the stud.
        back, bkd = c.mask()
        bkd.rounded_rectangle(c.box(x + 34, y + 40, 34, 22), radius=14 * c.u, fill=255)
        c.paint_metal(back, p.metal, SOFT)
        if style == "ball":
            _sphere(c, x, y, size * 0.7, size * 0.7, p.metal)
        elif style == "pearl":
            _sphere(c, x, y, size * 0.8, size * 0.8, p.gem or _rgb("#f4efe6"), pearl=True)
        elif style == "cluster":
            ring = [
                (x + size * 0.62 * math.cos(a), y + size * 0.62 * math.sin(a))
                for a in [k * math.pi / 4 for k in range(8)]
            ]
            _metal_blob(
                c,
                lambda md, x=x, y=y: md.ellipse(c.box(x, y, size * 0.95, size * 0.95), fill=255),
                p.metal,
                POLISHED,
            )
            for sx, sy in ring:
                _small_stone(c, sx, sy, size * 0.2, _rgb("#eef4fb"), p.metal)
            _gem(c, x, y, size * 0.4, size * 0.4, "round", p.gem)
        else:
            gw, gh = _gem_size(p.shape, size * 0.75)
            _gem(c, x, y, gw, gh, p.shape, p.gem, angle=(-0.2 if i == 0 else 0.2))
            for a in (math.pi / 4, 3 * math.pi / 4, 5 * math.pi / 4, 7 * math.pi / 4):
                _prong(c, x + gw * 0.8 * math.cos(a), y + gh * 0.8 * math.sin(a), 8, p.metal)


def _bracelet(p: _Piece, kind: str) -> None:
    c, rng = p.c, p.rng
    cx, cy = 500, 540
    if kind == "bangle":
        rx, ry = 330, 175
        _shadow(c, cx, cy + ry + 10, rx, 34)
        _band(c, cx, cy, rx, ry, rng.uniform(16, 26), (0, -rng.uniform(40, 70)), p.metal)
        if p.gem and p.style != "plain":
            for k in range(-5, 6):
                t = math.pi / 2 + k * 0.1
                _small_stone(
                    c, cx + (rx - 10) * math.cos(t), cy + (ry - 10) * math.sin(t), 9, p.gem, p.metal
                )
        return
    if kind == "tennis":
        rx, ry = 330, 190
        _shadow(c, cx, cy + ry + 8, rx, 30)
        n = 36
        items = []
        for k in range(n):
            t = 2 * math.pi * k / n
            items.append((cx + rx * math.cos(t), cy + ry * math.sin(t)))
        ymin, ymax = cy - ry, cy + ry
        tones = _metal_tones(p.metal)
        stone = p.gem or _rgb("#eef4fb")
        for x, y in sorted(items, key=lambda q: q[1]):
            depth = (y - ymin) / (ymax - ymin)
            r = 14 + 9 * depth
            c.draw.rounded_rectangle(
                c.box(x, y, r * 1.3, r * 1.3), radius=r * 0.4 * c.u, fill=tones["dark"]
            )
            c.draw.rounded_rectangle(
                c.box(x - 1, y - 1, r * 1.18, r * 1.18),
                radius=r * 0.35 * c.u,
                fill=_mix(tones["mid"], tones["light"], depth),
            )
            _small_stone(c, x, y, r, _shade(stone, 0.75 + 0.25 * depth), p.metal)
            if rng.random() < 0.12:
                c.sparkle_points.append((x, y, r * 2.2))
        _clasp(c, (cx + rx + 12, cy), p.metal)
        return
    # A chain bracelet with a small charm.
    pts = [
        (cx + rx * math.cos(t), cy + ry * math.sin(t))
        for rx, ry in [(320, 180)]
        for t in [2 * math.pi * i / 160 for i in range(161)]
    ]
    _shadow(c, cx, cy + 190, 320, 30, strength=70)
    _chain(c, pts, p.metal, link=20, wire=6.5, style=rng.choice(["cable", "box"]))
    _clasp(c, (cx + 320, cy), p.metal)
    charm_x, charm_y = cx - 60, cy + 180
    if p.gem:
        _bezel(
            c,
            charm_x,
            charm_y + 40,
            30,
            30,
            p.shape if p.shape not in SPHERE_SHAPES else "round",
            p.gem,
            p.metal,
        )
    else:
        outline = _place(_shape_outline("heart", 48), charm_x, charm_y + 45, 40, 38, 0, c.u)
        _metal_blob(c, lambda md: md.polygon(outline, fill=255), p.metal, POLISHED)


def _anklet(p: _Piece) -> None:
    c = p.c
    cx, cy, rx, ry = 500, 520, 360, 160
    pts = [
        (cx + rx * math.cos(t), cy + ry * math.sin(t))
        for t in [2 * math.pi * i / 200 for i in range(201)]
    ]
    _shadow(c, cx, cy + ry + 6, rx, 24, strength=55)
    _chain(c, pts, p.metal, link=12, wire=3.8)
    for k in range(9):
        t = math.pi * (0.12 + k * 0.095)
        x, y = cx + rx * math.cos(t), cy + ry * math.sin(t)
        _chain(c, [(x, y), (x, y + 26)], p.metal, link=8, wire=3)
        if p.shape == "pearl" and p.gem and k % 2 == 0:
            _sphere(c, x, y + 42, 13, 13, p.gem, pearl=True)
        elif p.gem and k % 2 == 0:
            _small_stone(c, x, y + 40, 12, p.gem, p.metal)
        else:
            _sphere(c, x, y + 38, 10, 10, p.metal)
    _clasp(c, (cx + rx + 8, cy), p.metal)


def _brooch(p: _Piece) -> None:
    if p.pick("flower", "vintage") == "vintage":
        _vintage_brooch(p)
    else:
        _flower_brooch(p)


def _vintage_brooch(p: _Piece) -> None:
    """An oval cluster: a beaded frame, a ring of stones or pearls, a large centre stone."""
    c = p.c
    cx, cy = 500, 500
    _shadow(c, cx + 15, cy + 250, 260, 34, strength=70)
    tones = _metal_tones(p.metal)
    _metal_blob(c, lambda md: md.ellipse(c.box(cx, cy, 300, 225), fill=255), p.metal, POLISHED)
    c.draw.ellipse(c.box(cx, cy, 262, 190), fill=tones["dark"])
    _metal_blob(c, lambda md: md.ellipse(c.box(cx, cy, 252, 182), fill=255), p.metal, INNER)
    for k in range(56):
        a = 2 * math.pi * k / 56
        _sphere(c, cx + 282 * math.cos(a), cy + 207 * math.sin(a), 13, 13, p.metal)
    ring_colour = p.gem if p.shape == "pearl" and p.gem else _rgb("#eef4fb")
    for k in range(18):
        a = 2 * math.pi * k / 18
        x, y = cx + 205 * math.cos(a), cy + 145 * math.sin(a)
        if p.shape == "pearl":
            _sphere(c, x, y, 27, 27, ring_colour, pearl=True)
        else:
            _small_stone(c, x, y, 22, ring_colour, p.metal)
    centre_shape = p.shape if p.shape in ("oval", "cushion", "emerald", "round") else "oval"
    centre = p.gem if p.gem and p.shape != "pearl" else _rgb("#1f4fa8")
    if p.shape == "pearl" and p.gem:
        centre = p.gem
        _sphere(c, cx, cy, 105, 105, centre, pearl=True)
        return
    gw, gh = _gem_size(centre_shape, 115)
    _gem(c, cx, cy, gw * 1.15, gh * 0.95, centre_shape, centre)
    for a in (0.8, 2.35, 3.95, 5.5):
        _prong(c, cx + gw * 1.05 * math.cos(a), cy + gh * 0.88 * math.sin(a), 11, p.metal)


def _flower_brooch(p: _Piece) -> None:
    c, rng = p.c, p.rng
    cx, cy = 500, 480
    _shadow(c, cx + 20, cy + 260, 230, 32, strength=70)
    tones = _metal_tones(p.metal)
    # Stem and leaves first, so the flower head sits over them.
    stem = _bezier((cx, cy + 60), (cx + 20, cy + 180), (cx - 40, cy + 250), (cx - 10, cy + 330), 30)
    c.draw.line(
        [c.p(x, y) for x, y in stem], fill=tones["dark"], width=int(16 * c.u), joint="curve"
    )
    c.draw.line(
        [c.p(x, y) for x, y in stem], fill=tones["light"], width=int(9 * c.u), joint="curve"
    )
    for lx, ly, ang in ((cx + 50, cy + 200, 0.9), (cx - 75, cy + 250, -0.8)):
        leaf = _place(_shape_outline("marquise", 40), lx, ly, 28, 70, ang, c.u)
        _metal_blob(c, lambda md, leaf=leaf: md.polygon(leaf, fill=255), p.metal, POLISHED)
        c.draw.line(
            _place([(0, -0.9), (0, 0.9)], lx, ly, 28, 70, ang, c.u),
            fill=tones["dark"],
            width=int(3 * c.u),
        )
    petals = rng.choice([5, 6, 8])
    petal_colour = p.gem if p.gem else None
    for k in range(petals):
        ang = 2 * math.pi * k / petals + rng.uniform(-0.05, 0.05)
        px_, py_ = cx + 118 * math.sin(ang), cy - 118 * math.cos(ang)
        if petal_colour and p.shape not in SPHERE_SHAPES:
            _bezel(
                c,
                px_,
                py_,
                44,
                92,
                "marquise" if petals > 5 else "pear",
                petal_colour,
                p.metal,
                angle=ang,
            )
        else:
            outline = _place(
                _shape_outline("pear" if petals == 5 else "marquise", 40),
                px_,
                py_,
                60,
                105,
                ang,
                c.u,
            )
            _metal_blob(c, lambda md, o=outline: md.polygon(o, fill=255), p.metal, POLISHED)
            c.draw.line(
                _place([(0, -0.8), (0, 0.8)], px_, py_, 60, 105, ang, c.u),
                fill=_rgba(tones["dark"], 160),
                width=int(3 * c.u),
            )
    centre = p.gem or _rgb("#eef4fb")
    if p.shape == "pearl":
        _sphere(c, cx, cy, 58, 58, centre, pearl=True)
    else:
        _metal_blob(c, lambda md: md.ellipse(c.box(cx, cy, 70, 70), fill=255), p.metal, POLISHED)
        for k in range(12):
            a = 2 * math.pi * k / 12
            _small_stone(
                c, cx + 58 * math.cos(a), cy + 58 * math.sin(a), 9, _rgb("#eef4fb"), p.metal
            )
        _gem(c, cx, cy, 44, 44, "round", centre)


# --- entry points -----------------------------------------------------------------------------
def _piece_for(category_slug: str) -> str:
    slug = (category_slug or "").lower()
    table = (
        ("engagement", "engagement"),
        ("wedding", "wedding"),
        ("band", "wedding"),
        ("cocktail", "cocktail"),
        ("tennis", "tennis"),
        ("bangle", "bangle"),
        ("cuff", "bangle"),
        ("anklet", "anklet"),
        ("brooch", "brooch"),
        ("pin", "brooch"),
        ("hoop", "hoops"),
        ("drop", "drops"),
        ("dangle", "drops"),
        ("stud", "studs"),
        ("earring", "studs"),
        ("pendant", "pendant"),
        ("chain", "chain"),
        ("necklace", "necklace"),
        ("bracelet", "bracelet"),
        ("ring", "ring"),
    )
    for key, piece in table:
        if key in slug:
            return piece
    return "ring"


def _draw_piece(
    *,
    seed: str,
    category_slug: str,
    metal_hex: str,
    gem_hex: str | None,
    size: int,
    gem_shape: str | None,
    style: str | None,
) -> Image.Image:
    """The whole picture at twice `size`, before downsampling."""
    piece = _piece_for(category_slug)
    rng = _seeded("piece", seed, piece)
    view_rng = _seeded("view", seed)
    shape = gem_shape if gem_shape in GEM_SHAPES + SPHERE_SHAPES else rng.choice(GEM_SHAPES)
    canvas = _Canvas(size * 2, rng, view_rng)
    _backdrop(canvas, _seeded("backdrop", seed))
    metal = _rgb(metal_hex)
    gem = _rgb(gem_hex) if gem_hex else None
    p = _Piece(canvas, metal, gem, shape, (style or "").lower())
    if piece in ("ring", "engagement", "wedding", "cocktail"):
        _ring(p, piece)
    elif piece == "necklace":
        _necklace(p, 58, close_up=False)
    elif piece == "pendant":
        _necklace(p, 88, close_up=True)
    elif piece == "chain":
        _chain_only(p)
    elif piece in ("studs", "hoops", "drops"):
        _earrings(p, piece)
    elif piece in ("bangle", "tennis", "bracelet"):
        _bracelet(p, piece)
    elif piece == "anklet":
        _anklet(p)
    else:
        _brooch(p)
    _sparkles(canvas)
    return canvas


def _close_up_box(c: _Canvas) -> tuple[int, int, int, int]:
    """A square around what was drawn (found against the bare backdrop at 1/8 scale)."""
    k = 8
    small = c.im.reduce(k)
    bare = c.quarter.resize(small.size, Image.Resampling.BILINEAR)
    diff = ImageChops.difference(small, bare).convert("L")
    found = diff.point(lambda v: 255 if v > 12 else 0).getbbox()
    s = c.size
    if not found:
        return (0, 0, s, s)
    left, top, right, bottom = (v * k for v in found)
    side = int(min(s, max(s * 0.55, (right - left) * 1.25, (bottom - top) * 1.25)))
    cx, cy = (left + right) // 2, (top + bottom) // 2
    x0 = min(max(0, cx - side // 2), s - side)
    y0 = min(max(0, cy - side // 2), s - side)
    return (x0, y0, x0 + side, y0 + side)


def _view(c: _Canvas, size: int, view: int) -> Image.Image:
    """Shot `view` of a drawn piece: 0 as drawn, 1 a closer crop, 2 mirrored."""
    image = c.im
    if view % 3 == 1:
        image = image.crop(_close_up_box(c))
    elif view % 3 == 2:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if image.size[0] == size * 2:
        return image.reduce(2)
    # Pillow widens the box filter with the reduction: a smooth and cheap downscale.
    return image.resize((size, size), Image.Resampling.BOX)


def _clamp_size(size: int) -> int:
    return max(64, min(int(size), 2400))


def render_product_views(
    *,
    seed: str,
    category_slug: str,
    metal_hex: str,
    gem_hex: str | None,
    size: int = 800,
    gem_shape: str | None = None,
    style: str | None = None,
    views: int = 1,
) -> list[Image.Image]:
    """`views` shots of one drawn piece (as drawn, closer, mirrored), drawn only once."""
    size = _clamp_size(size)
    drawn = _draw_piece(
        seed=seed,
        category_slug=category_slug,
        metal_hex=metal_hex,
        gem_hex=gem_hex,
        size=size,
        gem_shape=gem_shape,
        style=style,
    )
    return [_view(drawn, size, view) for view in range(max(1, views))]


def render_product_image(
    *,
    seed: str,
    category_slug: str,
    metal_hex: str,
    gem_hex: str | None,
    size: int = 800,
    gem_shape: str | None = None,
    style: str | None = None,
    view: int = 0,
) -> Image.Image:
    """Draws the picture and returns it as an RGB image of `size` x `size`.

    `gem_shape` (round, oval, pear, emerald, heart, marquise, princess, cushion, pearl,
    cabochon) and `style` (halo, three, solo, pave, milgrain, groove, plain, bezel, heart,
    disc, drop, bar, cable, box, solitaire, cluster, ball, flower, vintage, charm) are chosen
    from the seed when not given; `view` picks another shot of the same piece.
    """
    size = _clamp_size(size)
    drawn = _draw_piece(
        seed=seed,
        category_slug=category_slug,
        metal_hex=metal_hex,
        gem_hex=gem_hex,
        size=size,
        gem_shape=gem_shape,
        style=style,
    )
    return _view(drawn, size, view)


def render_product_png(
    *,
    seed: str,
    category_slug: str,
    metal_hex: str,
    gem_hex: str | None,
    size: int = 800,
    gem_shape: str | None = None,
    style: str | None = None,
    view: int = 0,
) -> bytes:
    """PNG bytes of the product picture; deterministic for the same arguments."""
    image = render_product_image(
        seed=seed,
        category_slug=category_slug,
        metal_hex=metal_hex,
        gem_hex=gem_hex,
        size=size,
        gem_shape=gem_shape,
        style=style,
        view=view,
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()
