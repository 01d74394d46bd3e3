"""The search's names for the jewelry vocabulary's shopper words (catalog/vocabulary.py).

The catalog's Material, GemstoneType and Category names in every language (read from the
database) are the main vocabulary; the words shoppers type that a catalog rarely stores
("gold" for any gold, singulars, colloquial names, colours, category nouns per language) are
catalog's too, in its one jewelry vocabulary. This module only gives them the names the
search's modules use.

A key matches the catalog's objects by slug (see ai.search.query); a key the catalog does not
have filters nothing: the query's word is then searched through the key's English words
("Anhänger" -> "pendants" -> "pendant"), so English-only product text still matches
(query.Hint).
"""

from __future__ import annotations

from catalog.vocabulary import COLOUR_MEANING, METAL_GROUPS, PURITY_WORDS
from catalog.vocabulary import SHOPPER_CATEGORIES as CATEGORIES
from catalog.vocabulary import SHOPPER_COLOURS as COLOURS
from catalog.vocabulary import SHOPPER_GEMSTONES as GEMSTONES
from catalog.vocabulary import SHOPPER_METALS as METALS

__all__ = [
    "CATEGORIES",
    "COLOURS",
    "COLOUR_MEANING",
    "GEMSTONES",
    "METALS",
    "METAL_GROUPS",
    "PURITY_WORDS",
]
