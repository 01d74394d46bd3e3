"""What the merchant sees of customers in the admin."""

import pytest

from customers.axes import axes_username
from customers.models import User, WishlistItem
from customers.services import address_create
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_customer_page_shows_preferences_and_addresses(merchant_client, customer, address_data):
    address_create(user=customer, **address_data)

    html = merchant_client.get(f"/admin/customers/user/{customer.pk}/change/").content.decode()

    assert "preferred_language" in html
    assert "preferred_currency" in html
    assert "12 St James&#x27;s Square" in html


def test_merchant_can_add_a_customer(merchant_client):
    response = merchant_client.post(
        "/admin/customers/user/add/",
        {
            "email": "new@example.com",
            "password1": "amethyst-ring-1893",
            "password2": "amethyst-ring-1893",
            "usable_password": "true",
            "preferred_language": "de",
            "preferred_currency": "EUR",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="new@example.com").preferred_language == "de"


def test_wishlist_items_are_listed(merchant_client, customer):
    WishlistItem.objects.create(user=customer, product=ProductFactory(handle="gold-hoops"))

    response = merchant_client.get("/admin/customers/wishlistitem/")

    assert response.status_code == 200
    assert "gold-hoops" in response.content.decode()


def test_axes_username_reads_the_email_from_either_form(rf):
    # Our forms pass `email`, Django's admin sign-in passes `username`
    assert axes_username(rf.post("/"), {"email": "Ada@Example.com"}) == "ada@example.com"
    assert axes_username(rf.post("/"), {"username": "ADA@example.com"}) == "ada@example.com"
    assert axes_username(rf.post("/", {"username": "x@example.com"}), None) == "x@example.com"
    assert axes_username(rf.post("/"), {}) is None
