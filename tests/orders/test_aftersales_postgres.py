"""On a real PostgreSQL server: the page and the chat acting on one order at the same moment
apply the after-sales action once (the order row lock), with one refund and one return request.

Threads use their own connections; transaction=True so they see each other's commits.
"""

import pytest

from catalog.models import ProductVariant
from orders.models import Order, OrderStatus, ReturnRequest
from orders.services import (
    order_cancel_by_customer,
    order_mark_delivered,
    order_return_request,
    order_ship,
    order_start_processing,
)
from tests.concurrency import run_together

from .conftest import cart_with, place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_cancels_at_once_refund_once_and_restore_the_stock_once(
    shipping, ring, recording_gateway
):
    order = place(cart_with((ring, 2)), idempotency_key="race-cancel-1")

    outcomes = run_together(4, lambda index: order_cancel_by_customer(order=order))

    assert all(isinstance(outcome, Order) for outcome in outcomes), outcomes
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    assert len(recording_gateway.refund_calls) == 1
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 5


def test_two_return_requests_at_once_open_one(shipping, ring):
    order = place(cart_with((ring, 1)), idempotency_key="race-return-1")
    order_start_processing(order=order)
    order_ship(order=order, carrier="DHL", tracking_number="X1")
    order_mark_delivered(order=order)

    outcomes = run_together(4, lambda index: order_return_request(order=order, reason="race"))

    assert all(isinstance(outcome, ReturnRequest) for outcome in outcomes), outcomes
    assert len({outcome.pk for outcome in outcomes}) == 1
    assert ReturnRequest.objects.filter(order=order).count() == 1
