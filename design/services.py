"""Building design sets: catalog pictures, uploads (files or zips) and reference folders.

Every way in goes through `_add`: each picture is checked and normalised (design.pictures),
exact and near duplicates (within the set and within the batch) are dropped and reported, and
the batch is all or nothing: if any file is bad, nothing is stored and the report gives each bad
file its reason. Duplicates are not errors.
"""

from __future__ import annotations

import logging
import posixpath
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image

from catalog.models import Category, ProductImage

from .models import DesignImage, DesignSet, ImageSource
from .pictures import (
    Picture,
    PictureError,
    check_picture,
    colour_thumbnail,
    hamming,
    read_limited,
    thumbnail_difference,
)

logger = logging.getLogger(__name__)

# A zip may hold at most this many members (files and folders).
DESIGN_MAX_ZIP_MEMBERS = 10_000
ZIP_MAGIC = b"PK\x03\x04"
# Files a reference folder or zip carries that are not pictures: skipped, not errors.
IGNORED_NAMES = {"thumbs.db", "desktop.ini"}


@dataclass
class ImportReport:
    """What one batch did: pictures added, duplicates skipped (file -> the picture kept) and
    bad files (file -> reason). When there is any error, nothing was added."""

    added: list[DesignImage] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts_by_category(self) -> dict[str, int]:
        return dict(sorted(Counter(image.category for image in self.added).items()))

    def summary(self) -> str:
        if self.errors:
            return _("%(errors)d bad file(s); nothing was added.") % {"errors": len(self.errors)}
        return _("%(added)d picture(s) added, %(duplicates)d duplicate(s) skipped.") % {
            "added": len(self.added),
            "duplicates": len(self.duplicates),
        }


@dataclass
class _Candidate:
    name: str  # as the report shows it
    category: str
    data: bytes | None = None
    product_image: ProductImage | None = None
    picture: Picture | None = None


def _prepared(candidate: _Candidate, errors: dict[str, str]) -> _Candidate | None:
    """The candidate checked and normalised at once, its original bytes let go (a folder or a
    zip of a few thousand photos never sits in memory whole); None, with the reason in
    errors, when it cannot be used."""
    if not candidate.category:
        errors[candidate.name] = _(
            "No category: put the picture in a folder named after its category, or choose "
            "a category."
        )
        return None
    try:
        data = candidate.data
        if data is None:
            data = _product_image_bytes(candidate.product_image)
        candidate.picture = check_picture(data)
    except PictureError as exc:
        errors[candidate.name] = str(exc)
        return None
    finally:
        candidate.data = None
    return candidate


def category_label(name: str) -> str:
    """A folder's name as a category: the catalog category's slug when it names one (by slug,
    ignoring case and spaces), else the folder name as it is."""
    name = (name or "").strip()[:120]
    slug = slugify(name)
    if slug and Category.objects.filter(slug=slug).exists():
        return slug
    return name


def _skipped(name: str) -> bool:
    """Hidden files, macOS resource forks and folder thumbnails: not part of any upload."""
    parts = [part for part in name.replace("\\", "/").split("/") if part]
    return (
        not parts
        or any(part.startswith(".") or part == "__MACOSX" for part in parts)
        or parts[-1].lower() in IGNORED_NAMES
    )


def _add(
    *, design_set: DesignSet | None, candidates: list[_Candidate], source: str, errors: dict
) -> tuple[ImportReport, list[tuple[_Candidate, Picture]]]:
    """Checks every candidate and sorts out duplicates; writes nothing."""
    report = ImportReport(errors=dict(errors))
    # (phash, name shown as "kept", the colour thumbnail or the stored picture to make it from)
    kept: list[list] = []
    if design_set is not None and design_set.pk:
        kept = [
            [image.phash, image.original_filename or _("picture %(id)s") % {"id": image.pk}, image]
            for image in design_set.images.only("pk", "phash", "original_filename", "image")
        ]
    bits = settings.DESIGN_NEAR_DUPLICATE_BITS
    difference = settings.DESIGN_NEAR_DUPLICATE_DIFFERENCE
    accepted: list[tuple[_Candidate, Picture]] = []
    for candidate in candidates:
        if candidate.picture is None and _prepared(candidate, report.errors) is None:
            continue
        picture = candidate.picture
        match = None
        for entry in kept:
            distance = hamming(entry[0], picture.phash)
            if distance > bits:
                continue
            if distance == 0:  # the same hash: one picture (and one row per hash and set)
                match = entry[1]
                break
            if not isinstance(entry[2], np.ndarray):
                entry[2] = _stored_thumbnail(entry[2])
            if entry[2] is None or thumbnail_difference(entry[2], picture.thumb) <= difference:
                match = entry[1]
                break
        if match is not None:
            report.duplicates[candidate.name] = match
            continue
        kept.append([picture.phash, candidate.name, picture.thumb])
        accepted.append((candidate, picture))
    return report, accepted


