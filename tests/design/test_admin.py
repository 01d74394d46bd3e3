"""The design sets' admin: counts per category, thumbnails, the two "add" pages and permissions."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.images import product_image_create
from design.models import DesignImage, DesignSet
from design.services import design_set_add_uploads
from tests.factories import CategoryFactory, ProductFactory, UserFactory

from .conftest import picture_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled_set(design_set):
    files = [
        SimpleUploadedFile("<b>bold.png", picture_bytes(1)),
        SimpleUploadedFile("two.png", picture_bytes(2)),
    ]
    assert design_set_add_uploads(design_set=design_set, files=files, category="rings").ok
    design_set_add_uploads(
        design_set=design_set,
        files=[SimpleUploadedFile("three.png", picture_bytes(3))],
        category="brooches",
    )
    return design_set


def test_the_set_pages_show_counts_per_category_and_escaped_thumbnails(merchant_client, filled_set):
    changelist = merchant_client.get(reverse("admin:design_designset_changelist"))
    assert changelist.status_code == 200
    assert "brooches: 1, rings: 2" in changelist.content.decode()

    page = merchant_client.get(reverse("admin:design_designset_change", args=[filled_set.pk]))
    html = page.content.decode()

    assert page.status_code == 200
    assert "<th>rings</th><td>2</td>" in html
    assert html.count('<figure style="margin:0;width:96px"><img src="/media/design/') == 3
    assert "&lt;b&gt;bold.png" in html and "<b>bold" not in html
    assert reverse("admin:design_designset_add_pictures", args=[filled_set.pk]) in html

    images = merchant_client.get(
        reverse("admin:design_designimage_changelist") + "?category=rings&source=upload"
    )
    assert images.status_code == 200
    assert images.content.decode().count('width="64" height="64"') == 2


def test_the_upload_form_adds_pictures_from_a_zip(merchant_client, design_set):
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("rings/a.png", picture_bytes(1))
        zipped.writestr("earrings/b.jpg", picture_bytes(2, "JPEG"))
    url = reverse("admin:design_designset_add_pictures", args=[design_set.pk])

    assert merchant_client.get(url).status_code == 200
    response = merchant_client.post(
        url, {"files": [SimpleUploadedFile("refs.zip", archive.getvalue())], "category": ""}
    )

    assert response.status_code == 302
    assert sorted(DesignImage.objects.values_list("category", flat=True)) == ["earrings", "rings"]


def test_the_upload_form_lists_each_bad_file_and_adds_nothing(merchant_client, design_set):
    url = reverse("admin:design_designset_add_pictures", args=[design_set.pk])
    files = [
        SimpleUploadedFile("good.png", picture_bytes(1)),
        SimpleUploadedFile("<i>fake.jpg", b"plain text"),
    ]

    response = merchant_client.post(url, {"files": files, "category": "rings"})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="design-errors"' in html
    assert "&lt;i&gt;fake.jpg" in html and "<i>fake" not in html
    assert not DesignImage.objects.exists()


def test_the_catalog_form_adds_a_categorys_product_images(merchant_client, design_set):
    rings = CategoryFactory(slug="rings")
    product_image_create(product=ProductFactory(category=rings), file=io.BytesIO(picture_bytes(4)))
    url = reverse("admin:design_designset_add_catalog_pictures", args=[design_set.pk])

    assert merchant_client.get(url).status_code == 200
    response = merchant_client.post(url, {"categories": [rings.pk]})

    assert response.status_code == 302
    assert DesignImage.objects.get().source == "catalog"


def test_staff_without_the_permission_get_403_and_a_viewer_cannot_add(client, design_set):
    add_url = reverse("admin:design_designset_add_pictures", args=[design_set.pk])
    catalog_url = reverse("admin:design_designset_add_catalog_pictures", args=[design_set.pk])
    stranger = UserFactory(email="stranger@example.com", is_staff=True)
    client.force_login(stranger)
    assert client.get(reverse("admin:design_designset_changelist")).status_code == 403
    assert client.get(add_url).status_code == 403

    viewer = UserFactory(email="viewer@example.com", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_design"))
    client.force_login(viewer)
    page = client.get(reverse("admin:design_designset_change", args=[design_set.pk]))
    assert page.status_code == 200
    assert add_url not in page.content.decode()
    files = [SimpleUploadedFile("a.png", picture_bytes(1))]
    assert client.post(add_url, {"files": files, "category": "rings"}).status_code == 403
    assert client.post(catalog_url, {"categories": []}).status_code == 403
    assert not DesignImage.objects.exists()

    viewer.user_permissions.add(Permission.objects.get(codename="add_designimage"))
    viewer = type(viewer).objects.get(pk=viewer.pk)  # permissions are cached on the user
    client.force_login(viewer)
    assert client.get(add_url).status_code == 200


def test_a_missing_or_malformed_set_is_404(merchant_client):
    for object_id in ("999999", "x" * 50):
        url = reverse("admin:design_designset_add_pictures", args=[object_id])
        assert merchant_client.get(url).status_code == 404


def test_the_set_is_created_by_the_merchant(merchant_client, merchant):
    response = merchant_client.post(
        reverse("admin:design_designset_add"), {"name": "Art deco", "description": ""}
    )

    assert response.status_code == 302
    assert DesignSet.objects.get(name="Art deco").created_by == merchant
