"""Writes of interaction events: one event as it happens (`interaction_record`, called by ai's
receivers of the domain signals: product viewed, bag add, wishlist add, purchase, rating) and
the nightly deletion of guests' old events.

Moved from customers.services in issue 13 (step 4); `interaction_record` kept its name.
"""

from __future__ import annotations

import logging
import math
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .models import InteractionEvent

logger = logging.getLogger(__name__)


def interaction_record(
    *,
    kind: str,
    product_id: int,
    user=None,
    session_key: str = "",
    value: float = 1.0,
    country: str = "",
    language: str = "",
) -> None:
    """Records what a shopper did with a product: exactly one INSERT, never a read.

    Analytics must never fail a page: a database error is logged and swallowed. Inside a
    transaction the INSERT runs in a savepoint, so a failure cannot break the caller's
    transaction either (and a rolled-back purchase is not recorded). An unknown kind is a
    programming error and raises ValueError.
    """
    if kind not in InteractionEvent.Kind.values:
        raise ValueError(f"Unknown interaction kind {kind!r}")
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None  # AnonymousUser: the session key identifies the guest
    try:
        value = float(value)
    except (TypeError, ValueError):
        value = 1.0
    if not math.isfinite(value):
        value = 1.0
    # No full_clean(): validating the foreign keys would cost a query each.
    event = InteractionEvent(
        kind=kind,
        product_id=product_id,
        user=user,
        session_key=(session_key or "")[:40],
        value=value,
        country=(country or "")[:2].upper(),
        language=(language or "")[:10],
    )
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                event.save(force_insert=True)
        else:
            event.save(force_insert=True)
    except (DatabaseError, ValueError, OverflowError):
        logger.exception("Could not record the %s event for product %s", kind, product_id)


def anonymous_events_delete(*, now=None) -> int:
    """Deletes guests' interaction events older than SHOP_ANONYMOUS_EVENT_RETENTION_DAYS
    (0: never); customers' own history is kept: it is theirs, and their recommendations.
    Returns how many went."""
    retention_days = getattr(settings, "SHOP_ANONYMOUS_EVENT_RETENTION_DAYS", 90)
    if retention_days <= 0:
        return 0
    now = now or timezone.now()
    deleted, _rows = InteractionEvent.objects.filter(
        user__isnull=True, created_at__lt=now - timedelta(days=retention_days)
    ).delete()
    return deleted
