"""A small real catalog and a real embedder that counts what it embeds."""

from __future__ import annotations

from collections.abc import Callable

from ai.embeddings import Embedder
from catalog.models import Material
from tests.factories import (
    CategoryFactory,
    GemstoneTypeFactory,
    MaterialFactory,
    ProductFactory,
    ProductGemstoneFactory,
)


class CountingEmbedder(Embedder):
    """The real multilingual encoder, keeping the texts it was asked to embed."""

    def __init__(self, inner: Embedder, *, before_batch: Callable[[list[str]], None] | None = None):
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.texts: list[str] = []
        self.before_batch = before_batch

    def _embed_batch(self, texts: list[str]):
        if self.before_batch is not None:
            hook, self.before_batch = self.before_batch, None
            hook(texts)
        self.texts.extend(texts)
        return self.inner._embed_batch(texts)


def jewelry_catalog() -> dict:
    """Three products: a diamond ring in gold, a pearl necklace, a leather bracelet."""
    rings = CategoryFactory(slug="rings", name="Rings")
    rings.set_current_language("fr")
    rings.name = "Bagues"
    rings.save()
    gold = MaterialFactory(slug="yellow-gold", name="Yellow gold")
    leather = MaterialFactory(slug="leather", name="Leather", kind=Material.Kind.OTHER)
    silver = MaterialFactory(slug="silver", name="Sterling silver")
    diamond = GemstoneTypeFactory(slug="diamond", name="Diamond")
    pearl = GemstoneTypeFactory(slug="pearl", name="Pearl")

    ring = ProductFactory(
        handle="solitaire-ring",
        name="Solitaire engagement ring",
        description="<p>A round brilliant <strong>diamond</strong> on a slim band.</p>",
        category=rings,
        variants=[{"price": "1200.00", "metal": gold, "purity": "18K"}],
    )
    ring.materials.set([gold])
    ProductGemstoneFactory(product=ring, gemstone_type=diamond)

    necklace = ProductFactory(
        handle="pearl-necklace",
        name="Freshwater pearl necklace",
        description="A strand of lustrous pearls.",
        category=CategoryFactory(slug="necklaces", name="Necklaces"),
    )
    necklace.materials.set([silver])
    ProductGemstoneFactory(product=necklace, gemstone_type=pearl)

    bracelet = ProductFactory(
        handle="leather-bracelet",
        name="Braided cord bracelet",
        description="Brown braided cord with a magnetic clasp.",
        category=CategoryFactory(slug="bracelets", name="Bracelets"),
    )
    bracelet.materials.set([leather])
    return {"ring": ring, "necklace": necklace, "bracelet": bracelet}
