"""Interaction events moved from customers to an app of their own (issue 13, step 4) without
moving a row: a store migrated before the move keeps its events, permissions and grants."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from events.models import InteractionEvent
from events.selectors import interaction_rows
from tests.factories import ProductFactory, UserFactory
from tests.migrations import at_migration, migrate_to

BEFORE_THE_MOVE = ("customers", "0002_api_tokens")


@pytest.fixture
def before_the_move(transactional_db):
    """A database as a store had it before events were an app; migrated forward afterwards in
    any case, so the next test finds the latest schema."""
    yield from at_migration(BEFORE_THE_MOVE)


def test_an_event_written_before_the_move_is_read_through_the_events_app(before_the_move):
    # Given a store before the move, with an event written by customers' model
    product = ProductFactory(handle="signet-ring")
    shopper = UserFactory(email="ada@example.com")
    assert "interactionevent" in before_the_move.all_models["customers"]
    old_event = before_the_move.get_model("customers", "InteractionEvent").objects.create(
        kind="purchase",
        product_id=product.pk,
        user_id=shopper.pk,
        session_key="s" * 32,
        value=2.0,
        country="FR",
        language="fr",
    )

    # When the store migrates to the events app
    migrate_to(None)

    # Then the same row (same table, same id) is read through events.models and the
    # recommender's selector, and a new event gets the next id
    event = InteractionEvent.objects.select_related("product", "user").get(pk=old_event.pk)
    assert (event.kind, event.product, event.user, event.value, event.country) == (
        "purchase",
        product,
        shopper,
        2.0,
        "FR",
    )
    assert list(interaction_rows()) == [
        (shopper.pk, "s" * 32, product.pk, "purchase", 2.0, "FR", "fr")
    ]
    assert InteractionEvent._meta.db_table == "customers_interactionevent"
    newer = InteractionEvent.objects.create(kind="view", product=product, user=shopper)
    assert newer.pk > old_event.pk


def test_staff_who_could_see_events_still_can_after_the_move(before_the_move):
    # Given a group and a user granted the view permission while it was customers'
    old_permission = before_the_move.get_model("auth", "Permission").objects.get(
        content_type__app_label="customers", codename="view_interactionevent"
    )
    analysts = Group.objects.create(name="Analysts")
    analysts.permissions.add(old_permission.pk)
    in_group = UserFactory(email="group@example.com", is_staff=True)
    in_group.groups.add(analysts)
    granted = UserFactory(email="granted@example.com", is_staff=True)
    granted.user_permissions.add(old_permission.pk)

    # When the store migrates to the events app
    migrate_to(None)

    # Then the same permission row is now events.view_interactionevent, and both still hold it
    permission = Permission.objects.get(pk=old_permission.pk)
    assert (permission.content_type.app_label, permission.codename) == (
        "events",
        "view_interactionevent",
    )
    for user in (in_group, granted):
        fresh = type(user).objects.get(pk=user.pk)  # no cached permissions
        assert fresh.has_perm("events.view_interactionevent")
    assert not ContentType.objects.filter(app_label="customers", model="interactionevent").exists()


def test_an_events_content_type_made_before_the_migration_is_merged_with_the_grants(
    before_the_move,
):
    # Given a database where Django already made an events content type and permission (an odd
    # partial migration) while the grant is on customers'
    old_apps = before_the_move
    content_types = old_apps.get_model("contenttypes", "ContentType").objects
    permissions = old_apps.get_model("auth", "Permission").objects
    old_permission = permissions.get(
        content_type__app_label="customers", codename="view_interactionevent"
    )
    twin_type = content_types.create(app_label="events", model="interactionevent")
    twin = permissions.create(
        content_type=twin_type, codename="view_interactionevent", name="Can view interaction event"
    )
    granted = UserFactory(email="granted@example.com", is_staff=True)
    granted.user_permissions.add(old_permission.pk)

    # When the store migrates to the events app
    migrate_to(None)

    # Then the grant is on the events permission, and customers' content type is gone
    fresh = type(granted).objects.get(pk=granted.pk)
    assert fresh.has_perm("events.view_interactionevent")
    assert list(fresh.user_permissions.values_list("pk", flat=True)) == [twin.pk]
    assert not ContentType.objects.filter(app_label="customers", model="interactionevent").exists()
    assert Permission.objects.filter(codename="change_interactionevent").get().content_type_id == (
        twin_type.pk
    )
