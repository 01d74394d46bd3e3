"""What the merchant sees of interaction events in the admin (the events app since issue 13)."""

import pytest

from events.models import InteractionEvent
from events.services import interaction_record
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_interaction_events_are_listed_read_only(merchant_client, customer):
    product = ProductFactory(handle="pearl-drops")
    interaction_record(kind="view", product_id=product.pk, user=customer)
    event = InteractionEvent.objects.get()

    listing = merchant_client.get("/admin/events/interactionevent/?kind=view")
    detail = merchant_client.get(f"/admin/events/interactionevent/{event.pk}/change/")
    add = merchant_client.get("/admin/events/interactionevent/add/")
    delete = merchant_client.post(
        f"/admin/events/interactionevent/{event.pk}/delete/", {"post": "yes"}
    )

    assert listing.status_code == 200
    assert "pearl-drops" in listing.content.decode()
    assert detail.status_code == 200
    assert 'type="submit" value="Save"' not in detail.content.decode()
    assert add.status_code == 403
    assert delete.status_code == 403
    assert InteractionEvent.objects.filter(pk=event.pk).exists()


def test_the_old_admin_addresses_of_events_redirect(merchant_client, customer):
    # Events were under /admin/customers/ before they became an app (issue 13): bookmarks work.
    product = ProductFactory(handle="pearl-drops")
    interaction_record(kind="view", product_id=product.pk, user=customer)
    event = InteractionEvent.objects.get()

    listing = merchant_client.get("/admin/customers/interactionevent/?kind=view")
    detail = merchant_client.get(
        f"/admin/customers/interactionevent/{event.pk}/change/", follow=True
    )

    assert listing.status_code == 301
    assert listing["Location"] == "/admin/events/interactionevent/?kind=view"
    assert detail.redirect_chain == [(f"/admin/events/interactionevent/{event.pk}/change/", 301)]
    assert "View interaction event" in detail.content.decode()
    # Customers' other admin pages are not touched.
    assert merchant_client.get("/admin/customers/user/").status_code == 200