def _stored_thumbnail(image: DesignImage) -> np.ndarray | None:
    """The colour thumbnail of a picture already in the set (None if its file is gone: then the
    hash alone decides)."""
    try:
        with image.image.open("rb") as stored, Image.open(stored) as opened:
            return colour_thumbnail(opened)
    except (OSError, ValueError):
        logger.warning("Cannot read design picture %s", image.pk, exc_info=True)
        return None


def _product_image_bytes(product_image: ProductImage) -> bytes:
    try:
        with product_image.image.open("rb") as stored:
            return read_limited(stored, settings.DESIGN_MAX_UPLOAD_BYTES)
    except (OSError, ValueError) as exc:
        if isinstance(exc, PictureError):
            raise
        raise PictureError(_("The product image's file cannot be read.")) from exc


def _store(
    *, design_set: DesignSet, accepted: list[tuple[_Candidate, Picture]], source: str
) -> list[DesignImage]:
    """Writes the rows and files in one transaction; no file is left behind if it fails."""
    created: list[DesignImage] = []
    try:
        with transaction.atomic():
            if not design_set.pk:
                design_set.save()
            for candidate, picture in accepted:
                image = DesignImage(
                    design_set=design_set,
                    category=candidate.category,
                    source=source,
                    product_image=candidate.product_image,
                    original_filename=posixpath.basename(candidate.name.replace("\\", "/"))[:255],
                    phash=picture.phash,
                    width=picture.width,
                    height=picture.height,
                )
                image.image.save("picture.png", ContentFile(picture.png), save=False)
                created.append(image)
                image.save()
    except Exception:
        for image in created:
            if image.image.name:
                image.image.storage.delete(image.image.name)
        raise
    return created


def _finish(
    *, design_set: DesignSet, candidates: list[_Candidate], source: str, errors: dict
) -> ImportReport:
    report, accepted = _add(
        design_set=design_set, candidates=candidates, source=source, errors=errors
    )
    if not report.ok:
        return report
    if not accepted and not report.duplicates:
        report.errors[""] = _("No pictures were found.")
        return report
    report.added = _store(design_set=design_set, accepted=accepted, source=source)
    return report


def design_set_add_catalog_images(
    *, design_set: DesignSet, categories: Iterable[Category]
) -> ImportReport:
    """Adds the catalog's product images of those categories (labelled by category slug)."""
    categories = list(categories)
    images = (
        ProductImage.objects.filter(product__category__in=categories)
        .select_related("product__category")
        .order_by("product__category__position", "product_id", "position", "pk")
    )
    candidates = [
        _Candidate(
            name=f"{image.product.handle}/{posixpath.basename(image.image.name)}",
            category=image.product.category.slug,
            product_image=image,
        )
        for image in images
    ]
    return _finish(
        design_set=design_set, candidates=candidates, source=ImageSource.CATALOG, errors={}
    )


