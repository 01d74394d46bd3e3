"""Necklaces, pendants and chains, with their clasp."""

from __future__ import annotations

import math

from .canvas import _Piece, _shadow
from .gems import _gem, _place, _shape_outline, _small_stone
from .palette import (
    POLISHED,
    SPHERE_SHAPES,
    _luma,
    _metal_tones,
    _rgb,
    _rgba,
    _shade,
)
from .shapes import _bezel, _bezier, _chain, _clasp, _densify, _gem_size, _metal_blob


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
