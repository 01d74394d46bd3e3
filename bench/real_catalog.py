"""The real English-only jewelry catalog of `bench/search_languages.py`: which retail rows are
jewelry, what category each gets, and the products' words the judged queries are judged by.

Two real sources, both English only and never copied into the repository:

- the Shopify sample file (`../shared/data/shopify-jewelry-csv/jewelery.csv`, 20 products),
  imported as it is;
- the jewelry of a real UK gift retailer (`../shared/data/online-retail/online_retail.csv`,
  the "Online Retail" data set): every distinct Description naming a jewelry type (necklace,
  earrings, bracelet, bangle, ring, brooch, pendant, hair clip/slide/comb/band...), minus the
  rows that only share the word (key rings, napkin rings, bag and phone charms, pens in gift
  boxes, displays). Each becomes one product: the title in title case, the Shopify Type from
  the jewelry type, the price the median positive UnitPrice. Nothing else is invented: no
  description, no tags, no translation.
"""

from __future__ import annotations

import csv
import os
import re
import statistics
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify

# ../shared/data next to the checkout (a worktree may sit deeper), or BENCH_DATA_DIR.
DATA = Path(
    os.environ.get("BENCH_DATA_DIR")
    or next(
        (
            parent / "shared" / "data"
            for parent in Path(__file__).resolve().parents
            if (parent / "shared" / "data").is_dir()
        ),
        Path("../shared/data"),
    )
)
SHOPIFY_CSV = DATA / "shopify-jewelry-csv" / "jewelery.csv"
RETAIL_CSV = DATA / "online-retail" / "online_retail.csv"

# Jewelry type words in the retailer's descriptions -> the Shopify Type the product gets. The
# first type named wins in this order, so "NECKLACE+BRACELET SET" is a necklace and
# "MOP PENDANT SHELL NECKLACE" too.
TYPES: tuple[tuple[str, re.Pattern], ...] = (
    ("Earrings", re.compile(r"\bEARRINGS?\b")),
    ("Necklace", re.compile(r"\b(NECKLACES?|CHOKER|NECKLACE\+)")),
    ("Bracelet", re.compile(r"\b(BRACELETS?|BANGLES?)\b")),
    ("Brooch", re.compile(r"\bBROOCH(ES)?\b")),
    ("Ring", re.compile(r"\bRINGS?\b")),
    ("Pendant", re.compile(r"\bPENDANT\b")),
    (
        "Hair accessory",
        re.compile(
            r"\b(HAIR ?(CLIPS?|SLIDES?|COMBS?|BANDS?|GRIPS?)|HAIRCLIPS?|HAIRSLIDES?|TIARA)\b"
        ),
    ),
)
# Rows that name a jewelry word but are not jewelry.
NOT_JEWELRY = re.compile(
    r"KEY ?RING|KEYRING|NAPKIN|RING OF ROSES|BAG CHARM|PHONE CHARM|\bPEN\b|DISPLAY|\bSTAND\b|"
    r"\bPURSE\b|\bCARD\b|BUBBLE GUM|MIRROR|\bBOX\b|HOLDER|CURTAIN"
)


@dataclass(frozen=True)
class Item:
    handle: str
    title: str
    product_type: str
    price: Decimal
    text: str  # upper-case words the judgements read: title (+ body, tags for Shopify rows)


def _title(description: str) -> str:
    words = description.strip().lower().split()
    return " ".join(word[:1].upper() + word[1:] for word in words)


def retail_items(path: Path = RETAIL_CSV) -> list[Item]:
    prices: dict[str, list[float]] = {}
    codes: dict[str, str] = {}
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle):
            description = " ".join((row["Description"] or "").split()).upper()
            if not description or NOT_JEWELRY.search(description):
                continue
            try:
                price = float(row["UnitPrice"])
            except ValueError:
                continue
            if price <= 0:
                continue
            prices.setdefault(description, []).append(price)
            codes.setdefault(description, row["StockCode"])
    items = []
    for description in sorted(prices):
        product_type = next((name for name, rx in TYPES if rx.search(description)), None)
        if product_type is None:
            continue
        price = Decimal(str(statistics.median(prices[description]))).quantize(Decimal("0.01"))
        handle = f"{slugify(description)[:60].strip('-')}-{slugify(codes[description])}"
        items.append(Item(handle, _title(description), product_type, price, description))
    return items


def shopify_items(path: Path = SHOPIFY_CSV) -> list[Item]:
    items = []
    seen = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Handle"] in seen or not row["Title"]:
                continue
            seen.add(row["Handle"])
            text = " ".join([row["Title"], row["Body (HTML)"], row["Tags"]]).upper()
            items.append(
                Item(row["Handle"], row["Title"], row["Type"], Decimal(row["Variant Price"]), text)
            )
    return items


def write_shopify_csv(items: list[Item], path: Path) -> None:
    """The retail items as a Shopify product CSV, so they enter through the store's importer."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Handle", "Title", "Body (HTML)", "Type", "Published", "Variant Price"])
        for item in items:
            writer.writerow([item.handle, item.title, "", item.product_type, "true", item.price])
