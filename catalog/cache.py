"""A catalog version number for caching what listings compute from the whole catalog.

Facet counts and result counts of a listing scan every matching product; they are cached
under a key that includes this version, and any catalog write bumps it (model signals, and
the services that write with queryset.update()), so a cached count is never stale within
one cache. With the default per-process cache another web process may show counts up to
SHOP_LISTING_CACHE_SECONDS old; point CACHE_URL at Redis to share the version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from shop.events import after_commit

VERSION_KEY = "catalog:version"
T = TypeVar("T")


def catalog_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return int(version)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def catalog_changed(**_signal_kwargs) -> None:
    """Invalidates every cached listing figure (also usable as a signal receiver).

    Bumped now and again when the transaction commits: a request that read the old rows
    between the two would otherwise cache them under the new version.
    """
    _bump()
    after_commit(_bump)


def listing_cached(parts: tuple, compute: Callable[[], T]) -> T:
    """compute(), cached for SHOP_LISTING_CACHE_SECONDS under `parts` and the catalog version."""
    seconds = int(getattr(settings, "SHOP_LISTING_CACHE_SECONDS", 300) or 0)
    if seconds <= 0:
        return compute()
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    key = f"catalog:listing:{catalog_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
