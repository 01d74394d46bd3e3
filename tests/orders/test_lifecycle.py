"""Order lifecycle: valid and invalid transitions, history, stock restore, refunds, e-mail."""

import pytest
from django.core import mail

from catalog.models import Product, ProductVariant
from orders.models import Order, OrderStatus, Payment
from orders.services import (
    InvalidTransition,
    OrderError,
    OutOfStock,
    RefundFailed,
    order_cancel,
    order_fulfil,
    order_mark_delivered,
    order_mark_paid,
    order_refund,
    order_ship,
    order_start_processing,
)

from .conftest import PARIS, cart_with, place

pytestmark = pytest.mark.django_db

S = OrderStatus


@pytest.fixture
def paid_order(shipping, ring):
    """A guest's paid order for 2 rings (3 rings left in stock)."""
    return place(cart_with((ring, 2)))


def stock(variant) -> int:
    return ProductVariant.objects.get(pk=variant.pk).stock_quantity


def test_an_order_goes_from_paid_to_delivered_with_its_history(paid_order, merchant):
    order = order_start_processing(order=paid_order, by=merchant)
    order = order_ship(order=order, carrier="DHL", tracking_number="JD0123", by=merchant)
    order = order_mark_delivered(order=order, by=merchant)

    order.refresh_from_db()
    assert order.status == S.DELIVERED
    assert (order.carrier, order.tracking_number) == ("DHL", "JD0123")
    assert order.shipped_at is not None
    assert list(order.status_events.values_list("to_status", flat=True)) == [
        "pending",
        "paid",
        "processing",
        "shipped",
        "delivered",
    ]
    assert order.status_events.last().created_by == merchant


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        (order_mark_paid, {}),
        (order_mark_delivered, {}),
        (order_ship, {"carrier": "DHL", "tracking_number": "X1"}),
    ],
)
def test_a_paid_order_cannot_skip_steps(paid_order, service, kwargs):
    with pytest.raises(InvalidTransition) as error:
        service(order=paid_order, **kwargs)
    assert paid_order.number in error.value.message
    assert Order.objects.get(pk=paid_order.pk).status == S.PAID


def test_a_shipped_order_cannot_be_cancelled(paid_order):
    order_start_processing(order=paid_order)
    order_ship(order=paid_order, carrier="DHL", tracking_number="X1")
    with pytest.raises(InvalidTransition, match="is shipped: it cannot be cancelled"):
        order_cancel(order=paid_order)


def test_finished_orders_do_not_move_again(paid_order, ring):
    order_cancel(order=paid_order)
    for service in (order_cancel, order_refund, order_mark_paid, order_start_processing):
        with pytest.raises(InvalidTransition):
            service(order=paid_order)
    assert stock(ring) == 5  # restored once only


def test_shipping_needs_a_carrier_and_a_tracking_number(paid_order):
    order_start_processing(order=paid_order)
    with pytest.raises(OrderError, match="carrier and the tracking number"):
        order_ship(order=paid_order, carrier=" ", tracking_number="X1")


def test_cancelling_a_paid_order_refunds_it_and_restores_stock(paid_order, ring):
    assert stock(ring) == 3
    order = order_cancel(order=paid_order, reason="Customer asked")
    assert order.status == S.CANCELLED
    assert stock(ring) == 5
    assert Payment.objects.get(order=order).status == Payment.Status.REFUNDED
    assert order.status_events.last().note == "Customer asked (payment refunded)"


def test_refunding_a_delivered_order_restores_stock_and_availability(shipping, ring):
    # Given the last 5 rings sold and delivered: the ring shows as sold out
    order = place(cart_with((ring, 5)))
    order_start_processing(order=order)
    order_ship(order=order, carrier="DHL", tracking_number="X1")
    order_mark_delivered(order=order)
    assert not Product.objects.get(pk=ring.product_id).in_stock

    # When the order is refunded (the ring came back)
    order = order_refund(order=order, reason="Returned")

    # Then the money goes back through the gateway and the ring is on sale again
    assert order.status == S.REFUNDED
    assert Payment.objects.get(order=order).status == Payment.Status.REFUNDED
    assert stock(ring) == 5
    assert Product.objects.get(pk=ring.product_id).in_stock


