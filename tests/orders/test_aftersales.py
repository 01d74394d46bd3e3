"""After-sales services (orders.services.aftersales): cancel before shipping, return requests
within the window and their decisions, address changes before shipping.

Each service is tried in the states it allows and refuses, twice in a row (idempotency: one
refund, one row, one history entry), and at the edges of the return window. Payments go through
the recording gateway (tests/orders/gateways.py), which remembers every refund the provider made.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.models import ProductVariant
from orders.models import DutyRate, Order, OrderStatus, OrderStatusEvent, ReturnRequest
from orders.services import (
    AddressChangeRefused,
    AddressInvalid,
    InvalidTransition,
    OrderError,
    RefundFailed,
    ShippingUnavailable,
    order_can_cancel,
    order_can_change_address,
    order_can_return,
    order_cancel_by_customer,
    order_change_shipping_address,
    order_delivered_at,
    order_mark_delivered,
    order_refund,
    order_return_request,
    order_ship,
    order_start_processing,
    return_request_approve,
    return_request_refund,
    return_request_reject,
)

from .conftest import LONDON, PARIS, cart_with, place

pytestmark = pytest.mark.django_db

S = OrderStatus
RR = ReturnRequest.Status


def stock(variant) -> int:
    return ProductVariant.objects.get(pk=variant.pk).stock_quantity


@pytest.fixture
def paid_order(shipping, ring, customer, recording_gateway):
    """Alice's paid order of 2 rings to Paris (3 rings left in stock)."""
    return place(
        cart_with((ring, 2), user=customer),
        user=customer,
        email=customer.email,
        address=PARIS,
        currency="EUR",
    )


def ship(order):
    order_start_processing(order=order)
    return order_ship(order=order, carrier="DHL", tracking_number="JD0001")


@pytest.fixture
def delivered_order(paid_order):
    ship(paid_order)
    return order_mark_delivered(order=paid_order)


def deliver_days_ago(order, days: float, *, seconds: float = 0) -> None:
    """Moves the order's delivery event into the past."""
    when = timezone.now() - timedelta(days=days, seconds=seconds)
    OrderStatusEvent.objects.filter(order=order, to_status=S.DELIVERED).update(created_at=when)


def history_notes(order) -> list[str]:
    return list(OrderStatusEvent.objects.filter(order=order).values_list("note", flat=True))


# --- Cancel -----------------------------------------------------------------------------------


@pytest.mark.parametrize("steps", [0, 1])
def test_the_customer_cancels_before_shipping_refund_and_stock_back(
    paid_order, ring, customer, recording_gateway, steps
):
    if steps:
        order_start_processing(order=paid_order)
    assert order_can_cancel(Order.objects.get(pk=paid_order.pk)) == (True, "")

    order = order_cancel_by_customer(order=paid_order, by=customer, reason="Changed my mind")

    assert order.status == S.CANCELLED
    assert stock(ring) == 5
    assert recording_gateway.refunded_charges() == recording_gateway.charges
    event = order.status_events.last()
    assert event.to_status == S.CANCELLED
    assert event.created_by == customer
    assert event.note.startswith("Cancelled by the customer: Changed my mind")


def test_a_double_cancel_refunds_once_and_returns_the_cancelled_order(
    paid_order, ring, recording_gateway
):
    order_cancel_by_customer(order=paid_order)
    again = order_cancel_by_customer(order=paid_order)

    assert again.status == S.CANCELLED
    assert len(recording_gateway.refund_calls) == 1
    assert stock(ring) == 5
    assert OrderStatusEvent.objects.filter(order=paid_order, to_status=S.CANCELLED).count() == 1


def test_a_shipped_order_cannot_be_cancelled_by_the_customer(paid_order, ring, recording_gateway):
    ship(paid_order)
    allowed, reason = order_can_cancel(Order.objects.get(pk=paid_order.pk))
    assert not allowed
    assert "already shipped" in reason

    with pytest.raises(InvalidTransition, match="already shipped"):
        order_cancel_by_customer(order=paid_order)

    assert Order.objects.get(pk=paid_order.pk).status == S.SHIPPED
    assert recording_gateway.refund_calls == []
    assert stock(ring) == 3


