"""Writes for design drafts: storing what a generator drew, screening, and the draft product.

No TensorFlow here (the web process imports this module): the generator's pictures come in as
numpy arrays from design.drafting, which runs on the design worker.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image

from catalog.images import product_image_create
from catalog.models import Category, Product, PublicationStatus
from catalog.services import product_create

from .models import DesignDraft, DesignSet, DraftOrigin, DraftStatus
from .similarity import SetFeatures, draft_features, is_near_copy, nearest

logger = logging.getLogger(__name__)

NEAREST_COUNT = 3
# A draft is drawn at the model's size (64 or 128 pixels); its product picture is enlarged to
# this side, so the product page the designer completes shows it at a useful size.
PRODUCT_PICTURE_SIDE = 512


class DraftError(ValueError):
    """Why a draft cannot be made or used (a sentence for the merchant)."""


def _png(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.asarray(pixels, dtype=np.uint8)).convert("RGB").save(out, format="PNG")
    return out.getvalue()


@dataclass(frozen=True)
class DraftBatch:
    """What one generator call drew and how: row i of `images` came from row i of `latents`."""

    images: np.ndarray  # (n, size, size, 3) uint8
    latents: np.ndarray  # (n, latent_dim) float32
    categories: Sequence[str]
    seed: int
    positions: Sequence[int]
    diversity: float = 1.0
    origin: str = DraftOrigin.GENERATED
    parent: DesignDraft | None = None


def drafts_store(
    *,
    batch: DraftBatch,
    model_version=None,
    design_set: DesignSet | None = None,
    set_features: SetFeatures | None = None,
    job=None,
    user=None,
) -> list[DesignDraft]:
    """Stores one draft per picture of the batch, each with its nearest training pictures
    (among `set_features`, the design set's) and its near-copy flag.

    The rows and their files are written together: if a row fails, no file is left behind."""
    count = len(batch.images)
    if not (len(batch.latents) == len(batch.categories) == len(batch.positions) == count):
        raise ValueError("a batch needs one latent, category and position per picture")
    drafts: list[DesignDraft] = []
    try:
        with transaction.atomic():
            for index in range(count):
                pixels = batch.images[index]
                found = (
                    nearest(draft_features(pixels), set_features, k=NEAREST_COUNT)
                    if set_features is not None
                    else []
                )
                best = found[0][1] if found else None
                draft = DesignDraft(
                    model_version=model_version,
                    design_set=design_set,
                    category=batch.categories[index],
                    origin=batch.origin,
                    seed=int(batch.seed),
                    position=int(batch.positions[index]),
                    latent=[round(float(v), 6) for v in batch.latents[index]],
                    diversity=float(batch.diversity),
                    parent=batch.parent,
                    nearest=[{"image": pk, "similarity": score} for pk, score in found],
                    nearest_similarity=best,
                    near_copy=is_near_copy(best),
                    job=job,
                    created_by=user if user is not None and user.is_authenticated else None,
                )
                draft.image.save("draft.png", ContentFile(_png(pixels)), save=False)
                drafts.append(draft)
                draft.full_clean()
                draft.save()
    except Exception:
        for draft in drafts:
            if draft.image.name:
                draft.image.storage.delete(draft.image.name)
        raise
    return drafts


def draft_screen(
    *,
    draft: DesignDraft,
    status: str | None = None,
    favourite: bool | None = None,
    notes: str | None = None,
) -> DesignDraft:
    """Records a designer's decision on a draft: keep or discard, favourite, notes."""
    fields = []
    if status is not None:
        if status not in DraftStatus.values:
            raise DraftError(_("Unknown status."))
        draft.status = status
        fields.append("status")
    if favourite is not None:
        draft.favourite = bool(favourite)
        fields.append("favourite")
    if notes is not None:
        draft.notes = notes.strip()
        fields.append("notes")
    if fields:
        draft.full_clean(exclude=["latent", "nearest"])
        draft.save(update_fields=fields)
    return draft


def drafts_screen(*, drafts, status: str | None = None, favourite: bool | None = None) -> int:
    """The same decision for many drafts at once (the admin's actions); returns how many."""
    changes = {}
    if status is not None:
        if status not in DraftStatus.values:
            raise DraftError(_("Unknown status."))
        changes["status"] = status
    if favourite is not None:
        changes["favourite"] = bool(favourite)
    return drafts.update(**changes) if changes else 0


def _free_handle(base: str) -> str:
    handle = base
    suffix = 2
    while Product.objects.filter(handle=handle).exists():
        handle = f"{base}-{suffix}"
        suffix += 1
    return handle


def draft_create_product(*, draft: DesignDraft) -> Product:
    """An unpublished product from a draft, for the designer to complete: in the catalog
    category whose slug is the draft's category (none when no category has it), with the
    draft as its picture, linked back from the draft. A draft makes one product: asked again,
    this returns the product made before (if it still exists)."""
    if draft.product_id is not None:
        existing = Product.objects.filter(pk=draft.product_id).first()
        if existing is not None:
            return existing
    try:
        with draft.image.open("rb") as stored, Image.open(stored) as opened:
            picture = opened.convert("RGB")
    except (OSError, ValueError) as exc:
        raise DraftError(_("The draft's picture cannot be read.")) from exc
    if picture.width < PRODUCT_PICTURE_SIDE:
        picture = picture.resize(
            (PRODUCT_PICTURE_SIDE, PRODUCT_PICTURE_SIDE), Image.Resampling.LANCZOS
        )
    out = io.BytesIO()
    picture.save(out, format="PNG")
    category = Category.objects.filter(slug=draft.category).first()
    name = _("Design draft %(id)s (%(category)s)") % {"id": draft.pk, "category": draft.category}
    with transaction.atomic():
        product = product_create(
            handle=_free_handle(slugify(f"design-draft-{draft.pk}") or "design-draft"),
            name=name,
            language=settings.LANGUAGE_CODE,
            category=category,
            status=PublicationStatus.DRAFT,
            tags="design-draft",
        )
        product_image_create(
            product=product, file=ContentFile(out.getvalue(), name="draft.png"), alt_text=name
        )
        draft.product = product
        draft.save(update_fields=["product"])
    return product
