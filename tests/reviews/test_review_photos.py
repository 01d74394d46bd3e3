"""Review photos: sent through the API (multipart, checked like the web form's, all or nothing),
kept outside MEDIA_ROOT, and served by /reviews/photos/<id>/ only when the viewer may see them:
anyone once the review is approved; before that staff and the author; 404 for everyone else."""

import importlib
import io
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from PIL import Image
from rest_framework.test import APIClient

from reviews import services
from reviews.models import Review, ReviewPhoto, ReviewStatus
from tests.factories import ProductFactory, UserFactory


@pytest.fixture(autouse=True)
def _roots(settings, tmp_path, no_throttling):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REVIEW_PHOTOS_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def no_throttling(monkeypatch):
    from collections import defaultdict

    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", defaultdict(lambda: None))


@pytest.fixture
def product(db):
    return ProductFactory(handle="gold-ring", name="Gold ring")


@pytest.fixture
def author(db):
    return UserFactory(email="ada@example.com", first_name="Ada")


@pytest.fixture
def api(author):
    client = APIClient()
    client.force_authenticate(author)
    return client


def png(size=(64, 48), name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (212, 175, 55)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def files_under(root) -> list[Path]:
    root = Path(root)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def create_url(handle="gold-ring"):
    return f"/api/v1/products/{handle}/reviews/"


def reviewed(product, author, status):
    return services.review_create(
        product=product,
        author=author,
        rating=5,
        text="Look at it",
        photos=[png()],
        status=status,
        score=False,
    )


# --- API create --------------------------------------------------------------------------------
def test_the_api_takes_photos_as_multipart_and_serves_them_once_approved(
    api, product, author, settings, client
):
    response = api.post(
        create_url(),
        {"rating": 5, "title": "Shiny", "text": "Lovely ring", "photos": [png(), png((30, 20))]},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert [(p["width"], p["height"]) for p in body["photos"]] == [(64, 48), (30, 20)]
    review = Review.objects.get(pk=body["id"])
    first = review.photos.order_by("id").first()
    assert body["photos"][0]["url"] == f"http://testserver/reviews/photos/{first.pk}/"

    # Stored in the private root, nothing under MEDIA_ROOT
    private = files_under(settings.REVIEW_PHOTOS_ROOT)
    assert len(private) == 2
    assert files_under(settings.MEDIA_ROOT) == []
    assert not Path(first.image.path).is_relative_to(Path(settings.MEDIA_ROOT).resolve())

    photo_url = body["photos"][0]["url"].removeprefix("http://testserver")
    assert client.get(photo_url).status_code == 404  # pending: not for a guest

    services.review_approve(review=review)
    answer = client.get(photo_url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/webp"
    assert "public" in answer["Cache-Control"]
    assert "max-age=3600" in answer["Cache-Control"]
    with Image.open(io.BytesIO(b"".join(answer.streaming_content))) as image:
        assert image.size == (64, 48)
    # The public list shows the same URLs
    listed = APIClient().get(create_url()).json()["results"][0]["photos"]
    assert [p["url"] for p in listed] == [p["url"] for p in body["photos"]]


def test_json_without_photos_still_works_and_json_photos_are_refused(api, product):
    refused = api.post(
        create_url(), {"rating": 4, "text": "Nice", "photos": ["x.png"]}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid"
    assert "photos" in refused.json()["detail"]
    assert not Review.objects.exists()

    response = api.post(create_url(), {"rating": 4, "text": "Nice ring"}, format="json")
    assert response.status_code == 201
    assert response.json()["photos"] == []


def not_an_image():
    return [SimpleUploadedFile("evil.png", b"<?php echo 1; ?>", content_type="image/png")]


def too_big():
    # Noise does not compress: about 480 KB against the 2000-byte limit set below.
    buffer = io.BytesIO()
    Image.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3)).save(buffer, format="PNG")
    return [SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")]


def too_many():
    return [png(), png()]


def unsupported_format():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, format="BMP")
    return [png(), SimpleUploadedFile("x.bmp", buffer.getvalue(), content_type="image/bmp")]


@pytest.mark.parametrize(
    "photos, message",
    [
        (not_an_image, "not an image"),
        (too_big, "too large"),
        (too_many, "At most 1 photos"),
        (unsupported_format, "Photo 2: Images in BMP format are not supported"),
    ],
)
def test_a_bad_photo_refuses_the_whole_review_and_saves_no_file(
    api, product, settings, photos, message
):
    settings.SHOP_MAX_IMAGE_UPLOAD_BYTES = 2000
    if photos is too_many:
        settings.SHOP_REVIEW_MAX_PHOTOS = 1

    response = api.post(
        create_url(), {"rating": 5, "text": "With photos", "photos": photos()}, format="multipart"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["detail"]) == ["photos"]
    assert message in " ".join(body["detail"]["photos"])
    assert body["error"].startswith("Invalid input: photos:")
    assert not Review.objects.exists()
    assert not ReviewPhoto.objects.exists()
    assert files_under(settings.REVIEW_PHOTOS_ROOT) == []
    assert files_under(settings.MEDIA_ROOT) == []


def test_an_empty_file_is_a_400_not_a_500(api, product, settings):
    empty = SimpleUploadedFile("empty.png", b"", content_type="image/png")
    response = api.post(
        create_url(), {"rating": 5, "text": "Empty", "photos": [empty]}, format="multipart"
    )
    assert response.status_code == 400
    assert "photos" in response.json()["detail"]
    assert not Review.objects.exists()
    assert files_under(settings.REVIEW_PHOTOS_ROOT) == []


def test_the_schema_documents_the_multipart_photos(client, db):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    body = schema["paths"]["/api/v1/products/{handle}/reviews/"]["post"]["requestBody"]
    multipart = body["content"]["multipart/form-data"]["schema"]
    component = schema["components"]["schemas"][multipart["$ref"].rsplit("/", 1)[-1]]
    photos = component["properties"]["photos"]
    assert photos["type"] == "array"
    assert photos["items"] == {"type": "string", "format": "binary"}
    assert "application/json" in body["content"]


# --- Who sees a photo --------------------------------------------------------------------------
@pytest.mark.parametrize("status", [ReviewStatus.PENDING, ReviewStatus.REJECTED])
def test_an_unpublished_reviews_photo_is_for_staff_and_its_author_only(
    client, product, author, merchant, status
):
    review = reviewed(product, author, status)
    url = review.photos.get().get_absolute_url()

    assert client.get(url).status_code == 404  # anonymous
    client.force_login(UserFactory(email="bo@example.com"))
    assert client.get(url).status_code == 404  # another customer

    client.force_login(author)
    own = client.get(url)
    assert own.status_code == 200
    assert "no-store" in own["Cache-Control"]
    assert "private" in own["Cache-Control"]

    client.force_login(merchant)
    staff = client.get(url)
    assert staff.status_code == 200
    assert staff["Content-Type"] == "image/webp"
    assert "no-store" in staff["Cache-Control"]


def test_the_api_client_opens_its_own_pending_photo_with_its_token(client, product, author):
    from tests.factories import api_token_for

    review = reviewed(product, author, ReviewStatus.PENDING)
    url = review.photos.get().get_absolute_url()
    own = api_token_for(author)
    other = api_token_for(UserFactory(email="cy@example.com"))

    assert client.get(url, HTTP_AUTHORIZATION=f"Token {own}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {other}").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION="Token not-a-token").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION="Token").status_code == 404


