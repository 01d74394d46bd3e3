"""Size caps on what a visitor may send, and the pages that say what went wrong.

- The whole body of a request has a cap (SHOP_MAX_REQUEST_BYTES): over it, a 413 before anything
  reads the body (Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves uploaded files out, which it
  streams to temporary files of any size).
- Every upload path has its own per-file cap, under the request cap, answered by its form with
  a message: review photos (page and API), product images (admin), product imports (admin).
- Malformed requests (a forged Host header, too many fields, an expired form) get a page in
  the storefront's layout that says what to do, never Django's bare text or a 500.
"""

from __future__ import annotations

import io
import os

import pytest
from django.core.checks import run_checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from catalog.admin import ProductImageForm
from catalog.models import Product
from reviews.models import Review
from tests.factories import ProductFactory, UserFactory


def png(*, side: int = 40, noise: bool = False, name: str = "photo.png") -> SimpleUploadedFile:
    """A real PNG; random pixels do not compress, so with noise its size is about 3 * side²."""
    if noise:
        image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    else:
        image = Image.new("RGB", (side, side), (200, 160, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def product(db):
    return ProductFactory(handle="gold-ring", name="Gold ring")


@pytest.fixture
def shopper_client(client, db):
    client.force_login(UserFactory(email="ada@example.com"))
    return client


def review_url(product) -> str:
    return reverse("reviews:review_create", kwargs={"handle": product.handle})


def test_a_body_over_the_request_cap_gets_a_413_page_and_nothing_is_saved(
    shopper_client, product, settings
):
    settings.SHOP_MAX_REQUEST_BYTES = 5_000
    photo = png(side=120, noise=True)
    assert photo.size > 5_000

    response = shopper_client.post(
        review_url(product), {"rating": "5", "text": "Lovely", "photos": [photo]}
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert "Too much to send at once" in html
    assert "4.9\xa0KB" in html  # the limit, as the visitor reads it
    assert "Back to the home page" in html  # the shop's layout (error.html), not bare text
    assert Review.objects.count() == 0


def test_the_api_answers_an_oversized_body_in_its_error_format(client, product, settings):
    settings.SHOP_MAX_REQUEST_BYTES = 1_000

    response = client.post(
        f"/api/v1/products/{product.handle}/reviews/",
        {"rating": "5", "text": "x" * 2_000},
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_a_body_under_the_cap_reaches_the_view(shopper_client, product, settings):
    settings.SHOP_MAX_REQUEST_BYTES = 200_000

    response = shopper_client.post(
        review_url(product), {"rating": "5", "text": "Lovely", "photos": [png()]}
    )

    assert response.status_code == 302
    assert Review.objects.get().photos.count() == 1


def test_a_malformed_content_length_is_not_a_server_error(client, db):
    response = client.post("/en/cart/add/", {"variant": "1"}, CONTENT_LENGTH="²")

    assert response.status_code < 500


def test_a_review_photo_over_its_own_cap_is_refused_by_the_form(shopper_client, product, settings):
    settings.SHOP_MAX_IMAGE_UPLOAD_BYTES = 2_000
    photo = png(side=120, noise=True)

    response = shopper_client.post(
        review_url(product), {"rating": "5", "text": "Lovely", "photos": [photo]}
    )

    assert response.status_code in (200, 400)
    assert "too large" in response.content.decode().lower()
    assert Review.objects.count() == 0


def test_a_product_image_over_its_cap_is_refused_by_the_admin_form(product, settings):
    settings.SHOP_MAX_IMAGE_UPLOAD_BYTES = 2_000
    form = ProductImageForm(
        data={"position": 0, "alt_text": ""},
        files={"image": png(side=120, noise=True)},
    )

    assert not form.is_valid()
    assert "too large" in str(form.errors["image"]).lower()


def test_an_import_over_its_cap_is_refused_with_the_limit(merchant_client, settings):
    settings.SHOP_MAX_IMPORT_BYTES = 100
    upload = SimpleUploadedFile("products.csv", b"Handle,Title\n" + b"ring,Ring\n" * 50)

    response = merchant_client.post(
        reverse("admin:catalog_product_import"), {"file": upload, "dry_run": "on"}
    )

    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert Product.objects.count() == 0


def test_the_request_cap_leaves_room_for_every_upload_by_default(settings):
    largest_upload = max(
        settings.SHOP_MAX_IMAGE_UPLOAD_BYTES * settings.SHOP_REVIEW_MAX_PHOTOS
        if hasattr(settings, "SHOP_REVIEW_MAX_PHOTOS")
        else settings.SHOP_MAX_IMAGE_UPLOAD_BYTES * 4,
        settings.SHOP_MAX_IMPORT_BYTES,
    )
    assert largest_upload <= settings.SHOP_MAX_REQUEST_BYTES
    assert "shop.W006" not in [message.id for message in run_checks()]


def test_a_request_cap_below_an_upload_cap_is_reported(settings):
    settings.SHOP_MAX_REQUEST_BYTES = settings.SHOP_MAX_IMPORT_BYTES - 1

    assert "shop.W006" in [message.id for message in run_checks()]


def test_a_forged_host_header_gets_a_400_page(client, db):
    response = client.get("/en/products/", HTTP_HOST="evil.example.com\x00")

    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


def test_too_many_form_fields_get_the_400_page_in_the_shops_layout(client, db, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    data = "&".join(f"field{i}=x" for i in range(50))

    response = client.post("/en/cart/add/", data, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    html = response.content.decode()
    assert "could not be understood" in html
    assert "Back to the home page" in html


def test_an_expired_form_says_so_and_how_to_recover(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/en/cart/add/", {"variant": "1", "quantity": "1"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html
    assert "reload the page" in html