def test_a_refunded_order_cannot_be_cancelled(paid_order):
    order_refund(order=paid_order)
    with pytest.raises(InvalidTransition, match="refunded"):
        order_cancel_by_customer(order=paid_order)


def test_a_failed_refund_leaves_the_order_as_it_was(paid_order, ring, recording_gateway):
    recording_gateway.refund_failures = ["decline"]
    with pytest.raises(RefundFailed):
        order_cancel_by_customer(order=paid_order)
    assert Order.objects.get(pk=paid_order.pk).status == S.PAID
    assert stock(ring) == 3


# --- Return requests --------------------------------------------------------------------------


def test_a_delivered_order_gets_one_return_request_logged_in_its_history(delivered_order, customer):
    assert order_can_return(Order.objects.get(pk=delivered_order.pk)) == (True, "")

    first = order_return_request(order=delivered_order, reason="  Too small  ", by=customer)
    second = order_return_request(order=delivered_order, reason="Again", by=customer)

    assert first.pk == second.pk
    assert ReturnRequest.objects.filter(order=delivered_order).count() == 1
    assert (first.status, first.reason, first.requested_by) == (RR.REQUESTED, "Too small", customer)
    notes = [note for note in history_notes(delivered_order) if "Return requested" in note]
    assert notes == [f"Return requested by the customer (request #{first.pk}): Too small"]
    event = OrderStatusEvent.objects.filter(order=delivered_order).last()
    assert (event.from_status, event.to_status) == (S.DELIVERED, S.DELIVERED)
    allowed, reason = order_can_return(Order.objects.get(pk=delivered_order.pk))
    assert not allowed
    assert "already been requested" in reason


@pytest.mark.parametrize(
    ("steps", "message"),
    [(0, "not been delivered"), (1, "not been delivered"), (2, "on its way")],
)
def test_an_order_not_delivered_cannot_be_returned(paid_order, steps, message):
    if steps >= 1:
        order_start_processing(order=paid_order)
    if steps >= 2:
        order_ship(order=paid_order, carrier="DHL", tracking_number="X")
    with pytest.raises(InvalidTransition, match=message):
        order_return_request(order=paid_order, reason="")
    assert not ReturnRequest.objects.exists()


def test_a_cancelled_order_cannot_be_returned(paid_order):
    order_cancel_by_customer(order=paid_order)
    with pytest.raises(InvalidTransition, match="cancelled"):
        order_return_request(order=paid_order, reason="")


def test_the_return_window_counts_from_delivery(delivered_order, settings):
    settings.SHOP_RETURN_WINDOW_DAYS = 30

    # Delivered 30 days minus a minute ago: still inside the window
    deliver_days_ago(delivered_order, 30, seconds=-60)
    assert order_can_return(Order.objects.get(pk=delivered_order.pk)) == (True, "")

    # 30 days and a minute ago: the window has closed
    deliver_days_ago(delivered_order, 30, seconds=60)
    order = Order.objects.get(pk=delivered_order.pk)
    allowed, reason = order_can_return(order)
    assert not allowed
    assert "30-day return period" in reason
    with pytest.raises(InvalidTransition, match="return period"):
        order_return_request(order=order, reason="late")


def test_the_window_edge_is_inclusive(delivered_order, settings):
    settings.SHOP_RETURN_WINDOW_DAYS = 10
    order = Order.objects.get(pk=delivered_order.pk)
    delivered_at = order_delivered_at(order)
    ends = delivered_at + timedelta(days=10)
    assert order_can_return(order, now=ends) == (True, "")
    assert order_can_return(order, now=ends + timedelta(microseconds=1))[0] is False


def test_the_window_setting_is_read_at_call_time(delivered_order, settings):
    deliver_days_ago(delivered_order, 40)
    settings.SHOP_RETURN_WINDOW_DAYS = 30
    assert order_can_return(Order.objects.get(pk=delivered_order.pk))[0] is False
    settings.SHOP_RETURN_WINDOW_DAYS = 60
    assert order_can_return(Order.objects.get(pk=delivered_order.pk))[0] is True


