"""Product image uploads (validation, storage, thumbnails) and the drawn product pictures."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageStat

from catalog.drawing import render_product_png
from catalog.images import (
    product_image_create,
    product_image_regenerate_thumbnail,
    validate_image_file,
)
from catalog.models import ProductImage
from catalog.tasks import regenerate_thumbnails
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def image_bytes(fmt: str = "PNG", size=(1200, 900), colour="#b76e79", **save_options) -> bytes:
    buffer = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    Image.new("RGB", size, colour).convert(mode).save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


@pytest.fixture
def product():
    return ProductFactory(handle="rose-gold-halo-ring")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_a_valid_upload_is_stored_with_a_small_thumbnail(product, fmt):
    # Given a 1200 x 900 picture in one of the accepted formats
    data = image_bytes(fmt)

    # When the merchant uploads it
    image = product_image_create(
        product=product, file=upload(data, f"photo.{fmt.lower()}"), alt_text="Halo ring"
    )

    # Then the original and a thumbnail no wider than 480 px are stored and open as images
    image.refresh_from_db()
    assert (image.width, image.height) == (1200, 900)
    assert image.alt_text == "Halo ring"
    with Image.open(image.image.path) as original:
        assert original.size == (1200, 900)
    with Image.open(image.thumbnail.path) as thumbnail:
        thumbnail.load()
        assert thumbnail.width <= 480
        assert thumbnail.size == (480, 360)
    assert product.images.count() == 1


def test_a_text_file_named_jpg_is_refused_and_nothing_is_saved(product):
    # Given a text file renamed to look like a photo
    fake = upload(b"Dear shop, this is not a picture at all.\n" * 20, "ring.jpg", "image/jpeg")

    # When it is uploaded, then a clear message says it is not an image
    with pytest.raises(ValidationError) as error:
        product_image_create(product=product, file=fake)
    assert "not an image" in " ".join(error.value.messages)
    assert not ProductImage.objects.exists()
    assert stored_files() == []


def test_a_truncated_image_is_refused(product):
    # Given a JPEG cut off halfway through its pixel data
    data = image_bytes("JPEG", size=(800, 600), colour="#d4af37", quality=95)
    broken = data[: len(data) // 2]

    # When it is validated, then it is reported as damaged
    with pytest.raises(ValidationError) as error:
        validate_image_file(upload(broken, "ring.jpg", "image/jpeg"))
    assert "damaged" in " ".join(error.value.messages)


def test_a_file_over_the_size_limit_is_refused(product, settings):
    # Given a shop that accepts uploads of at most 2 kB
    settings.SHOP_MAX_IMAGE_UPLOAD_BYTES = 2048
    data = image_bytes("PNG", size=(600, 600), colour="#123456")
    big = data + os.urandom(4096)  # trailing bytes make it large while still a PNG

    # When a larger file is uploaded, then the message names the limit
    with pytest.raises(ValidationError) as error:
        product_image_create(product=product, file=upload(big))
    message = " ".join(error.value.messages)
    assert "too large" in message
    assert "2.0\xa0KB" in message
    assert not ProductImage.objects.exists()


def test_an_image_with_too_many_pixels_is_refused(product, settings):
    # Given a limit of 10 000 pixels
    settings.SHOP_MAX_IMAGE_PIXELS = 10_000

    # When a 200 x 200 image (40 000 pixels) is uploaded, then it is refused before decoding
    with pytest.raises(ValidationError) as error:
        validate_image_file(upload(image_bytes("PNG", size=(200, 200))))
    assert error.value.error_list[0].code == "too_many_pixels"
    assert "200 × 200" in " ".join(error.value.messages)


def test_a_decompression_bomb_caught_by_pillow_is_refused(product, monkeypatch):
    # Given Pillow's own bomb guard set lower than the image (the shop limit is not reached)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)

    # When a 100 x 100 PNG is validated, then Pillow's warning becomes a refusal
    with pytest.raises(ValidationError) as error:
        validate_image_file(upload(image_bytes("PNG", size=(100, 100))))
    assert error.value.error_list[0].code == "too_many_pixels"


def test_an_unsupported_format_is_refused_with_its_name(product):
    # Given a valid BMP picture
    data = image_bytes("BMP", size=(50, 50))

    # When it is validated, then the message names the format and the accepted ones
    with pytest.raises(ValidationError) as error:
        validate_image_file(upload(data, "ring.bmp", "image/bmp"))
    message = " ".join(error.value.messages)
    assert "BMP" in message
    assert "JPEG, PNG, WEBP or GIF" in message


def test_the_uploaded_file_name_is_never_used_for_storage(product):
    # Given an upload whose name tries to climb out of the media folder
    evil = upload(image_bytes("PNG"), "../../../etc/evil shell.php.png")

    # When it is stored
    image = product_image_create(product=product, file=evil)

    # Then it lands under products/ with a generated name from the product handle
    assert image.image.name.startswith("products/rose-gold-halo-ring-")
    assert "evil" not in image.image.name and ".." not in image.image.name
    assert image.image.name.endswith(".png")
    media = Path(settings.MEDIA_ROOT).resolve()
    assert Path(image.image.path).resolve().is_relative_to(media)
    assert Path(image.thumbnail.path).resolve().is_relative_to(media)


def test_a_rotated_phone_photo_is_stored_upright_without_its_exif(product):
    # Given a 300 x 100 JPEG whose EXIF says "rotate 90°" (as phones write them)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"
    data = image_bytes("JPEG", size=(300, 100), exif=exif.tobytes())

    # When it is uploaded
    image = product_image_create(product=product, file=upload(data, "IMG_0001.JPG"))

    # Then the stored picture is upright and carries no camera metadata
    with Image.open(image.image.path) as stored:
        assert stored.size == (100, 300)
        assert stored.getexif().get(0x0112) in (None, 1)
        assert 0x010F not in stored.getexif()
    assert (image.width, image.height) == (100, 300)


def test_validation_leaves_the_upload_ready_to_be_saved(product):
    # Given an upload an admin form has validated
    file = upload(image_bytes("JPEG"), "ring.jpg", "image/jpeg")
    validate_image_file(file)

    # Then the whole file can still be read from the start
    assert file.tell() == 0
    assert file.read() == image_bytes("JPEG")


def test_regenerating_a_thumbnail_twice_gives_one_thumbnail(product):
    # Given a stored image whose thumbnail file was lost
    image = product_image_create(product=product, file=upload(image_bytes("PNG")))
    Path(image.thumbnail.path).unlink()

    # When the thumbnail is rebuilt twice
    product_image_regenerate_thumbnail(image=image)
    product_image_regenerate_thumbnail(image=image)

    # Then exactly one thumbnail file exists and the row points at it
    image.refresh_from_db()
    thumbnails = list((Path(settings.MEDIA_ROOT) / "thumbnails").iterdir())
    assert [path.name for path in thumbnails] == [Path(image.thumbnail.name).name]
    with Image.open(image.thumbnail.path) as thumbnail:
        assert thumbnail.width <= 480


def test_the_thumbnail_task_skips_deleted_images(product):
    # Given one image that exists and an id that no longer does
    image = product_image_create(product=product, file=upload(image_bytes("PNG")))
    Path(image.thumbnail.path).unlink()

    # When the task runs for both
    rebuilt = regenerate_thumbnails([image.pk, image.pk + 1000])

    # Then the existing image gets its thumbnail back and the missing one is skipped
    assert rebuilt == 1
    image.refresh_from_db()
    assert Path(image.thumbnail.path).exists()


# --- drawn product pictures -------------------------------------------------------------------

CATEGORY_SLUGS = [
    "rings",
    "engagement-rings",
    "wedding-bands",
    "cocktail-rings",
    "necklaces",
    "pendants",
    "chains",
    "earrings",
    "studs",
    "hoops",
    "drops",
    "bracelets",
    "bangles",
    "tennis-bracelets",
    "brooches",
    "anklets",
    "watches",  # unknown to the drawing code: still gets a picture
]


def drawn(**overrides) -> bytes:
    arguments = {
        "seed": "halo-ring-1",
        "category_slug": "rings",
        "metal_hex": "#e3b84f",
        "gem_hex": "#1f4fa8",
        "size": 160,
        **overrides,
    }
    return render_product_png(**arguments)


@pytest.mark.parametrize("category_slug", CATEGORY_SLUGS)
def test_every_category_is_drawn_as_a_png_of_the_asked_size(category_slug):
    # When a picture is drawn for the category, with and without a stone
    for gem_hex in ("#b3122e", None):
        data = drawn(category_slug=category_slug, gem_hex=gem_hex, size=200)

        # Then it is a PNG of 200 x 200 that is not a blank backdrop
        with Image.open(io.BytesIO(data)) as picture:
            assert picture.format == "PNG"
            assert picture.size == (200, 200)
            spread = ImageStat.Stat(picture.convert("L")).extrema[0]
            assert spread[1] - spread[0] > 60


def test_drawing_is_deterministic_for_a_seed():
    assert drawn() == drawn()


def test_drawings_differ_between_seeds_metals_and_categories():
    base = drawn()
    assert drawn(seed="halo-ring-2") != base
    assert drawn(metal_hex="#e6e6e2") != base
    assert drawn(category_slug="pendants") != base
    assert drawn(gem_hex="#13855c") != base


def test_the_metal_colour_shows_in_the_picture():
    # Given the same ring in yellow gold and in white gold
    def warmth(data: bytes) -> float:
        with Image.open(io.BytesIO(data)) as picture:
            red, _green, blue = ImageStat.Stat(picture.convert("RGB")).mean
        return red - blue

    # Then the yellow gold picture is clearly warmer
    yellow = warmth(drawn(seed="band", category_slug="wedding-bands", metal_hex="#e3b84f"))
    white = warmth(drawn(seed="band", category_slug="wedding-bands", metal_hex="#e6e6e2"))
    assert yellow > white + 5
