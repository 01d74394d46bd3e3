"""Review reads, each in a constant number of queries.

Only approved reviews are ever public: every storefront and API read goes through
`public_reviews()`; pending and rejected reviews are for the merchant's admin only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from catalog.models import Category, Product, PublicationStatus
from orders.models import Order
from reviews.models import Review, ReviewPhoto, ReviewSentiment, ReviewStatus

# Orders that count as a purchase for the "verified purchase" badge.
PURCHASED_STATUSES = ("paid", "processing", "shipped", "delivered")
ASPECT_SAMPLE = 500  # the latest approved reviews the aspect summary looks at
SENTIMENT_DROP_DAYS = 30
SENTIMENT_DROP_MIN_REVIEWS = 3
SENTIMENT_DROP_THRESHOLD = 0.3


def user_bought_product(*, user, product: Product) -> bool:
    """Whether the customer has a paid (or later) order with a variant of this product."""

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Order.objects.filter(
        user=user, status__in=PURCHASED_STATUSES, lines__variant__product=product
    ).exists()


def author_recent_review_texts(*, author, limit: int = 20) -> list[str]:
    return list(
        Review.objects.filter(author=author)
        .order_by("-created_at")
        .values_list("text", flat=True)[:limit]
    )


def reviews_exist() -> bool:
    """Whether the store has any review at all (the demo store adds none then)."""
    return Review.objects.exists()


def user_review_for_product(*, user, product: Product) -> Review | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Review.objects.filter(author=user, product=product).first()


def public_reviews(*, product: Product | None = None) -> QuerySet[Review]:
    """Approved reviews only (of one product, or all), newest first, photos prefetched."""
    reviews = Review.objects.filter(status=ReviewStatus.APPROVED)
    if product is not None:
        reviews = reviews.filter(product=product)
    return (
        reviews.select_related("author").prefetch_related("photos").order_by("-created_at", "-id")
    )


def can_see_unpublished_reviews(*, user) -> bool:
    """Staff who may view reviews in the admin (translators are staff too, but cannot)."""
    return bool(
        user is not None
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
        and user.has_perm("reviews.view_review")
    )


@dataclass(frozen=True)
class ReviewPhotoFile:
    """What the photo view needs: the file's name in the private storage, and whether the
    review is approved (so the answer may be cached publicly)."""

    name: str
    public: bool


def review_photo_for_viewer(*, photo_id: int, user) -> ReviewPhotoFile | None:
    """A review photo's file if this user may see it: anyone once the review is approved;
    before that (pending, rejected) only staff and the review's author. None otherwise, as for a
    photo that does not exist, so the answer never tells whether an unpublished review has one.

    One query, of plain values: no ReviewPhoto is built, so the file is never opened here."""
    row = (
        ReviewPhoto.objects.filter(pk=photo_id)
        .exclude(image="")
        .values_list("image", "review__status", "review__author_id")
        .first()
    )
    if row is None:
        return None
    name, status, author_id = row
    if status == ReviewStatus.APPROVED:
        return ReviewPhotoFile(name=name, public=True)
    # request.user is lazy: it (and the session) is only read for unpublished reviews.
    if user is not None and getattr(user, "is_authenticated", False):
        if author_id is not None and author_id == user.pk:
            return ReviewPhotoFile(name=name, public=False)
        if can_see_unpublished_reviews(user=user):
            return ReviewPhotoFile(name=name, public=False)
    return None


def filter_reviews(
    reviews: QuerySet[Review], *, rating: int | None = None, sentiment: str | None = None
) -> QuerySet[Review]:
    if rating:
        reviews = reviews.filter(rating=rating)
    if sentiment:
        reviews = reviews.filter(sentiment=sentiment)
    return reviews


@dataclass
class ReviewSummary:
    count: int = 0
    average: float | None = None
    stars: list[tuple[int, int, int]] = field(default_factory=list)  # (stars, count, percent)
    sentiments: list[tuple[str, int, int]] = field(default_factory=list)  # (label, count, %)
    positive_aspects: list[tuple[str, int]] = field(default_factory=list)
    negative_aspects: list[tuple[str, int]] = field(default_factory=list)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def review_summary(*, product: Product) -> ReviewSummary:
    """Rating summary, sentiment distribution and most mentioned aspects: two queries."""
    aggregates = {
        "count": Count("id"),
        "average": Avg("rating"),
        **{f"stars_{n}": Count("id", filter=Q(rating=n)) for n in range(1, 6)},
        **{
            f"sentiment_{label}": Count("id", filter=Q(sentiment=label))
            for label in ReviewSentiment.values
        },
    }
    totals = Review.objects.filter(product=product, status=ReviewStatus.APPROVED).aggregate(
        **aggregates
    )
    count = totals["count"] or 0
    summary = ReviewSummary(count=count)
    if not count:
        return summary
    summary.average = round(float(totals["average"]), 1)
    summary.stars = [
        (n, totals[f"stars_{n}"], _percent(totals[f"stars_{n}"], count)) for n in range(5, 0, -1)
    ]
    scored = sum(totals[f"sentiment_{label}"] for label in ReviewSentiment.values)
    summary.sentiments = [
        (label, totals[f"sentiment_{label}"], _percent(totals[f"sentiment_{label}"], scored))
        for label in ("positive", "neutral", "negative")
    ]
    positive: dict[str, int] = {}
    negative: dict[str, int] = {}
    aspect_rows = (
        Review.objects.filter(product=product, status=ReviewStatus.APPROVED)
        .exclude(aspects={})
        .order_by("-created_at")
        .values_list("aspects", flat=True)[:ASPECT_SAMPLE]
    )
    for aspects in aspect_rows:
        if not isinstance(aspects, dict):
            continue
        for aspect, value in aspects.items():
            label = value.get("label") if isinstance(value, dict) else None
            if label == "positive":
                positive[aspect] = positive.get(aspect, 0) + 1
            elif label == "negative":
                negative[aspect] = negative.get(aspect, 0) + 1
    summary.positive_aspects = sorted(positive.items(), key=lambda item: (-item[1], item[0]))[:3]
    summary.negative_aspects = sorted(negative.items(), key=lambda item: (-item[1], item[0]))[:3]
    return summary


# --- merchant ---------------------------------------------------------------------------------
def negative_review_counts(*, days: int = SENTIMENT_DROP_DAYS) -> dict[str, int]:
    """Negative reviews: all, those awaiting moderation, and those of the last `days` days."""
    since = timezone.now() - timedelta(days=days)
    return Review.objects.filter(sentiment=ReviewSentiment.NEGATIVE).aggregate(
        total=Count("id"),
        pending=Count("id", filter=Q(status=ReviewStatus.PENDING)),
        recent=Count("id", filter=Q(created_at__gte=since)),
    )


def sentiment_trend(
    *, product: Product | None = None, category=None, months: int = 12
) -> list[dict]:
    """Mean sentiment score and review count per month (oldest first), of every scored review
    of a product, of a category's products (its sub-categories included), or of the store."""
    since = timezone.now() - timedelta(days=31 * months)
    reviews = Review.objects.filter(scored_at__isnull=False, created_at__gte=since).exclude(
        status=ReviewStatus.REJECTED
    )
    if product is not None:
        reviews = reviews.filter(product=product)
    if category is not None:
        reviews = reviews.filter(product__category__in=category_and_descendants(category=category))
    rows = (
        reviews.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(score=Avg("sentiment_score"), count=Count("id"), rating=Avg("rating"))
        .order_by("month")
    )
    return [
        {
            "month": row["month"].date() if hasattr(row["month"], "date") else row["month"],
            "score": round(float(row["score"] or 0.0), 3),
            "rating": round(float(row["rating"] or 0.0), 2),
            "count": row["count"],
        }
        for row in rows
    ]