def test_the_delivery_date_is_the_delivered_event_not_the_shipping(delivered_order):
    Order.objects.filter(pk=delivered_order.pk).update(
        shipped_at=timezone.now() - timedelta(days=300)
    )
    order = Order.objects.get(pk=delivered_order.pk)
    event = order.status_events.get(to_status=S.DELIVERED)
    assert order_delivered_at(order) == event.created_at


def test_a_malformed_reason_is_refused(delivered_order):
    with pytest.raises(OrderError):
        order_return_request(order=delivered_order, reason="x\x00y")
    with pytest.raises(OrderError, match="at most"):
        order_return_request(order=delivered_order, reason="x" * 2001)
    with pytest.raises(OrderError):
        order_return_request(order=delivered_order, reason=["list"])
    assert not ReturnRequest.objects.exists()


def test_the_database_keeps_one_open_request_per_order(delivered_order):
    ReturnRequest.objects.create(order=delivered_order)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReturnRequest.objects.create(order=delivered_order, status=RR.APPROVED)
    ReturnRequest.objects.create(order=delivered_order, status=RR.REJECTED)


def test_approve_then_refund_gives_the_money_and_stock_back_once(
    delivered_order, ring, merchant, recording_gateway
):
    request = order_return_request(order=delivered_order, reason="Too small")

    approved = return_request_approve(return_request=request, by=merchant)
    assert return_request_approve(return_request=request, by=merchant).status == RR.APPROVED
    assert (approved.status, approved.decided_by) == (RR.APPROVED, merchant)
    assert approved.decided_at is not None

    refunded = return_request_refund(return_request=request, by=merchant)
    again = return_request_refund(return_request=request, by=merchant)

    assert refunded.status == again.status == RR.REFUNDED
    assert refunded.refunded_at is not None
    assert len(recording_gateway.refund_calls) == 1
    assert stock(ring) == 5  # as order_refund does after delivery: the pieces came back
    order = Order.objects.get(pk=delivered_order.pk)
    assert order.status == S.REFUNDED
    notes = history_notes(order)
    assert f"Return request #{request.pk} approved" in notes
    assert f"Return request #{request.pk} refunded" in notes
    assert len([note for note in notes if "approved" in note]) == 1


def test_a_request_must_be_approved_before_its_refund(delivered_order, merchant, recording_gateway):
    request = order_return_request(order=delivered_order, reason="")
    with pytest.raises(InvalidTransition, match="Approve"):
        return_request_refund(return_request=request, by=merchant)
    assert recording_gateway.refund_calls == []
    assert ReturnRequest.objects.get(pk=request.pk).status == RR.REQUESTED


def test_reject_is_final_and_logged(delivered_order, merchant, recording_gateway):
    request = order_return_request(order=delivered_order, reason="")

    rejected = return_request_reject(return_request=request, by=merchant, note="Worn")
    again = return_request_reject(return_request=request, by=merchant, note="Other")

    assert (rejected.status, rejected.note) == (RR.REJECTED, "Worn")
    assert again.note == "Worn"
    assert history_notes(delivered_order).count(f"Return request #{request.pk} rejected: Worn") == 1
    for service in (return_request_approve, return_request_refund):
        with pytest.raises(InvalidTransition, match="rejected"):
            service(return_request=request, by=merchant)
    # the shopper is told, and cannot open another request
    allowed, reason = order_can_return(Order.objects.get(pk=delivered_order.pk))
    assert not allowed
    assert "declined" in reason
    with pytest.raises(InvalidTransition, match="declined"):
        order_return_request(order=delivered_order, reason="please")
    assert recording_gateway.refund_calls == []


