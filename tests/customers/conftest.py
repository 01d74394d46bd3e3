"""Fixtures for the customers tests."""

import pytest

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def customer(db):
    return UserFactory(email="ada@example.com", first_name="Ada")


@pytest.fixture
def other_customer(db):
    return UserFactory(email="grace@example.com", first_name="Grace")


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def address_data():
    return {
        "full_name": "Ada Lovelace",
        "line1": "12 St James's Square",
        "city": "London",
        "postal_code": "SW1Y 4JH",
        "country": "GB",
    }
