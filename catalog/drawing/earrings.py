"""Earrings: studs, hoops and drops."""

from __future__ import annotations

import math

from .canvas import _Piece, _shadow
from .gems import _gem, _place, _prong, _shape_outline, _small_stone, _sphere
from .palette import POLISHED, SOFT, SPHERE_SHAPES, WHITE, _metal_tones, _mix, _rgb
from .shapes import _band, _bezel, _chain, _gem_size, _metal_blob


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
