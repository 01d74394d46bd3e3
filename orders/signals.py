"""What orders announce. The apps above listen (ai records interaction events for the
recommender); orders never call them.

Both are sent once the transaction commits (shop.events.send_on_commit): they feed analytics,
which must never undo or fail a bag change or an order, and must not count a purchase that
was rolled back.

line_added_to_bag(product_id, variant_id, quantity, user, session_key, language)
    A shopper put `quantity` of a variant in their bag. `user` is None for a guest (the
    session key says who); `language` is the one they browse in, or "" when not known.
order_placed(order_id, user, session_key, country, language, lines)
    An order was paid. `lines`: [(product_id, quantity)] in the order's line order;
    `country` the shipping country code.
"""

from __future__ import annotations

from django.dispatch import Signal

from shop.events import send_on_commit

from .models import CartLine, Order

line_added_to_bag = Signal()
order_placed = Signal()


def _shopper(user):
    return user if user is not None and user.is_authenticated else None


def announce_line_added_to_bag(
    *,
    product_id: int,
    variant_id: int,
    quantity: int,
    user=None,
    session_key: str = "",
    language: str = "",
) -> None:
    send_on_commit(
        line_added_to_bag,
        sender=CartLine,
        product_id=product_id,
        variant_id=variant_id,
        quantity=quantity,
        user=_shopper(user),
        session_key=session_key or "",
        language=language or "",
    )


def announce_order_placed(
    *,
    order_id: int,
    lines: list[tuple[int, int]],
    user=None,
    session_key: str = "",
    country: str = "",
    language: str = "",
) -> None:
    send_on_commit(
        order_placed,
        sender=Order,
        order_id=order_id,
        lines=list(lines),
        user=_shopper(user),
        session_key=session_key or "",
        country=country or "",
        language=language or "",
    )
