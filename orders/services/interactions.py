"""Interaction events (cart adds, purchases) for the recommender, recorded after commit.

They are analytics: recording one must never undo or fail a cart change or an order, so they
are written once the transaction has committed and a failure is only logged.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def _record(**event) -> None:
    try:
        try:
            from customers.services import interaction_record
        except ImportError:  # the customers app may not provide it yet
            interaction_record = None
        if interaction_record is not None:
            interaction_record(**event)
        else:
            from customers.models import InteractionEvent

            InteractionEvent.objects.create(**event)
    except Exception:
        logger.exception("Could not record the interaction event %s", event.get("kind"))


def interaction_record_on_commit(
    *,
    kind: str,
    product_id: int,
    user=None,
    session_key: str = "",
    value: float = 1.0,
    country: str = "",
    language: str = "",
) -> None:
    event = {
        "kind": kind,
        "product_id": product_id,
        "user": user if user is not None and user.is_authenticated else None,
        "session_key": session_key or "",
        "value": float(value),
        "country": (country or "")[:2],
        "language": (language or "")[:10],
    }
    transaction.on_commit(lambda: _record(**event))
