"""On a real PostgreSQL server: concurrent checkouts never oversell; one key, one order.

Each thread uses its own database connection (Django opens one per thread) and closes it at
the end; the test database is committed to for real (transaction=True) so the threads see
each other's work.
"""

from decimal import Decimal

import pytest

from catalog.models import ProductVariant
from orders.models import Cart, CartLine, Order, Payment
from orders.services import OutOfStock, cart_add
from tests.concurrency import run_together

from .conftest import cart_with, place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_checkouts_racing_for_the_last_five_units_sell_exactly_five(shipping, ring):
    # Given 5 rings left and 20 shoppers, each with one ring in their bag
    carts = [cart_with((ring, 1), session_key=f"shopper-{index}") for index in range(20)]

    # When they all pay at the same moment
    outcomes = run_together(
        20,
        lambda index: place(
            carts[index],
            idempotency_key=f"race-key-{index:04d}",
            email=f"shopper{index}@example.com",
        ),
    )

    # Then exactly 5 orders are placed, the stock is 0, the 15 others are told it is sold out
    orders = [outcome for outcome in outcomes if isinstance(outcome, Order)]
    failures = [outcome for outcome in outcomes if not isinstance(outcome, Order)]
    assert len(orders) == 5
    assert len(failures) == 15
    assert all(isinstance(failure, OutOfStock) for failure in failures), failures
    assert all("out of stock" in failure.message for failure in failures)
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 0
    assert Order.objects.count() == 5
    assert Payment.objects.count() == 5


def test_a_double_submit_at_the_same_moment_places_one_order_and_one_payment(shipping, ring):
    # Given one bag and one checkout form submitted twice at once (same idempotency key)
    cart = cart_with((ring, 2))

    outcomes = run_together(2, lambda index: place(cart, idempotency_key="double-click-1"))

    # Then both submits answer with the same order, charged once
    assert all(isinstance(outcome, Order) for outcome in outcomes), outcomes
    assert outcomes[0].pk == outcomes[1].pk
    assert Order.objects.count() == 1
    assert Payment.objects.count() == 1
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 3


def test_a_double_submit_one_after_the_other_places_one_order(shipping, ring):
    cart = cart_with((ring, 1))
    first = place(cart, idempotency_key="double-click-2")
    second = place(cart, idempotency_key="double-click-2")
    assert first.pk == second.pk
    assert Order.objects.count() == Payment.objects.count() == 1
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 4


def test_concurrent_checkouts_of_several_items_in_opposite_orders_do_not_deadlock(
    shipping, ring, necklace
):
    # Given bags holding the same two items (locks are always taken in id order)
    carts = [cart_with((ring, 1), (necklace, 1), session_key=f"pair-{index}") for index in range(6)]

    outcomes = run_together(
        6,
        lambda index: place(
            carts[index], idempotency_key=f"pair-key-{index:04d}", email=f"pair{index}@example.com"
        ),
    )

    # Then the 3 necklaces go to 3 shoppers and nobody waits forever
    orders = [outcome for outcome in outcomes if isinstance(outcome, Order)]
    assert len(orders) == 3
    assert all(isinstance(o, (Order, OutOfStock)) for o in outcomes), outcomes
    assert ProductVariant.objects.get(pk=necklace.pk).stock_quantity == 0
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 2
    assert sum(order.total for order in orders) == 3 * Decimal("350.00")


def test_an_api_double_submit_with_one_idempotency_key_header_charges_once(
    shipping, ring, customer
):
    # Given a customer's bag and two API requests sent at once with one Idempotency-Key
    from rest_framework.test import APIClient

    from tests.factories import api_token_for

    cart_with((ring, 2), user=customer)
    token = api_token_for(customer)
    body = {
        "address": {"full_name": "Ann Lee", "line1": "5 Fifth Avenue", "city": "New York",
                    "postal_code": "10001", "country": "US"},
        "shipping_method": "standard",
        "payment_token": "4242 4242 4242 4242",
    }  # fmt: skip

    def submit(index: int):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client.post(
            "/api/v1/checkout/", body, format="json", HTTP_IDEMPOTENCY_KEY="api-double-0001"
        )

    responses = run_together(2, submit)

    # Then one answer is "created", the other the same order again; one payment, 2 units sold
    assert sorted(response.status_code for response in responses) == [200, 201], responses
    assert responses[0].json()["number"] == responses[1].json()["number"]
    assert Order.objects.count() == Payment.objects.count() == 1
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 3


def test_bag_adds_of_one_item_at_the_same_moment_all_count_and_none_fails(ring):
    # Given a guest's bag and four requests adding the same ring at once (a double click,
    # several tabs)
    cart = Cart.objects.create(session_key="racing-adds")

    def add(index: int):
        variant = ProductVariant.objects.select_related("product").get(pk=ring.pk)
        return cart_add(cart=Cart.objects.get(pk=cart.pk), variant=variant, quantity=1)

    outcomes = run_together(4, add)

    # Then every add succeeded (no unique-constraint error) and the bag holds all four
    assert all(isinstance(outcome, CartLine) for outcome in outcomes), outcomes
    assert list(CartLine.objects.filter(cart=cart).values_list("quantity", flat=True)) == [4]


def test_bag_adds_through_the_page_at_the_same_moment_never_give_a_500(ring):
    from django.test import Client

    # Given a guest who has a bag (and so a session)
    first = Client()
    assert first.post("/en/cart/add/", {"variant": ring.pk, "quantity": 1}).status_code == 302
    cookie = first.cookies["sessionid"].value

    def add(index: int):
        client = Client(raise_request_exception=False)
        client.cookies["sessionid"] = cookie
        return client.post("/en/cart/add/", {"variant": ring.pk, "quantity": 1}).status_code

    statuses = run_together(3, add)

    assert statuses == [302, 302, 302]
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [4]


def test_a_refund_clicked_twice_at_the_same_moment_refunds_once(shipping, ring, recording_gateway):
    from orders.services import InvalidTransition, order_refund

    order = place(cart_with((ring, 2)), idempotency_key="refund-race-1")

    outcomes = run_together(2, lambda index: order_refund(order=Order.objects.get(pk=order.pk)))

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "InvalidTransition",
        "Order",
    ], outcomes
    assert any(isinstance(outcome, InvalidTransition) for outcome in outcomes)
    assert len(recording_gateway.refund_calls) == 1
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 5
