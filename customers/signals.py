"""What customers announce. The apps above listen (ai records interaction events for the
recommender through the events app); customers never call them.

wishlist_item_added(product_id, user, session_key, country, language)
    A customer put a product on their wishlist (not when it was there already). Sent at once
    (shop.events.send_logged), as when the wishlist recorded the event itself: the add writes
    one row outside any transaction, and a receiver's failure never fails the page.
"""

from django.dispatch import Signal

from shop.events import send_logged

from .models import WishlistItem

wishlist_item_added = Signal()


def announce_wishlist_item_added(
    *, product_id: int, user, session_key: str = "", country: str = "", language: str = ""
) -> None:
    send_logged(
        wishlist_item_added,
        sender=WishlistItem,
        product_id=product_id,
        user=user,
        session_key=session_key or "",
        country=country or "",
        language=language or "",
    )
