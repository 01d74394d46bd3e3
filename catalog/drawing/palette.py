"""Colours: types, gem shapes, studio backdrops, colour helpers and the polished-metal
gradients (reflections of a soft box) every piece is painted with.
"""

from __future__ import annotations

from collections.abc import Sequence

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
