"""Placing orders: payment outcomes, stock, idempotency, currency, e-mail and events."""

from decimal import Decimal

import pytest
from django.core import mail

from catalog.models import Product, ProductVariant, PublicationStatus
from events.models import InteractionEvent
from orders.models import Order, OrderStatus, Payment
from orders.payments import TestGateway
from orders.services import (
    EmptyCart,
    IdempotencyConflict,
    OrderError,
    OutOfStock,
    PaymentFailed,
    ProductUnavailable,
    ShippingAddress,
    ShippingUnavailable,
    TotalChanged,
)

from .conftest import (
    DECLINED_CARD,
    LONDON,
    PARIS,
    PROCESSING_ERROR_CARD,
    SUCCESS_CARD,
    cart_with,
    place,
)

pytestmark = pytest.mark.django_db

D = Decimal


def test_a_good_card_places_a_paid_order_and_takes_the_stock(shipping, ring):
    # Given a guest bag with 2 rings (5 in stock)
    cart = cart_with((ring, 2))

    # When the guest pays with the test card that succeeds
    order = place(cart)

    # Then the order is paid, with its history, one payment, lines copied, stock taken
    assert order.status == OrderStatus.PAID
    assert order.paid_at is not None
    assert list(order.status_events.values_list("from_status", "to_status")) == [
        ("", "pending"),
        ("pending", "paid"),
    ]
    payment = order.payments.get()
    assert (payment.status, payment.amount, payment.currency) == (
        "succeeded",
        D("200.00"),
        "USD",
    )  # free shipping over 150
    line = order.lines.get()
    assert (line.product_name, line.sku, line.quantity, line.line_total) == (
        "Gold ring",
        "RING-7",
        2,
        D("200.00"),
    )
    ring.refresh_from_db()
    assert ring.stock_quantity == 3
    assert not cart.lines.exists()


def test_the_card_number_is_never_stored(shipping, ring):
    order = place(cart_with((ring, 1)))
    payment = order.payments.get()
    assert payment.message == "Card ending 4242"
    stored = " ".join(str(value) for value in Payment.objects.values_list().get())
    stored += " ".join(str(value) for value in Order.objects.values_list().get())
    assert "4242424242424242" not in stored.replace(" ", "")


@pytest.mark.parametrize(
    ("card", "code", "message"),
    [
        (DECLINED_CARD, "card_declined", "Your card was declined."),
        (
            PROCESSING_ERROR_CARD,
            "processing_error",
            "The payment could not be processed. Please try again.",
        ),
    ],
)
def test_a_failed_payment_sells_nothing_and_keeps_the_bag(shipping, ring, card, code, message):
    cart = cart_with((ring, 2))

    with pytest.raises(PaymentFailed) as error:
        place(cart, payment_token=card)

    assert (error.value.code, error.value.message) == (code, message)
    assert error.value.retryable == (code == "processing_error")
    assert not Order.objects.exists()
    assert not Payment.objects.exists()
    ring.refresh_from_db()
    assert ring.stock_quantity == 5
    assert cart.lines.get().quantity == 2


def test_after_a_processing_error_a_retry_with_a_new_key_succeeds(shipping, ring):
    cart = cart_with((ring, 1))
    with pytest.raises(PaymentFailed):
        place(cart, payment_token=PROCESSING_ERROR_CARD, idempotency_key="attempt-0001")

    order = place(cart, payment_token=SUCCESS_CARD, idempotency_key="attempt-0002")

    assert order.status == OrderStatus.PAID
    assert Order.objects.count() == 1


def test_an_unknown_card_is_declined_with_a_hint(shipping, ring):
    with pytest.raises(PaymentFailed, match="4242 4242 4242 4242"):
        place(cart_with((ring, 1)), payment_token="4111 1111 1111 1111")


def test_submitting_twice_with_one_key_places_one_order_and_one_payment(shipping, ring):
    cart = cart_with((ring, 1))
    first = place(cart, idempotency_key="same-key-123")
    second = place(cart, idempotency_key="same-key-123")
    assert first.pk == second.pk
    assert Order.objects.count() == 1
    assert Payment.objects.count() == 1
    ring.refresh_from_db()
    assert ring.stock_quantity == 4


def test_someone_elses_key_does_not_reveal_their_order(shipping, ring, customer):
    place(cart_with((ring, 1)), idempotency_key="shared-key-1")
    with pytest.raises(IdempotencyConflict):
        place(cart_with((ring, 1), user=customer), user=customer, idempotency_key="shared-key-1")


def test_asking_for_more_than_is_left_is_out_of_stock(shipping, ring):
    cart = cart_with((ring, 6))
    with pytest.raises(OutOfStock, match="out of stock: only 5 left"):
        place(cart)
    ring.refresh_from_db()
    assert ring.stock_quantity == 5


def test_the_last_units_make_the_product_unavailable_in_listings(shipping, ring):
    place(cart_with((ring, 5)))
    product = Product.objects.get(pk=ring.product_id)
    assert not product.in_stock


def test_an_item_taken_off_sale_cannot_be_bought(shipping, ring):
    cart = cart_with((ring, 1))
    Product.objects.filter(pk=ring.product_id).update(status=PublicationStatus.DRAFT)
    with pytest.raises(ProductUnavailable):
        place(cart)


