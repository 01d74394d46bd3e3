"""The demo shopping history seed_demo writes for the recommender."""

from collections import Counter

from ai.models import RecommendationList
from customers.models import User
from events.demo_history import plan_history, seed_history
from events.models import InteractionEvent
from tests.factories import CategoryFactory, ProductFactory

PRODUCTS = [(pk, pk % 6, 100.0 + 37 * pk) for pk in range(1, 121)]


def test_the_same_seed_gives_the_same_history():
    first = plan_history(products=PRODUCTS, user_ids=[1, 2, 3], seed=7, guests=50)
    again = plan_history(products=PRODUCTS, user_ids=[1, 2, 3], seed=7, guests=50)
    other = plan_history(products=PRODUCTS, user_ids=[1, 2, 3], seed=8, guests=50)

    assert first == again
    assert first != other


def test_the_history_has_every_kind_of_event_and_purchases_follow_bag_adds():
    events = plan_history(products=PRODUCTS, user_ids=list(range(1, 21)), seed=7, guests=200)

    kinds = Counter(event["kind"] for event in events)
    assert kinds["view"] > kinds["cart_add"] > kinds["purchase"] > 0
    assert kinds["wishlist_add"] > 0
    carted = {
        (e.get("user_id"), e.get("session_key"), e["product_id"])
        for e in events
        if e["kind"] == "cart_add"
    }
    for e in events:
        if e["kind"] == "purchase":
            assert (e.get("user_id"), e.get("session_key"), e["product_id"]) in carted
    assert {e["country"] for e in events} >= {"US", "FR", "JP"}


def test_seed_history_writes_events_for_customers_and_guests(db):
    category = CategoryFactory(slug="rings")
    for n in range(12):
        ProductFactory(handle=f"ring-{n}", category=category)
    User.objects.create(email="shopper@example.com")
    User.objects.create(email="staff@example.com", is_staff=True)

    counts = seed_history(seed=3, guests=20)

    assert counts["interaction events"] == InteractionEvent.objects.count() > 0
    assert counts["recommendation lists"] == RecommendationList.objects.count() > 0
    assert not InteractionEvent.objects.filter(user__is_staff=True).exists()
    assert InteractionEvent.objects.filter(user__email="shopper@example.com").exists()
    assert InteractionEvent.objects.exclude(session_key="").exists()
