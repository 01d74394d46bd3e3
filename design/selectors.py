"""Reads for the design drafts' screening page, in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from .models import DesignDraft, DesignImage

SCREEN_LIMIT = 240  # drafts on one screening page (newest first); the list pages show them all


@dataclass
class NearPicture:
    image: DesignImage
    similarity: float


@dataclass
class ScreenedDraft:
    draft: DesignDraft
    nearest: list[NearPicture] = field(default_factory=list)


@dataclass
class ScreeningGrid:
    """The drafts of the page by category (categories in name order), and how many matched."""

    categories: list[tuple[str, list[ScreenedDraft]]]
    total: int
    shown: int


def drafts_filtered(
    *,
    status: str = "",
    category: str = "",
    near_copy: bool | None = None,
    model_version_id: int | None = None,
    favourite: bool | None = None,
) -> QuerySet[DesignDraft]:
    drafts = DesignDraft.objects.all()
    if status:
        drafts = drafts.filter(status=status)
    if category:
        drafts = drafts.filter(category=category)
    if near_copy is not None:
        drafts = drafts.filter(near_copy=near_copy)
    if model_version_id is not None:
        drafts = drafts.filter(model_version_id=model_version_id)
    if favourite is not None:
        drafts = drafts.filter(favourite=favourite)
    return drafts


def screening_grid(*, drafts: QuerySet[DesignDraft], limit: int = SCREEN_LIMIT) -> ScreeningGrid:
    """The newest `limit` drafts of the queryset with their nearest training pictures: two
    queries whatever the number of drafts (three with the count)."""
    total = drafts.count()
    page = list(
        drafts.select_related("model_version", "product", "parent").order_by(
            "-created_at", "position", "-id"
        )[:limit]
    )
    image_ids = {
        entry["image"]
        for draft in page
        for entry in draft.nearest
        if isinstance(entry, dict) and isinstance(entry.get("image"), int)
    }
    images = DesignImage.objects.in_bulk(image_ids) if image_ids else {}
    by_category: dict[str, list[ScreenedDraft]] = {}
    for draft in page:
        near = [
            NearPicture(image=images[entry["image"]], similarity=float(entry["similarity"]))
            for entry in draft.nearest
            if isinstance(entry, dict) and entry.get("image") in images
        ]
        by_category.setdefault(draft.category, []).append(ScreenedDraft(draft=draft, nearest=near))
    return ScreeningGrid(categories=sorted(by_category.items()), total=total, shown=len(page))


def draft_categories() -> list[str]:
    return list(
        DesignDraft.objects.order_by("category").values_list("category", flat=True).distinct()
    )
