"""Interaction events (cart adds, purchases) for the recommender, recorded after commit.

They are analytics: recording one must never undo or fail a cart change or an order, so they
are written once the transaction has committed (shop.events.after_commit, which logs a
failure and never raises it).
"""

from shop.events import after_commit


def _record(**event) -> None:
    from customers.services import interaction_record

    interaction_record(**event)


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
    after_commit(_record, **event)
