"""Template context for the header's cart link."""

from django.utils.functional import SimpleLazyObject

from .selectors import cart_item_count


def cart(request) -> dict:
    # Lazy: a page that never shows the count (admin, API, errors) pays no query for it.
    return {
        "cart_item_count": SimpleLazyObject(
            lambda: cart_item_count(
                user=getattr(request, "user", None), session=getattr(request, "session", None)
            )
        )
    }
