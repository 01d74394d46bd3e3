"""Rosetta (the translators' UI strings editor), within what translators may do.

- Translators edit the project's catalogues only: Rosetta also lists Django's and third-party
  apps' catalogues (files inside the installed packages, shared by every site on the machine and
  lost on the next upgrade); those are for superusers.
- A translation that adds markup its source string does not have (`<script>`, `<img onerror>`) is
  saved as fuzzy, so it is never compiled and the page shows the source string instead (see
  shop/translation_markup.py; pages escape translations in any case).
"""

from __future__ import annotations

import logging
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, re_path

from .translation_markup import foreign_markup

logger = logging.getLogger(__name__)

PROJECT_FILTER = "project"


def _project_catalogues_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        po_filter = kwargs.get("po_filter", PROJECT_FILTER)
        if po_filter != PROJECT_FILTER and not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def rosetta_urlpatterns() -> list[URLPattern]:
    """Rosetta's URLs, each refusing other catalogues than the project's to non-superusers."""
    from rosetta import urls

    return [
        re_path(
            pattern.pattern.regex.pattern,
            _project_catalogues_only(pattern.callback),
            name=pattern.name,
        )
        for pattern in urls.urlpatterns
    ]


def entry_markup_problems(entry) -> list[str]:
    """The tags a catalogue entry's translations add to its source strings."""
    if entry.msgid_plural:
        source = entry.msgid + entry.msgid_plural
        texts = entry.msgstr_plural.values()
        return [tag for text in texts for tag in foreign_markup(source, text)]
    return foreign_markup(entry.msgid, entry.msgstr)


def flag_translation_with_foreign_markup(sender, user=None, language_code=None, **kwargs) -> None:
    """rosetta.signals.entry_changed (sent before the file is saved and compiled): an entry whose
    translation adds markup is marked fuzzy, so it stays out of the compiled catalogue."""
    problems = entry_markup_problems(sender)
    if not problems:
        return
    if "fuzzy" not in sender.flags:
        sender.flags.append("fuzzy")
    logger.warning(
        "Translation of %r (%s) by %s adds markup %s: saved as fuzzy, not used.",
        sender.msgid[:80],
        language_code,
        getattr(user, "email", user),
        problems,
    )