def category_and_descendants(*, category) -> list[int]:
    """Ids of a category and every category under it (one query)."""

    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [category.pk]
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


@dataclass(frozen=True)
class SentimentDrop:
    product_id: int
    handle: str
    name: str
    recent_score: float
    recent_count: int
    before_score: float
    before_count: int

    @property
    def drop(self) -> float:
        return round(self.before_score - self.recent_score, 3)


def sentiment_drops(
    *,
    days: int = SENTIMENT_DROP_DAYS,
    min_reviews: int = SENTIMENT_DROP_MIN_REVIEWS,
    threshold: float = SENTIMENT_DROP_THRESHOLD,
    product_ids: list[int] | None = None,
) -> list[SentimentDrop]:
    """Products whose sentiment dropped: the mean score of the last `days` days is at least
    `threshold` below the mean before, with at least `min_reviews` scored reviews in each period.
    One query (plus one for the names of the products found)."""
    since = timezone.now() - timedelta(days=days)
    scored = Q(reviews__scored_at__isnull=False) & ~Q(reviews__status=ReviewStatus.REJECTED)
    recent = scored & Q(reviews__created_at__gte=since)
    before = scored & Q(reviews__created_at__lt=since)
    products = Product.objects.all()
    if product_ids is not None:
        products = products.filter(pk__in=list(product_ids))
    rows = (
        products.annotate(
            recent_score=Avg("reviews__sentiment_score", filter=recent),
            recent_count=Count("reviews", filter=recent),
            before_score=Avg("reviews__sentiment_score", filter=before),
            before_count=Count("reviews", filter=before),
        )
        .filter(recent_count__gte=min_reviews, before_count__gte=min_reviews)
        .values("pk", "handle", "recent_score", "recent_count", "before_score", "before_count")
    )
    found = [
        row for row in rows if (row["before_score"] or 0) - (row["recent_score"] or 0) >= threshold
    ]
    names = (
        {
            product.pk: str(product)
            for product in Product.objects.filter(
                pk__in=[row["pk"] for row in found]
            ).prefetch_related("translations")
        }
        if found
        else {}
    )
    drops = [
        SentimentDrop(
            product_id=row["pk"],
            handle=row["handle"],
            name=names.get(row["pk"], row["handle"]),
            recent_score=round(float(row["recent_score"]), 3),
            recent_count=row["recent_count"],
            before_score=round(float(row["before_score"]), 3),
            before_count=row["before_count"],
        )
        for row in found
    ]
    return sorted(drops, key=lambda drop: -drop.drop)


def reviews_for_scoring(*, review_ids: list[int] | None = None, only_unscored: bool = False):
    """(id, title, text, product id) of reviews to score (the AI scoring job reads through here)."""
    reviews = Review.objects.all()
    if review_ids is not None:
        reviews = reviews.filter(pk__in=list(review_ids))
    if only_unscored:
        reviews = reviews.filter(scored_at__isnull=True)
    return reviews.order_by("pk").values_list("pk", "title", "text", "product_id")


def rated_reviews_for_training() -> list[tuple[str, str, int, str]]:
    """(title, text, rating, language) of every review neither rejected nor flagged as spam
    (training data)."""
    return list(
        Review.objects.exclude(status=ReviewStatus.REJECTED)
        .exclude(is_flagged=True)
        .order_by("pk")
        .values_list("title", "text", "rating", "language")
    )


def product_for_reviews(*, handle: str) -> Product | None:
    """A published product by handle (reviews of drafts and archived products are not taken)."""

    return (
        Product.objects.filter(handle=handle, status=PublicationStatus.PUBLISHED)
        .prefetch_related("translations")
        .first()
    )