def _zip_candidates(upload: Any, name: str, category: str | None, errors: dict) -> list:
    """The pictures of a zip, each with its folder's category; unsafe zips are errors."""
    limit = settings.DESIGN_MAX_ZIP_BYTES
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > limit:
        errors[name] = _too_large_zip(size, limit)
        return []
    candidates: list[_Candidate] = []
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > DESIGN_MAX_ZIP_MEMBERS:
                errors[name] = _("The zip holds more than %(count)d files.") % {
                    "count": DESIGN_MAX_ZIP_MEMBERS
                }
                return []
            total = sum(member.file_size for member in members)
            if total > limit:
                errors[name] = _(
                    "The zip's files take %(size)s once uncompressed; the most is %(limit)s."
                ) % {"size": filesizeformat(total), "limit": filesizeformat(limit)}
                return []
            for member in members:
                shown = f"{name}:{member.filename}"
                path = member.filename.replace("\\", "/")
                parts = path.split("/")
                if path.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
                    errors[shown] = _("Unsafe path in the zip (absolute or with “..”).")
                    continue
                if member.is_dir() or _skipped(path):
                    continue
                if path.lower().endswith(".zip"):
                    errors[shown] = _("A zip inside a zip is not accepted.")
                    continue
                if member.file_size > settings.DESIGN_MAX_UPLOAD_BYTES:
                    errors[shown] = _too_large_member(member.file_size)
                    continue
                with archive.open(member) as opened:
                    data = opened.read(settings.DESIGN_MAX_UPLOAD_BYTES + 1)
                if len(data) > settings.DESIGN_MAX_UPLOAD_BYTES:
                    errors[shown] = _too_large_member(len(data))
                    continue
                if data.startswith(ZIP_MAGIC):
                    errors[shown] = _("A zip inside a zip is not accepted.")
                    continue
                folder = parts[-2] if len(parts) > 1 else ""
                candidates.append(
                    _Candidate(name=shown, category=category or category_label(folder), data=data)
                )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        errors[name] = _("The zip is damaged or not a zip.")
        return []
    except NotImplementedError:
        errors[name] = _("The zip uses a compression method that is not supported.")
        return []
    return candidates


def _too_large_zip(size: int, limit: int) -> str:
    return _("The zip is too large (%(size)s); the largest is %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }


def _too_large_member(size: int) -> str:
    return _("The file is too large (%(size)s); the largest picture is %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(settings.DESIGN_MAX_UPLOAD_BYTES),
    }


def _is_zip(upload: Any, name: str) -> bool:
    if name.lower().endswith(".zip"):
        return True
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    return head == ZIP_MAGIC


def design_set_add_uploads(
    *, design_set: DesignSet, files: Iterable[Any], category: str | None = None
) -> ImportReport:
    """Adds uploaded pictures: several files, zips (a folder per category inside), or both.

    `category` (a label) is every picture's category when given; without it a picture takes
    its folder's name in the zip, and a loose file without a category is an error."""
    category = category_label(category) if category else None
    errors: dict[str, str] = {}
    candidates: list[_Candidate] = []
    for upload in files:
        name = posixpath.basename((getattr(upload, "name", "") or "").replace("\\", "/"))
        name = name or _("unnamed file")
        if _is_zip(upload, name):
            candidates += _zip_candidates(upload, name, category, errors)
            continue
        try:
            data = read_limited(upload, settings.DESIGN_MAX_UPLOAD_BYTES)
        except PictureError as exc:
            errors[name] = str(exc)
            continue
        candidates.append(_Candidate(name=name, category=category or "", data=data))
    return _finish(
        design_set=design_set, candidates=candidates, source=ImageSource.UPLOAD, errors=errors
    )


def import_design_references(
    *, path: str | Path, set_name: str, created_by: Any = None
) -> tuple[DesignSet, ImportReport]:
    """Imports a folder whose subfolders name the categories into the set called set_name
    (made if missing, and only if something is added). Pictures deeper down take the name of
    the first folder below `path`; a file directly in `path` has no category (an error)."""
    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(str(root))
    design_set = DesignSet.objects.filter(name=set_name).first() or DesignSet(
        name=set_name, created_by=created_by
    )
    errors: dict[str, str] = {}
    candidates: list[_Candidate] = []
    labels: dict[str, str] = {}
    for file in sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink()):
        relative = file.relative_to(root).as_posix()
        if _skipped(relative):
            continue
        if file.is_symlink() or not file.is_file():
            errors[relative] = _("Links are not followed.")
            continue
        folder = relative.split("/")[0] if "/" in relative else ""
        if folder and folder not in labels:
            labels[folder] = category_label(folder)
        try:
            with file.open("rb") as opened:
                data = read_limited(opened, settings.DESIGN_MAX_UPLOAD_BYTES)
        except PictureError as exc:
            errors[relative] = str(exc)
            continue
        except OSError:
            errors[relative] = _("The file cannot be read.")
            continue
        if data.startswith(ZIP_MAGIC):
            errors[relative] = _("Zips are not read inside a folder: unpack it first.")
            continue
        candidate = _prepared(
            _Candidate(name=relative, category=labels.get(folder, ""), data=data), errors
        )
        if candidate is not None:
            candidates.append(candidate)
    report = _finish(
        design_set=design_set, candidates=candidates, source=ImageSource.UPLOAD, errors=errors
    )
    return design_set, report