def test_an_approved_request_can_still_be_rejected_but_not_a_refunded_one(
    delivered_order, merchant
):
    first = order_return_request(order=delivered_order, reason="")
    return_request_approve(return_request=first, by=merchant)
    assert return_request_reject(return_request=first, by=merchant).status == RR.REJECTED

    order = place(
        cart_with((delivered_order.lines.first().variant, 1)), idempotency_key="key-second-1"
    )
    ship(order)
    order_mark_delivered(order=order)
    second = order_return_request(order=order, reason="")
    return_request_approve(return_request=second, by=merchant)
    return_request_refund(return_request=second, by=merchant)
    with pytest.raises(InvalidTransition, match="refunded"):
        return_request_reject(return_request=second, by=merchant)


def test_an_order_refunded_elsewhere_is_not_refunded_again(
    delivered_order, merchant, recording_gateway
):
    request = order_return_request(order=delivered_order, reason="")
    return_request_approve(return_request=request, by=merchant)
    order_refund(order=delivered_order, by=merchant)

    refunded = return_request_refund(return_request=request, by=merchant)

    assert refunded.status == RR.REFUNDED
    assert len(recording_gateway.refund_calls) == 1


def test_a_failed_gateway_refund_keeps_the_request_approved(
    delivered_order, ring, merchant, recording_gateway
):
    request = order_return_request(order=delivered_order, reason="")
    return_request_approve(return_request=request, by=merchant)
    recording_gateway.refund_failures = ["decline"]

    with pytest.raises(RefundFailed):
        return_request_refund(return_request=request, by=merchant)

    assert ReturnRequest.objects.get(pk=request.pk).status == RR.APPROVED
    assert Order.objects.get(pk=delivered_order.pk).status == S.DELIVERED
    assert stock(ring) == 3
    # the retry goes through, once
    return_request_refund(return_request=request, by=merchant)
    assert len(recording_gateway.refunds) == 1


def test_the_shopper_is_emailed_in_the_order_language_when_approved_and_refunded(
    shipping, ring, customer, merchant, recording_gateway, django_capture_on_commit_callbacks
):
    order = place(
        cart_with((ring, 1), user=customer),
        user=customer,
        email=customer.email,
        address=PARIS,
        language="fr",
        idempotency_key="key-french-1",
    )
    ship(order)
    order_mark_delivered(order=order)
    request = order_return_request(order=order, reason="")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        return_request_approve(return_request=request, by=merchant)
    with django_capture_on_commit_callbacks(execute=True):
        return_request_approve(return_request=request, by=merchant)  # nothing new to say
    with django_capture_on_commit_callbacks(execute=True):
        return_request_refund(return_request=request, by=merchant)

    assert [message.to for message in mail.outbox] == [[customer.email]] * 2
    assert all(message.extra_headers["Content-Language"] == "fr" for message in mail.outbox)
    assert order.number in mail.outbox[0].subject
    assert order.number in mail.outbox[1].body


# --- Shipping address -------------------------------------------------------------------------

NEW_PARIS = {
    "full_name": "Claire Martin",
    "line1": "2 place Vendôme",
    "city": "Paris",
    "postal_code": "75001",
    "country": "fr",
}


def test_the_address_changes_before_shipping_and_the_history_says_from_what_to_what(
    paid_order, customer
):
    assert order_can_change_address(paid_order) == (True, "")

    order = order_change_shipping_address(order=paid_order, address=NEW_PARIS, by=customer)

    order.refresh_from_db()
    assert (order.shipping_line1, order.shipping_country.code) == ("2 place Vendôme", "FR")
    assert order.shipping_company == ""
    event = order.status_events.last()
    assert (event.from_status, event.to_status, event.created_by) == (S.PAID, S.PAID, customer)
    assert "10 rue de Rivoli" in event.note
    assert "2 place Vendôme" in event.note
    assert event.note.index("10 rue de Rivoli") < event.note.index("2 place Vendôme")


def test_the_same_address_again_changes_and_logs_nothing(paid_order):
    order_change_shipping_address(order=paid_order, address=NEW_PARIS)
    events = OrderStatusEvent.objects.filter(order=paid_order).count()
    order_change_shipping_address(order=paid_order, address=dict(NEW_PARIS))
    assert OrderStatusEvent.objects.filter(order=paid_order).count() == events


