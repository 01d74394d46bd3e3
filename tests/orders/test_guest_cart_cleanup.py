"""Guest bags do not pile up: once a guest's session is gone, nobody can reach their bag again,
and the nightly clean-up deletes it (bots that fill bags would otherwise grow the table for
ever). Customers' bags and live guests' bags stay."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from orders.models import Cart
from orders.tasks import cleanup_guest_carts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _aged(cart: Cart, days: int) -> Cart:
    Cart.objects.filter(pk=cart.pk).update(
        created_at=timezone.now() - timedelta(days=days),
        updated_at=timezone.now() - timedelta(days=days),
    )
    return cart


def test_bags_whose_session_is_gone_are_deleted():
    live_session = SessionStore()
    live_session.create()
    live = _aged(Cart.objects.create(session_key=live_session.session_key), days=3)
    orphan = _aged(Cart.objects.create(session_key="gone-session"), days=3)
    fresh_orphan = Cart.objects.create(session_key="being-made")  # a request still running
    customer = _aged(Cart.objects.create(user=UserFactory(email="ada@example.com")), days=300)

    deleted = cleanup_guest_carts()

    remaining = set(Cart.objects.values_list("pk", flat=True))
    assert remaining == {live.pk, fresh_orphan.pk, customer.pk}
    assert orphan.pk not in remaining
    assert deleted == 1


def test_the_guest_cart_cleanup_is_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "orders.cleanup_guest_carts" in tasks
