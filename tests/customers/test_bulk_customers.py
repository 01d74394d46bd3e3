"""customers.services.customers_create_bulk: many customers who cannot sign in, in one go."""

import pytest
from django.core.exceptions import ValidationError

from customers.models import User
from customers.services import customers_create_bulk
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_customers_are_created_once_without_a_usable_password():
    UserFactory(email="ada@example.com")
    rows = [
        {"email": "ada@EXAMPLE.com", "first_name": "Ada", "last_name": "L."},
        {"email": "grace@example.com", "first_name": " Grace ", "last_name": "Hopper"},
        {"email": "grace@example.com", "first_name": "Twice", "last_name": "Listed"},
    ]

    created = customers_create_bulk(customers=rows)

    assert [user.email for user in created] == ["grace@example.com"]
    grace = User.objects.get(email="grace@example.com")
    assert grace.first_name == "Grace"
    assert not grace.has_usable_password()
    # A second run adds nobody
    assert customers_create_bulk(customers=rows) == []
    assert User.objects.count() == 2


def test_an_invalid_row_writes_nothing():
    rows = [
        {"email": "first@example.com", "first_name": "First", "last_name": "Row"},
        {"email": "not an e-mail", "first_name": "Bad", "last_name": "Row"},
    ]
    with pytest.raises(ValidationError):
        customers_create_bulk(customers=rows)
    assert not User.objects.filter(email="first@example.com").exists()
