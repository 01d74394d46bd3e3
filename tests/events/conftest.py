"""Fixtures for the events tests."""

import pytest

from tests.factories import UserFactory


@pytest.fixture
def customer(db):
    return UserFactory(email="ada@example.com", first_name="Ada")
