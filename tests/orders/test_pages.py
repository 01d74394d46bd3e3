"""Cart, checkout and order pages, as a guest and as a signed-in customer."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import ProductVariant
from customers.models import Address
from orders.models import Cart, Order, Payment
from orders.selectors import order_access_token
from tests.factories import ProductFactory

from .conftest import DECLINED_CARD, PROCESSING_ERROR_CARD, SUCCESS_CARD, cart_with, place

pytestmark = pytest.mark.django_db

GUEST_ADDRESS = {
    "email": "claire@example.com",
    "full_name": "Claire Martin",
    "line1": "10 rue de Rivoli",
    "city": "Paris",
    "postal_code": "75001",
    "country": "FR",
}


def text(response) -> str:
    return response.content.decode()


def idempotency_key(response) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', text(response)).group(1)


def add_to_bag(client, variant, quantity=1):
    return client.post("/en/cart/add/", {"variant": variant.pk, "quantity": quantity})


def go_to_review(client, *, details=GUEST_ADDRESS, method="standard", prefix="/en"):
    response = client.post(f"{prefix}/checkout/", details)
    assert response.status_code == 302, text(response)
    response = client.post(f"{prefix}/checkout/shipping/", {"method": method})
    assert response.status_code == 302, text(response)
    return client.get(f"{prefix}/checkout/review/")


# --- Cart -------------------------------------------------------------------------------------


def test_an_empty_bag_says_so_and_points_to_the_collection(client):
    response = client.get("/en/cart/")
    assert response.status_code == 200
    assert "Your bag is empty." in text(response)
    assert 'href="/en/products/"' in text(response)


def test_adding_to_the_bag_shows_the_item_with_its_price(client, ring):
    response = add_to_bag(client, ring, 2)
    assert response.status_code == 302 and response["Location"] == "/en/cart/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Added Gold ring (Size 7) to your bag."
    ]
    page = text(client.get("/en/cart/"))
    assert "Gold ring" in page and "Size 7" in page
    assert "$200.00" in page


def test_the_bag_shows_prices_in_the_shoppers_currency(client, ring, rates):
    add_to_bag(client, ring, 1)
    page = text(client.get("/fr/cart/"))  # French shoppers see euros by default
    assert "92,00\xa0€" in page


def test_adding_more_than_the_stock_shows_how_many_are_left(client, ring):
    response = add_to_bag(client, ring, 9)
    assert response.status_code == 400
    assert "Only 5 left of Gold ring (Size 7)." in text(response)


def test_adding_from_a_product_page_goes_back_there_with_the_message(client, ring):
    response = client.post(
        "/en/cart/add/", {"variant": ring.pk, "quantity": 9, "next": "/en/p/gold-ring/"}
    )
    assert response["Location"] == "/en/p/gold-ring/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Only 5 left of Gold ring (Size 7)."
    ]


def test_the_product_page_adds_the_shown_variant_to_the_bag(client, ring):
    # Given the product page, with its add-to-bag form
    page = text(client.get("/en/p/gold-ring/"))
    form = re.search(r'<form class="add-to-bag".*?</form>', page, re.S).group(0)
    assert f'name="variant" value="{ring.pk}"' in form
    assert 'action="/en/cart/add/"' in form and "Add to bag" in form

    # When the shopper submits it, they come back to the product with a message
    response = client.post(
        "/en/cart/add/",
        {"variant": ring.pk, "quantity": 2, "next": "/en/p/gold-ring/"},
        follow=True,
    )

    # Then the header's bag link counts the two rings
    assert response.redirect_chain[-1][0] == "/en/p/gold-ring/"
    page = text(response)
    assert "Added Gold ring (Size 7) to your bag." in page
    assert re.search(r'class="icon-link__count">2<', page)


def test_a_sold_out_variant_cannot_be_added_from_the_product_page(client, ring):
    ProductVariant.objects.filter(pk=ring.pk).update(stock_quantity=0)
    page = text(client.get("/en/p/gold-ring/"))
    form = re.search(r'<form class="add-to-bag".*?</form>', page, re.S).group(0)
    assert "disabled" in form and "Sold out" in form


def test_an_offsite_next_address_is_ignored(client, ring):
    response = client.post(
        "/en/cart/add/", {"variant": ring.pk, "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/en/cart/"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"variant": "abc"},
        {"variant": "99999999"},
        {"variant": "1", "quantity": "0"},
        {"variant": str(10**30)},
    ],
)
def test_malformed_adds_are_refused_without_an_error_page(client, ring, data):
    response = client.post("/en/cart/add/", data)
    assert response.status_code == 400
    assert not Cart.objects.filter(lines__isnull=False).exists()


def test_changing_and_removing_lines_from_the_bag(client, ring):
    add_to_bag(client, ring, 1)
    line = Cart.objects.get().lines.get()

    client.post(f"/en/cart/lines/{line.pk}/", {"quantity": 3})
    assert Cart.objects.get().lines.get().quantity == 3

    response = client.post(f"/en/cart/lines/{line.pk}/", {"quantity": 7})
    assert response.status_code == 400
    assert "Only 5 left" in text(response)

    client.post(f"/en/cart/lines/{line.pk}/remove/")
    assert not Cart.objects.get().lines.exists()


def test_nobody_can_change_a_line_of_someone_elses_bag(client, ring):
    other = cart_with((ring, 1), session_key="someone-else")
    line = other.lines.get()
    assert client.post(f"/en/cart/lines/{line.pk}/", {"quantity": 5}).status_code == 404
    assert client.post(f"/en/cart/lines/{line.pk}/remove/").status_code == 404
    assert other.lines.get().quantity == 1


def test_the_cart_page_costs_the_same_queries_for_one_or_many_lines(client, ring):
    add_to_bag(client, ring, 1)
    client.get("/en/cart/")
    with CaptureQueriesContext(connection) as one_line:
        client.get("/en/cart/")
    for index in range(7):
        product = ProductFactory(
            handle=f"extra-{index}", variants=[{"price": Decimal("10"), "stock_quantity": 2}]
        )
        add_to_bag(client, product.variants.get(), 1)
    with CaptureQueriesContext(connection) as eight_lines:
        response = client.get("/en/cart/")
    assert text(response).count('class="cart-line') == 8
    assert len(eight_lines.captured_queries) == len(one_line.captured_queries)


def test_the_header_count_comes_from_the_context_processor(rf, ring):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    from orders.cart_session import cart_for_request
    from orders.context_processors import cart
    from orders.services import cart_add

    request = rf.get("/")
    request.user, request.session = AnonymousUser(), SessionStore()
    assert cart(request)["cart_item_count"] == 0
    cart_add(cart=cart_for_request(request), variant=ring, quantity=3)
    assert cart(request)["cart_item_count"] == 3


# --- Checkout ---------------------------------------------------------------------------------


def test_checkout_with_an_empty_bag_goes_back_to_the_bag(client):
    assert client.get("/en/checkout/")["Location"] == "/en/cart/"


def test_a_guest_checks_out_from_bag_to_confirmation(
    client, shipping, ring, rates, django_capture_on_commit_callbacks
):
    # Given a guest with a ring in the bag, browsing in French (euros)
    add_to_bag(client, ring, 2)

    # When they give their address in France and choose standard shipping
    response = client.post("/fr/checkout/", GUEST_ADDRESS)
    assert response["Location"] == "/fr/checkout/shipping/"
    shipping_page = client.get("/fr/checkout/shipping/")
    assert 'value="standard"' in text(shipping_page)
    assert 'value="express"' not in text(shipping_page)  # a US/UK method, not offered to France
    client.post("/fr/checkout/shipping/", {"method": "standard"})

    # Then the review shows the itemised totals in euros, duty and TVA included
    review = client.get("/fr/checkout/review/")
    page = text(review)
    assert "184,00\xa0€" in page  # subtotal 200.00 USD
    assert "13,80\xa0€" in page  # shipping 15.00 USD
    assert "4,60\xa0€" in page  # duty 2.5 % = 5.00 USD
    assert "40,48\xa0€" in page  # TVA 20 % of 220.00 USD = 44.00 USD
    assert "242,88\xa0€" in page  # total

    # When they pay with the good test card
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/fr/checkout/review/",
            {"card_number": SUCCESS_CARD, "idempotency_key": idempotency_key(review)},
        )

    # Then they land on the confirmation of their paid order, and get an e-mail in French
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/checkout/complete/")
    confirmation = client.get(response["Location"])
    assert order.number in text(confirmation)
    assert "242,88\xa0€" in text(confirmation)
    assert (order.status, order.currency, order.total_in_currency, order.language) == (
        "paid",
        "EUR",
        Decimal("242.88"),
        "fr",
    )
    assert order.email == "claire@example.com"
    assert "/fr/orders/track/" in mail.outbox[0].body
    assert Cart.objects.get().lines.count() == 0


def test_a_country_without_shipping_is_refused_on_the_address_step(client, shipping, ring):
    add_to_bag(client, ring)
    response = client.post("/en/checkout/", {**GUEST_ADDRESS, "country": "KP"})
    assert response.status_code == 400
    assert "Sorry, we do not ship to North Korea yet." in text(response)


def test_the_address_step_lists_every_country(client, shipping, ring):
    add_to_bag(client, ring)
    page = text(client.get("/en/checkout/"))
    assert page.count("<option") > 240


def test_missing_address_fields_are_pointed_out(client, shipping, ring):
    add_to_bag(client, ring)
    response = client.post("/en/checkout/", {"email": "not-an-email", "country": "FR"})
    assert response.status_code == 400
    assert text(response).count("This field is required.") == 3  # name, line 1, city
    assert "Enter a valid email address." in text(response)


def test_a_signed_in_customer_checks_out_with_a_saved_address(client, shipping, ring, customer):
    # Given a customer with a saved London address and a ring in their bag
    address = Address.objects.create(
        user=customer,
        full_name="Alice Brown",
        line1="1 Strand",
        city="London",
        country="GB",
        is_default=True,
    )
    client.force_login(customer)
    add_to_bag(client, ring)

    # When they choose the saved address and express shipping, and pay
    review = go_to_review(
        client, details={"email": customer.email, "saved_address": address.pk}, method="express"
    )
    assert "1 Strand" in text(review)
    response = client.post(
        "/en/checkout/review/",
        {"card_number": SUCCESS_CARD, "idempotency_key": idempotency_key(review)},
    )

    # Then the order is theirs, shipped to the saved address
    order = Order.objects.get()
    assert response.status_code == 302
    assert (order.user, order.shipping_line1, order.shipping_country.code) == (
        customer,
        "1 Strand",
        "GB",
    )
    assert order.shipping_cost == Decimal("35.00")


def test_someone_elses_saved_address_cannot_be_chosen(
    client, shipping, ring, customer, other_customer
):
    theirs = Address.objects.create(
        user=other_customer, full_name="Bob", line1="2 Road", city="Leeds", country="GB"
    )
    client.force_login(customer)
    add_to_bag(client, ring)
    response = client.post("/en/checkout/", {"email": customer.email, "saved_address": theirs.pk})
    assert response.status_code == 400
    assert "2 Road" not in text(response)


@pytest.mark.parametrize(
    ("card", "message"),
    [
        (DECLINED_CARD, "Your card was declined."),
        (PROCESSING_ERROR_CARD, "The payment could not be processed. Please try again."),
    ],
)
def test_a_failed_payment_is_explained_and_can_be_retried(client, shipping, ring, card, message):
    add_to_bag(client, ring)
    review = go_to_review(client, details={**GUEST_ADDRESS, "country": "US"})
    first_key = idempotency_key(review)

    # When the card fails
    response = client.post(
        "/en/checkout/review/", {"card_number": card, "idempotency_key": first_key}
    )

    # Then the shopper reads why, the card number is not shown back, nothing is sold
    assert response.status_code == 402
    assert message in text(response)
    card_input = re.search(r'<input[^>]*name="card_number"[^>]*>', text(response)).group(0)
    assert "value=" not in card_input
    assert not Order.objects.exists()
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 5

    # When they retry with the good card (the page carries a new key)
    retry_key = idempotency_key(response)
    assert retry_key != first_key
    response = client.post(
        "/en/checkout/review/", {"card_number": SUCCESS_CARD, "idempotency_key": retry_key}
    )

    # Then the order is placed once
    assert response.status_code == 302
    assert Order.objects.count() == 1 and Payment.objects.count() == 1


def test_an_invalid_card_number_is_refused_before_any_charge(client, shipping, ring):
    add_to_bag(client, ring)
    review = go_to_review(client, details={**GUEST_ADDRESS, "country": "US"})
    response = client.post(
        "/en/checkout/review/",
        {"card_number": "1234 5678", "idempotency_key": idempotency_key(review)},
    )
    assert response.status_code == 400
    assert "Enter a valid card number." in text(response)


def expected_total(response) -> str:
    return re.search(r'name="expected_total" value="([^"]+)"', text(response)).group(1)


def test_a_bag_changed_after_the_review_is_not_charged_a_surprise_total(
    client, shipping, ring, necklace
):
    # Given a shopper on the review page, shown the total of one ring
    add_to_bag(client, ring)
    review = go_to_review(client, details={**GUEST_ADDRESS, "country": "US"})
    assert expected_total(review) == "108.00"

    # When they add a necklace in another tab, then pay on the review page
    add_to_bag(client, necklace)
    response = client.post(
        "/en/checkout/review/",
        {
            "card_number": SUCCESS_CARD,
            "idempotency_key": idempotency_key(review),
            "expected_total": expected_total(review),
        },
    )

    # Then nothing is charged, and the page shows the new total to agree to
    assert response.status_code == 409
    assert "Your order total has changed" in text(response)
    assert not Order.objects.exists() and not Payment.objects.exists()
    assert expected_total(response) == "350.00"  # free shipping over 150.00
    response = client.post(
        "/en/checkout/review/",
        {
            "card_number": SUCCESS_CARD,
            "idempotency_key": idempotency_key(response),
            "expected_total": expected_total(response),
        },
    )
    assert response.status_code == 302
    assert Order.objects.get().total_in_currency == Decimal("350.00")


def test_a_tampered_hidden_total_is_refused_with_a_message(client, shipping, ring):
    add_to_bag(client, ring)
    review = go_to_review(client, details={**GUEST_ADDRESS, "country": "US"})
    response = client.post(
        "/en/checkout/review/",
        {
            "card_number": SUCCESS_CARD,
            "idempotency_key": idempotency_key(review),
            "expected_total": "abc",
        },
    )
    assert response.status_code == 400
    assert "The checkout form has expired" in text(response)
    assert not Order.objects.exists()


def test_a_double_submit_lands_on_the_same_order(client, shipping, ring):
    add_to_bag(client, ring)
    review = go_to_review(client, details={**GUEST_ADDRESS, "country": "US"})
    form = {"card_number": SUCCESS_CARD, "idempotency_key": idempotency_key(review)}

    first = client.post("/en/checkout/review/", form)
    second = client.post("/en/checkout/review/", form)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 1 and Payment.objects.count() == 1
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 4


def test_the_checkout_steps_cannot_be_skipped(client, shipping, ring):
    add_to_bag(client, ring)
    assert client.get("/en/checkout/shipping/")["Location"] == "/en/checkout/"
    assert client.get("/en/checkout/review/")["Location"] == "/en/checkout/"
    client.post("/en/checkout/", {**GUEST_ADDRESS, "country": "US"})
    assert client.get("/en/checkout/review/")["Location"] == "/en/checkout/shipping/"
    response = client.post("/en/checkout/shipping/", {"method": "no-such-method"})
    assert response.status_code == 400


# --- Orders -----------------------------------------------------------------------------------


def test_a_guest_sees_their_order_through_the_signed_link_only(client, shipping, ring):
    order = place(cart_with((ring, 1)))
    token = order_access_token(order)

    assert client.get(f"/en/orders/track/{token}/").status_code == 200
    assert client.get(f"/en/orders/track/{order.number}/").status_code == 404
    assert client.get(f"/en/orders/track/{order.number}:forged/").status_code == 404
    assert client.get(f"/en/orders/{order.number}/")["Location"].startswith("/en/account/login/")


def test_order_history_lists_only_the_customers_own_orders(
    client, shipping, ring, customer, other_customer
):
    mine = place(cart_with((ring, 1), user=customer), user=customer, idempotency_key="mine-0001")
    theirs = place(
        cart_with((ring, 1), user=other_customer), user=other_customer, idempotency_key="theirs-001"
    )
    client.force_login(customer)

    page = text(client.get("/en/orders/"))

    assert mine.number in page
    assert theirs.number not in page


def test_another_customers_order_is_not_found(client, shipping, ring, customer, other_customer):
    theirs = place(cart_with((ring, 1), user=other_customer), user=other_customer)
    client.force_login(customer)
    assert client.get(f"/en/orders/{theirs.number}/").status_code == 404


def test_the_order_page_shows_the_timeline_and_tracking(client, shipping, ring, customer):
    from orders.services import order_ship, order_start_processing

    order = place(cart_with((ring, 1), user=customer), user=customer)
    order_start_processing(order=order)
    order_ship(order=order, carrier="DHL", tracking_number="JD0001")
    client.force_login(customer)

    page = text(client.get(f"/en/orders/{order.number}/"))

    assert "Shipped with DHL, tracking number JD0001." in page
    for label in ("Pending payment", "Paid", "Processing", "Shipped"):
        assert label in page


def test_order_history_costs_the_same_queries_for_one_or_many_orders(
    client, shipping, ring, customer
):
    client.force_login(customer)
    ProductVariant.objects.filter(pk=ring.pk).update(stock_quantity=50)
    place(cart_with((ring, 1), user=customer), user=customer, idempotency_key="history-0")
    client.get("/en/orders/")
    with CaptureQueriesContext(connection) as one:
        client.get("/en/orders/")
    for index in range(1, 6):
        Cart.objects.filter(user=customer).delete()
        place(
            cart_with((ring, 1), user=customer), user=customer, idempotency_key=f"history-{index}"
        )
    with CaptureQueriesContext(connection) as six:
        client.get("/en/orders/")
    assert len(six.captured_queries) == len(one.captured_queries)
