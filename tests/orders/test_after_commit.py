"""Nothing is lost or undone when something fails after an order commits.

A broker outage while queueing an e-mail, or a mail server that is down, must neither refund a
paid order nor show the shopper an error: the order stands, the failure is logged, and the
e-mail goes out later (once) from the periodic sweep. A retried e-mail task sends once.

Tests that need the real commit (on-commit work running inside the service's own
`transaction.atomic()` exit, as in production) use transaction=True.
"""

import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from catalog.models import ProductVariant
from orders.models import Order, OrderStatus, Payment
from orders.services import order_ship, order_start_processing
from orders.tasks import send_order_email_task

from .conftest import cart_with, place
from .test_pages import add_to_bag, go_to_review, idempotency_key, text

LATER = timedelta(minutes=30)


@pytest.fixture
def emails_via_celery(settings):
    settings.SHOP_ORDER_EMAILS_VIA_CELERY = True


@pytest.fixture
def smtp_down(settings):
    """A real SMTP backend pointed at a port nobody listens on: sending is refused."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False


def smtp_back(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# --- a broker outage while the order commits -------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_paid_order_stays_paid_and_shown_when_its_email_cannot_be_queued(
    client, shipping, ring, rates, emails_via_celery, broker_down, recording_gateway, caplog
):
    # Given a guest at the last checkout step, e-mails sent by Celery, and the broker down
    add_to_bag(client, ring, 1)
    review = go_to_review(client)

    # When they pay
    with caplog.at_level(logging.ERROR):
        response = client.post(
            "/en/checkout/review/",
            {"card_number": "4242 4242 4242 4242", "idempotency_key": idempotency_key(review)},
        )

    # Then they land on their order's confirmation, not on an error
    assert response.status_code == 302, text(response)
    assert response["Location"].startswith("/en/checkout/complete/")
    order = Order.objects.get()
    assert order.number in text(client.get(response["Location"]))
    # and the order is paid, its payment kept: the provider refunded nothing
    assert order.status == OrderStatus.PAID
    assert order.payments.get().status == Payment.Status.SUCCEEDED
    assert recording_gateway.charges and recording_gateway.refunds == {}
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 4
    # and the failure is in the log, the e-mail still to be sent
    assert "Connection refused" in caplog.text
    assert order.confirmation_email_sent_at is None
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_checkout_service_returns_the_order_when_queueing_its_email_fails(
    shipping, ring, emails_via_celery, broker_down, recording_gateway
):
    order = place(cart_with((ring, 2)), idempotency_key="broker-down-01")

    assert order.status == OrderStatus.PAID
    assert Order.objects.get().status == OrderStatus.PAID
    assert recording_gateway.refunds == {}
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 3


@pytest.mark.django_db(transaction=True)
def test_shipping_from_the_admin_succeeds_when_the_email_cannot_be_queued(
    merchant_client, shipping, ring, emails_via_celery, broker_down
):
    # Given a paid order
    order = place(cart_with((ring, 1)), idempotency_key="ship-broker-01")

    # When the merchant ships it from the order list while the broker is down
    response = merchant_client.post(
        "/admin/orders/order/",
        {
            "action": "ship",
            "_selected_action": [order.pk],
            "apply": "1",
            f"order-{order.pk}-carrier": "DHL",
            f"order-{order.pk}-tracking_number": "JD0123",
        },
    )

    # Then the order is shipped and the admin answers normally
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert order.tracking_number == "JD0123"
    assert order.shipped_email_sent_at is None


# --- the sweep sends what could not be sent ----------------------------------------------------


def test_an_email_that_could_not_be_queued_is_sent_later_by_the_sweep_once(
    shipping, ring, emails_via_celery, broker_down, django_capture_on_commit_callbacks
):
    from orders.emails import order_emails_send_pending

    # Given an order whose confirmation could not be queued
    with django_capture_on_commit_callbacks(execute=True):
        order = place(cart_with((ring, 1)), idempotency_key="sweep-0001")
    assert mail.outbox == []

    # When the sweep runs right away, it leaves the fresh order to its own on-commit send
    assert order_emails_send_pending() == 0

    # When it runs again later (the broker is still down: it sends from the worker itself)
    sent = order_emails_send_pending(now=timezone.now() + LATER)

    # Then the confirmation goes out once, and a second sweep sends nothing more
    assert sent == 1
    assert [message.to for message in mail.outbox] == [["guest@example.com"]]
    assert "Order" in mail.outbox[0].subject or order.number in mail.outbox[0].subject
    assert order_emails_send_pending(now=timezone.now() + LATER) == 0
    assert len(mail.outbox) == 1
    order.refresh_from_db()
    assert order.confirmation_email_sent_at is not None


def test_the_sweep_sends_a_shipping_email_that_failed_and_nothing_for_old_orders(
    settings, shipping, ring, smtp_down, django_capture_on_commit_callbacks
):
    from orders.emails import order_emails_send_pending

    # Given a shipped order whose e-mails failed to send (the mail server was down)
    with django_capture_on_commit_callbacks(execute=True):
        order = place(cart_with((ring, 1)), idempotency_key="sweep-0002")
    with django_capture_on_commit_callbacks(execute=True):
        order_start_processing(order=order)
        order_ship(order=Order.objects.get(pk=order.pk), carrier="UPS", tracking_number="1Z9")
    order.refresh_from_db()
    assert order.confirmation_email_sent_at is None and order.shipped_email_sent_at is None

    # When the mail server is back and the sweep runs
    smtp_back(settings)
    sent = order_emails_send_pending(now=timezone.now() + LATER)

    # Then both e-mails go out, each once
    assert sent == 2
    assert len(mail.outbox) == 2
    assert any("1Z9" in message.body for message in mail.outbox)

    # And an order older than the retry window is never e-mailed out of the blue
    with django_capture_on_commit_callbacks(execute=True):
        old = place(cart_with((ring, 1), session_key="old"), idempotency_key="sweep-0003")
    Order.objects.filter(pk=old.pk).update(confirmation_email_sent_at=None)
    days = settings.SHOP_ORDER_EMAIL_RETRY_DAYS
    assert order_emails_send_pending(now=timezone.now() + timedelta(days=days + 1)) == 0


# --- a retried e-mail task sends once -----------------------------------------------------------


def test_an_email_task_delivered_twice_sends_one_email(
    shipping, ring, django_capture_on_commit_callbacks
):
    # Given a paid order whose confirmation went out
    with django_capture_on_commit_callbacks(execute=True):
        order = place(cart_with((ring, 1)), idempotency_key="twice-0001")
    assert len(mail.outbox) == 1

    # When the same task runs again (a redelivered message, a retry after a lost answer)
    send_order_email_task.apply(args=(order.pk, "confirmation")).get()
    send_order_email_task.apply(args=(order.pk, "confirmation")).get()

    # Then no second e-mail is sent
    assert len(mail.outbox) == 1


def test_an_email_that_failed_to_send_is_not_marked_sent(
    settings, shipping, ring, smtp_down, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        order = place(cart_with((ring, 1)), idempotency_key="smtp-down-01")

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.confirmation_email_sent_at is None
    assert "confirmation" in caplog.text

    smtp_back(settings)
    send_order_email_task.apply(args=(order.pk, "confirmation")).get()
    assert len(mail.outbox) == 1
    order.refresh_from_db()
    assert order.confirmation_email_sent_at is not None


def test_the_sweep_runs_every_few_minutes_from_celery_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["orders-send-pending-emails"]
    assert schedule["task"] == "orders.send_pending_emails"
    assert schedule["schedule"] == settings.SHOP_ORDER_EMAIL_RETRY_SECONDS


# --- caches are dropped when the change commits, not only before ------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_rate_read_while_the_merchant_saves_a_new_one_is_not_kept_after_the_commit(rates):
    import threading

    from django.db import connection, transaction

    from orders.selectors import exchange_rates
    from shop.models import ExchangeRate

    assert exchange_rates()["EUR"] == Decimal("0.92")
    seen_meanwhile = {}

    def another_request() -> None:
        try:
            seen_meanwhile["EUR"] = exchange_rates()["EUR"]
        finally:
            connection.close()

    # When the merchant saves a new rate, and a page reads the rates before that commits
    with transaction.atomic():
        rate = ExchangeRate.objects.get(currency="EUR")
        rate.rate = Decimal("0.95")
        rate.save()
        reader = threading.Thread(target=another_request)
        reader.start()
        reader.join(timeout=30)

    # Then the page saw the old rate then, and every page sees the new one from the commit on
    assert seen_meanwhile == {"EUR": Decimal("0.92")}
    assert exchange_rates()["EUR"] == Decimal("0.95")