def test_an_empty_bag_cannot_be_checked_out(shipping):
    with pytest.raises(EmptyCart):
        place(cart_with())
    with pytest.raises(EmptyCart):
        place(None)


def test_a_country_without_shipping_is_refused_clearly(shipping, ring):
    address = ShippingAddress(full_name="Kim", line1="1 Street", city="Pyongyang", country="KP")
    with pytest.raises(ShippingUnavailable, match="we do not ship to this country"):
        place(cart_with((ring, 1)), address=address)


def test_a_method_of_another_zone_cannot_be_used(shipping, ring):
    # "express" exists for the US and the UK, not for the EU
    with pytest.raises(ShippingUnavailable, match="Please choose one of the shipping methods"):
        place(cart_with((ring, 1)), address=PARIS, shipping_method_code="express")


def test_a_malformed_idempotency_key_is_refused(shipping, ring):
    with pytest.raises(OrderError, match="expired"):
        place(cart_with((ring, 1)), idempotency_key="short")


def test_an_order_in_another_currency_stores_the_rate_and_charges_it(
    shipping, rates, ring, necklace
):
    # Given goods worth 350.00 USD sent to London, paid in GBP
    cart = cart_with((ring, 1), (necklace, 1))

    # When the order is placed
    order = place(cart, address=LONDON, currency="GBP", language="en")

    # Then amounts are in USD, the GBP total and rate are stored, and GBP was charged
    assert (order.subtotal, order.shipping_cost, order.duties, order.taxes) == (
        D("350.00"),
        D("0.00"),  # free over 300
        D("8.75"),  # 2.5 % duty, over the 171.00 threshold
        D("71.75"),  # 20 % VAT on 358.75
    )
    assert order.total == D("430.50")
    assert (order.currency, order.exchange_rate) == ("GBP", D("0.79"))
    # The sum of the rounded parts shown (276.50 + 0 + 6.91 + 56.68), not 430.50 * 0.79
    assert order.total_in_currency == D("340.09")
    payment = order.payments.get()
    assert (payment.amount, payment.currency) == (D("340.09"), "GBP")


def test_a_signed_in_customer_places_an_order_on_their_account(shipping, ring, customer):
    order = place(cart_with((ring, 1), user=customer), user=customer, email="")
    assert order.user == customer
    assert order.email == "alice@example.com"


def test_the_confirmation_email_is_sent_after_commit_in_the_order_language(
    shipping, ring, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(cart_with((ring, 1)), address=PARIS, language="fr")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["guest@example.com"]
    assert order.number in message.subject
    assert "/fr/orders/track/" in message.body
    assert 'lang="fr"' in message.alternatives[0][0]
    assert message.extra_headers["Content-Language"] == "fr"


def test_no_email_when_the_payment_fails(shipping, ring, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PaymentFailed):
        place(cart_with((ring, 1)), payment_token=DECLINED_CARD)
    assert mail.outbox == []


def test_a_purchase_records_an_interaction_event_per_product(
    shipping, ring, necklace, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        place(
            cart_with((ring, 2), (necklace, 1), user=customer),
            user=customer,
            address=PARIS,
            language="fr",
        )
    events = InteractionEvent.objects.filter(kind="purchase").order_by("product_id")
    assert [(e.product_id, e.value, e.user_id, e.country, e.language) for e in events] == [
        (ring.product_id, 2.0, customer.pk, "FR", "fr"),
        (necklace.product_id, 1.0, customer.pk, "FR", "fr"),
    ]


class RecordingGateway(TestGateway):
    """The test gateway, remembering the refunds it was asked for."""

    refunds: list = []

    def refund(self, **kwargs):
        RecordingGateway.refunds.append(kwargs)
        return super().refund(**kwargs)


def test_a_failure_after_the_charge_gives_the_money_back(shipping, ring, settings, monkeypatch):
    # Given a charge that succeeds, then the database failing while the payment is saved
    settings.SHOP_PAYMENT_GATEWAY = "tests.orders.test_checkout_services.RecordingGateway"
    RecordingGateway.refunds = []

    def disk_full(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Payment.objects, "create", disk_full)

    # When the order is placed
    with pytest.raises(RuntimeError):
        place(cart_with((ring, 1)))

    # Then nothing is recorded, the stock is untouched, and the charge was refunded
    assert not Order.objects.exists()
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 5
    assert [refund["amount"] for refund in RecordingGateway.refunds] == [D("108.00")]


def test_a_total_other_than_the_one_shown_is_not_charged(shipping, ring, rates):
    # Given a shopper shown 99.36 EUR (the ring and shipping at 0.92), then the rate changes
    cart = cart_with((ring, 1))
    rates["EUR"].rate = Decimal("0.95")
    rates["EUR"].save()

    # When they pay what they were shown
    with pytest.raises(TotalChanged) as refused:
        place(cart, currency="EUR", expected_total=Decimal("99.36"))

    # Then nothing is charged or sold, and the shopper can pay the new total
    assert refused.value.code == "total_changed"
    assert not Order.objects.exists() and not Payment.objects.exists()
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 5
    order = place(cart, currency="EUR", expected_total=Decimal("102.60"))
    assert (order.total_in_currency, order.exchange_rate) == (Decimal("102.60"), Decimal("0.95"))
