"""Gems: faceted stones in eight shapes, pearls and cabochons, small pavé stones, prongs and
sparkles.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from PIL import Image, ImageChops, ImageFilter

from .canvas import _Canvas
from .palette import (
    SPHERE_SHAPES,
    WHITE,
    Colour,
    Point,
    _deep,
    _luma,
    _metal_tones,
    _mix,
    _rgba,
    _shade,
)


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
