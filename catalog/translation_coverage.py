"""The catalog's columns of the translation coverage report (shop.translation_coverage).

Products, categories and collections count the objects that have a name in that language.
Variant option names and values count once per distinct text the catalog uses
(catalog.option_labels): done when a label is stored in that language or the jewellery
vocabulary composes one; the rest is what translators still see in English. Registered in
CatalogConfig.ready; `translation_coverage` is re-exported for the command and the admin page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from shop.translation_coverage import (
    Coverage,
    coverage_column_register,
    parler_coverage,
    translation_coverage,
)

from .models import Category, Collection, Product
from .option_labels import NAME, VALUE, catalog_option_sources, is_translated, stored_labels

__all__ = ["Coverage", "option_missing", "register_coverage_columns", "translation_coverage"]


def _option_coverage(kind: str) -> Callable[[str], Coverage]:
    def count(language: str) -> Coverage:
        sources = catalog_option_sources()[kind]
        stored = stored_labels(language)
        done = sum(1 for source in sources if is_translated(kind, source, language, stored))
        return Coverage(done, len(sources))

    return count


def option_missing(language: str) -> dict[str, list[str]]:
    """The option names and values shoppers in `language` still read in the source text."""
    stored = stored_labels(language)
    return {
        kind: sorted(s for s in sources if not is_translated(kind, s, language, stored))
        for kind, sources in catalog_option_sources().items()
    }


def register_coverage_columns() -> None:
    for order, key, label, count in (
        (10, "products", _("Products"), parler_coverage(Product)),
        (20, "categories", _("Categories"), parler_coverage(Category)),
        (30, "collections", _("Collections"), parler_coverage(Collection)),
        (40, "option_names", _("Option names"), _option_coverage(NAME)),
        (50, "option_values", _("Option values"), _option_coverage(VALUE)),
    ):
        coverage_column_register(key=key, label=label, count=count, order=order)
