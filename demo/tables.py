"""The demo store's data tables, loaded from the data files in demo/data/ (JSON, UTF-8):

- `catalog.json`: categories (slug, parent, names and descriptions in `LANGS` order), the leaf
  categories (share of the catalog, product type, SKU prefix), the weighted choices of gems,
  metals and cuts, and the designs (what a product is, per leaf category; the fields of `Design`
  below, defaults left out; `gems` and `metals` name a table of `weights` or give their own);
- `sentences.json`: the description sentences per language (style per leaf, occasion, care);
- `store.json`: collections, birthstones, exchange rates (decimal strings), demo customers
  (first name, last name, e-mail local part) and their e-mail domains.

Lists read from the files become tuples, as the tables were written in code (the plan and its
random draws depend on their order, never on their type). The vocabulary they use (metals, gems,
cuts) is catalog's (catalog/vocabulary.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

DEFAULT_PRODUCTS = 540
DEFAULT_SEED = 42
IMAGE_SIZE = 640
MERCHANT_EMAIL = "merchant@example.com"

DATA_DIR = Path(__file__).resolve().parent / "data"


def _tuples(value: Any) -> Any:
    """JSON lists as tuples, at every depth (dict values included)."""
    if isinstance(value, list):
        return tuple(_tuples(item) for item in value)
    if isinstance(value, dict):
        return {key: _tuples(item) for key, item in value.items()}
    return value


def _load(name: str) -> dict[str, Any]:
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return _tuples(json.load(handle))


_CATALOG = _load("catalog")
_SENTENCES = _load("sentences")
_STORE = _load("store")

# =============================================================================================
# Taxonomy
# =============================================================================================

# slug, parent slug, names (en, zh-hans, fr, de, es, ja, ar), descriptions (same order)
CATEGORIES: tuple[tuple[str, str | None, tuple[str, ...], tuple[str, ...]], ...] = _CATALOG[
    "categories"
]
# Share of the catalog per leaf category (normalised), and its product type and SKU prefix.
LEAVES: dict[str, tuple[int, str, str]] = _CATALOG["leaves"]
RING_LEAVES: tuple[str, ...] = _CATALOG["ring_leaves"]

# =============================================================================================
# Designs: what a product is, per leaf category
# =============================================================================================

# Stones a sterling silver piece is set with (keeps prices and pairings believable).
SILVER_GEMS: tuple[str, ...] = _CATALOG["silver_gems"]
CUT_WEIGHTS: dict[str, int] = _CATALOG["cut_weights"]
# Weighted choices a design names (gems=..., metals=...): relative weights, in draw order.
WEIGHTS: dict[str, dict[str, int]] = _CATALOG["weights"]
FINE_METALS = WEIGHTS["FINE_METALS"]


@dataclass(frozen=True)
class Design:
    key: str
    leaf: str
    names: tuple[str, ...]  # noun phrase, LANGS order
    en_desc: str  # "halo engagement ring" as used in an English sentence
    ar_gender: str  # m / f / pl: agreement of the Arabic adjective after the noun
    draw: tuple[str, str]  # category slug and style for catalog.drawing
    base: int  # USD for the metal work in 14K gold
    layout: str = "single"  # single / pair / line / none
    gems: dict[str, int] | None = None
    gem_optional: float = 0.0  # chance of a piece without stone
    carat: tuple[float, float] = (0.5, 1.5)  # per stone (single, pair) or total (line)
    count: tuple[int, int] = (1, 1)  # stones in a line
    accent: bool = False  # pavé or halo diamonds besides the main stones
    accent_kind: str = "pave"  # "pave" (halo, shoulders) or "sides" (two side diamonds)
    cuts: tuple[str, ...] | None = None
    metals: dict[str, int] = field(default_factory=lambda: FINE_METALS)
    weight: float = 3.0  # grams in 14K gold
    weight_in_choice: int = 10


def _design(row: dict[str, Any]) -> Design:
    fields = dict(row)
    for name in ("gems", "metals"):
        if isinstance(fields.get(name), str):
            fields[name] = WEIGHTS[fields[name]]
    return Design(**fields)


DESIGNS: tuple[Design, ...] = tuple(_design(row) for row in _CATALOG["designs"])

# =============================================================================================
# Sentences
# =============================================================================================

# One sentence about the design, per leaf, in LANGS order.
STYLE_SENTENCES: dict[str, tuple[str, ...]] = _SENTENCES["style"]
# Used instead of the style sentence for some products, so descriptions do not all read alike.
OCCASION_SENTENCES: tuple[tuple[str, ...], ...] = _SENTENCES["occasion"]
CARE_SENTENCES: dict[str, tuple[str, ...]] = _SENTENCES["care"]

# =============================================================================================
# Collections, exchange rates, customers
# =============================================================================================

COLLECTIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = _STORE["collections"]
BIRTHSTONES: tuple[str, ...] = _STORE["birthstones"]
EXCHANGE_RATES: dict[str, Decimal] = {
    currency: Decimal(rate) for currency, rate in _STORE["exchange_rates"].items()
}
# first name, last name, e-mail local part (ASCII), e-mail domain
CUSTOMERS: tuple[tuple[str, str, str], ...] = _STORE["customers"]
EMAIL_DOMAINS: tuple[str, ...] = _STORE["email_domains"]
