"""Anonymous traffic does not grow the database without bound: a cookieless visitor (a bot)
creates no session row and no event per product view, and a periodic task removes expired
sessions and expired API tokens (and the events app's one old anonymous events)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from events.models import InteractionEvent
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ring(db):
    return ProductFactory(handle="gold-ring")


def test_a_cookieless_visitor_creates_no_session_and_no_event(client, ring):
    # When a bot (no cookies kept) opens the product page many times
    for _visit in range(5):
        client.cookies.clear()
        response = client.get(ring.get_absolute_url())
        assert response.status_code == 200

    # Then nothing was written for it
    assert Session.objects.count() == 0
    assert InteractionEvent.objects.count() == 0
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_made_up_session_cookie_records_nothing(client, ring):
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32

    client.get(ring.get_absolute_url())

    assert InteractionEvent.objects.count() == 0
    assert Session.objects.count() == 0


def test_a_guest_with_a_session_has_their_views_recorded(client, ring):
    # Given a guest who already has a session (they chose a currency)
    client.post("/currency/", {"currency": "EUR", "next": "/"})
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.get(ring.get_absolute_url())

    event = InteractionEvent.objects.get()
    assert (event.kind, event.session_key, event.user_id) == ("view", session_key, None)


def test_a_signed_in_customers_views_are_recorded(client, ring):
    customer = UserFactory(email="ada@example.com")
    client.force_login(customer)

    client.get(ring.get_absolute_url())

    assert InteractionEvent.objects.get().user_id == customer.pk


def test_the_cleanup_removes_what_has_expired_and_keeps_the_rest():
    from customers.models import ApiToken
    from customers.tasks import cleanup_anonymous_data
    from tests.factories import api_token_for

    now = timezone.now()
    customer = UserFactory(email="ada@example.com")
    # Sessions: one expired, one live
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(1))
    # API tokens: one expired, one live
    api_token_for(customer, name="live")
    expired = ApiToken.objects.get(
        pk=ApiToken.objects.create(
            user=customer,
            name="expired",
            digest="d" * 64,
            prefix="dddddd",
            expires_at=now - timedelta(seconds=1),
        ).pk
    )

    report = cleanup_anonymous_data()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert not ApiToken.objects.filter(pk=expired.pk).exists()
    assert ApiToken.objects.filter(name="live").exists()
    # Guests' old events are the events app's task now (tests/events/test_cleanup.py).
    assert report == {"sessions": 1, "api_tokens": 1}


def test_the_cleanup_runs_on_the_beat_schedule():
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "customers.cleanup_anonymous_data" in entries
    assert "events.cleanup_anonymous_events" in entries
