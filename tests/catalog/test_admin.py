"""The catalog in the admin: pages load, bulk actions, stock list, coverage, translators' rights."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from catalog.models import Product, ProductVariant, PublicationStatus
from shop.permissions import TRANSLATORS_GROUP
from tests.factories import (
    CategoryFactory,
    CollectionFactory,
    GemstoneTypeFactory,
    MaterialFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    ring = ProductFactory(handle="solitaire-ring", name="Solitaire ring")
    ProductFactory(handle="pearl-necklace", name="Pearl necklace", status=PublicationStatus.DRAFT)
    CollectionFactory(slug="bridal", name="Bridal")
    MaterialFactory()
    GemstoneTypeFactory()
    return ring


@pytest.fixture
def translator(client):
    user = UserFactory(email="translator@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name=TRANSLATORS_GROUP))
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:catalog_product_changelist",
        "admin:catalog_product_add",
        "admin:catalog_category_changelist",
        "admin:catalog_collection_changelist",
        "admin:catalog_material_changelist",
        "admin:catalog_gemstonetype_changelist",
        "admin:catalog_productvariant_changelist",
        "admin:catalog_product_import",
        "admin:catalog_translation_coverage",
    ],
)
def test_every_catalog_admin_page_loads_for_the_merchant(merchant_client, catalog, url_name):
    response = merchant_client.get(reverse(url_name))

    assert response.status_code == 200


def test_the_product_page_has_inlines_and_a_tab_per_language(merchant_client, catalog):
    response = merchant_client.get(reverse("admin:catalog_product_change", args=[catalog.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "variants-TOTAL_FORMS" in page
    assert "images-TOTAL_FORMS" in page
    assert "gemstones-TOTAL_FORMS" in page
    for language in ("zh-hans", "fr", "de", "es", "ja", "ar"):
        assert f"language={language}" in page


def test_the_product_list_searches_by_translated_name_and_sku(merchant_client, catalog):
    ProductVariant.objects.filter(product=catalog).update(sku="RING-0001")
    url = reverse("admin:catalog_product_changelist")

    by_name = merchant_client.get(url, {"q": "Solitaire"}).content.decode()
    by_sku = merchant_client.get(url, {"q": "RING-0001"}).content.decode()

    assert "solitaire-ring" in by_name and "pearl-necklace" not in by_name
    assert "solitaire-ring" in by_sku


def test_bulk_publish_and_archive(merchant_client, catalog):
    draft = Product.objects.get(handle="pearl-necklace")
    url = reverse("admin:catalog_product_changelist")

    merchant_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED and draft.published_at is not None

    merchant_client.post(url, {"action": "archive", "_selected_action": [draft.pk, catalog.pk]})
    assert set(Product.objects.values_list("status", flat=True)) == {PublicationStatus.ARCHIVED}


def test_stock_edited_in_the_stock_list_updates_availability(merchant_client, catalog):
    variant = catalog.variants.get()
    url = reverse("admin:catalog_productvariant_changelist")

    response = merchant_client.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(variant.pk),
            "form-0-price": "120.00",
            "form-0-compare_at_price": "",
            "form-0-stock_quantity": "0",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    catalog.refresh_from_db()
    assert catalog.in_stock is False
    assert catalog.price_min == Decimal("120.00")


def test_export_downloads_the_catalogue_as_a_shopify_csv(merchant_client, catalog):
    response = merchant_client.get(reverse("admin:catalog_product_export"))

    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert body.decode().splitlines()[0].startswith("Handle,")
    assert "solitaire-ring" in body.decode()


def test_translators_change_translations_but_nothing_else(translator, catalog):
    change_url = reverse("admin:catalog_product_change", args=[catalog.pk])

    page = translator.get(change_url + "?language=fr")
    assert page.status_code == 200
    body = page.content.decode()
    # The translated fields are editable, the rest (status, category, prices) is read-only.
    assert 'name="name"' in body
    assert 'name="status"' not in body
    assert "variants-TOTAL_FORMS" not in body

    translator.post(
        change_url + "?language=fr",
        {"name": "Bague solitaire", "description": "", "seo_title": "", "seo_description": ""},
    )
    catalog.set_current_language("fr")
    catalog.refresh_from_db()
    assert catalog.safe_translation_getter("name", language_code="fr") == "Bague solitaire"
    assert catalog.status == PublicationStatus.PUBLISHED


def test_a_product_saved_in_the_admin_is_marked_for_the_search(translator, catalog):
    # Given a product the search has embedded
    Product.objects.filter(pk=catalog.pk).update(search_index_dirty=False)

    # When its French name is saved in the admin
    translator.post(
        reverse("admin:catalog_product_change", args=[catalog.pk]) + "?language=fr",
        {"name": "Bague", "description": "", "seo_title": "", "seo_description": ""},
    )

    # Then the search re-embeds it in its next batch
    assert Product.objects.get(pk=catalog.pk).search_index_dirty is True


def test_translators_cannot_add_delete_or_reach_orders(translator, catalog):
    assert translator.get(reverse("admin:catalog_product_add")).status_code == 403
    delete_url = reverse("admin:catalog_product_delete", args=[catalog.pk])
    assert translator.get(delete_url).status_code == 403
    assert translator.get(reverse("admin:orders_order_changelist")).status_code == 403
    assert translator.get(reverse("admin:catalog_productvariant_changelist")).status_code == 403
    assert translator.get(reverse("admin:catalog_product_export")).status_code == 403


def test_translators_may_use_rosetta_and_shoppers_may_not(translator, client, catalog):
    assert translator.get("/rosetta/files/project/").status_code == 200

    shopper = UserFactory(email="shopper@example.com")
    client.force_login(shopper)
    assert client.get("/rosetta/files/project/").status_code in (302, 403)


def test_coverage_counts_catalog_translations_per_language(merchant_client, catalog):
    CategoryFactory(slug="rings")  # the factory's category, named in English only
    catalog.set_current_language("fr")
    catalog.name = "Bague solitaire"
    catalog.save()

    out = io.StringIO()
    call_command("translation_coverage", stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines()[1:]}

    assert set(lines) == {"en", "zh-hans", "fr", "de", "es", "ja", "ar"}
    assert "50.0% (1/2)" in lines["fr"]  # one of the two products is in French
    assert "0.0% (0/2)" in lines["de"]
    assert "100.0% (2/2)" in lines["en"]
    page = merchant_client.get(reverse("admin:catalog_translation_coverage")).content.decode()
    assert "50.0 %" in page