def test_a_refused_refund_changes_nothing(paid_order, ring):
    Payment.objects.filter(order=paid_order).update(reference="unknown-reference")
    with pytest.raises(RefundFailed):
        order_refund(order=paid_order)
    assert Order.objects.get(pk=paid_order.pk).status == S.PAID
    assert stock(ring) == 3


def test_a_pending_order_marked_paid_takes_its_stock(paid_order, ring):
    # Given a pending order (paid outside the gateway, e.g. bank transfer)
    Order.objects.filter(pk=paid_order.pk).update(status=S.PENDING, paid_at=None)
    ProductVariant.objects.filter(pk=ring.pk).update(stock_quantity=5)

    order = order_mark_paid(order=paid_order)

    assert order.status == S.PAID and order.paid_at is not None
    assert stock(ring) == 3


def test_a_pending_order_cannot_be_marked_paid_without_stock(paid_order, ring):
    Order.objects.filter(pk=paid_order.pk).update(status=S.PENDING)
    ProductVariant.objects.filter(pk=ring.pk).update(stock_quantity=1)
    with pytest.raises(OutOfStock):
        order_mark_paid(order=paid_order)
    assert Order.objects.get(pk=paid_order.pk).status == S.PENDING
    assert stock(ring) == 1


def test_cancelling_a_pending_order_gives_back_no_stock_it_never_took(paid_order, ring):
    Order.objects.filter(pk=paid_order.pk).update(status=S.PENDING)
    Payment.objects.filter(order=paid_order).delete()
    order_cancel(order=paid_order)
    assert stock(ring) == 3


def test_the_shipped_email_is_in_the_customers_language(
    shipping, ring, django_capture_on_commit_callbacks
):
    # Given an order placed in German
    with django_capture_on_commit_callbacks(execute=True):
        order = place(cart_with((ring, 1)), address=PARIS, language="de")
    order_start_processing(order=order)
    mail.outbox.clear()

    # When the merchant ships it (the merchant's own language is English)
    with django_capture_on_commit_callbacks(execute=True):
        order_ship(order=order, carrier="DHL", tracking_number="JD014600")

    # Then the customer gets one e-mail, in German, with the tracking number
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "JD014600" in message.body and "DHL" in message.body
    assert "/de/orders/track/" in message.body
    assert 'lang="de"' in message.alternatives[0][0]


def test_cancelling_restores_the_stock_of_every_line(shipping, ring, necklace):
    order = place(cart_with((ring, 2), (necklace, 3)), address=PARIS)
    assert (stock(ring), stock(necklace)) == (3, 0)
    order_cancel(order=order)
    assert (stock(ring), stock(necklace)) == (5, 3)
    assert Product.objects.get(pk=necklace.product_id).in_stock


def test_fulfilling_a_paid_order_passes_through_processing(paid_order, merchant):
    order = order_fulfil(order=paid_order, carrier="DHL", tracking_number="JD0777", by=merchant)

    order.refresh_from_db()
    assert order.status == S.SHIPPED
    assert order.tracking_number == "JD0777"
    assert list(order.status_events.values_list("to_status", "created_by")) == [
        ("pending", None),
        ("paid", None),
        ("processing", merchant.pk),
        ("shipped", merchant.pk),
    ]


def test_fulfilling_an_order_in_processing_ships_it(paid_order):
    order_start_processing(order=paid_order)
    order = order_fulfil(order=paid_order, carrier="DHL", tracking_number="JD0778")
    assert Order.objects.get(pk=order.pk).status == S.SHIPPED
    assert order.status_events.filter(to_status=S.PROCESSING).count() == 1


def test_a_pending_order_cannot_be_fulfilled(shipping, ring):
    order = place(cart_with((ring, 1)))
    Order.objects.filter(pk=order.pk).update(status=S.PENDING)
    with pytest.raises(InvalidTransition):
        order_fulfil(order=Order.objects.get(pk=order.pk), carrier="DHL", tracking_number="X")
    assert Order.objects.get(pk=order.pk).status == S.PENDING


def test_a_paid_order_that_cannot_ship_stays_in_processing(paid_order):
    # As the admin did before the service: processing is its own step
    with pytest.raises(OrderError, match="carrier and the tracking number"):
        order_fulfil(order=paid_order, carrier="DHL", tracking_number=" ")
    assert Order.objects.get(pk=paid_order.pk).status == S.PROCESSING
