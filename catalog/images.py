"""Product image uploads: verification with Pillow, safe storage and thumbnails.

Everything that stores a product image (admin uploads, the Shopify import, the demo seeder,
the thumbnail task) goes through here, so an upload is always checked the same way:
size, a real and complete image, an allowed format, and a pixel count that cannot be used as
a decompression bomb. The uploaded file name is never used for storage.
"""

from __future__ import annotations

import contextlib
import io
import logging
import secrets
import warnings
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .cache import catalog_changed
from .models import Product, ProductImage

logger = logging.getLogger(__name__)

# Pillow format name -> file extension used for the stored original.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
THUMBNAIL_WIDTH = 480
THUMBNAIL_FORMAT = "WEBP"
THUMBNAIL_QUALITY = 82
ORIGINAL_JPEG_QUALITY = 90


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed validation: its bytes and what Pillow found in them."""

    data: bytes
    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return ALLOWED_FORMATS[self.format]


def _read_limited(file: IO[bytes] | Any, limit: int) -> bytes:
    """Reads at most limit + 1 bytes, so a huge upload is refused without holding all of it."""
    declared = getattr(file, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise _too_large(declared, limit)
    _rewind(file)
    data = file.read(limit + 1)
    if isinstance(data, str):
        raise ValidationError(_("The file is not an image."), code="not_an_image")
    if len(data) > limit:
        raise _too_large(len(data), limit)
    return data


def _rewind(file: Any) -> None:
    if hasattr(file, "seek"):
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)


def _too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("The image is too large (%(size)s). The largest image you can upload is %(limit)s."),
        code="too_large",
        params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
    )


def _too_many_pixels(width: int, height: int, limit: int) -> ValidationError:
    return ValidationError(
        _(
            "The image is %(width)s × %(height)s pixels, more than the %(limit)s megapixels "
            "allowed. Please upload a smaller image."
        ),
        code="too_many_pixels",
        params={"width": width, "height": height, "limit": round(limit / 1_000_000, 1)},
    )


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("The file is not an image or it is damaged. Please upload a JPEG, PNG, WEBP or GIF."),
        code="invalid_image",
    )


def check_image_bytes(data: bytes) -> CheckedImage:
    """Validates image bytes; returns what was found or raises ValidationError."""
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    max_pixels = settings.SHOP_MAX_IMAGE_PIXELS
    # Pillow warns (and past twice its limit refuses) on huge images; treat both as refusals.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format or ""
                width, height = probe.size
                if image_format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _(
                            "Images in %(format)s format are not supported. "
                            "Please upload a JPEG, PNG, WEBP or GIF."
                        ),
                        code="unsupported_format",
                        params={"format": image_format or _("this")},
                    )
                if width * height > max_pixels:
                    raise _too_many_pixels(width, height, max_pixels)
                probe.verify()
            # verify() leaves the image unusable and misses truncated pixel data: decode fully.
            with Image.open(io.BytesIO(data)) as full:
                full.load()
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(0, 0, max_pixels) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            # SyntaxError and ValueError are what some Pillow decoders raise on broken files.
            raise _not_an_image() from exc
    return CheckedImage(data=data, format=image_format, width=width, height=height)


def validate_image_file(file: IO[bytes] | Any) -> None:
    """Raises ValidationError with a message for the merchant if the upload is not acceptable.

    Accepts Django's UploadedFile, File or any binary file-like object; the file position is
    rewound afterwards so the caller can still save it.
    """
    _check_file(file)


def _check_file(file: IO[bytes] | Any) -> CheckedImage:
    data = _read_limited(file, settings.SHOP_MAX_IMAGE_UPLOAD_BYTES)
    _rewind(file)
    return check_image_bytes(data)


def _storage_stem(product: Product) -> str:
    """A fresh name from the product handle and a random token: nothing comes from the upload."""
    base = slugify(product.handle)[:60].strip("-") or "product"
    return f"{base}-{secrets.token_hex(5)}"


def _prepared_original(checked: CheckedImage) -> bytes:
    """The original as stored: upright, without camera metadata (location, orientation).

    GIFs are kept byte for byte (they carry no EXIF and may be animated).
    """
    if checked.format == "GIF":
        return checked.data
    with Image.open(io.BytesIO(checked.data)) as image:
        upright = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        if checked.format == "JPEG":
            if upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            upright.save(out, format="JPEG", quality=ORIGINAL_JPEG_QUALITY, optimize=True)
        elif checked.format == "WEBP":
            upright.save(out, format="WEBP", quality=ORIGINAL_JPEG_QUALITY)
        else:
            upright.save(out, format="PNG", optimize=False)
        return out.getvalue()


def make_thumbnail_bytes(
    image: Image.Image, width: int = THUMBNAIL_WIDTH, effort: int = 4
) -> bytes:
    """A WEBP no larger than `width` on either side, upright, in a mode WEBP can hold.

    `effort` is WEBP's method (0 fast to 6 small); bulk generation may trade size for speed.
    """
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA"):
        has_alpha = image.mode in ("LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        )
        image = image.convert("RGBA" if has_alpha else "RGB")
    if max(image.size) > width:
        # Fits in a width x width square: no side of a thumbnail is longer than `width`.
        scale = width / max(image.size)
        new_size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        # Bulk generation (low effort) takes the cheaper filter; uploads get Lanczos.
        resample = Image.Resampling.LANCZOS if effort > 2 else Image.Resampling.BILINEAR
        image = image.resize(new_size, resample)
    out = io.BytesIO()
    image.save(out, format=THUMBNAIL_FORMAT, quality=THUMBNAIL_QUALITY, method=effort)
    return out.getvalue()


def _thumbnail_name(original_name: str) -> str:
    stem = original_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return f"{stem}.webp"


def product_image_create(
    *,
    product: Product,
    file: IO[bytes] | Any,
    alt_text: str = "",
    position: int = 0,
    source_url: str = "",
) -> ProductImage:
    """Validates an upload, stores it under a generated name and makes its thumbnail."""
    checked = _check_file(file)
    original = _prepared_original(checked)
    with Image.open(io.BytesIO(original)) as opened:
        thumbnail = make_thumbnail_bytes(opened)
    stem = _storage_stem(product)
    image = ProductImage(
        product=product,
        alt_text=(alt_text or "").strip()[:255],
        position=position,
        source_url=source_url or "",
    )
    image.image.save(f"{stem}.{checked.extension}", ContentFile(original), save=False)
    image.thumbnail.save(_thumbnail_name(stem), ContentFile(thumbnail), save=False)
    try:
        image.full_clean()
        image.save()
    except Exception:
        # The row was not written: leave no orphan files behind.
        _delete_files(image)
        raise
    return image


def product_image_regenerate_thumbnail(*, image: ProductImage) -> ProductImage:
    """Rebuilds the thumbnail from the stored original; running it twice gives the same result."""
    with image.image.open("rb") as stored, Image.open(stored) as opened:
        opened.load()
        thumbnail = make_thumbnail_bytes(opened)
    old_name = image.thumbnail.name if image.thumbnail else ""
    if old_name:
        image.thumbnail.storage.delete(old_name)
    image.thumbnail.save(_thumbnail_name(image.image.name), ContentFile(thumbnail), save=False)
    ProductImage.objects.filter(pk=image.pk).update(thumbnail=image.thumbnail.name)
    catalog_changed()  # cached cards show the thumbnail
    return image


def _delete_files(image: ProductImage) -> None:
    for field in (image.image, image.thumbnail):
        if field and field.name:
            try:
                field.storage.delete(field.name)
            except OSError:
                logger.warning("Could not delete %s", field.name, exc_info=True)


def product_images_create_bulk(
    *, images: list[ProductImage], batch_size: int = 500
) -> list[ProductImage]:
    """Saves many images whose files are already stored and thumbnailed (the demo store draws
    its pictures and writes them itself), in one insert per batch: each row is validated field
    by field (its product left to the database's foreign key), its alt text trimmed as
    product_image_create trims it."""
    for image in images:
        image.alt_text = (image.alt_text or "").strip()[:255]
        image.full_clean(exclude=["product"], validate_unique=False, validate_constraints=False)
    ProductImage.objects.bulk_create(images, batch_size=batch_size)
    catalog_changed()
    return images
