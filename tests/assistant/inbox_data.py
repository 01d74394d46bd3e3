"""Conversations, messages, orders and staff members for the inbox, analytics and widget tests
(written straight to the models: these tests are about what the merchant and shopper see)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from assistant.models import Conversation, Message
from orders.models import Order, OrderStatus
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


def conversation(*, when: dt.datetime | None = None, **fields) -> Conversation:
    fields.setdefault("language", "en")
    fields.setdefault("session_key", "")
    item = Conversation.objects.create(**fields)
    if when is not None:
        Conversation.objects.filter(pk=item.pk).update(created_at=when, updated_at=when)
        item.refresh_from_db()
    return item


def message(
    conversation: Conversation, sender: str, text: str, *, when: dt.datetime | None = None, **fields
) -> Message:
    fields.setdefault("language", conversation.language)
    item = Message.objects.create(conversation=conversation, sender=sender, text=text, **fields)
    if when is not None:
        Message.objects.filter(pk=item.pk).update(created_at=when)
        item.refresh_from_db()
    return item


def permission(codename: str, app_label: str = "assistant", model: str = "conversation"):
    """The permission row, created if the model's Meta does not declare it (yet)."""
    content_type = ContentType.objects.get_by_natural_key(app_label, model)
    found, _created = Permission.objects.get_or_create(
        codename=codename, content_type=content_type, defaults={"name": codename}
    )
    return found


def staff_member(email: str, *codenames: str):
    user = UserFactory(email=email, is_staff=True)
    user.user_permissions.add(*(permission(codename) for codename in codenames))
    return user


def order(*, number: str, email: str, user=None, when: dt.datetime | None = None, cart=None):
    item = Order.objects.create(
        number=number,
        email=email,
        user=user,
        cart=cart,
        status=OrderStatus.PAID,
        language="en",
        currency="USD",
        exchange_rate=Decimal(1),
        shipping_name="Ann Lee",
        shipping_line1="5 Fifth Avenue",
        shipping_city="New York",
        shipping_postal_code="10001",
        shipping_country="US",
        shipping_method_name="Standard",
        subtotal=Decimal("100.00"),
        shipping_cost=Decimal("0.00"),
        duties=Decimal("0.00"),
        taxes=Decimal("0.00"),
        total=Decimal("100.00"),
        total_in_currency=Decimal("100.00"),
    )
    if when is not None:
        Order.objects.filter(pk=item.pk).update(created_at=when)
        item.refresh_from_db()
    return item
