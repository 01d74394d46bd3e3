"""Design sets: pictures checked by content, de-duplicated by perceptual hash, normalised, and
every batch all or nothing (design.services, design.pictures)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps

from catalog.images import product_image_create
from design.models import DesignImage, DesignSet, ImageSource
from design.pictures import border_colour, hamming, normalise, perceptual_hash
from design.services import (
    design_set_add_catalog_images,
    design_set_add_uploads,
    import_design_references,
)
from tests.factories import CategoryFactory, ProductFactory

from .conftest import drawing, encoded, picture_bytes

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_pictures_in_category_folders_are_imported_and_normalised_to_128_px_squares(tmp_path):
    CategoryFactory(slug="rings")
    (tmp_path / "Rings").mkdir()
    (tmp_path / "art deco").mkdir()
    (tmp_path / "Rings" / "a.jpg").write_bytes(picture_bytes(1, "JPEG", quality=90))
    (tmp_path / "Rings" / "b.png").write_bytes(picture_bytes(2))
    (tmp_path / "art deco" / "c.png").write_bytes(encoded(drawing(3, size=(90, 300))))
    (tmp_path / "Rings" / ".DS_Store").write_bytes(b"junk")

    design_set, report = import_design_references(path=tmp_path, set_name="Refs")

    assert report.ok, report.errors
    assert report.counts_by_category() == {"art deco": 1, "rings": 2}  # "Rings" is the catalog's
    assert DesignSet.objects.get(name="Refs") == design_set
    for image in DesignImage.objects.all():
        with image.image.open("rb") as stored, Image.open(stored) as opened:
            assert (opened.format, opened.mode, opened.size) == ("PNG", "RGB", (128, 128))
        assert image.image.name.startswith(f"design/{design_set.pk}/")
        assert len(image.phash) == 16
    tall = DesignImage.objects.get(original_filename="c.png")
    assert (tall.width, tall.height, tall.source) == (90, 300, ImageSource.UPLOAD)


def test_a_text_file_named_jpg_is_refused_with_its_reason_and_nothing_is_imported(design_set):
    files = [
        upload("good.png", picture_bytes(1)),
        upload("notes.jpg", b"These are my notes, not a picture."),
    ]

    report = design_set_add_uploads(design_set=design_set, files=files, category="rings")

    assert not report.ok
    assert list(report.errors) == ["notes.jpg"]
    assert "not an image" in report.errors["notes.jpg"]
    assert report.added == []
    assert not DesignImage.objects.exists()


def test_a_file_over_the_size_limit_is_refused(design_set, settings):
    settings.DESIGN_MAX_UPLOAD_BYTES = 500
    data = picture_bytes(1)
    assert len(data) > 500

    report = design_set_add_uploads(
        design_set=design_set, files=[upload("big.png", data)], category="rings"
    )

    assert "too large" in report.errors["big.png"]
    assert not DesignImage.objects.exists()


def test_a_decompression_bomb_is_refused(design_set):
    # 8,000 x 8,000 one-bit pixels: a few kilobytes on disk, 64 megapixels once opened.
    bomb = encoded(Image.new("1", (8000, 8000)), "PNG")
    assert len(bomb) < 100_000

    report = design_set_add_uploads(
        design_set=design_set, files=[upload("bomb.png", bomb)], category="rings"
    )

    assert "megapixels" in report.errors["bomb.png"]
    assert not DesignImage.objects.exists()


@pytest.mark.parametrize("bad_path", ["../escape.png", "/etc/escape.png", "rings/../../x.png"])
def test_a_zip_with_an_unsafe_path_is_refused(design_set, bad_path):
    archive = zip_of({"rings/ok.png": picture_bytes(1), bad_path: picture_bytes(2)})

    report = design_set_add_uploads(design_set=design_set, files=[upload("refs.zip", archive)])

    assert list(report.errors) == [f"refs.zip:{bad_path}"]
    assert "Unsafe path" in report.errors[f"refs.zip:{bad_path}"]
    assert not DesignImage.objects.exists()


def test_a_zip_inside_a_zip_and_a_zip_too_large_once_uncompressed_are_refused(design_set, settings):
    inner = zip_of({"a.png": picture_bytes(1)})
    report = design_set_add_uploads(
        design_set=design_set,
        files=[upload("refs.zip", zip_of({"rings/inner.zip": inner, "rings/x.bin": inner}))],
    )
    assert set(report.errors) == {"refs.zip:rings/inner.zip", "refs.zip:rings/x.bin"}

    settings.DESIGN_MAX_ZIP_BYTES = 10_000
    huge = zip_of({"rings/zeros.png": b"\0" * 50_000})
    report = design_set_add_uploads(design_set=design_set, files=[upload("z.zip", huge)])
    assert "uncompressed" in report.errors["z.zip"]
    assert not DesignImage.objects.exists()


def test_a_zip_with_a_folder_per_category_is_imported(design_set):
    CategoryFactory(slug="necklaces")
    archive = zip_of(
        {
            "refs/necklaces/a.png": picture_bytes(1),
            "refs/brooches/b.webp": picture_bytes(2, "WEBP", quality=90),
            "__MACOSX/refs/necklaces/._a.png": b"resource fork",
        }
    )

    report = design_set_add_uploads(design_set=design_set, files=[upload("refs.zip", archive)])

    assert report.ok, report.errors
    assert report.counts_by_category() == {"brooches": 1, "necklaces": 1}


def test_a_loose_file_without_a_category_is_an_error(design_set):
    report = design_set_add_uploads(
        design_set=design_set, files=[upload("a.png", picture_bytes(1))]
    )

    assert "No category" in report.errors["a.png"]


def test_exact_and_near_duplicates_are_dropped_and_reported_a_different_picture_kept(design_set):
    original = drawing(1)
    first = design_set_add_uploads(
        design_set=design_set, files=[upload("ring.png", encoded(original))], category="rings"
    )
    assert first.ok and len(first.added) == 1

    smaller = original.resize((200, 150), Image.Resampling.BILINEAR)
    files = [
        upload("same.png", encoded(original)),
        upload("copy.jpg", encoded(smaller, "JPEG", quality=70)),
        upload("other.png", picture_bytes(2)),
        upload("other-again.jpg", picture_bytes(2, "JPEG", quality=80)),
    ]

    report = design_set_add_uploads(design_set=design_set, files=files, category="rings")

    assert report.ok, report.errors
    assert report.duplicates == {
        "same.png": "ring.png",
        "copy.jpg": "ring.png",
        "other-again.jpg": "other.png",
    }
    assert [image.original_filename for image in report.added] == ["other.png"]
    assert DesignImage.objects.count() == 2


def test_the_perceptual_hash_tells_copies_from_other_pictures():
    original = drawing(5)
    copy = original.resize((300, 225), Image.Resampling.LANCZOS)
    recompressed = Image.open(io.BytesIO(encoded(copy, "JPEG", quality=60)))

    same = hamming(perceptual_hash(normalise(original, 128)), perceptual_hash(normalise(copy, 128)))
    jpeg = perceptual_hash(normalise(recompressed, 128))
    other = [perceptual_hash(normalise(drawing(seed), 128)) for seed in range(6, 12)]

    assert same <= 2
    assert hamming(perceptual_hash(normalise(original, 128)), jpeg) <= 6
    assert min(hamming(jpeg, h) for h in other) > 6


def test_a_picture_is_padded_on_its_border_colour():
    wide = drawing(7, size=(200, 100), background=(10, 200, 30))

    square = normalise(wide, 64)

    assert square.size == (64, 64)
    assert border_colour(wide) == (10, 200, 30)
    # The band added above the picture has the background's colour.
    top = square.getpixel((32, 2))
    assert all(abs(a - b) <= 3 for a, b in zip(top, (10, 200, 30), strict=True))


def test_a_gif_gives_its_first_frame_and_transparency_is_laid_on_white(design_set):
    frames = [drawing(8), drawing(9)]
    gif = io.BytesIO()
    frames[0].save(gif, format="GIF", save_all=True, append_images=frames[1:])
    clear = Image.new("RGBA", (50, 50), (0, 0, 0, 0))

    report = design_set_add_uploads(
        design_set=design_set,
        files=[upload("a.gif", gif.getvalue()), upload("clear.png", encoded(clear))],
        category="rings",
    )

    assert report.ok, report.errors
    clear_image = DesignImage.objects.get(original_filename="clear.png")
    with clear_image.image.open("rb") as stored, Image.open(stored) as opened:
        assert opened.getpixel((10, 10)) == (255, 255, 255)


def test_catalog_images_of_a_category_are_added(design_set):
    rings = CategoryFactory(slug="rings")
    earrings = CategoryFactory(slug="earrings")
    ring = ProductFactory(handle="gold-ring", category=rings)
    stud = ProductFactory(handle="stud", category=earrings)
    ring_image = product_image_create(product=ring, file=io.BytesIO(picture_bytes(1)))
    product_image_create(product=ring, file=io.BytesIO(picture_bytes(2, "JPEG")))
    product_image_create(product=stud, file=io.BytesIO(picture_bytes(3)))

    report = design_set_add_catalog_images(design_set=design_set, categories=[rings])

    assert report.ok, report.errors
    assert report.counts_by_category() == {"rings": 2}
    assert {image.source for image in report.added} == {ImageSource.CATALOG}
    assert ring_image.pk in {image.product_image_id for image in report.added}

    again = design_set_add_catalog_images(design_set=design_set, categories=[rings])
    assert again.added == [] and len(again.duplicates) == 2


def test_an_empty_batch_is_an_error(tmp_path):
    _set, report = import_design_references(path=tmp_path, set_name="Empty")

    assert not report.ok
    assert not DesignSet.objects.filter(name="Empty").exists()


def test_a_matching_hash_alone_does_not_make_a_duplicate_the_colours_must_match_too(
    design_set, settings
):
    # Every hash matches (64 bits): only the colour thumbnails tell pictures apart.
    settings.DESIGN_NEAR_DUPLICATE_BITS = 64
    original = drawing(1)
    gold = ImageOps.invert(original)  # same shapes, other colours (and another hash)
    files = [
        upload("ring.png", encoded(original)),
        upload("ring-other-metal.png", encoded(gold)),
        upload("ring-copy.jpg", encoded(original.resize((200, 150)), "JPEG", quality=80)),
    ]

    report = design_set_add_uploads(design_set=design_set, files=files, category="rings")

    assert [image.original_filename for image in report.added] == [
        "ring.png",
        "ring-other-metal.png",
    ]
    assert report.duplicates == {"ring-copy.jpg": "ring.png"}
    # Against the pictures already stored too.
    again = design_set_add_uploads(
        design_set=design_set, files=[upload("again.png", encoded(gold))], category="rings"
    )
    assert again.duplicates == {"again.png": "ring-other-metal.png"}
