"""Checks of values taken from URLs and query strings before they reach the database."""

from __future__ import annotations

import re

_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,255}$")


def is_slug(value: str) -> bool:
    """Whether a URL handle or slug is well-formed. Anything else cannot name a row, so callers
    answer 404 without a query (and a NUL byte never reaches PostgreSQL, where it would fail)."""
    return bool(_SLUG.match(value))