def test_staff_without_the_review_permission_get_404_and_with_it_200(client, product, author):
    review = reviewed(product, author, ReviewStatus.PENDING)
    url = review.photos.get().get_absolute_url()
    translator = UserFactory(email="tr@example.com", is_staff=True)
    client.force_login(translator)
    assert client.get(url).status_code == 404

    translator.user_permissions.add(Permission.objects.get(codename="view_review"))
    client.force_login(translator)
    assert client.get(url).status_code == 200


def test_the_media_url_of_a_photo_answers_404_and_unknown_ids_too(client, product, author):
    review = reviewed(product, author, ReviewStatus.APPROVED)
    photo = review.photos.get()

    assert client.get(f"/media/{photo.image.name}").status_code == 404
    assert client.get(f"/reviews/photos/{photo.pk + 1000}/").status_code == 404
    assert client.get("/reviews/photos/99999999999999999999999/").status_code == 404
    assert client.post(photo.get_absolute_url()).status_code == 405
    assert client.head(photo.get_absolute_url()).status_code == 200


def test_a_missing_file_is_404_not_500(client, product, author):
    review = reviewed(product, author, ReviewStatus.APPROVED)
    photo = review.photos.get()
    photo.image.storage.delete(photo.image.name)

    assert client.get(photo.get_absolute_url()).status_code == 404


