"""Interaction events: one INSERT each, and analytics never fail the page that records them."""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction

from events.models import InteractionEvent
from events.services import interaction_record
from tests.factories import ProductFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_recording_an_event_costs_exactly_one_query(django_assert_num_queries):
    # Given a product and a customer (outside any transaction, as a page view is)
    product = ProductFactory()
    user = UserFactory()

    # When a view is recorded
    with django_assert_num_queries(1) as captured:
        interaction_record(
            kind="view",
            product_id=product.pk,
            user=user,
            session_key="s" * 32,
            country="fr",
            language="fr",
        )

    # Then one INSERT wrote it
    assert captured.captured_queries[0]["sql"].startswith("INSERT")
    event = InteractionEvent.objects.get()
    assert (event.kind, event.product_id, event.user_id, event.country, event.language) == (
        "view",
        product.pk,
        user.pk,
        "FR",
        "fr",
    )


@pytest.mark.django_db(transaction=True)
def test_a_failed_insert_is_logged_not_raised(caplog):
    # When the event names a product that does not exist (the database refuses it)
    with caplog.at_level(logging.ERROR, logger="events.services"):
        interaction_record(kind="cart_add", product_id=987654, value=2)

    # Then the caller carries on, the failure is in the log, and nothing was written
    assert "Could not record the cart_add event" in caplog.text
    assert not InteractionEvent.objects.exists()


@pytest.mark.django_db
def test_a_failure_inside_a_transaction_leaves_the_callers_work_intact(caplog):
    # Given a caller in the middle of its own transaction, and an events table that is
    # unavailable (dropped inside this test's transaction, so it comes back afterwards)
    product = ProductFactory()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {InteractionEvent._meta.db_table}")

        # When an event is recorded
        with caplog.at_level(logging.ERROR, logger="events.services"):
            interaction_record(kind="purchase", product_id=product.pk)

        # Then the caller's transaction still works
        product.tags = "still-here"
        product.save(update_fields=["tags"])
    product.refresh_from_db()
    assert product.tags == "still-here"
    assert "Could not record the purchase event" in caplog.text


@pytest.mark.django_db
def test_a_guest_is_recorded_by_session_key():
    product = ProductFactory()

    interaction_record(
        kind="view", product_id=product.pk, user=AnonymousUser(), session_key="guest-session"
    )

    event = InteractionEvent.objects.get()
    assert (event.user_id, event.session_key) == (None, "guest-session")


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown interaction kind"):
        interaction_record(kind="like", product_id=1)
