"""Reads for customer pages and APIs; always scoped to one customer, constant queries per page."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from catalog.models import Product
from catalog.selectors import published_products, with_card_data

from .models import Address, ApiToken, User, WishlistItem

# Larger ids cannot exist and would overflow SQLite's integer binding.
MAX_ID = 2**63 - 1


def preferred_currency_for_user(*, user) -> str:
    """The customer's preferred currency when the shop sells in it, else ""."""
    currency = getattr(user, "preferred_currency", "") or ""
    return currency if currency in settings.SHOP_CURRENCIES else ""


def api_tokens_for_user(*, user: User) -> list[ApiToken]:
    """The user's live API tokens, newest first (expired ones no longer count)."""
    now = timezone.now()
    return list(
        ApiToken.objects.filter(user=user).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )
    )


def addresses_for_user(*, user: User) -> QuerySet[Address]:
    """The customer's address book, default first, then newest."""
    return Address.objects.filter(user=user).order_by("-is_default", "-created_at", "-pk")


def address_for_user(*, user: User, address_id: int) -> Address | None:
    """One of the customer's own addresses; None for anyone else's (callers answer 404)."""
    if not 0 < int(address_id) <= MAX_ID:
        return None
    return Address.objects.filter(user=user, pk=address_id).select_related("user").first()


def default_address_for_user(*, user: User) -> Address | None:
    return Address.objects.filter(user=user, is_default=True).first()


def wishlist_for_user(*, user: User, language: str) -> list[WishlistItem]:
    """The customer's wishlist with what a product card shows; products no longer on sale
    (draft, archived) are left out. Four queries whatever the length."""
    products = with_card_data(published_products(), language=language)
    items = list(
        WishlistItem.objects.filter(user=user, product__in=published_products())
        .order_by("-created_at", "-pk")
        .prefetch_related(Prefetch("product", queryset=products))
    )
    for item in items:
        item.product.set_current_language(language)
    return items


def wishlist_handles(*, user) -> set[str]:
    """Handles of the products on the customer's wishlist (one query; empty for guests),
    for product pages and cards that show a filled heart."""
    if user is None or not user.is_authenticated:
        return set()
    return set(WishlistItem.objects.filter(user=user).values_list("product__handle", flat=True))


def product_for_wishlist(*, handle: str) -> Product | None:
    """A published product by handle; what a shopper can put on a wishlist."""
    return published_products().filter(handle=handle).first()


def wishlist_item_for_user(*, user: User, handle: str) -> WishlistItem | None:
    return (
        WishlistItem.objects.filter(user=user, product__handle=handle)
        .select_related("product")
        .first()
    )


# --- interaction events, for the recommender (issue 5) -----------------------------------------
def interaction_rows(*, since=None, kinds=None, batch_size: int = 5000):
    """Every interaction event as (user id, session key, product id, kind, value, country,
    language), oldest first, streamed in chunks (one query, however many rows)."""
    from .models import InteractionEvent

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
    from .models import InteractionEvent

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
    from .models import InteractionEvent

    if user is not None and getattr(user, "is_authenticated", False):
        queryset = InteractionEvent.objects.filter(user=user)
    elif session_key:
        queryset = InteractionEvent.objects.filter(session_key=session_key[:40])
    else:
        return set()
    return set(
        queryset.filter(kind=InteractionEvent.Kind.PURCHASE).values_list("product_id", flat=True)
    )
