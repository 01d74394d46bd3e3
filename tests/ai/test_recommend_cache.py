"""Serving from the card cache: a warm call costs only its indexed reads, and a catalog write
(unpublished, sold out, repriced, renamed) shows at once."""

from decimal import Decimal

import pytest
from django.utils import translation

from ai import services
from catalog.models import Product, PublicationStatus
from catalog.services import (
    product_refresh_availability,
    products_set_status,
    variant_set_stock,
)
from customers.models import User
from events.models import InteractionEvent
from tests.factories import CategoryFactory, ProductFactory


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")
    yield
    translation.deactivate()


def event(kind, product, *, user=None, session=""):
    return InteractionEvent.objects.create(
        kind=kind, product=product, user=user, session_key=session, country="FR", language="en"
    )


@pytest.fixture
def trained(db):
    """Eight rings viewed by eight shoppers, then trained; returns a shopper and the rings."""
    rings = CategoryFactory(slug="rings", name="Rings")
    ring = [ProductFactory(handle=f"ring-{i}", category=rings) for i in range(8)]
    shoppers = [User.objects.create(email=f"fan{i}@example.com") for i in range(8)]
    for n, user in enumerate(shoppers):
        for product in ring[:6]:
            event("view", product, user=user)
        event("purchase", ring[n % 6], user=user)
        event("view", ring[n % 6], session=f"guest-{n}")
        event("view", ring[6 + n % 2], session=f"guest-{n}")
    services.recommend_train()
    return {"user": shoppers[0], "ring": ring}


def shown(recommendations) -> list[str]:
    return [s.product.handle for s in recommendations]


def by_handle(recommendations) -> dict:
    return {s.product.handle: s.product for s in recommendations}


def test_a_warm_call_for_a_signed_in_shopper_costs_three_indexed_reads(
    trained, django_assert_num_queries
):
    user = trained["user"]
    cold = services.recommend_for_user(user, limit=4)

    with django_assert_num_queries(3):  # what they bought, their list, the cards' rows
        warm = services.recommend_for_user(user, limit=4)

    assert warm.source == "personal"
    assert shown(warm) == shown(cold) and shown(warm)


def test_a_warm_call_for_similar_products_costs_two_indexed_reads(
    trained, django_assert_num_queries
):
    product = trained["ring"][0]
    cold = services.similar_products(product, limit=4)

    with django_assert_num_queries(2):  # the product's list, the cards' rows
        warm = services.similar_products(product, limit=4)

    assert shown(warm) == shown(cold) and shown(warm)


def test_a_warm_guest_call_costs_no_card_query(trained, django_assert_num_queries):
    services.recommend_for_shopper(session_key="guest-0", limit=4)

    with django_assert_num_queries(4):  # bought, events, the training, the cards' rows
        warm = services.recommend_for_shopper(session_key="guest-0", limit=4)

    assert warm.source == "history" and shown(warm)


def test_a_guests_new_purchase_is_taken_into_account_at_once(trained):
    ring = trained["ring"]
    before = shown(services.recommend_for_shopper(session_key="guest-0", limit=4))
    event("view", ring[1], session="guest-0")
    event("purchase", ring[1], session="guest-0")

    after = shown(services.recommend_for_shopper(session_key="guest-0", limit=4))

    assert "ring-1" in before and "ring-1" not in after and after


def test_warm_cards_are_complete_without_further_queries(trained, django_assert_num_queries):
    user = trained["user"]
    services.recommend_for_user(user, limit=4)
    warm = services.recommend_for_user(user, limit=4)

    with django_assert_num_queries(0):  # what a card shows
        cards = [
            (s.product.display_name, s.product.category.slug, s.product.ordered_images)
            for s in warm
        ]
        names = [s.product.safe_translation_getter("name") for s in warm]

    assert cards[0][0] == names[0] and cards[0][1] == "rings"


def test_a_product_unpublished_after_a_warm_call_disappears_at_once(trained):
    user = trained["user"]
    first = services.recommend_for_user(user, limit=4).items[0].product.handle

    products_set_status(
        products=Product.objects.filter(handle=first), status=PublicationStatus.DRAFT
    )

    assert first not in shown(services.recommend_for_user(user, limit=4))
    assert first not in shown(services.similar_products(trained["ring"][0], limit=8))


def test_a_product_sold_out_after_a_warm_call_disappears_at_once(trained):
    user = trained["user"]
    first = services.recommend_for_user(user, limit=4).items[0].product

    variant_set_stock(variant=Product.objects.get(pk=first.pk).variants.get(), quantity=0)

    assert first.handle not in shown(services.recommend_for_user(user, limit=4))


def test_a_price_change_after_a_warm_call_shows_at_once(trained):
    user = trained["user"]
    first = services.recommend_for_user(user, limit=4).items[0].product
    variant = Product.objects.get(pk=first.pk).variants.get()

    variant.price = Decimal("250.00")
    variant.save()  # as the admin does (the model signal bumps the catalog version)
    product_refresh_availability(product=Product.objects.get(pk=first.pk))

    assert by_handle(services.recommend_for_user(user, limit=4))[first.handle].price_min == (
        Decimal("250.00")
    )


