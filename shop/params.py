"""Reading values a visitor typed into a URL or a form field, for views that do not use a form.

One place for the rules, because the obvious Python idioms are wrong for web input:
`str.isdigit()` is true for "²" and "①", which `int()` then refuses (a 500), and `int()` itself
accepts Arabic-Indic and full-width digits ("١٢" -> 12) and numbers of any size, which overflow
the database's integers. Web numbers here are ASCII digits of bounded length, or nothing.
"""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")  # 18 digits: always inside a signed 64-bit integer


def positive_int(value: object, *, default: int | None = None, maximum: int | None = None):
    """`value` as an int >= 1 written in ASCII digits, else `default`; above `maximum`, `maximum`.

    A list (a repeated parameter through `getlist`) or anything not a string gives `default`.
    """
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value.strip()):
        return default
    number = int(value.strip())
    if number < 1:
        return default
    if maximum is not None and number > maximum:
        return maximum
    return number


def page_number(value: object, *, last_page: int | None = None) -> int:
    """A page number from `?page=`: 1 when missing or malformed, capped at the last page."""
    return positive_int(value, default=1, maximum=last_page or 10**6)


def safe_next_url(request: HttpRequest, value: object) -> str:
    """A `next` address that stays on this site (a path or this host's URL), else "".

    Besides refusing other sites (an open redirect), it refuses values that are not addresses
    at all: `redirect("0")` would try to reverse a view named "0" and fail with a 500.
    """
    if not isinstance(value, str) or not value or "\x00" in value:
        return ""
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    if not value.startswith("/") and not value.lower().startswith(("http://", "https://")):
        return ""
    return value
