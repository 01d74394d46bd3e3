"""The merchant's order admin: list, filters, actions through the services, shipping."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail

from catalog.models import ProductVariant
from orders.models import Order, OrderStatus

from .conftest import LONDON, cart_with, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(shipping, ring):
    return place(cart_with((ring, 2)), address=LONDON, language="fr")


def change_form_data(client, url: str) -> dict:
    """The hidden inputs the admin change page carries (inline management forms...)."""
    page = client.get(url).content.decode()
    data = {}
    for tag in re.findall(r"<input[^>]+>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            data[name.group(1)] = value.group(1) if value else ""
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_order_list_filters_and_searches(merchant_client, paid_order):
    base = "/admin/orders/order/"
    assert paid_order.number in merchant_client.get(base).content.decode()
    assert (
        paid_order.number
        in merchant_client.get(
            f"{base}?status=paid&shipping_country=GB&currency=USD"
        ).content.decode()
    )
    assert paid_order.number not in merchant_client.get(f"{base}?status=shipped").content.decode()
    assert paid_order.number in merchant_client.get(f"{base}?q=guest@example").content.decode()


def test_the_change_page_shows_lines_payments_and_history(merchant_client, paid_order):
    page = merchant_client.get(f"/admin/orders/order/{paid_order.pk}/change/").content.decode()
    assert "RING-7" in page
    assert "Card ending 4242" in page
    assert "Payment received" in page


def test_actions_move_orders_and_explain_those_that_cannot(merchant_client, paid_order):
    response = merchant_client.post(
        "/admin/orders/order/",
        {"action": "mark_delivered", "_selected_action": [paid_order.pk]},
        follow=True,
    )
    assert any("cannot be marked as delivered" in m for m in messages_of(response))
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.PAID

    merchant_client.post(
        "/admin/orders/order/", {"action": "start_processing", "_selected_action": [paid_order.pk]}
    )
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.PROCESSING


def test_cancel_action_refunds_and_restores_stock(merchant_client, paid_order, ring):
    merchant_client.post(
        "/admin/orders/order/", {"action": "cancel", "_selected_action": [paid_order.pk]}
    )
    order = Order.objects.get(pk=paid_order.pk)
    assert order.status == OrderStatus.CANCELLED
    assert order.status_events.last().created_by.email == "merchant@example.com"
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 5


def test_refund_action(merchant_client, paid_order, ring):
    merchant_client.post(
        "/admin/orders/order/", {"action": "refund", "_selected_action": [paid_order.pk]}
    )
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.REFUNDED
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 5


def test_shipping_from_the_change_page_emails_the_customer(
    merchant_client, paid_order, django_capture_on_commit_callbacks
):
    url = f"/admin/orders/order/{paid_order.pk}/change/"
    data = change_form_data(merchant_client, url)
    with django_capture_on_commit_callbacks(execute=True):
        response = merchant_client.post(
            url, {**data, "carrier": "DHL", "tracking_number": "JD0146", "_save": "Save"}
        )
    assert response.status_code == 302
    order = Order.objects.get(pk=paid_order.pk)
    assert (order.status, order.carrier, order.tracking_number) == ("shipped", "DHL", "JD0146")
    assert list(order.status_events.values_list("to_status", flat=True))[-2:] == [
        "processing",
        "shipped",
    ]
    assert len(mail.outbox) == 1 and "JD0146" in mail.outbox[0].body
    assert "/fr/orders/track/" in mail.outbox[0].body


def test_the_shipping_zone_and_duty_admins_open(merchant_client, shipping):
    zone_id = shipping["uk-standard"].zone_id
    assert merchant_client.get("/admin/orders/shippingzone/").status_code == 200
    page = merchant_client.get(f"/admin/orders/shippingzone/{zone_id}/change/")
    assert page.status_code == 200 and "express" in page.content.decode()
    assert merchant_client.get("/admin/orders/dutyrate/").status_code == 200
    assert merchant_client.get("/admin/orders/shippingmethod/").status_code == 200


def test_ship_action_asks_for_tracking_then_ships_and_emails(
    merchant_client, paid_order, django_capture_on_commit_callbacks
):
    # Given a paid order selected in the list, the "Ship with tracking" action
    select = {"action": "ship", "_selected_action": [paid_order.pk]}

    # When the merchant chooses it, an intermediate page asks for the parcel
    page = merchant_client.post("/admin/orders/order/", select)
    assert page.status_code == 200
    html = page.content.decode()
    assert paid_order.number in html and f'name="order-{paid_order.pk}-tracking_number"' in html
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.PAID

    # And applying it without a tracking number shows the page again with the error
    prefix = f"order-{paid_order.pk}"
    missing = merchant_client.post(
        "/admin/orders/order/", {**select, "apply": "1", f"{prefix}-carrier": "DHL"}
    )
    assert missing.status_code == 200 and "This field is required." in missing.content.decode()

    # Then with both, the order is shipped and the customer e-mailed
    with django_capture_on_commit_callbacks(execute=True):
        response = merchant_client.post(
            "/admin/orders/order/",
            {
                **select,
                "apply": "1",
                f"{prefix}-carrier": "DHL",
                f"{prefix}-tracking_number": "JD0146",
            },
            follow=True,
        )
    order = Order.objects.get(pk=paid_order.pk)
    assert (order.status, order.carrier, order.tracking_number) == ("shipped", "DHL", "JD0146")
    assert any("1 order(s) shipped" in m for m in messages_of(response))
    assert len(mail.outbox) == 1 and "JD0146" in mail.outbox[0].body


def test_ship_action_refuses_orders_that_cannot_ship(merchant_client, paid_order):
    merchant_client.post(
        "/admin/orders/order/", {"action": "cancel", "_selected_action": [paid_order.pk]}
    )
    response = merchant_client.post(
        "/admin/orders/order/",
        {"action": "ship", "_selected_action": [paid_order.pk]},
        follow=True,
    )
    assert any("cannot be shipped" in m for m in messages_of(response))
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.CANCELLED
