"""Fixtures of the orders tests: a small shipping set-up, rates, products and carts."""

from decimal import Decimal

import pytest

from orders.models import Cart, CartLine, DutyRate, ShippingMethod, ShippingZone
from orders.services import ShippingAddress
from tests.factories import ExchangeRateFactory, ProductFactory, UserFactory

SUCCESS_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"
PROCESSING_ERROR_CARD = "4000 0000 0000 0119"


def make_method(zone, code, name, price, *, free_over=None, min_days=2, max_days=5, **extra):
    method = ShippingMethod(
        zone=zone,
        code=code,
        price=Decimal(price),
        free_over=Decimal(free_over) if free_over is not None else None,
        min_days=min_days,
        max_days=max_days,
        **extra,
    )
    method.set_current_language("en")
    method.name = name
    method.save()
    return method


@pytest.fixture
def shipping(db):
    """US (domestic), EU (FR, DE) and UK zones; GB and FR duty/tax rates; no zone for KP."""
    us = ShippingZone.objects.create(name="US", countries=["US"], position=0)
    eu = ShippingZone.objects.create(name="EU", countries=["FR", "DE"], position=1)
    uk = ShippingZone.objects.create(name="UK", countries=["GB"], position=2)
    methods = {
        "us-standard": make_method(us, "standard", "Standard", "8.00", free_over="150.00"),
        "us-express": make_method(us, "express", "Express", "25.00", min_days=1, max_days=2),
        "eu-standard": make_method(eu, "standard", "Standard", "15.00", free_over="300.00"),
        "uk-standard": make_method(uk, "standard", "Standard", "15.00", free_over="300.00"),
        "uk-express": make_method(uk, "express", "Express", "35.00"),
    }
    DutyRate.objects.create(
        country="GB",
        duty_percent=Decimal("2.5"),
        tax_percent=Decimal("20"),
        tax_name="VAT",
        duty_free_under=Decimal("171.00"),
    )
    DutyRate.objects.create(
        country="FR",
        duty_percent=Decimal("2.5"),
        tax_percent=Decimal("20"),
        tax_name="TVA",
        duty_free_under=Decimal("163.00"),
    )
    return methods


@pytest.fixture
def rates(db):
    return {
        "EUR": ExchangeRateFactory(currency="EUR", rate=Decimal("0.92")),
        "GBP": ExchangeRateFactory(currency="GBP", rate=Decimal("0.79")),
        "JPY": ExchangeRateFactory(currency="JPY", rate=Decimal("151.5")),
    }


@pytest.fixture
def ring(db):
    """A published ring with one 100.00 variant, 5 in stock."""
    product = ProductFactory(
        handle="gold-ring",
        name="Gold ring",
        variants=[
            {"price": Decimal("100.00"), "stock_quantity": 5, "sku": "RING-7", "option1": "Size 7"}
        ],
    )
    return product.variants.get()


@pytest.fixture
def necklace(db):
    product = ProductFactory(
        handle="pearl-necklace",
        name="Pearl necklace",
        variants=[{"price": Decimal("250.00"), "stock_quantity": 3, "sku": "PEARL-1"}],
    )
    return product.variants.get()


@pytest.fixture
def customer(db):
    return UserFactory(email="alice@example.com")


@pytest.fixture
def other_customer(db):
    return UserFactory(email="bob@example.com")


def cart_with(*items, user=None, session_key="guest-session") -> Cart:
    """A cart holding (variant, quantity) pairs, written directly (no stock check)."""
    cart = Cart.objects.create(user=user, session_key="" if user else session_key)
    for variant, quantity in items:
        CartLine.objects.create(cart=cart, variant=variant, quantity=quantity)
    return cart


PARIS = ShippingAddress(
    full_name="Claire Martin",
    line1="10 rue de Rivoli",
    city="Paris",
    postal_code="75001",
    country="FR",
)
LONDON = ShippingAddress(
    full_name="Oliver Smith",
    line1="1 Hatton Garden",
    city="London",
    postal_code="EC1N 8",
    country="GB",
)
NEW_YORK = ShippingAddress(
    full_name="Ann Lee",
    line1="5 Fifth Avenue",
    city="New York",
    postal_code="10001",
    country="US",
)


def place(cart, **overrides):
    """order_place with sensible defaults (a guest in New York paying in USD)."""
    from orders.services import order_place

    arguments = {
        "cart": cart,
        "email": "guest@example.com",
        "address": NEW_YORK,
        "shipping_method_code": "standard",
        "payment_token": SUCCESS_CARD,
        "idempotency_key": "key-00000001",
        "currency": "USD",
        "language": "en",
        "user": None,
    }
    arguments.update(overrides)
    return order_place(**arguments)
