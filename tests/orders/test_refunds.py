"""Refunds are idempotent: a double click or a retry gives the money back once.

The provider's side is recorded (tests/orders/gateways.py); like a real provider it returns the
first refund when a refund is sent again with the same idempotency key.
"""

import pytest

from catalog.models import ProductVariant
from orders.models import OrderStatus, Payment
from orders.services import InvalidTransition, RefundFailed, order_cancel, order_refund

from .conftest import cart_with, place

pytestmark = pytest.mark.django_db


def stock(variant) -> int:
    return ProductVariant.objects.get(pk=variant.pk).stock_quantity


@pytest.fixture
def paid_order(shipping, ring, recording_gateway):
    """2 rings paid by card (3 left in stock)."""
    return place(cart_with((ring, 2)), idempotency_key="refund-order-1")


@pytest.mark.parametrize("service", [order_refund, order_cancel])
def test_a_double_click_refunds_once_and_restores_the_stock_once(
    service, paid_order, ring, recording_gateway
):
    service(order=paid_order)

    with pytest.raises(InvalidTransition):
        service(order=paid_order)

    assert len(recording_gateway.refund_calls) == 1
    assert recording_gateway.refunded_charges() == recording_gateway.charges
    assert stock(ring) == 5


def test_a_refund_whose_answer_was_lost_is_retried_without_refunding_twice(
    paid_order, ring, recording_gateway
):
    # Given a provider that refunds the payment but whose answer never arrives
    recording_gateway.refund_failures = ["timeout"]

    # When the merchant refunds: they are told it failed, and nothing changed here
    with pytest.raises(RefundFailed, match="try again"):
        order_refund(order=paid_order)
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.PAID
    assert stock(ring) == 3

    # When they try again
    order_refund(order=paid_order)

    # Then the provider gave the money back once, and the order is refunded with its stock
    assert len(recording_gateway.refunds) == 1
    assert len(recording_gateway.refund_calls) == 2
    keys = {call["idempotency_key"] for call in recording_gateway.refund_calls}
    assert len(keys) == 1 and None not in keys
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.REFUNDED
    assert paid_order.payments.get().status == Payment.Status.REFUNDED
    assert stock(ring) == 5


def test_a_cancel_that_failed_halfway_never_refunds_a_payment_twice(
    paid_order, ring, recording_gateway
):
    # Given an order paid in two parts (a second payment recorded by the merchant)
    first = paid_order.payments.get()
    Payment.objects.create(
        order=paid_order,
        gateway=first.gateway,
        amount=first.amount,
        currency=first.currency,
        status=Payment.Status.SUCCEEDED,
        reference="test_ch_second",
    )
    # and a provider that declines the second refund once
    recording_gateway.refund_failures = [None, "decline"]

    with pytest.raises(RefundFailed):
        order_cancel(order=paid_order)
    order_cancel(order=paid_order)

    # Then each payment was refunded once at the provider
    assert recording_gateway.refunded_charges() == sorted([first.reference, "test_ch_second"])
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.CANCELLED
    assert stock(ring) == 5


def test_the_test_gateway_answers_a_repeated_refund_with_the_first_one(db):
    from orders.payments import TestGateway

    gateway = TestGateway()
    charge = gateway.charge(
        amount=10, currency="USD", token="4242424242424242", idempotency_key="abcdefgh"
    )
    first = gateway.refund(
        reference=charge.reference, amount=10, currency="USD", idempotency_key="refund-1"
    )
    again = gateway.refund(
        reference=charge.reference, amount=10, currency="USD", idempotency_key="refund-1"
    )
    assert first.succeeded and first.reference == again.reference
