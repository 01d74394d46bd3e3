"""The project's admin site (shop/admin_site.py) on malformed parameters of object pages."""

import pytest

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["change", "delete", "history"])
@pytest.mark.parametrize("query", ["?_to_field=", "?_to_field=&_popup=1"])
def test_an_empty_to_field_on_an_object_page_is_not_a_server_error(admin_client, page, query):
    product = ProductFactory()
    response = admin_client.get(f"/admin/catalog/product/{product.pk}/{page}/{query}")
    assert response.status_code == 200


def test_an_unknown_to_field_is_refused_as_a_bad_request(admin_client):
    product = ProductFactory()
    response = admin_client.get(f"/admin/catalog/product/{product.pk}/change/?_to_field=nope")
    assert response.status_code == 400
