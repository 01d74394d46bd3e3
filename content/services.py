"""Writes of store pages and FAQ entries (the admin writes through its forms; the demo and
later the assistant's "turn this question into an FAQ entry" write through here).

Every text is validated per language before saving; bodies and answers are sanitised by their
RichTextField whatever writes them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from parler.models import TranslatableModel

from .models import FaqEntry, FaqTopic, PageKind, StorePage

DEMO_CONTENT_FILE = Path(__file__).resolve().parent / "demo_content.toml"

PAGE_FIELDS = ("title", "summary", "body")
FAQ_FIELDS = ("question", "answer")


def _set_translations(
    obj: TranslatableModel, texts: dict[str, dict[str, str]], allowed: tuple[str, ...]
) -> None:
    """Puts each language's texts on `obj` and validates them (parler's full_clean does not)."""
    languages = {code for code, _name in settings.LANGUAGES}
    for language, values in texts.items():
        if language not in languages:
            raise ValidationError(f"{language!r} is not one of the shop's languages.")
        unknown = set(values) - set(allowed)
        if unknown:
            raise ValidationError(f"Unknown fields {sorted(unknown)} for {language!r}.")
        obj.set_current_language(language)
        for name, value in values.items():
            setattr(obj, name, (value or "").strip())
        translation = obj._get_translated_model(language, auto_create=True)
        translation.full_clean(exclude=["master"])
    obj.set_current_language(settings.LANGUAGE_CODE)


@transaction.atomic
def store_page_save(
    *,
    slug: str,
    kind: str,
    texts: dict[str, dict[str, str]],
    is_published: bool = True,
    position: int = 0,
) -> StorePage:
    """Creates the page with this slug, or updates it: its fields and the given languages' texts
    (languages not given keep theirs). `texts` is {language: {"title", "summary", "body"}}."""
    page = StorePage.objects.filter(slug=slug).first() or StorePage(slug=slug)
    page.kind = kind
    page.is_published = is_published
    page.position = position
    page.full_clean()
    _set_translations(page, texts, PAGE_FIELDS)
    page.save()
    return page


@transaction.atomic
def faq_entry_save(
    *,
    topic: str,
    texts: dict[str, dict[str, str]],
    page: StorePage | None = None,
    is_published: bool = True,
    position: int = 0,
    entry: FaqEntry | None = None,
) -> FaqEntry:
    """Creates an FAQ entry (or updates `entry`). `texts` is {language: {"question", "answer"}}."""
    entry = entry or FaqEntry()
    entry.topic = topic
    entry.page = page
    entry.is_published = is_published
    entry.position = position
    entry.full_clean()
    _set_translations(entry, texts, FAQ_FIELDS)
    entry.save()
    return entry


def store_page_set_published(*, page: StorePage, is_published: bool) -> StorePage:
    page.is_published = is_published
    page.save(update_fields=["is_published", "updated_at"])
    return page


def faq_entry_set_published(*, entry: FaqEntry, is_published: bool) -> FaqEntry:
    entry.is_published = is_published
    entry.save(update_fields=["is_published"])
    return entry


def read_content_file(path: Path = DEMO_CONTENT_FILE) -> dict[str, Any]:
    """A content file: TOML with `[[pages]]` and `[[faq]]` tables (see demo_content.toml)."""
    with open(path, "rb") as handle:
        return tomllib.load(handle)


@transaction.atomic
def store_content_load(*, data: dict[str, Any]) -> dict[str, int]:
    """Loads pages and FAQ entries from a content file's data (see demo_content.toml).

    Idempotent: pages are matched by slug and updated; an FAQ entry whose English question
    already exists on its topic is updated, not duplicated.
    """
    pages: dict[str, StorePage] = {}
    for position, item in enumerate(data.get("pages", [])):
        if item["kind"] not in PageKind.values:
            raise ValidationError(f"Unknown page kind {item['kind']!r}.")
        pages[item["slug"]] = store_page_save(
            slug=item["slug"],
            kind=item["kind"],
            texts=item["texts"],
            is_published=item.get("published", True),
            position=item.get("position", position),
        )
    entries = 0
    translation_model = FaqEntry._parler_meta.root_model
    for position, item in enumerate(data.get("faq", [])):
        if item["topic"] not in FaqTopic.values:
            raise ValidationError(f"Unknown FAQ topic {item['topic']!r}.")
        english = item["texts"].get(settings.LANGUAGE_CODE, {}).get("question", "")
        existing = translation_model.objects.filter(
            language_code=settings.LANGUAGE_CODE,
            question=english.strip(),
            master__topic=item["topic"],
        ).first()
        faq_entry_save(
            topic=item["topic"],
            texts=item["texts"],
            page=pages.get(item.get("page") or "")
            or StorePage.objects.filter(slug=item.get("page") or "").first(),
            is_published=item.get("published", True),
            position=item.get("position", position),
            entry=existing.master if existing else None,
        )
        entries += 1
    return {"store pages": len(pages), "FAQ entries": entries}
