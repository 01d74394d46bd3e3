"""Reviews (issue 6): a customer's rating and words about a product, and their photos.

The models moved here from catalog (issue 13, step 3) without moving their rows: the tables
keep their names (catalog_review, catalog_reviewphoto), see migrations/0001_initial.py.
Business flows live in services.py, reads in selectors.py.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import review_photo_storage


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ReviewSentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class Review(models.Model):
    """A customer's rating and words about a product; shown only once approved.

    Written through reviews.services; the sentiment fields are filled by the scoring
    job (ai.sentiment) after the review is saved.
    """

    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    # Empty for reviews imported from another platform (their author's name is kept as text).
    author = models.ForeignKey(
        "customers.User",
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    author_name = models.CharField(_("author name"), max_length=120, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"), max_length=5000)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
        db_index=True,
    )
    is_verified_purchase = models.BooleanField(_("verified purchase"), default=False)
    is_flagged = models.BooleanField(_("flagged as spam or abuse"), default=False)
    flag_reason = models.CharField(_("flag reason"), max_length=255, blank=True)
    sentiment = models.CharField(
        _("sentiment"), max_length=10, choices=ReviewSentiment.choices, blank=True
    )
    sentiment_score = models.FloatField(_("sentiment score"), null=True, blank=True)
    aspects = models.JSONField(_("aspects"), default=dict, blank=True)
    scored_at = models.DateTimeField(_("scored"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        # The table it had in catalog: the model moved, its rows did not (migrations/0001).
        db_table = "catalog_review"
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ("-created_at", "-id")
        # Approving puts a customer's words on the storefront: more than fixing a typo.
        permissions = [("moderate_review", _("Can approve, reject and flag reviews"))]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "author"],
                condition=Q(author__isnull=False),
                name="review_one_per_customer_and_product",
                violation_error_message=_("You have already reviewed this product."),
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="review_rating_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["product", "status", "-created_at"], name="review_product_status"),
            models.Index(fields=["status", "sentiment"], name="review_status_sentiment"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.title or self.text[:40]}"

    @property
    def is_public(self) -> bool:
        return self.status == ReviewStatus.APPROVED


class ReviewPhoto(models.Model):
    """A photo attached to a review, verified with Pillow like product images.

    The file is private (outside MEDIA_ROOT): it is served by the review_photo view, to anyone
    once the review is approved, before that only to staff and the review's author.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("image"),
        upload_to="reviews/",
        storage=review_photo_storage,
        width_field="width",
        height_field="height",
        max_length=255,
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "catalog_reviewphoto"
        verbose_name = _("review photo")
        verbose_name_plural = _("review photos")
        ordering = ("id",)

    def __str__(self) -> str:
        return self.image.name

    def get_absolute_url(self) -> str:
        return reverse("review_photo", kwargs={"pk": self.pk})
