"""Product pictures drawn with Pillow, for imports without photos and for the demo store.

Everything is drawn from code (no image files): the category picks the piece (ring, solitaire,
band, necklace, pendant, chain, studs, hoops, drops, bangle, tennis bracelet, brooch, anklet),
the metal colour gives polished gradients with highlights, the gem colour and the cut (from the
seed unless given) give a faceted stone. The same arguments always give the same bytes.

Pictures are drawn at twice the asked size and downsampled, which anti-aliases every edge.
Coordinates are in a 1000 x 1000 design space, scaled by `_Canvas.u`.

The package, by what it draws: `palette` (colours, metal gradients), `canvas` (the canvas,
seeded streams, backdrop, shadows, the piece being drawn), `gems` (faceted stones, pearls,
pavé, prongs, sparkles), `shapes` (geometry several pieces share), one module per kind of
piece (`rings`, `necklaces`, `earrings`, `bracelets`, `brooches`) and `render` (the entry points
below). It lives in catalog, not in the demo app: the Shopify import draws a picture for each
image it cannot download (catalog.importers.shopify), and catalog may not import demo.
"""

from .render import render_product_image, render_product_png, render_product_views

__all__ = ["render_product_image", "render_product_png", "render_product_views"]
