"""Listing counts are cached, and any catalog write shows up at once."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import PublicationStatus
from catalog.services import products_set_status, variant_set_stock
from tests.factories import MaterialFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rings():
    gold = MaterialFactory(slug="yellow-gold")
    return [
        ProductFactory(handle=f"ring-{n}", variants=[{"price": Decimal("100"), "metal": gold}])
        for n in range(3)
    ]


def _metal_count(response) -> int:
    (option,) = [o for o in response.context["facets"]["metal"] if o.value == "yellow-gold"]
    return option.count


def test_a_repeated_listing_reuses_its_counts(client, rings):
    with CaptureQueriesContext(connection) as first:
        client.get("/en/products/")
    with CaptureQueriesContext(connection) as second:
        response = client.get("/en/products/")

    # The count and the three facets are not asked again
    assert len(second.captured_queries) <= len(first.captured_queries) - 4
    assert response.context["page_obj"].paginator.count == 3
    assert _metal_count(response) == 3


def test_counts_follow_publication_and_stock_changes_at_once(client, rings, settings):
    assert _metal_count(client.get("/en/products/")) == 3

    products_set_status(
        products=type(rings[0]).objects.filter(pk=rings[0].pk), status=PublicationStatus.DRAFT
    )
    response = client.get("/en/products/")
    assert response.context["page_obj"].paginator.count == 2
    assert _metal_count(response) == 2

    variant_set_stock(variant=rings[1].variants.get(), quantity=0)
    in_stock = client.get("/en/products/", {"in_stock": "on"})
    assert in_stock.context["page_obj"].paginator.count == 1


def test_a_new_product_appears_in_the_counts(client, rings):
    client.get("/en/products/")

    ProductFactory(handle="ring-new")

    assert client.get("/en/products/").context["page_obj"].paginator.count == 4


def test_a_translation_saved_alone_shows_up_at_once(client, rings):
    from catalog.cache import catalog_version

    before = catalog_version()
    translation = rings[0].translations.get(language_code="en")
    translation.name = "Renamed ring"
    translation.save()

    assert catalog_version() > before


def test_the_version_moves_again_when_the_transaction_commits(
    rings, django_capture_on_commit_callbacks
):
    from catalog.cache import catalog_changed, catalog_version

    with django_capture_on_commit_callbacks(execute=True):
        start = catalog_version()
        catalog_changed()
        in_transaction = catalog_version()

    assert in_transaction == start + 1
    assert catalog_version() == start + 2  # a reader between the two cached nothing for long
