"""The address book: pages and services, the one-default rule, and other customers' addresses."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from customers.models import Address
from customers.services import (
    address_create,
    address_delete,
    address_set_default,
    address_update,
)

pytestmark = pytest.mark.django_db


def _url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def their_address(other_customer, address_data):
    return address_create(user=other_customer, **{**address_data, "full_name": "Grace Hopper"})


# --- Services ---------------------------------------------------------------------------------
def test_first_address_becomes_the_default(customer, address_data):
    first = address_create(user=customer, **address_data)
    second = address_create(user=customer, **{**address_data, "city": "Bath"})

    first.refresh_from_db()
    assert first.is_default is True
    assert second.is_default is False


def test_a_new_default_replaces_the_old_one(customer, address_data):
    first = address_create(user=customer, **address_data)
    second = address_create(user=customer, is_default=True, **{**address_data, "city": "Bath"})

    first.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)
    assert Address.objects.filter(user=customer, is_default=True).count() == 1


def test_set_default_and_update_keep_one_default(customer, address_data):
    first = address_create(user=customer, **address_data)
    second = address_create(user=customer, **{**address_data, "city": "Bath"})

    address_set_default(address=second)
    first.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)

    address_update(address=first, is_default=True, city="York")
    second.refresh_from_db()
    assert (first.is_default, first.city, second.is_default) == (True, "York", False)


def test_deleting_the_default_promotes_the_newest_other(customer, address_data):
    first = address_create(user=customer, **address_data)
    address_create(user=customer, **{**address_data, "city": "Bath"})
    newest = address_create(user=customer, **{**address_data, "city": "Leeds"})

    address_delete(address=first)

    newest.refresh_from_db()
    assert newest.is_default is True
    assert Address.objects.filter(user=customer, is_default=True).count() == 1


def test_an_invalid_address_is_refused_and_the_default_kept(customer, address_data):
    first = address_create(user=customer, **address_data)

    with pytest.raises(ValidationError) as error:
        address_create(user=customer, is_default=True, **{**address_data, "country": "XX"})

    assert "country" in error.value.message_dict
    first.refresh_from_db()
    assert first.is_default is True


# --- Pages ------------------------------------------------------------------------------------
def test_address_book_lists_the_customers_addresses(customer_client, customer, their_address):
    address_create(
        user=customer, full_name="Ada Lovelace", line1="1 Main St", city="Paris", country="FR"
    )

    html = customer_client.get(_url("customers:addresses")).content.decode()

    assert "Ada Lovelace" in html
    assert "France" in html
    assert "Default shipping address" in html
    assert "Grace Hopper" not in html


def test_add_address_page_offers_every_country_main_markets_first(customer_client):
    html = customer_client.get(_url("customers:address_add")).content.decode()

    select = html.split('name="country"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option") > 240
    assert select.index('value="US"') < select.index('value="AF"')


def test_add_edit_and_delete_an_address(customer_client, customer, address_data):
    # Add
    response = customer_client.post(_url("customers:address_add"), address_data)
    assert response.status_code == 302
    address = Address.objects.get(user=customer)
    assert address.is_default is True

    # Edit
    response = customer_client.post(
        _url("customers:address_edit", address_id=address.pk), {**address_data, "city": "Oxford"}
    )
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.city == "Oxford"
    assert address.is_default is True  # the form of the default has no "make default" box

    # Delete
    response = customer_client.post(_url("customers:address_delete", address_id=address.pk))
    assert response.status_code == 302
    assert not Address.objects.filter(user=customer).exists()


def test_add_address_with_missing_fields_shows_errors(customer_client, customer):
    response = customer_client.post(_url("customers:address_add"), {"full_name": "Ada"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Address.objects.exists()


def test_make_default_from_the_address_book(customer_client, customer, address_data):
    first = address_create(user=customer, **address_data)
    second = address_create(user=customer, **{**address_data, "city": "Bath"})

    response = customer_client.post(_url("customers:address_set_default", address_id=second.pk))

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)


def test_delete_needs_a_post(customer_client, customer, address_data):
    address = address_create(user=customer, **address_data)

    response = customer_client.get(_url("customers:address_delete", address_id=address.pk))

    assert response.status_code == 405
    assert Address.objects.filter(pk=address.pk).exists()


# --- Another customer's address: always 404, never changed ------------------------------------
def test_cannot_open_another_customers_address(customer_client, their_address):
    response = customer_client.get(_url("customers:address_edit", address_id=their_address.pk))

    assert response.status_code == 404


def test_cannot_change_another_customers_address(customer_client, their_address, address_data):
    response = customer_client.post(
        _url("customers:address_edit", address_id=their_address.pk),
        {**address_data, "city": "Hacked"},
    )

    assert response.status_code == 404
    their_address.refresh_from_db()
    assert their_address.city == "London"


def test_cannot_delete_another_customers_address(customer_client, their_address):
    response = customer_client.post(_url("customers:address_delete", address_id=their_address.pk))

    assert response.status_code == 404
    assert Address.objects.filter(pk=their_address.pk).exists()


def test_cannot_make_another_customers_address_default(
    customer_client, customer, their_address, other_customer, address_data
):
    theirs_second = address_create(user=other_customer, **address_data)

    response = customer_client.post(
        _url("customers:address_set_default", address_id=theirs_second.pk)
    )

    assert response.status_code == 404
    theirs_second.refresh_from_db()
    assert theirs_second.is_default is False


def test_an_impossible_address_id_is_a_404(customer_client):
    response = customer_client.get(
        _url("customers:address_edit", address_id=99999999999999999999999)
    )

    assert response.status_code == 404
