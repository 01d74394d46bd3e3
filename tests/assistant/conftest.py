"""Fixtures of the assistant tests: understandings built by hand (the dialogue's input), orders
of two customers and a guest, a small searchable catalog, shipping zones."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import Order, OrderStatus, OrderStatusEvent
from tests.factories import UserFactory

try:
    from ai.services import Entities, Understanding
except ImportError:  # until the NLU lands on this branch (contract in ASSISTANT_CONTRACT.md)
    from dataclasses import dataclass, field

    @dataclass(frozen=True)
    class Entities:  # type: ignore[no-redef]
        order_numbers: tuple = ()
        emails: tuple = ()
        metals: tuple = ()
        gemstones: tuple = ()
        categories: tuple = ()
        sizes: tuple = ()
        price_min: Decimal | None = None
        price_max: Decimal | None = None
        currency: str | None = None
        countries: tuple = ()
        product_handles: tuple = ()
        product_query: str = ""

    @dataclass(frozen=True)
    class Understanding:  # type: ignore[no-redef]
        intent: str
        confidence: float
        language: str
        ranking: tuple = ()
        entities: Entities = field(default_factory=Entities)
        low_confidence: bool = False


def understood(
    intent: str, language: str = "en", *, confidence: float = 0.95, low: bool = False, **entities
) -> Understanding:
    """What the NLU would say about a message: the dialogue's input in these tests."""
    for name in ("order_numbers", "emails", "metals", "gemstones", "categories", "countries",
                 "product_handles", "sizes"):  # fmt: skip
        if name in entities:
            entities[name] = tuple(entities[name])
    return Understanding(
        intent="out_of_scope" if low else intent,
        confidence=confidence if not low else 0.2,
        language=language,
        ranking=((intent, confidence),),
        entities=Entities(**entities),
        low_confidence=low,
    )


@pytest.fixture
def customer(db):
    return UserFactory(email="alice@example.com")


@pytest.fixture
def other_customer(db):
    return UserFactory(email="bob@example.com")


def make_order(
    *, number: str, email: str, user=None, status: str = OrderStatus.PAID, **extra
) -> Order:
    order = Order.objects.create(
        number=number,
        email=email,
        user=user,
        status=status,
        language=extra.pop("language", "en"),
        currency="USD",
        exchange_rate=Decimal(1),
        shipping_name="Alice Martin",
        shipping_line1="1 Main Street",
        shipping_city="Springfield",
        shipping_postal_code="12345",
        shipping_country=extra.pop("country", "US"),
        shipping_method_name="Standard",
        subtotal=Decimal("100.00"),
        shipping_cost=Decimal("0.00"),
        duties=Decimal("0.00"),
        taxes=Decimal("0.00"),
        total=Decimal("100.00"),
        total_in_currency=Decimal("100.00"),
        **extra,
    )
    OrderStatusEvent.objects.create(order=order, from_status="", to_status=OrderStatus.PENDING)
    if status != OrderStatus.PENDING:
        OrderStatusEvent.objects.create(
            order=order, from_status=OrderStatus.PENDING, to_status=status
        )
    return order


@pytest.fixture
def alice_order(customer):
    return make_order(number="261201-ALCE2345", email=customer.email, user=customer)


@pytest.fixture
def guest_order(db):
    return make_order(number="261202-GSTX2345", email="guest@example.com")


@pytest.fixture
def shipped_order(db):
    order = make_order(
        number="261203-SHPD2345",
        email="guest@example.com",
        status=OrderStatus.SHIPPED,
        carrier="DHL",
        tracking_number="JD0001234",
    )
    order.shipped_at = timezone.now() - timedelta(days=1)
    order.save(update_fields=["shipped_at"])
    return order


@pytest.fixture
def delivered_order(customer):
    order = make_order(
        number="261204-DLVR2345",
        email=customer.email,
        user=customer,
        status=OrderStatus.SHIPPED,
        carrier="UPS",
        tracking_number="1Z999",
    )
    order.status = OrderStatus.DELIVERED
    order.save(update_fields=["status"])
    OrderStatusEvent.objects.create(
        order=order, from_status=OrderStatus.SHIPPED, to_status=OrderStatus.DELIVERED
    )
    return order


@pytest.fixture
def shop_catalog(db):
    """The search tests' catalog: rings in white gold and platinum, earrings, a necklace."""
    from ai.search import snapshot as search_snapshot
    from tests.ai.test_search_query import search_catalog

    search_snapshot.clear_cache()
    objects = search_catalog()
    yield objects
    search_snapshot.clear_cache()


@pytest.fixture
def shipping_fr(db):
    from orders.models import DutyRate, ShippingZone
    from tests.orders.conftest import make_method

    eu = ShippingZone.objects.create(name="EU", countries=["FR", "DE"], position=0)
    make_method(eu, "standard", "Standard", "15.00", free_over="300.00", min_days=3, max_days=6)
    DutyRate.objects.create(
        country="FR",
        duty_percent=Decimal("2.5"),
        tax_percent=Decimal("20"),
        tax_name="TVA",
        duty_free_under=Decimal("163.00"),
    )
    return eu
