"""Translated UI strings are text a translator typed in Rosetta: untrusted, like any other.

Django trusts them: `{% translate "literal" %}` and `{% blocktranslate %}` put the translation
into the page unescaped (the source string is the developer's, so its translation is assumed to
be markup too), and `format_html(_("..."))` would do the same in Python. A translator could
then put `<script>` or `" onfocus="...` on every page.

Two guards, both built on one rule: a translation may carry only the markup its source string
carries (the same tags, verbatim); everything else in it is text.

- When pages are rendered: the project's `{% translate %}` and `{% blocktranslate %}`
  (shop/templatetags/i18n_escaped.py, installed as the `i18n` library) escape a translation's
  text and any tag its source string does not have (`escape_translation`).
- When translations are saved: Rosetta marks an entry whose translation adds markup as fuzzy
  (shop/rosetta.py), and `compile_translations` leaves such entries out of the .mo files, so
  they fall back to the source string everywhere, also in Python code and JSON.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A tag (or comment, doctype, processing instruction): "<" and a letter, "/", "!" or "?".
# An unclosed one at the end of the string counts too: the browser would close it later.
_TAG = re.compile(r"<[a-zA-Z/!?][^<>]*(?:>|$)")
# A character reference: harmless text (it cannot open a tag or close an attribute).
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_MARKUP = re.compile(f"{_TAG.pattern}|{_ENTITY.pattern}")
# Nothing to escape in most translations: they are returned as they are.
_SPECIAL = re.compile(r"[<>&\"']")


def tags_of(text: str) -> list[str]:
    return _TAG.findall(text or "")


def foreign_markup(source: str, translation: str) -> list[str]:
    """The tags of a translation that its source string does not have (empty when it is fine)."""
    allowed = set(tags_of(source))
    return [tag for tag in tags_of(translation) if tag not in allowed]


def escape_translation(source: str, translation: str) -> SafeString:
    """The translation for an HTML page: text escaped, the source's own tags and character
    references kept as they are, any other tag escaped (so it shows as text)."""
    if not _SPECIAL.search(translation):
        return mark_safe(translation)  # noqa: S308 - no character HTML would read as markup
    allowed = set(tags_of(source))
    out = []
    position = 0
    for match in _MARKUP.finditer(translation):
        out.append(escape(translation[position : match.start()]))
        token = match.group()
        out.append(token if token.startswith("&") or token in allowed else escape(token))
        position = match.end()
    out.append(escape(translation[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped or the source's own
