"""The cart, checkout and order API: behaviour, errors, throttling and authorization."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from catalog.models import ProductVariant
from customers.models import Address
from orders.models import Cart, Order, Payment
from tests.factories import api_token_for

from .conftest import DECLINED_CARD, PROCESSING_ERROR_CARD, SUCCESS_CARD, cart_with, place

pytestmark = pytest.mark.django_db

ADDRESS = {
    "full_name": "Ann Lee",
    "line1": "5 Fifth Avenue",
    "city": "New York",
    "postal_code": "10001",
    "country": "US",
}


@pytest.fixture
def api():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return client


def checkout_body(**overrides) -> dict:
    body = {
        "email": "ann@example.com",
        "address": ADDRESS,
        "shipping_method": "standard",
        "payment_token": SUCCESS_CARD,
        "idempotency_key": "api-key-0001",
    }
    body.update(overrides)
    return body


# --- Cart -------------------------------------------------------------------------------------


def test_a_guest_fills_a_cart_through_the_api(api, ring):
    response = api.post(
        "/api/v1/cart/lines/", {"variant_id": ring.pk, "quantity": 2}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["item_count"] == 2
    assert response.json()["lines"][0]["line_total"] == "200.00"

    cart = api.get("/api/v1/cart/").json()
    assert (cart["currency"], cart["subtotal"], cart["lines"][0]["sku"]) == (
        "USD",
        "200.00",
        "RING-7",
    )


def test_items_can_be_added_by_sku_and_shown_in_another_currency(api, ring, rates):
    api.post("/api/v1/cart/lines/", {"sku": "RING-7"}, format="json")
    cart = api.get("/api/v1/cart/?currency=EUR").json()
    assert (cart["currency"], cart["subtotal"]) == ("EUR", "92.00")


def test_stock_problems_are_409_with_a_clear_message(api, ring):
    response = api.post(
        "/api/v1/cart/lines/", {"variant_id": ring.pk, "quantity": 6}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert (body["error"], body["code"]) == ("Only 5 left of Gold ring (Size 7).", "out_of_stock")


def test_changing_and_removing_a_line(api, ring):
    cart = api.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json").json()
    line_id = cart["lines"][0]["id"]

    response = api.patch(f"/api/v1/cart/lines/{line_id}/", {"quantity": 4}, format="json")
    assert response.status_code == 200 and response.json()["item_count"] == 4

    assert api.delete(f"/api/v1/cart/lines/{line_id}/").status_code == 204
    assert api.get("/api/v1/cart/").json()["lines"] == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"variant_id": "x"},
        {"variant_id": 1, "sku": "RING-7"},
        {"variant_id": 10**40},
        {"variant_id": -3},
        {"sku": "RING-7", "quantity": 0},
        {"sku": "RING-7", "quantity": 10**12},
        {"sku": ["RING-7"]},
        [1, 2, 3],
    ],
)
def test_malformed_cart_input_is_a_400_with_a_message(api, ring, body):
    response = api.post("/api/v1/cart/lines/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]


def test_broken_json_is_a_400(api):
    response = api.post("/api/v1/cart/lines/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.json()


def test_an_unknown_variant_is_404(api, ring):
    response = api.post("/api/v1/cart/lines/", {"variant_id": ring.pk + 1000}, format="json")
    assert response.status_code == 404


def test_writes_are_throttled_under_the_writes_scope(api, ring, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"writes": "2/min"})
    for _ in range(2):
        assert (
            api.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json").status_code
            == 201
        )
    response = api.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    assert response.status_code == 429
    assert "error" in response.json()
    assert api.get("/api/v1/cart/").status_code == 200  # reads are not in the writes scope


def test_a_guest_with_a_session_must_send_the_csrf_token(ring):
    client = APIClient(enforce_csrf_checks=True)
    client.get("/api/v1/cart/")  # sets the csrftoken cookie
    first = client.post(
        "/api/v1/cart/lines/",
        {"variant_id": ring.pk},
        format="json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert first.status_code == 201
    forged = client.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    assert forged.status_code == 403


# --- Authorization: one test per object endpoint ----------------------------------------------


def test_a_customer_cannot_read_another_customers_cart(ring, customer, other_customer):
    cart_with((ring, 3), user=other_customer)
    response = client_for(customer).get("/api/v1/cart/")
    assert response.json()["lines"] == []


def test_a_customer_cannot_change_another_customers_cart_line(ring, customer, other_customer):
    line = cart_with((ring, 1), user=other_customer).lines.get()
    response = client_for(customer).patch(
        f"/api/v1/cart/lines/{line.pk}/", {"quantity": 5}, format="json"
    )
    assert response.status_code == 404
    assert Cart.objects.get(user=other_customer).lines.get().quantity == 1


def test_a_customer_cannot_delete_another_customers_cart_line(ring, customer, other_customer):
    line = cart_with((ring, 1), user=other_customer).lines.get()
    response = client_for(customer).delete(f"/api/v1/cart/lines/{line.pk}/")
    assert response.status_code == 404
    assert Cart.objects.get(user=other_customer).lines.exists()


def test_a_guest_cannot_change_another_guests_cart_line(api, ring):
    line = cart_with((ring, 1), session_key="someone-else").lines.get()
    assert (
        api.patch(f"/api/v1/cart/lines/{line.pk}/", {"quantity": 2}, format="json").status_code
        == 404
    )
    assert api.delete(f"/api/v1/cart/lines/{line.pk}/").status_code == 404


def test_a_customer_cannot_read_another_customers_order(shipping, ring, customer, other_customer):
    theirs = place(cart_with((ring, 1), user=other_customer), user=other_customer)
    response = client_for(customer).get(f"/api/v1/orders/{theirs.number}/")
    assert response.status_code == 404
    assert theirs.email not in response.content.decode()


def test_the_order_list_holds_only_the_customers_orders(shipping, ring, customer, other_customer):
    mine = place(cart_with((ring, 1), user=customer), user=customer, idempotency_key="mine-001")
    place(
        cart_with((ring, 1), user=other_customer), user=other_customer, idempotency_key="theirs-01"
    )
    body = client_for(customer).get("/api/v1/orders/").json()
    assert [row["number"] for row in body["results"]] == [mine.number]


def test_guests_cannot_list_orders(api, shipping, ring):
    place(cart_with((ring, 1)))
    assert api.get("/api/v1/orders/").status_code in (401, 403)


def test_a_customer_cannot_ship_to_another_customers_saved_address(
    shipping, ring, customer, other_customer
):
    theirs = Address.objects.create(
        user=other_customer, full_name="Bob", line1="2 Road", city="Leeds", country="GB"
    )
    client = client_for(customer)
    client.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    body = checkout_body(address=None, address_id=theirs.pk)
    del body["address"]
    response = client.post("/api/v1/checkout/", body, format="json")
    assert response.status_code == 400
    assert "2 Road" not in response.content.decode()
    assert not Order.objects.exists()


def test_a_customer_cannot_take_over_another_customers_idempotency_key(
    shipping, ring, customer, other_customer
):
    place(
        cart_with((ring, 1), user=other_customer),
        user=other_customer,
        idempotency_key="their-key-1",
    )
    client = client_for(customer)
    client.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    response = client.post(
        "/api/v1/checkout/", checkout_body(idempotency_key="their-key-1"), format="json"
    )
    assert response.status_code == 409
    assert "their-key" not in response.content.decode()
    assert Order.objects.count() == 1


# --- Checkout ---------------------------------------------------------------------------------


def test_a_quote_lists_the_methods_and_totals_for_a_country(api, shipping, ring, rates):
    api.post("/api/v1/cart/lines/", {"variant_id": ring.pk, "quantity": 2}, format="json")

    body = api.get("/api/v1/checkout/quote/?country=GB&currency=GBP").json()

    assert [m["code"] for m in body["shipping_methods"]] == ["standard", "express"]
    assert (
        body["currency"],
        body["subtotal"],
        body["shipping"],
        body["duties"],
        body["taxes"],
        body["total"],
    ) == (
        "GBP",
        "158.00",
        "11.85",
        "3.95",
        "34.76",
        "208.56",
    )
    express = api.post(
        "/api/v1/checkout/quote/", {"country": "GB", "shipping_method": "express"}, format="json"
    ).json()
    assert (express["shipping_method"], express["currency"]) == ("express", "USD")


def test_a_quote_for_a_country_without_shipping_says_so(api, shipping):
    body = api.get("/api/v1/checkout/quote/?country=KP").json()
    assert body["ships"] is False and body["shipping_methods"] == []


@pytest.mark.parametrize(
    "query", ["", "?country=", "?country=XX", "?country=usa", "?country=US&currency=BTC"]
)
def test_a_malformed_quote_is_a_400(api, shipping, query):
    response = api.get(f"/api/v1/checkout/quote/{query}")
    assert response.status_code == 400
    assert response.json()["error"]


def test_a_guest_checks_out_through_the_api(api, shipping, ring):
    api.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")

    response = api.post("/api/v1/checkout/", checkout_body(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["currency"], body["total"]) == ("paid", "USD", "108.00")
    assert body["url"].startswith("http://testserver/en/orders/track/")
    assert api.get(body["url"]).status_code == 200
    assert ProductVariant.objects.get(pk=ring.pk).stock_quantity == 4


def test_the_same_key_twice_returns_the_same_order_once(api, shipping, ring):
    api.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    first = api.post("/api/v1/checkout/", checkout_body(), format="json")
    second = api.post("/api/v1/checkout/", checkout_body(), format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["number"] == second.json()["number"]
    assert Order.objects.count() == Payment.objects.count() == 1


@pytest.mark.parametrize(
    ("card", "code"),
    [(DECLINED_CARD, "card_declined"), (PROCESSING_ERROR_CARD, "processing_error")],
)
def test_payment_failures_are_402_with_a_code(api, shipping, ring, card, code):
    api.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    response = api.post("/api/v1/checkout/", checkout_body(payment_token=card), format="json")
    assert response.status_code == 402
    assert response.json()["code"] == code
    assert not Order.objects.exists()


def test_a_customer_checks_out_with_a_saved_address_and_reads_the_order(shipping, ring, customer):
    address = Address.objects.create(
        user=customer, full_name="Alice", line1="1 Strand", city="London", country="GB"
    )
    client = client_for(customer)
    client.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    body = checkout_body(address_id=address.pk, shipping_method="express")
    del body["address"], body["email"]

    created = client.post("/api/v1/checkout/", body, format="json")

    assert created.status_code == 201, created.json()
    number = created.json()["number"]
    detail = client.get(f"/api/v1/orders/{number}/").json()
    assert detail["email"] == customer.email
    assert detail["shipping_address"]["country"] == "GB"
    assert [event["status"] for event in detail["history"]] == ["pending", "paid"]
    assert detail["shipping"] == "35.00"
    assert Decimal(detail["total_base"]) == Order.objects.get().total


def test_a_checkout_with_a_stale_expected_total_is_a_409_and_charges_nothing(
    api, shipping, ring, necklace
):
    api.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    quote = api.get("/api/v1/checkout/quote/?country=US&shipping_method=standard").json()
    api.post("/api/v1/cart/lines/", {"variant_id": necklace.pk}, format="json")

    response = api.post(
        "/api/v1/checkout/",
        checkout_body(expected_total=quote["total"], shipping_method="standard"),
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (409, "total_changed")
    assert not Order.objects.exists() and not Payment.objects.exists()

    # And with the total of the bag as it is now, the order goes through
    quote = api.get("/api/v1/checkout/quote/?country=US&shipping_method=standard").json()
    response = api.post(
        "/api/v1/checkout/", checkout_body(expected_total=quote["total"]), format="json"
    )
    assert response.status_code == 201 and response.json()["total"] == quote["total"]


def test_the_idempotency_key_can_come_in_the_header(api, shipping, ring):
    api.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    body = checkout_body()
    del body["idempotency_key"]

    first = api.post("/api/v1/checkout/", body, format="json", HTTP_IDEMPOTENCY_KEY="hdr-key-001")
    second = api.post("/api/v1/checkout/", body, format="json", HTTP_IDEMPOTENCY_KEY="hdr-key-001")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["number"] == second.json()["number"]
    assert Order.objects.count() == Payment.objects.count() == 1
    assert Order.objects.get().idempotency_key == "hdr-key-001"


@pytest.mark.parametrize(
    "header, body_key, code",
    [
        (None, None, "idempotency_key_required"),
        ("bad key!", None, "invalid_idempotency_key"),
        ("hdr-key-001", "body-key-001", "invalid_idempotency_key"),
    ],
)
def test_a_missing_or_conflicting_idempotency_key_is_a_400(
    api, shipping, ring, header, body_key, code
):
    api.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    body = checkout_body()
    del body["idempotency_key"]
    if body_key:
        body["idempotency_key"] = body_key
    extra = {"HTTP_IDEMPOTENCY_KEY": header} if header else {}
    response = api.post("/api/v1/checkout/", body, format="json", **extra)
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"email": "nope"},
        {"idempotency_key": "short"},
        {"idempotency_key": "spaces are not ok"},
        {"address": {"full_name": "x"}},
        {"address": "a string"},
        {"address": {**ADDRESS, "country": "ZZ"}},
        {"shipping_method": ""},
        {"payment_token": "4" * 200},
    ],
)
def test_malformed_checkouts_are_400s(api, shipping, ring, changes):
    api.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    response = api.post("/api/v1/checkout/", checkout_body(**changes), format="json")
    assert response.status_code == 400
    assert response.json()["error"]
    assert not Order.objects.exists()


def test_a_guest_must_give_an_email(api, shipping, ring):
    api.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    body = checkout_body()
    del body["email"]
    response = api.post("/api/v1/checkout/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "email_required")


def test_checking_out_an_empty_cart_is_a_400(api, shipping):
    response = api.post("/api/v1/checkout/", checkout_body(), format="json")
    assert (response.status_code, response.json()["code"]) == (400, "cart_empty")


def test_checking_out_to_a_country_without_shipping_is_a_400(api, shipping, ring):
    api.post("/api/v1/cart/lines/", {"variant_id": ring.pk}, format="json")
    response = api.post(
        "/api/v1/checkout/", checkout_body(address={**ADDRESS, "country": "KP"}), format="json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "no_shipping")


def test_the_schema_documents_the_endpoints(api):
    schema = api.get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/cart/",
        "/api/v1/cart/lines/",
        "/api/v1/cart/lines/{line_id}/",
        "/api/v1/checkout/",
        "/api/v1/checkout/quote/",
        "/api/v1/orders/",
        "/api/v1/orders/{number}/",
    ):
        assert path in schema["paths"], path
