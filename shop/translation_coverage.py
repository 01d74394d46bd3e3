"""How much of the store is translated, per language: the UI strings and each app's content.

Read by the `translation_coverage` command and the admin's coverage page. UI coverage comes
from the gettext catalogues (locale/<lang>/LC_MESSAGES/django.po). Content coverage is a set
of columns that the apps holding translatable content register in their AppConfig.ready
(catalog: products, categories, collections, option names and values; content: store pages
and FAQ entries), so the kernel imports no app and a new app adds its own column:

    coverage_column_register(
        key="pages", label=_("Store pages"), count=parler_coverage(StorePage, "title"), order=70
    )

`parler_coverage(model, field)` counts the objects that have a non-empty `field` in that
language (django-parler keeps one translation row per object and language).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings
from django.db.models import Model
from django.utils.translation import to_locale


@dataclass(frozen=True)
class Coverage:
    done: int
    total: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.done / self.total, 1) if self.total else 100.0


@dataclass(frozen=True)
class CoverageColumn:
    key: str
    label: str  # a lazy translation: the column's heading
    count: Callable[[str], Coverage]
    order: int = 100


_columns: dict[str, CoverageColumn] = {}


def coverage_column_register(
    *, key: str, label, count: Callable[[str], Coverage], order: int = 100
) -> None:
    """Adds (or replaces, on a second ready()) the column `key` to the coverage report."""
    _columns[key] = CoverageColumn(key=key, label=label, count=count, order=order)


def coverage_columns() -> list[CoverageColumn]:
    return sorted(_columns.values(), key=lambda column: (column.order, column.key))


def parler_coverage(model: type[Model], field: str = "name") -> Callable[[str], Coverage]:
    """A column counter: objects of `model` with a non-empty `field` in the language."""

    def count(language: str) -> Coverage:
        total = model.objects.count()
        done = (
            model._parler_meta.root_model.objects.filter(language_code=language)
            .exclude(**{field: ""})
            .values("master_id")
            .distinct()
            .count()
        )
        return Coverage(done, total)

    return count


@dataclass(frozen=True)
class LanguageCoverage:
    code: str
    name: str
    ui: Coverage
    content: dict[str, Coverage]  # column key -> coverage, in the columns' order

    def __getattr__(self, key: str) -> Coverage:
        # row.products, row.pages...: a registered column by its key.
        content = self.__dict__.get("content") or {}
        if key in content:
            return content[key]
        raise AttributeError(key)

    @property
    def cells(self) -> list[Coverage]:
        return [self.ui, *self.content.values()]


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


def translation_coverage() -> list[LanguageCoverage]:
    """One row per configured language, the default language first."""
    columns = coverage_columns()
    return [
        LanguageCoverage(
            code=code,
            name=str(name),
            ui=ui_coverage(code),
            content={column.key: column.count(code) for column in columns},
        )
        for code, name in settings.LANGUAGES
    ]
