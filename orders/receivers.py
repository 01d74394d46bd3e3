"""What orders listens to: sign-ins (the guest's bag follows).

Exchange-rate changes (the rates' cache) are the kernel's since the model moved there
(shop/apps.py, shop.money.exchange_rate_changed).
"""

import logging

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import Cart
from .selectors import CART_SESSION_KEY, guest_cart_id

logger = logging.getLogger(__name__)


@receiver(user_logged_in)
def merge_guest_cart(sender, request, user, **kwargs) -> None:
    """A guest's bag follows them when they sign in (the session data survives the new key)."""
    session = getattr(request, "session", None)
    cart_id = guest_cart_id(session)
    if cart_id is None:
        return
    session.pop(CART_SESSION_KEY, None)
    try:
        from .services import cart_merge

        guest_cart = Cart.objects.filter(pk=cart_id, user__isnull=True).first()
        if guest_cart is None:
            return
        notes = cart_merge(source=guest_cart, user=user)
    except Exception:
        # Signing in matters more than the bag: never let a merge problem block it.
        logger.exception("Could not merge guest cart %s into user %s", cart_id, user.pk)
        return
    for note in notes:
        messages.warning(request, note, fail_silently=True)
