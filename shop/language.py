"""The language a page, API response or e-mail is written in: one of settings.LANGUAGES.

One rule everywhere: a language code is normalised to the configured language it stands for
(Django's get_supported_language_variant: "fr-CA" -> "fr", "zh-Hans" -> "zh-hans"), and anything
that is not one (no code at all, or a language the shop does not speak) falls back to
settings.LANGUAGE_CODE, which is also parler's default (PARLER_DEFAULT_LANGUAGE_CODE), so texts
are read in a language they are always written in.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def content_language(code: str | None = None) -> str:
    """`code` (the active language when None) as a configured language, else LANGUAGE_CODE."""
    code = code or translation.get_language()
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


def request_language(request) -> str:
    """The language LocaleMiddleware chose for the request (URL prefix, cookie, Accept-Language),
    else the active one, as a configured language."""
    return content_language(getattr(request, "LANGUAGE_CODE", None) or translation.get_language())
