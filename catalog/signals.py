"""What the catalog announces. The apps above listen (ai re-embeds for search); the catalog never
calls them.

products_changed(product_ids)
    Products' text changed in bulk (an import): they are already marked search_index_dirty
    (services.products_mark_search_dirty), so the periodic sweep re-embeds them whatever
    happens; the announcement asks for it soon. Sent when the import is done (it has
    committed its rows), at once: the re-index job ai starts is a row of the caller's
    transaction when there is one, and only its message to the broker waits for the commit
    (as before, when the importer called ai). A receiver's failure is logged, never raised:
    the import stands and the flag keeps the work.
product_viewed(product_id, user, session_key, language)
    A shopper opened a product's page. `user` is None for a guest (the session key says
    who). Sent at once (shop.events.send_logged): a page view writes nothing to wait for,
    and a receiver's failure never fails the page.
"""

from collections.abc import Iterable

from django.dispatch import Signal

from shop.events import send_logged

from .models import Product

products_changed = Signal()
product_viewed = Signal()


def announce_products_changed(*, product_ids: Iterable[int]) -> None:
    send_logged(products_changed, sender=Product, product_ids=list(product_ids))


def announce_product_viewed(
    *, product_id: int, user=None, session_key: str = "", language: str = ""
) -> None:
    send_logged(
        product_viewed,
        sender=Product,
        product_id=product_id,
        user=user if user is not None and user.is_authenticated else None,
        session_key=session_key or "",
        language=language or "",
    )