def test_a_renamed_product_shows_its_new_name_at_once(trained):
    user = trained["user"]
    first = services.recommend_for_user(user, limit=4).items[0].product
    product = Product.objects.get(pk=first.pk)

    product.set_current_language("en")
    product.name = "Renamed Ring"
    product.save()

    assert by_handle(services.recommend_for_user(user, limit=4))[first.handle].display_name == (
        "Renamed Ring"
    )


def test_a_withdrawn_product_on_a_list_costs_no_card_query_and_returns_when_republished(
    trained, django_assert_num_queries
):
    user = trained["user"]
    first = services.recommend_for_user(user, limit=4).items[0].product.handle
    products_set_status(
        products=Product.objects.filter(handle=first), status=PublicationStatus.DRAFT
    )
    services.recommend_for_user(user, limit=4)

    with django_assert_num_queries(3):  # bought, list, the cards' rows
        assert first not in shown(services.recommend_for_user(user, limit=4))
    products_set_status(
        products=Product.objects.filter(handle=first), status=PublicationStatus.PUBLISHED
    )

    assert first in shown(services.recommend_for_user(user, limit=4))


def test_a_purchase_after_a_warm_call_is_excluded_at_once(trained):
    user = trained["user"]
    first = services.recommend_for_user(user, limit=4).items[0].product

    event("purchase", first, user=user)

    assert first.handle not in shown(services.recommend_for_user(user, limit=4))


def test_each_language_has_its_own_cards(trained):
    user = trained["user"]
    first = services.recommend_for_user(user, language="en", limit=4).items[0].product
    product = Product.objects.get(pk=first.pk)
    product.set_current_language("fr")
    product.name = "Bague française"
    product.save()
    services.recommend_for_user(user, language="en", limit=4)

    french = by_handle(services.recommend_for_user(user, language="fr", limit=4))

    assert french[first.handle].display_name == "Bague française"


def test_with_the_card_cache_off_every_call_loads_the_cards(
    trained, settings, django_assert_num_queries
):
    settings.AI_RECOMMEND_CARD_CACHE_SECONDS = 0
    user = trained["user"]
    services.recommend_for_user(user, limit=4)

    with django_assert_num_queries(5):  # bought, list, cards + translations + images
        assert shown(services.recommend_for_user(user, limit=4))


def test_cards_of_an_older_catalog_are_not_served_after_the_cache_is_cleared(trained):
    from django.core.cache import cache

    from catalog.cache import catalog_changed
    from catalog.selectors import catalog_version

    user = trained["user"]
    first = services.recommend_for_user(user, limit=4).items[0].product
    version = catalog_version()

    # When the cache is cleared (a restart of Redis), the version starts again at 1 and
    # reaches the same number after as many writes, one of them unseen by the signals
    cache.clear()
    Product.objects.filter(pk=first.pk).update(in_stock=False)
    while catalog_version() < version:
        catalog_changed()

    assert catalog_version() == version
    assert first.handle not in shown(services.recommend_for_user(user, limit=4))


def test_a_new_training_shows_at_once_for_a_guest(trained):
    ring = trained["ring"]
    before = shown(services.recommend_for_shopper(session_key="guest-0", limit=8))
    extra = ProductFactory(handle="ring-new", category=ring[0].category)
    for n in range(4):
        user = User.objects.create(email=f"late{n}@example.com")
        event("view", ring[0], user=user)
        event("purchase", extra, user=user)

    services.recommend_train()

    assert "ring-new" not in before
    assert "ring-new" in shown(services.recommend_for_shopper(session_key="guest-0", limit=8))


def test_what_a_caller_sets_on_a_served_product_does_not_reach_the_next_call(trained):
    user = trained["user"]
    first = services.recommend_for_user(user, limit=4).items[0].product

    first.in_stock = False
    first.display_name = "Changed by a caller"

    again = by_handle(services.recommend_for_user(user, limit=4))[first.handle]
    assert again.in_stock and again.display_name != "Changed by a caller"


def test_a_process_keeps_at_most_its_bound_of_cards(trained, monkeypatch):
    from ai.recommend import serving

    monkeypatch.setattr(serving, "MAX_CACHED_CARDS", 2)
    user = trained["user"]
    services.recommend_for_user(user, limit=4)

    assert len(serving._Cards.entries) == 2
    assert shown(services.recommend_for_user(user, limit=4))


def test_a_change_the_catalog_version_missed_still_shows_at_once(trained):
    user = trained["user"]
    first, second = services.recommend_for_user(user, limit=4).items[:2]

    # As a write in another web process with a per-process cache: the rows change, the
    # version this process sees does not.
    Product.objects.filter(pk=first.product.pk).update(in_stock=False)
    Product.objects.filter(pk=second.product.pk).update(price_min=Decimal("80.00"))

    again = by_handle(services.recommend_for_user(user, limit=4))
    assert first.product.handle not in again
    assert again[second.product.handle].price_min == Decimal("80.00")
