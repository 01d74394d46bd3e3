"""Bracelets (chain, bangle, tennis) and anklets."""

from __future__ import annotations

import math

from .canvas import _Piece, _shadow
from .gems import _place, _shape_outline, _small_stone, _sphere
from .palette import POLISHED, SPHERE_SHAPES, _metal_tones, _mix, _rgb, _shade
from .shapes import _band, _bezel, _chain, _clasp, _metal_blob


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
