"""Review writes: create (with photos, language, verified purchase, spam flags), moderate, and
record the sentiment the AI scored. Keyword-only, type-annotated, full_clean() before save.

A saved review is announced (signals.reviews_saved): ai listens and scores its sentiment in a
background job enqueued when the transaction commits. Reviews never import ai.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image

from catalog.images import _check_file, make_thumbnail_bytes
from catalog.models import Product
from reviews.models import Review, ReviewPhoto, ReviewSentiment, ReviewStatus
from shop.text_language import detect_language

from .moderation import spam_reasons
from .selectors import author_recent_review_texts, sentiment_drops, user_bought_product
from .signals import announce_product_rated, announce_reviews_saved

PHOTO_MAX_SIDE = 1600


def _require_approval() -> bool:
    return bool(getattr(settings, "SHOP_REVIEWS_REQUIRE_APPROVAL", True))


def _max_photos() -> int:
    return int(getattr(settings, "SHOP_REVIEW_MAX_PHOTOS", 4))


def _clean_text(value: str) -> str:
    # Stored as typed (templates and serializers escape on output); NUL bytes never reach the
    # database and line endings are normalised.
    return (value or "").replace("\x00", "").replace("\r\n", "\n").strip()


def review_photo_check(*, file: IO[bytes] | Any) -> bytes:
    """Validates an uploaded photo (size, a real image, format, pixels) with the product-image
    rules; returns the photo as stored: upright, at most PHOTO_MAX_SIDE pixels, WEBP, without
    camera metadata (a phone photo's location is never published)."""
    checked = _check_file(file)
    with Image.open(io.BytesIO(checked.data)) as image:
        image.load()
        return make_thumbnail_bytes(image, width=PHOTO_MAX_SIDE)


def _checked_photos(photos: Sequence[IO[bytes] | Any]) -> list[bytes]:
    """Every photo checked before anything is saved (all or nothing); the problems are reported
    under "photos", one message per bad photo, numbered when there are several."""
    if len(photos) > _max_photos():
        raise ValidationError(
            {"photos": _("At most %(count)d photos per review.") % {"count": _max_photos()}}
        )
    stored: list[bytes] = []
    errors: list[str] = []
    for number, photo in enumerate(photos, start=1):
        try:
            stored.append(review_photo_check(file=photo))
        except ValidationError as exc:
            for message in exc.messages:
                errors.append(
                    _("Photo %(number)d: %(error)s") % {"number": number, "error": message}
                    if len(photos) > 1
                    else message
                )
    if errors:
        raise ValidationError({"photos": errors})
    return stored


def _delete_files(names: Iterable[str]) -> None:
    storage = ReviewPhoto._meta.get_field("image").storage
    for name in names:
        storage.delete(name)


def review_create(
    *,
    product: Product,
    rating: int,
    text: str,
    author=None,
    title: str = "",
    author_name: str = "",
    language: str = "",
    photos: Sequence[IO[bytes] | Any] = (),
    created_at: datetime | None = None,
    status: str | None = None,
    score: bool = True,
) -> Review:
    """Saves a review; detects its language, verifies the purchase and flags spam.

    The review is pending when SHOP_REVIEWS_REQUIRE_APPROVAL is on (the default) or when it is
    flagged, approved otherwise (unless `status` says). Raises ValidationError (one review per
    customer and product, rating 1-5, photo problems). Announces the rating (product_rated: a
    "rating" interaction event) and the review (reviews_saved: ai scores it once committed;
    score=False: the caller announces the reviews in bulk).
    """

    if author is not None and not getattr(author, "is_authenticated", False):
        author = None
    title = _clean_text(title)[:200]
    text = _clean_text(text)
    stored_photos = _checked_photos(photos)

    recent = author_recent_review_texts(author=author) if author is not None else []
    reasons = spam_reasons(title=title, text=text, recent_texts=recent)
    if reasons:
        status = ReviewStatus.PENDING  # flagged: the merchant decides
    elif status is None:
        status = ReviewStatus.PENDING if _require_approval() else ReviewStatus.APPROVED
    review = Review(
        product=product,
        author=author,
        author_name=_clean_text(author_name)[:120]
        or (
            author.get_full_name()
            if author is not None and hasattr(author, "get_full_name")
            else ""
        ),
        rating=rating,
        title=title,
        text=text,
        language=(language or detect_language(f"{title}\n{text}"))[:10],
        status=status,
        is_verified_purchase=bool(
            author is not None and user_bought_product(user=author, product=product)
        ),
        is_flagged=bool(reasons),
        flag_reason="; ".join(reasons)[:255],
        created_at=created_at or timezone.now(),
    )
    review.full_clean()
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            review.save()
            for data in stored_photos:
                photo = ReviewPhoto(review=review)
                stem = slugify(product.handle)[:50].strip("-") or "review"
                name = f"{stem}-{secrets.token_hex(5)}.webp"
                # A named ContentFile: Django only fills width/height from a file with a name;
                # without them every later load of the photo would open the file to measure it.
                photo.image.save(name, ContentFile(data, name=name), save=False)
                saved_files.append(photo.image.name)
                photo.save()
            if author is not None:
                announce_product_rated(
                    product_id=product.pk, user=author, rating=rating, language=review.language
                )
            if score:
                announce_reviews_saved(review_ids=[review.pk])
    except IntegrityError as exc:
        # Two submits racing: the database's one-review-per-customer constraint decides.
        _delete_files(saved_files)
        raise ValidationError(_("You have already reviewed this product.")) from exc
    except BaseException:
        # The rows are rolled back; the files would be orphans in the private folder.
        _delete_files(saved_files)
        raise
    return review


def reviews_bulk_load(*, rows: Sequence[dict[str, Any]]) -> int:
    """Writes many reviews at once (the demo store), fields as given (no spam checks, no events):
    one transaction, then one bulk sentiment job for every review not scored yet. Returns how
    many were written."""
    with transaction.atomic():
        created = Review.objects.bulk_create([Review(**row) for row in rows], batch_size=500)
        # Scored by the worker once this commits (make run starts one beside the web server).
        announce_reviews_saved(review_ids=None)
    return len(created)


# The fields whose change means the review says something else (its sentiment is stale).
REVIEW_WORD_FIELDS = frozenset({"title", "text"})


def review_edited(*, review: Review, created: bool, changed_fields: Iterable[str], by=None) -> bool:
    """Staff saved a review (the admin): new words are scored again (reviews_saved, with the
    editor as the scoring job's user). True when they were announced."""
    if not created and not REVIEW_WORD_FIELDS & set(changed_fields):
        return False
    announce_reviews_saved(review_ids=[review.pk], by=by)
    return True


def review_set_status(*, reviews: Iterable[Review] | QuerySet, status: str) -> int:
    """Approves or rejects reviews (the admin's actions); returns how many changed."""
    if status not in ReviewStatus.values:
        raise ValueError(f"Unknown review status {status!r}")
    ids = [review.pk for review in reviews]
    return (
        Review.objects.filter(pk__in=ids)
        .exclude(status=status)
        .update(status=status, updated_at=timezone.now())
    )


def review_approve(*, review: Review) -> Review:
    review_set_status(reviews=[review], status=ReviewStatus.APPROVED)
    review.status = ReviewStatus.APPROVED
    return review


def review_reject(*, review: Review) -> Review:
    review_set_status(reviews=[review], status=ReviewStatus.REJECTED)
    review.status = ReviewStatus.REJECTED
    return review


def review_record_sentiment(*, review_id: int, label: str, score: float, aspects: dict) -> bool:
    """Stores a review's scored sentiment (the scoring job); idempotent. False if it is gone."""
    if label not in ReviewSentiment.values:
        raise ValueError(f"Unknown sentiment label {label!r}")
    updated = Review.objects.filter(pk=review_id).update(
        sentiment=label,
        sentiment_score=max(-1.0, min(1.0, float(score))),
        aspects=aspects or {},
        scored_at=timezone.now(),
    )
    return bool(updated)


ALERT_AGAIN_AFTER_SECONDS = 7 * 24 * 3600


def review_sentiment_drop_alert(*, product_ids: Iterable[int] | None = None) -> list:
    """E-mails the merchant (SHOP_REVIEW_ALERT_EMAILS) about products whose sentiment dropped
    (see selectors.sentiment_drops), at most once a week per product; returns the drops found.

    The admin's review list shows the same drops as notices, whether or not e-mail is set up.
    """

    drops = sentiment_drops(product_ids=list(product_ids) if product_ids is not None else None)
    recipients = list(getattr(settings, "SHOP_REVIEW_ALERT_EMAILS", []) or [])
    if not drops or not recipients:
        return drops
    fresh = [
        drop
        for drop in drops
        if cache.add(f"review-drop-alert:{drop.product_id}", 1, ALERT_AGAIN_AFTER_SECONDS)
    ]
    if not fresh:
        return drops
    lines = [
        _("%(name)s (%(handle)s): %(recent).2f over the last 30 days against %(before).2f before.")
        % {
            "name": drop.name,
            "handle": drop.handle,
            "recent": drop.recent_score,
            "before": drop.before_score,
        }
        for drop in fresh
    ]
    send_mail(
        subject=_("Review sentiment dropped for %(count)d products") % {"count": len(fresh)},
        message="\n".join(lines),
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,
    )
    return drops
