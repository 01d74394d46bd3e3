"""On a real PostgreSQL server: the address book's one-default rule under concurrent clicks."""

import pytest

from customers.models import Address
from customers.services import address_create, address_set_default, address_update
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_making_two_addresses_default_at_the_same_moment_never_fails(customer, address_data):
    # Given three addresses (the first is the default)
    addresses = [
        address_create(user=customer, **{**address_data, "city": city})
        for city in ("London", "Bath", "York", "Leeds")
    ]

    # When "make default" is clicked on three others at once (two tabs, a double click, the API)
    def make_default(index: int):
        address = Address.objects.get(pk=addresses[index + 1].pk)
        if index == 2:
            return address_update(address=address, is_default=True)
        return address_set_default(address=address)

    outcomes = run_together(3, make_default)

    # Then none failed on the one-default constraint, and exactly one address is the default
    assert all(isinstance(outcome, Address) for outcome in outcomes), outcomes
    assert Address.objects.filter(user=customer, is_default=True).count() == 1
