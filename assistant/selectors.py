"""Reads of the shop assistant: conversations for their owner, product cards and facts, shipping
and duties for a country, and orders for the shopper who owns them.

Everything the assistant tells a shopper about products, shipping and orders is read here at
answer time (never remembered in the conversation), in a constant number of queries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import translation

from catalog import selectors as catalog_selectors
from catalog.models import Product
from customers.selectors import addresses_for_user, default_address_for_user
from orders import selectors as orders_selectors
from orders.models import Order, OrderStatusEvent
from shop.money import convert_price, format_price

from .models import Conversation, Message

# --- Conversations ----------------------------------------------------------------------------


def _as_uuid(value) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def conversation_for_owner(*, public_id, user=None, session_key: str = "") -> Conversation | None:
    """The conversation if it belongs to this shopper (same signed-in user, or a guest's same
    session); None otherwise, so that someone else's conversation looks like no conversation."""
    pk = _as_uuid(public_id)
    if pk is None:
        return None
    conversation = Conversation.objects.filter(public_id=pk).select_related("product").first()
    if conversation is None:
        return None
    if user is not None and getattr(user, "is_authenticated", False):
        if conversation.user_id == user.pk:
            return conversation
        return None
    if conversation.user_id is None and session_key and conversation.session_key == session_key:
        return conversation
    return None


def latest_conversation_for(*, user=None, session_key: str = "") -> Conversation | None:
    """The shopper's most recent conversation that is not closed (the widget resumes it)."""
    queryset = Conversation.objects.exclude(status="closed")
    if user is not None and getattr(user, "is_authenticated", False):
        queryset = queryset.filter(user=user)
    elif session_key:
        queryset = queryset.filter(user__isnull=True, session_key=session_key)
    else:
        return None
    return queryset.order_by("-updated_at", "-id").first()


def conversation_messages(*, conversation: Conversation, after: int | None = None) -> QuerySet:
    """The conversation's messages in order (only those after message id `after`, for polling)."""
    queryset = Message.objects.filter(conversation=conversation).order_by("id")
    if after is not None:
        queryset = queryset.filter(id__gt=after)
    return queryset


# --- Products ---------------------------------------------------------------------------------


def _image_url(product) -> str:
    images = getattr(product, "ordered_images", None)
    if images is None:
        images = list(product.images.all())
    if not images:
        return ""
    picture = images[0].thumbnail or images[0].image
    try:
        return picture.url if picture else ""
    except ValueError:
        return ""


def product_card(product, *, language: str, currency: str) -> dict:
    """What the chat shows for a product: name, picture, price in the shopper's currency,
    availability, link (in the reply's language)."""
    product.set_current_language(language)
    with translation.override(language):
        url = product.get_absolute_url()

    amount, shown_currency = convert_price(product.price_min, currency=currency)
    return {
        "handle": product.handle,
        "name": product.safe_translation_getter("name", any_language=True) or product.handle,
        "url": url,
        "image": _image_url(product),
        "price": str(amount),
        "currency": shown_currency,
        "price_display": format_price(product.price_min, currency=currency, language=language),
        "available": bool(product.in_stock),
    }


def product_cards(product_ids: list[int], *, language: str, currency: str) -> list[dict]:
    """Cards for published products, in the order given (ids no longer published are skipped).
    Three queries whatever the number (products, translations, images)."""
    if not product_ids:
        return []
    products = {
        product.pk: product
        for product in catalog_selectors.with_card_data(
            catalog_selectors.published_products().filter(pk__in=product_ids), language=language
        )
    }
    return [
        product_card(products[pk], language=language, currency=currency)
        for pk in product_ids
        if pk in products
    ]


def published_product(handle: str) -> Product | None:
    if not handle:
        return None
    return catalog_selectors.published_products().filter(handle=handle).first()


@dataclass
class ProductFacts:
    product: Product
    name: str
    metals: list[str]  # "18K White gold"
    stones: list[str]  # "Diamond 0.50 ct"
    sizes_in_stock: list[str]
    available: bool
    price_display: str
    card: dict


def product_facts(*, handle: str, language: str, currency: str) -> ProductFacts | None:
    """What a shopper asks about a product, read now: metal and purity, stones, sizes in stock,
    price, availability. None when no published product has that handle."""
    product = catalog_selectors.product_for_page(handle=handle, language=language)
    if product is None or not product.is_published:
        return None
    product.set_current_language(language)
    variants = list(product.variants.all())
    metals: list[str] = []
    for variant in variants:
        label = getattr(variant, "metal_label", None) or ""
        text = " ".join(part for part in (variant.purity, label) if part).strip()
        if text and text not in metals:
            metals.append(text)
    if not metals:
        metals = [m.label for m in product.materials.all() if getattr(m, "label", "")]
    stones = []
    for stone in product.gemstones.all():
        name = getattr(stone, "type_name", "") or str(stone.gemstone_type)
        carat = f" {stone.carat} ct" if stone.carat else ""
        count = f"{stone.count} × " if stone.count and stone.count > 1 else ""
        stones.append(f"{count}{name}{carat}")
    sizes = []
    for variant in variants:
        if variant.ring_size and variant.is_available and variant.ring_size not in sizes:
            sizes.append(variant.ring_size)
    available = any(variant.is_available for variant in variants)
    images = list(product.images.all())
    product.ordered_images = images
    card = product_card(product, language=language, currency=currency)
    card["available"] = available
    return ProductFacts(
        product=product,
        name=card["name"],
        metals=metals,
        stones=stones,
        sizes_in_stock=sizes,
        available=available,
        price_display=card["price_display"],
        card=card,
    )


# --- Shipping and duties ----------------------------------------------------------------------


def shipping_methods_for_country(country: str) -> list:
    """The active shipping methods of the shopper's country's zone (cheapest first)."""
    return orders_selectors.shipping_methods_for_country(country)


def duty_rate_for_country(country: str):
    return orders_selectors.duty_rate_for_country(country)


def user_country(user) -> str:
    """The country of a signed-in shopper's default address, else ""."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""

    address = default_address_for_user(user=user)
    return address.country.code if address is not None and address.country else ""


def user_addresses(user) -> list:
    if user is None or not getattr(user, "is_authenticated", False):
        return []

    return list(addresses_for_user(user=user)[:3])


# --- Orders -----------------------------------------------------------------------------------


def _orders_with_events():
    return Order.objects.prefetch_related(
        Prefetch(
            "status_events",
            queryset=OrderStatusEvent.objects.order_by("-created_at", "-id"),
            to_attr="recent_events",
        )
    )


def order_of_user(*, user, number: str = "") -> Order | None:
    """A signed-in customer's own order by number, or their latest one when no number is given.
    Someone else's order is None, exactly like an order that does not exist."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    queryset = _orders_with_events().filter(user=user)
    if number:
        return queryset.filter(number=number).first()
    return queryset.order_by("-created_at", "-id").first()


def order_for_number_and_email(*, number: str, email: str) -> Order | None:
    """The order whose number AND e-mail both match (e-mail case-insensitively); else None."""
    if not number or not email:
        return None
    return _orders_with_events().filter(number=number, email__iexact=email.strip()).first()


def order_by_number(number: str) -> Order | None:
    """An order by number, for one whose owner this conversation already proved."""
    if not number:
        return None
    return _orders_with_events().filter(number=number).first()


def order_link(order: Order, *, language: str) -> str:
    """The order's page for whoever holds the link (signed), as the order e-mails give it."""

    with translation.override(language):
        return reverse(
            "orders:order_track", kwargs={"token": orders_selectors.order_access_token(order)}
        )
