"""Geometry shared by several pieces: ellipses, bands, Bézier paths, chains, metal blobs and
bezels, gem sizes per shape.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PIL import Image, ImageChops, ImageDraw

from .canvas import _Canvas
from .gems import _gem, _place, _shape_outline
from .palette import (
    INNER,
    OUTER,
    POLISHED,
    SOFT,
    TOP_FACE,
    Colour,
    Point,
    _metal_tones,
    _mix,
    _rgba,
)


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


def _densify(pts: Sequence[Point], count: int) -> list[Point]:
    """`count` points evenly spaced along a closed outline."""
    closed = [*pts, pts[0]]
    total = sum(math.dist(a, b) for a, b in zip(closed, closed[1:], strict=False))
    return [(x, y) for x, y, _a in _resample(closed, total / count)][:count]


def _clasp(c: _Canvas, at: Point, metal: Colour) -> None:
    x, y = at
    tones = _metal_tones(metal)
    _metal_blob(c, lambda md: md.ellipse(c.box(x - 8, y, 20, 16), fill=255), metal, POLISHED)
    c.draw.ellipse(c.box(x - 8, y, 10, 7), fill=tones["dark"])
