"""The text of a product that gets embedded, per language.

This reads catalog.models directly, read-only (allowed for this builder: it needs the raw
translation rows of several models at once, which no catalog selector returns). A product
gets a text in every language it has its own translation in, and always one in the default
language (LANGUAGE_CODE), built from its default-language text or, when it has none, from
the first translation it has: searches in any language also look at that row (see
ai.index.base.search_languages).

The text: name, category, metals and purities, gemstones, and the start of the description
(HTML stripped). Names of categories, materials and gemstones are taken in the same
language, falling back to the default language.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.html import strip_tags

from catalog.models import Product, ProductGemstone, ProductVariant, Purity

# Long descriptions would drown the name: the encoders average over all tokens.
DESCRIPTION_CHARS = 600
_SPACES = re.compile(r"\s+")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: str) -> str:
    return _SPACES.sub(" ", html.unescape(strip_tags(value or ""))).strip()


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut or text[:limit]


def _by_language(obj) -> dict[str, object]:
    return {row.language_code: row for row in obj.translations.all()}


def _name(obj, language: str) -> str:
    """A category, material or gemstone name in `language`, else the default, else any."""
    if obj is None:
        return ""
    rows = _by_language(obj)
    row = rows.get(language) or rows.get(settings.LANGUAGE_CODE)
    if row is None and rows:
        row = next(iter(rows.values()))
    return _plain(getattr(row, "name", "") or "")


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def _products(product_ids: list[int]):
    return (
        Product.objects.filter(pk__in=product_ids)
        .select_related("category")
        .prefetch_related(
            "translations",
            "category__translations",
            "materials__translations",
            Prefetch(
                "variants",
                queryset=ProductVariant.objects.select_related("metal").prefetch_related(
                    "metal__translations"
                ),
            ),
            Prefetch(
                "gemstones",
                queryset=ProductGemstone.objects.select_related("gemstone_type").prefetch_related(
                    "gemstone_type__translations"
                ),
            ),
        )
        .order_by("pk")
    )


def _compose(product, translation_row, language: str) -> str:
    variants = list(product.variants.all())
    metals = _unique(
        [_name(material, language) for material in product.materials.all()]
        + [_name(variant.metal, language) for variant in variants if variant.metal_id]
    )
    with translation.override(language):
        purities = _unique(
            str(Purity(variant.purity).label)
            for variant in variants
            if variant.purity in Purity.values
        )
    gemstones = _unique(_name(gem.gemstone_type, language) for gem in product.gemstones.all())
    parts = [
        _plain(translation_row.name),
        _name(product.category, language),
        ", ".join(metals + purities),
        ", ".join(gemstones),
        _shorten(_plain(translation_row.description), DESCRIPTION_CHARS),
    ]
    return ". ".join(part for part in parts if part)


def product_texts(
    product_ids: Iterable[int], *, languages: Iterable[str] | None = None
) -> dict[int, dict[str, str]]:
    """{product_id: {language: text}} for these products (missing ids are left out).

    `languages` limits the result to those languages (None: every configured language).
    A product without any name gets no text.
    """
    configured = [code for code, _name in settings.LANGUAGES]
    wanted = set(configured if languages is None else languages)
    default = settings.LANGUAGE_CODE
    texts: dict[int, dict[str, str]] = {}
    for product in _products(list(product_ids)):
        rows = {code: row for code, row in _by_language(product).items() if row.name}
        if not rows:
            continue
        fallback = rows.get(default) or rows[min(rows)]
        per_language: dict[str, str] = {}
        for code in configured:
            if code not in wanted:
                continue
            row = rows.get(code) or (fallback if code == default else None)
            if row is not None:
                per_language[code] = _compose(product, row, code)
        texts[product.pk] = per_language
    return texts
