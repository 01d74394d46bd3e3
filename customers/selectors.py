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
