"""What a replayed checkout and an error message may tell, and to whom.

A guest's checkout replayed with their idempotency key and e-mail hands their order (address,
tracking link) only to the bag (the session) that placed it; anyone else learns only that the
order was placed. Names of unpublished products never appear in an error message.
"""

import pytest
from rest_framework.test import APIClient

from catalog.models import Product, PublicationStatus
from orders.models import Cart, Order, Payment
from orders.services import OrderError
from tests.factories import ProductFactory

from .conftest import SUCCESS_CARD, cart_with, place
from .test_pages import GUEST_ADDRESS, add_to_bag, go_to_review, idempotency_key, text

pytestmark = pytest.mark.django_db

SECRET_NAME = "Aurora Secret Tiara"
ADDRESS = {
    "full_name": "Ann Lee",
    "line1": "5 Fifth Avenue",
    "city": "New York",
    "postal_code": "10001",
    "country": "US",
}


def checkout_body(**overrides) -> dict:
    body = {
        "email": "ann@example.com",
        "address": ADDRESS,
        "shipping_method": "standard",
        "payment_token": SUCCESS_CARD,
        "idempotency_key": "guest-key-0001",
    }
    body.update(overrides)
    return body


def tells_nothing_of(order: Order, content: str) -> bool:
    secrets = [order.number, order.shipping_line1, order.shipping_name, "/orders/track/"]
    return not any(secret in content for secret in secrets)


# --- replays --------------------------------------------------------------------------------------


def test_a_guests_key_and_email_replayed_from_elsewhere_reveal_nothing_through_the_api(
    shipping, ring
):
    # Given a guest who placed an order through the API
    guest = APIClient()
    guest.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    assert guest.post("/api/v1/checkout/", checkout_body(), format="json").status_code == 201
    order = Order.objects.get()

    # When someone else, who knows the key and the e-mail, sends the same checkout
    stranger = APIClient()
    stranger.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    response = stranger.post("/api/v1/checkout/", checkout_body(), format="json")

    # Then they learn that it was placed, and nothing of the order
    assert response.status_code == 409
    assert response.json()["code"] == "already_placed"
    assert "e-mail" in response.json()["error"]
    assert tells_nothing_of(order, response.content.decode())
    assert Order.objects.count() == Payment.objects.count() == 1

    # While the guest's own replay still answers with their order
    again = guest.post("/api/v1/checkout/", checkout_body(), format="json")
    assert again.status_code == 200 and again.json()["number"] == order.number


def test_a_stranger_without_a_bag_learns_nothing_either(shipping, ring):
    guest = APIClient()
    guest.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    guest.post("/api/v1/checkout/", checkout_body(), format="json")
    order = Order.objects.get()

    response = APIClient().post("/api/v1/checkout/", checkout_body(), format="json")

    assert response.status_code == 409
    assert tells_nothing_of(order, response.content.decode())


def test_the_checkout_page_replayed_from_another_session_does_not_show_the_order(
    client, shipping, ring, rates
):
    # Given a guest who placed an order on the checkout page
    add_to_bag(client, ring)
    review = go_to_review(client)
    key = idempotency_key(review)
    placed = client.post(
        "/en/checkout/review/", {"card_number": SUCCESS_CARD, "idempotency_key": key}
    )
    assert placed.status_code == 302
    order = Order.objects.get()

    # When someone else fills the checkout with the same e-mail and posts the guest's key
    from django.test import Client

    stranger = Client()
    add_to_bag(stranger, ring)
    go_to_review(stranger, details=GUEST_ADDRESS)
    response = stranger.post(
        "/en/checkout/review/", {"card_number": SUCCESS_CARD, "idempotency_key": key}
    )

    # Then they are told the order was placed (check your e-mail), not shown it
    assert response.status_code == 409
    page = text(response)
    assert "already placed" in page
    # (the address on the page is the one the stranger typed themselves)
    assert order.number not in page
    assert "/orders/track/" not in page and "/checkout/complete/" not in page
    assert Order.objects.count() == 1


def test_the_service_answers_a_replay_from_another_bag_without_the_order(shipping, ring):
    order = place(cart_with((ring, 1)), idempotency_key="svc-replay-1")

    with pytest.raises(OrderError) as refused:
        place(cart_with((ring, 1), session_key="another"), idempotency_key="svc-replay-1")
    assert refused.value.code == "already_placed"
    assert order.number not in refused.value.message

    with pytest.raises(OrderError):
        place(None, idempotency_key="svc-replay-1")

    same = place(Order.objects.get().cart, idempotency_key="svc-replay-1")
    assert same.pk == order.pk and same.replayed


# --- names of unpublished products ----------------------------------------------------------------


@pytest.fixture
def secret(db):
    """A draft product, not yet announced."""
    product = ProductFactory(
        handle="aurora-tiara", name=SECRET_NAME, status=PublicationStatus.DRAFT
    )
    return product.variants.get()


def test_adding_an_unpublished_item_to_the_bag_never_names_it(client, secret):
    page = client.post("/en/cart/add/", {"variant": secret.pk, "quantity": 1})
    assert page.status_code == 400
    assert SECRET_NAME not in text(page)

    api = APIClient().post("/api/v1/cart/lines/", {"variant_id": secret.pk}, format="json")
    assert api.status_code in (404, 409)
    assert SECRET_NAME not in api.content.decode()


def test_a_bag_item_unpublished_later_is_not_named_in_the_bag_checkout_or_api(
    client, shipping, ring, rates
):
    # Given a guest's bag holding a ring that is then unpublished (and renamed for a launch)
    add_to_bag(client, ring)
    product = Product.objects.get(pk=ring.product_id)
    product.set_current_language("en")
    product.name = SECRET_NAME
    product.status = PublicationStatus.DRAFT
    product.save()

    # Then neither the bag, nor the checkout, nor the API names it
    bag = text(client.get("/en/cart/"))
    assert SECRET_NAME not in bag and "gold-ring" not in bag
    assert "no longer available" in bag
    api = APIClient()
    api.cookies = client.cookies
    assert SECRET_NAME not in api.get("/api/v1/cart/").content.decode()

    with pytest.raises(OrderError) as refused:
        place(Cart.objects.get())
    assert SECRET_NAME not in refused.value.message


def test_a_guest_cart_merged_on_sign_in_does_not_name_an_unpublished_item(ring, customer):
    from orders.services import cart_merge

    guest_cart = cart_with((ring, 1), session_key="merging")
    Product.objects.filter(pk=ring.product_id).update(status=PublicationStatus.DRAFT)
    product = Product.objects.get(pk=ring.product_id)
    product.set_current_language("en")
    product.name = SECRET_NAME
    product.save()

    notes = cart_merge(source=guest_cart, user=customer)

    assert notes and not any(SECRET_NAME in note or "Gold ring" in note for note in notes)
