"""How much of the store is translated, per language: the UI strings and the catalog content.

Read by the `translation_coverage` command and the admin's coverage page. UI coverage comes
from the gettext catalogues (locale/<lang>/LC_MESSAGES/django.po); catalog coverage counts
the products, categories and collections that have a name in that language (django-parler
keeps one translation row per object and language). Variant option names and values count
once per distinct text the catalog uses (catalog.option_labels): done when a label is stored in
that language or the jewellery vocabulary composes one; the rest is what translators still
see in English. Store pages (by title) and FAQ entries (by question) count like products.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings
from django.db.models import Model
from django.utils.translation import to_locale

from content.models import FaqEntry, StorePage

from .models import Category, Collection, Product
from .option_labels import NAME, VALUE, catalog_option_sources, is_translated, stored_labels


@dataclass(frozen=True)
class Coverage:
    done: int
    total: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.done / self.total, 1) if self.total else 100.0


@dataclass(frozen=True)
class LanguageCoverage:
    code: str
    name: str
    ui: Coverage
    products: Coverage
    categories: Coverage
    collections: Coverage
    option_names: Coverage
    option_values: Coverage
    pages: Coverage
    faq: Coverage


def _catalogue_path(language: str) -> Path | None:
    for locale_dir in settings.LOCALE_PATHS:
        path = Path(locale_dir) / to_locale(language) / "LC_MESSAGES" / "django.po"
        if path.exists():
            return path
    return None


def ui_coverage(language: str) -> Coverage:
    """Translated (non-fuzzy) messages of the UI catalogue; the source language is complete."""
    if language == settings.LANGUAGE_CODE:
        return Coverage(1, 1)
    path = _catalogue_path(language)
    if path is None:
        return Coverage(0, 0)
    catalogue = polib.pofile(str(path))
    entries = [entry for entry in catalogue if not entry.obsolete]
    return Coverage(len(catalogue.translated_entries()), len(entries))


def _content_coverage(model: type[Model], language: str, field: str = "name") -> Coverage:
    total = model.objects.count()
    done = (
        model._parler_meta.root_model.objects.filter(language_code=language)
        .exclude(**{field: ""})
        .values("master_id")
        .distinct()
        .count()
    )
    return Coverage(done, total)


def _option_coverage(sources: set[str], kind: str, language: str, stored) -> Coverage:
    done = sum(1 for source in sources if is_translated(kind, source, language, stored))
    return Coverage(done, len(sources))


def option_missing(language: str) -> dict[str, list[str]]:
    """The option names and values shoppers in `language` still read in the source text."""
    stored = stored_labels(language)
    return {
        kind: sorted(s for s in sources if not is_translated(kind, s, language, stored))
        for kind, sources in catalog_option_sources().items()
    }


def translation_coverage() -> list[LanguageCoverage]:
    """One row per configured language, the default language first."""
    options = catalog_option_sources()
    rows = []
    for code, name in settings.LANGUAGES:
        stored = stored_labels(code)
        rows.append(
            LanguageCoverage(
                code=code,
                name=str(name),
                ui=ui_coverage(code),
                products=_content_coverage(Product, code),
                categories=_content_coverage(Category, code),
                collections=_content_coverage(Collection, code),
                option_names=_option_coverage(options[NAME], NAME, code, stored),
                option_values=_option_coverage(options[VALUE], VALUE, code, stored),
                pages=_content_coverage(StorePage, code, "title"),
                faq=_content_coverage(FaqEntry, code, "question"),
            )
        )
    return rows
