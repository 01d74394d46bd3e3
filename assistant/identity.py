"""Who may see an order in the chat: its owner only.

A signed-in customer sees their own orders. A guest must give the order number AND the e-mail
it was placed with; both must match. Failed attempts are counted in Django's cache per
conversation/session and per order number, so neither guessing numbers from one session nor
trying e-mails on one number from many sessions gets far. The answer to a failed attempt never
says which of the two was wrong (the dialogue uses one reply for both).
"""

from __future__ import annotations

import hashlib
from enum import Enum

from django.conf import settings
from django.core.cache import cache

from .selectors import order_for_number_and_email


class Check(Enum):
    OK = "ok"
    FAILED = "failed"  # no order with this number and this e-mail (whichever was wrong)
    BLOCKED = "blocked"  # too many failures lately, for this shopper or for this order number


def max_failures() -> int:
    return int(getattr(settings, "ASSISTANT_ORDER_LOOKUP_MAX_FAILURES", 5))


def window_seconds() -> int:
    return int(getattr(settings, "ASSISTANT_ORDER_LOOKUP_WINDOW_SECONDS", 3600))


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:32]
    return f"assistant:order-lookup:{kind}:{digest}"


def normalise_number(number: str) -> str:
    return "".join((number or "").split()).upper()


def _keys(*, who: str, number: str) -> list[str]:
    keys = [_key("who", who)] if who else []
    if number:
        keys.append(_key("number", normalise_number(number)))
    return keys


def is_blocked(*, who: str, number: str = "") -> bool:
    limit = max_failures()
    counts = cache.get_many(_keys(who=who, number=number))
    return any(int(value or 0) >= limit for value in counts.values())


def _record_failure(*, who: str, number: str) -> None:
    for key in _keys(who=who, number=number):
        # add() starts the window; incr() keeps it (locmem, redis and memcached all do).
        cache.add(key, 0, timeout=window_seconds())
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds())


def check_guest_order(*, number: str, email: str, who: str):
    """(Check, order or None) for a guest giving an order number and an e-mail.

    `who` identifies the asker (the session key, else the conversation): failures count
    against it and against the number. When either is over the limit the answer is BLOCKED
    without even looking the order up, so a right guess after the limit tells nothing.
    """
    number = normalise_number(number)
    if is_blocked(who=who, number=number):
        return Check.BLOCKED, None
    order = order_for_number_and_email(number=number, email=email)
    if order is None:
        _record_failure(who=who, number=number)
        return Check.FAILED, None
    return Check.OK, order
