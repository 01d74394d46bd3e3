"""What the catalog announces. The apps above listen (ai re-embeds for search); the catalog never
calls them.

products_changed(product_ids)
    Products' text changed in bulk (an import): they are already marked search_index_dirty
    (services.products_mark_search_dirty), so the periodic sweep re-embeds them whatever
    happens; the announcement asks for it soon. Sent on commit (shop.events.send_on_commit).
"""

from collections.abc import Iterable

from django.dispatch import Signal

from shop.events import send_on_commit

from .models import Product

products_changed = Signal()


def announce_products_changed(*, product_ids: Iterable[int]) -> None:
    send_on_commit(products_changed, sender=Product, product_ids=list(product_ids))
