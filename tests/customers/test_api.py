"""The account, address book and wishlist API: tokens, validation, and own-data-only."""

import json

import pytest
from rest_framework.test import APIClient

from customers.models import Address, User, WishlistItem
from customers.services import address_create
from tests.customers.conftest import PASSWORD
from tests.factories import ProductFactory, api_token_for

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "amethyst-ring-1893"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def customer_api(customer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(customer)}")
    return client


@pytest.fixture
def their_address(other_customer, address_data):
    return address_create(user=other_customer, **address_data)


@pytest.fixture
def ring():
    return ProductFactory(handle="solitaire-ring", name="Solitaire Ring")


# --- Registration and tokens ------------------------------------------------------------------
def test_register_returns_the_profile_and_a_working_token(api):
    response = api.post(
        "/api/v1/account/register/",
        {"email": "Marie@Example.com", "password": STRONG_PASSWORD, "first_name": "Marie"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["user"]["email"] == "marie@example.com"
    # Language from the request, currency the usual one for it
    assert (body["user"]["preferred_language"], body["user"]["preferred_currency"]) == (
        "fr",
        "EUR",
    )
    api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert api.get("/api/v1/account/").json()["first_name"] == "Marie"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email", "password": STRONG_PASSWORD}, "email"),
        ({"email": "x@example.com", "password": "short"}, "password"),
        ({"email": "x@example.com", "password": "123456789012"}, "password"),
        ({"email": "x@example.com"}, "password"),
        (
            {"email": "x@example.com", "password": STRONG_PASSWORD, "preferred_currency": "BTC"},
            "preferred_currency",
        ),
        (
            {"email": "x@example.com", "password": STRONG_PASSWORD, "first_name": "a" * 151},
            "first_name",
        ),
        (
            {"email": "x@example.com", "password": STRONG_PASSWORD, "first_name": "\ud800"},
            "first_name",
        ),
        (
            {"email": "x@example.com", "password": STRONG_PASSWORD, "last_name": "a\x00b"},
            "last_name",
        ),
    ],
)
def test_register_validation_errors_are_json_400(api, payload, field):
    # Sent as JSON text with escapes, as a client in any language may send it
    body = json.dumps(payload)
    response = api.post("/api/v1/account/register/", body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert field in body["detail"]
    assert body["error"]
    assert not User.objects.filter(email="x@example.com").exists()


def test_register_with_a_taken_email_is_a_clear_400(api, customer):
    response = api.post(
        "/api/v1/account/register/",
        {"email": "ADA@example.com", "password": STRONG_PASSWORD},
        format="json",
    )

    assert response.status_code == 400
    assert "already exists" in response.json()["error"]


def test_register_with_a_malformed_body_is_a_400(api):
    response = api.post("/api/v1/account/register/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "error" in response.json()


def test_token_obtain_and_use(api, customer):
    response = api.post(
        "/api/v1/account/token/",
        {"email": "Ada@Example.com", "password": PASSWORD},
        format="json",
    )

    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    profile = api.get("/api/v1/account/")
    assert profile.status_code == 200
    assert profile.json()["email"] == "ada@example.com"


def test_token_with_a_wrong_password_is_a_400(api, customer):
    response = api.post(
        "/api/v1/account/token/", {"email": "ada@example.com", "password": "nope"}, format="json"
    )

    assert response.status_code == 400
    assert "do not match" in response.json()["error"]
    assert "token" not in response.json()


def test_token_obtain_is_locked_out_like_the_sign_in_page(api, customer):
    # Given five wrong passwords through the API
    statuses = [
        api.post(
            "/api/v1/account/token/",
            {"email": "ada@example.com", "password": "nope"},
            format="json",
            REMOTE_ADDR="203.0.113.9",
        ).status_code
        for _attempt in range(5)
    ]

    # Then the right one is refused too, as JSON
    response = api.post(
        "/api/v1/account/token/",
        {"email": "ada@example.com", "password": PASSWORD},
        format="json",
        REMOTE_ADDR="203.0.113.9",
    )
    assert statuses == [400, 400, 400, 400, 429]
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "locked_out"


def test_account_needs_authentication(api):
    assert api.get("/api/v1/account/").status_code in (401, 403)
    assert api.get("/api/v1/account/addresses/").status_code in (401, 403)
    assert api.get("/api/v1/wishlist/").status_code in (401, 403)


def test_profile_patch_changes_only_what_is_sent(customer_api, customer):
    response = customer_api.patch("/api/v1/account/", {"preferred_currency": "GBP"}, format="json")

    assert response.status_code == 200
    customer.refresh_from_db()
    assert (customer.first_name, customer.preferred_currency) == ("Ada", "GBP")


def test_profile_patch_refuses_an_unknown_language(customer_api, customer):
    response = customer_api.patch("/api/v1/account/", {"preferred_language": "xx"}, format="json")

    assert response.status_code == 400
    assert "preferred_language" in response.json()["detail"]


# --- Address book -----------------------------------------------------------------------------
def test_address_create_list_update_delete(customer_api, customer, address_data):
    created = customer_api.post("/api/v1/account/addresses/", address_data, format="json")
    assert created.status_code == 201
    address_id = created.json()["id"]
    assert created.json()["is_default"] is True
    assert created.json()["country_name"] == "United Kingdom"

    listed = customer_api.get("/api/v1/account/addresses/").json()
    assert [row["id"] for row in listed["results"]] == [address_id]

    patched = customer_api.patch(
        f"/api/v1/account/addresses/{address_id}/", {"city": "Oxford"}, format="json"
    )
    assert patched.status_code == 200
    assert patched.json()["city"] == "Oxford"
    assert patched.json()["postal_code"] == "SW1Y 4JH"

    replaced = customer_api.put(
        f"/api/v1/account/addresses/{address_id}/",
        {"full_name": "Ada L", "line1": "1 Rue", "city": "Paris", "country": "FR"},
        format="json",
    )
    assert replaced.status_code == 200
    assert replaced.json()["postal_code"] == ""

    deleted = customer_api.delete(f"/api/v1/account/addresses/{address_id}/")
    assert deleted.status_code == 204
    assert not Address.objects.filter(user=customer).exists()


def test_address_create_validation_is_json_400(customer_api):
    response = customer_api.post(
        "/api/v1/account/addresses/", {"full_name": "Ada", "country": "XX"}, format="json"
    )

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert {"country", "line1", "city"} <= set(detail)


def test_address_list_shows_only_own(customer_api, their_address):
    response = customer_api.get("/api/v1/account/addresses/")

    assert response.json()["results"] == []


def test_cannot_read_another_customers_address(customer_api, their_address):
    response = customer_api.get(f"/api/v1/account/addresses/{their_address.pk}/")

    assert response.status_code == 404
    assert "Grace" not in response.content.decode() and "London" not in response.content.decode()


def test_cannot_patch_another_customers_address(customer_api, their_address):
    response = customer_api.patch(
        f"/api/v1/account/addresses/{their_address.pk}/", {"city": "Hacked"}, format="json"
    )

    assert response.status_code == 404
    their_address.refresh_from_db()
    assert their_address.city == "London"


def test_cannot_replace_another_customers_address(customer_api, their_address, address_data):
    response = customer_api.put(
        f"/api/v1/account/addresses/{their_address.pk}/",
        {**address_data, "city": "Hacked"},
        format="json",
    )

    assert response.status_code == 404
    their_address.refresh_from_db()
    assert their_address.city == "London"


def test_cannot_delete_another_customers_address(customer_api, their_address):
    response = customer_api.delete(f"/api/v1/account/addresses/{their_address.pk}/")

    assert response.status_code == 404
    assert Address.objects.filter(pk=their_address.pk).exists()


def test_an_impossible_address_id_is_a_json_404(customer_api):
    response = customer_api.get("/api/v1/account/addresses/99999999999999999999999/")

    assert response.status_code == 404
    assert response.json()["error"]


# --- Wishlist ---------------------------------------------------------------------------------
def test_wishlist_add_list_remove(customer_api, customer, ring):
    added = customer_api.post("/api/v1/wishlist/", {"product": "solitaire-ring"}, format="json")
    assert added.status_code == 201
    assert added.json()["product"]["name"] == "Solitaire Ring"
    again = customer_api.post("/api/v1/wishlist/", {"product": "solitaire-ring"}, format="json")
    assert again.status_code == 200

    listed = customer_api.get("/api/v1/wishlist/").json()
    assert [row["product"]["handle"] for row in listed["results"]] == ["solitaire-ring"]
    assert listed["results"][0]["product"]["url"].endswith("/en/p/solitaire-ring/")

    removed = customer_api.delete("/api/v1/wishlist/solitaire-ring/")
    assert removed.status_code == 204
    assert not WishlistItem.objects.filter(user=customer).exists()


def test_wishlist_add_of_an_unknown_product_is_a_400(customer_api):
    response = customer_api.post("/api/v1/wishlist/", {"product": "no-such"}, format="json")

    assert response.status_code == 400
    assert "product" in response.json()["detail"]


def test_wishlist_list_shows_only_own(customer_api, other_customer, ring):
    WishlistItem.objects.create(user=other_customer, product=ring)

    response = customer_api.get("/api/v1/wishlist/")

    assert response.json()["results"] == []


def test_cannot_remove_from_another_customers_wishlist(customer_api, other_customer, ring):
    WishlistItem.objects.create(user=other_customer, product=ring)

    response = customer_api.delete("/api/v1/wishlist/solitaire-ring/")

    assert response.status_code == 404
    assert WishlistItem.objects.filter(user=other_customer).exists()


def test_writes_are_throttled_under_the_writes_scope(customer_api, monkeypatch, ring):
    from rest_framework.throttling import ScopedRateThrottle

    # DRF reads the rates once, at import: patch the class (monkeypatch restores it).
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"writes": "2/min"})
    codes = [
        customer_api.post(
            "/api/v1/wishlist/", {"product": "solitaire-ring"}, format="json"
        ).status_code
        for _attempt in range(3)
    ]
    reads = customer_api.get("/api/v1/wishlist/").status_code

    assert codes == [201, 200, 429]
    assert reads == 200