def test_an_unchanged_photo_answers_304(client, product, author):
    review = reviewed(product, author, ReviewStatus.APPROVED)
    url = review.photos.get().get_absolute_url()
    first = client.get(url)

    again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304


def test_behind_nginx_the_view_answers_with_x_accel_redirect(client, product, author, settings):
    settings.REVIEW_PHOTOS_ACCEL_REDIRECT = "/protected/review-photos/"
    review = reviewed(product, author, ReviewStatus.APPROVED)
    photo = review.photos.get()

    response = client.get(photo.get_absolute_url())

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected/review-photos/{photo.image.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/webp"
    # The check still comes first
    pending = reviewed(product, UserFactory(email="cy@example.com"), ReviewStatus.PENDING)
    assert client.get(pending.photos.get().get_absolute_url()).status_code == 404


# --- Pages and admin use the view -------------------------------------------------------------
def test_the_product_page_and_the_admin_link_photos_through_the_view(
    client, product, author, merchant
):
    review = reviewed(product, author, ReviewStatus.APPROVED)
    photo = review.photos.get()

    page = client.get(f"/en/p/{product.handle}/").content.decode()
    assert f'src="/reviews/photos/{photo.pk}/"' in page
    assert "/media/reviews/" not in page

    client.force_login(merchant)
    admin_page = client.get(f"/admin/reviews/review/{review.pk}/change/").content.decode()
    assert f'src="/reviews/photos/{photo.pk}/"' in admin_page


# --- Existing files move out of MEDIA_ROOT -------------------------------------------------------
def test_the_data_migration_moves_existing_photos_to_the_private_root(
    product, author, settings, tmp_path
):
    review = reviewed(product, author, ReviewStatus.APPROVED)
    photo = ReviewPhoto(review=review)
    photo.image.save("old.png", ContentFile(png().read()))  # as before: no width/height stored
    name = photo.image.name
    assert ReviewPhoto.objects.filter(pk=photo.pk, width__isnull=True).exists()
    # As before the migration: the file sits under MEDIA_ROOT
    private_file = Path(settings.REVIEW_PHOTOS_ROOT) / name
    old_file = Path(settings.MEDIA_ROOT) / name
    old_file.parent.mkdir(parents=True, exist_ok=True)
    private_file.rename(old_file)
    migration = importlib.import_module("catalog.migrations.0003_review_photos_private")
    # The models as that migration knew them (ReviewPhoto was catalog's then, issue 13).
    apps = MigrationLoader(connection).project_state(("catalog", "0003_review_photos_private")).apps

    migration.move_to_private_root(apps, None)
    migration.move_to_private_root(apps, None)  # again: nothing left to move, no error

    assert private_file.is_file()
    assert not old_file.exists()
    assert ReviewPhoto.objects.filter(pk=photo.pk).values_list("width", "height").get() == (64, 48)
    assert client_can_fetch(photo)


def client_can_fetch(photo) -> bool:
    from django.test import Client

    return Client().get(photo.get_absolute_url()).status_code == 200


def test_odd_multipart_bodies_are_400_not_500(api, product, settings):
    # A text value where a file is expected
    text = api.post(
        create_url(), {"rating": 5, "text": "Words", "photos": "x.png"}, format="multipart"
    )
    assert text.status_code == 400
    assert "photos" in text.json()["detail"]
    # More files than Django accepts in one request (DATA_UPLOAD_MAX_NUMBER_FILES)
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    flood = api.post(
        create_url(),
        {"rating": 5, "text": "Many", "photos": [png() for _ in range(5)]},
        format="multipart",
    )
    assert flood.status_code == 400
    assert not Review.objects.exists()
    assert files_under(settings.REVIEW_PHOTOS_ROOT) == []
