"""The HTTP session's side of the bag, for the views and the API.

A guest's cart id lives in the session data (orders.selectors.CART_SESSION_KEY), and a new
guest cart stores the session's key. The cart service takes those plain values, never the
session (services do not take request or session objects); this module reads them from the
session and remembers a new cart's id there.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import Cart
from .selectors import CART_SESSION_KEY, guest_cart_id
from .services import cart_get_or_create


def cart_for_request(request: HttpRequest) -> Cart:
    """The shopper's cart, created on first use; a guest's is remembered in the session.

    A guest without a session gets one (saved now, for its key), so the cart survives to the
    next request.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return cart_get_or_create(user=user)
    session = request.session
    cart_id = guest_cart_id(session)
    if cart_id is None and session.session_key is None:
        session.save()
    cart = cart_get_or_create(guest_cart_id=cart_id, session_key=session.session_key)
    if cart.pk != cart_id:
        session[CART_SESSION_KEY] = cart.pk
    return cart
