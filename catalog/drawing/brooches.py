"""Brooches: vintage and flower."""

from __future__ import annotations

import math

from .canvas import _Piece, _shadow
from .gems import _gem, _place, _prong, _shape_outline, _small_stone, _sphere
from .palette import INNER, POLISHED, SPHERE_SHAPES, _metal_tones, _rgb, _rgba
from .shapes import _bezel, _bezier, _gem_size, _metal_blob


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