@pytest.mark.parametrize(
    ("address", "field"),
    [
        ({**NEW_PARIS, "full_name": "  "}, "full_name"),
        ({**NEW_PARIS, "line1": ""}, "line1"),
        ({key: value for key, value in NEW_PARIS.items() if key != "city"}, "city"),
        ({**NEW_PARIS, "country": "XX"}, "country"),
        ({**NEW_PARIS, "country": ""}, "country"),
        ({**NEW_PARIS, "postal_code": "9" * 21}, "postal_code"),
        ({**NEW_PARIS, "line2": "a" * 201}, "line2"),
        ({**NEW_PARIS, "phone": 33612345678}, "phone"),
        ({**NEW_PARIS, "city": "Pa\x00ris"}, "city"),
    ],
)
def test_invalid_addresses_are_refused_field_by_field(paid_order, address, field):
    with pytest.raises(AddressInvalid) as error:
        order_change_shipping_address(order=paid_order, address=address)
    assert set(error.value.errors) == {field}
    assert Order.objects.get(pk=paid_order.pk).shipping_line1 == "10 rue de Rivoli"


@pytest.mark.parametrize("address", [None, "10 rue de Rivoli", ["FR"], {"street": "x"}])
def test_an_address_that_is_not_a_dict_of_known_fields_is_refused(paid_order, address):
    with pytest.raises(AddressInvalid):
        order_change_shipping_address(order=paid_order, address=address)


def test_a_country_without_a_shipping_zone_is_refused(paid_order):
    with pytest.raises(ShippingUnavailable, match="do not ship to"):
        order_change_shipping_address(order=paid_order, address={**NEW_PARIS, "country": "KP"})


def test_a_country_in_another_zone_asks_to_contact_the_shop(paid_order):
    london = {
        "full_name": LONDON.full_name,
        "line1": LONDON.line1,
        "city": LONDON.city,
        "country": "GB",
    }
    with pytest.raises(AddressChangeRefused, match="contact us") as error:
        order_change_shipping_address(order=paid_order, address=london)
    assert error.value.code == "contact_shop"
    order = Order.objects.get(pk=paid_order.pk)
    assert (order.shipping_country.code, order.total) == ("FR", paid_order.total)


def test_a_country_of_the_same_zone_with_other_duties_asks_to_contact_the_shop(paid_order):
    # FR and DE share the EU zone; FR charges 20 % VAT on this order, DE has no rate here
    with pytest.raises(AddressChangeRefused):
        order_change_shipping_address(order=paid_order, address={**NEW_PARIS, "country": "DE"})


def test_a_country_of_the_same_zone_with_the_same_charges_is_accepted(paid_order):
    french = DutyRate.objects.get(country="FR")
    DutyRate.objects.create(
        country="DE",
        duty_percent=french.duty_percent,
        tax_percent=french.tax_percent,
        tax_name="MwSt",
        duty_free_under=french.duty_free_under,
    )
    berlin = {"full_name": "Claire Martin", "line1": "Unter den Linden 1", "city": "Berlin"}

    order = order_change_shipping_address(order=paid_order, address={**berlin, "country": "DE"})

    order.refresh_from_db()
    assert order.shipping_country.code == "DE"
    assert (order.duties, order.taxes, order.total) == (
        paid_order.duties,
        paid_order.taxes,
        paid_order.total,
    )
    assert order.taxes > Decimal(0)


def test_the_address_cannot_change_after_shipping(paid_order):
    ship(paid_order)
    allowed, reason = order_can_change_address(Order.objects.get(pk=paid_order.pk))
    assert not allowed
    assert "already shipped" in reason
    with pytest.raises(InvalidTransition, match="already shipped"):
        order_change_shipping_address(order=paid_order, address=NEW_PARIS)


def test_the_address_of_a_cancelled_order_cannot_change(paid_order):
    order_cancel_by_customer(order=paid_order)
    with pytest.raises(InvalidTransition, match="cancelled"):
        order_change_shipping_address(order=paid_order, address=NEW_PARIS)
