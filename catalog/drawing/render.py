"""Entry points: which piece a category shows, the views (whole piece and close-ups), and the
pictures as images or PNG bytes.
"""

from __future__ import annotations

import io

from PIL import Image, ImageChops

from .bracelets import _anklet, _bracelet
from .brooches import _brooch
from .canvas import _backdrop, _Canvas, _Piece, _seeded
from .earrings import _earrings
from .gems import _sparkles
from .necklaces import _chain_only, _necklace
from .palette import GEM_SHAPES, SPHERE_SHAPES, _rgb
from .rings import _ring


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
