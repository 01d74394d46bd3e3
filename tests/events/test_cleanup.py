"""Guests' old interaction events are deleted nightly; customers' own history is kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import InteractionEvent
from events.tasks import cleanup_anonymous_events
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ring():
    return ProductFactory(handle="gold-ring")


def test_the_cleanup_removes_old_guest_events_and_keeps_the_rest(settings, ring):
    # Given a guest's old and recent views and a customer's old view (kept: it is their history)
    settings.SHOP_ANONYMOUS_EVENT_RETENTION_DAYS = 30
    customer = UserFactory(email="ada@example.com")
    old_guest = InteractionEvent.objects.create(kind="view", product=ring, session_key="old")
    recent_guest = InteractionEvent.objects.create(kind="view", product=ring, session_key="live")
    old_customer = InteractionEvent.objects.create(kind="view", product=ring, user=customer)
    InteractionEvent.objects.filter(pk__in=[old_guest.pk, old_customer.pk]).update(
        created_at=timezone.now() - timedelta(days=31)
    )

    # When the nightly task runs (twice: it is idempotent)
    report = cleanup_anonymous_events()
    again = cleanup_anonymous_events()

    # Then only the guest's old event went
    assert set(InteractionEvent.objects.values_list("pk", flat=True)) == {
        recent_guest.pk,
        old_customer.pk,
    }
    assert report == {"anonymous_events": 1}
    assert again == {"anonymous_events": 0}


def test_a_retention_of_zero_keeps_every_event(settings, ring):
    settings.SHOP_ANONYMOUS_EVENT_RETENTION_DAYS = 0
    event = InteractionEvent.objects.create(kind="view", product=ring, session_key="old")
    InteractionEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - timedelta(days=3650)
    )

    assert cleanup_anonymous_events() == {"anonymous_events": 0}
    assert InteractionEvent.objects.filter(pk=event.pk).exists()
