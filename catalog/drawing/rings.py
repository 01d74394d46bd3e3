"""Rings: solitaires and engagement rings, wedding bands, cocktail rings."""

from __future__ import annotations

import math

from .canvas import _Piece, _shadow
from .gems import _gem, _place, _prong, _shape_outline, _small_stone
from .palette import (
    INNER,
    POLISHED,
    TOP_FACE,
    Point,
    _luma,
    _metal_tones,
    _rgb,
    _rgba,
    _shade,
)
from .shapes import _band, _densify, _gem_size, _metal_blob


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
