"""Reads of interaction events, for the recommender (ai.recommend: training reads every event,
serving a shopper's latest ones); one query each.

Moved from customers.selectors in issue 13 (step 4).
"""

from __future__ import annotations

from .models import InteractionEvent


def interaction_rows(*, since=None, kinds=None, batch_size: int = 5000):
    """Every interaction event as (user id, session key, product id, kind, value, country,
    language), oldest first, streamed in chunks (one query, however many rows)."""
    queryset = InteractionEvent.objects.all()
    if since is not None:
        queryset = queryset.filter(created_at__gte=since)
    if kinds is not None:
        queryset = queryset.filter(kind__in=list(kinds))
    return (
        queryset.order_by("pk")
        .values_list("user_id", "session_key", "product_id", "kind", "value", "country", "language")
        .iterator(chunk_size=batch_size)
    )


def recent_interactions(*, user=None, session_key: str = "", limit: int = 50) -> list[tuple]:
    """The shopper's latest events, newest first, as (product id, kind, country, created_at):
    a signed-in user's own, else the guest session's (one indexed query; [] for neither)."""
    if user is not None and getattr(user, "is_authenticated", False):
        queryset = InteractionEvent.objects.filter(user=user)
    elif session_key:
        queryset = InteractionEvent.objects.filter(session_key=session_key[:40])
    else:
        return []
    return list(
        queryset.order_by("-created_at", "-pk").values_list(
            "product_id", "kind", "country", "created_at"
        )[:limit]
    )


def purchased_product_ids(*, user=None, session_key: str = "") -> set[int]:
    """Products the shopper bought (signed in: ever; guest: in this session). One query."""
    if user is not None and getattr(user, "is_authenticated", False):
        queryset = InteractionEvent.objects.filter(user=user)
    elif session_key:
        queryset = InteractionEvent.objects.filter(session_key=session_key[:40])
    else:
        return set()
    return set(
        queryset.filter(kind=InteractionEvent.Kind.PURCHASE).values_list("product_id", flat=True)
    )
