"""What the merchant sees of reviews: moderation (approve / reject), the negative ones at a
glance, sentiment trends per product and per category as a chart, and sentiment-drop notices.

The reviews app's own admin (it was registered from catalog/admin.py before issue 13).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ai import services as ai_services
from catalog.models import Category, Product
from reviews.models import Review, ReviewPhoto, ReviewSentiment, ReviewStatus
from shop.params import positive_int
from shop.validators import is_slug

from . import selectors, services
from .charts import trend_chart

MODERATE_PERMISSION = "reviews.moderate_review"
# What only a moderator may set, in the change form as with the actions.
MODERATION_FIELDS = ("status", "is_flagged", "flag_reason")


class ReviewPhotoInline(admin.TabularInline):
    model = ReviewPhoto
    extra = 0
    fields = ("preview", "width", "height", "created_at")
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def preview(self, photo):
        if not photo.image:
            return "—"
        return format_html(
            '<img src="{}" alt="" style="max-height:96px">', photo.get_absolute_url()
        )


class NegativeFilter(admin.SimpleListFilter):
    title = _("negative reviews")
    parameter_name = "negative"

    def lookups(self, request, model_admin):
        return (
            ("yes", _("Negative (sentiment or 1-2 stars)")),
            ("no", _("Not negative")),
        )

    def queryset(self, request, queryset):
        from django.db.models import Q

        negative = Q(sentiment=ReviewSentiment.NEGATIVE) | Q(rating__lte=2)
        if self.value() == "yes":
            return queryset.filter(negative)
        if self.value() == "no":
            return queryset.exclude(negative)
        return queryset


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = (
        "short_text",
        "product",
        "rating",
        "status",
        "sentiment_badge",
        "sentiment_score",
        "language",
        "is_verified_purchase",
        "is_flagged",
        "created_at",
    )
    list_filter = (
        "status",
        NegativeFilter,
        "sentiment",
        "is_flagged",
        "is_verified_purchase",
        "rating",
        "language",
    )
    list_select_related = ("product",)
    search_fields = ("title", "text", "author_name", "product__handle")
    raw_id_fields = ("product", "author")
    date_hierarchy = "created_at"
    actions = ("approve", "reject", "rescore")
    inlines = (ReviewPhotoInline,)
    readonly_fields = (
        "language",
        "is_verified_purchase",
        "sentiment",
        "sentiment_score",
        "aspects",
        "scored_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("product", "author", "author_name", "rating", "title", "text")}),
        (_("Moderation"), {"fields": ("status", "is_flagged", "flag_reason")}),
        (
            _("Sentiment"),
            {"fields": ("language", "sentiment", "sentiment_score", "aspects", "scored_at")},
        ),
        (None, {"fields": ("is_verified_purchase", "created_at", "updated_at")}),
    )

    @admin.display(description=_("review"))
    def short_text(self, review: Review) -> str:
        text = review.title or review.text
        return text if len(text) <= 60 else text[:60] + "…"

    @admin.display(description=_("sentiment"), ordering="sentiment")
    def sentiment_badge(self, review: Review):
        if not review.sentiment:
            return "—"
        colours = {"negative": "#b42318", "neutral": "#6b6b6b", "positive": "#027a48"}
        return format_html(
            '<strong style="color:{}">{}</strong>',
            colours.get(review.sentiment, "#000"),
            review.get_sentiment_display(),
        )

    # --- permissions ------------------------------------------------------------------------------
    def has_moderate_permission(self, request: HttpRequest) -> bool:
        """Approving or rejecting (by action or in the form) needs reviews.moderate_review."""
        return request.user.has_perm(MODERATE_PERMISSION)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_moderate_permission(request):
            readonly += [name for name in MODERATION_FIELDS if name not in readonly]
        return readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The rule (new words are scored again) is the service's; ai listens to reviews_saved.
        services.review_edited(
            review=obj, created=not change, changed_fields=form.changed_data, by=request.user
        )

    # --- actions --------------------------------------------------------------------------------
    def _set_status(self, request, queryset: QuerySet, status: str, done: str) -> None:
        changed = services.review_set_status(reviews=queryset, status=status)
        self.message_user(request, done % {"count": changed}, messages.SUCCESS)

    @admin.action(
        description=_("Approve the selected reviews (publish them)"), permissions=["moderate"]
    )
    def approve(self, request, queryset):
        self._set_status(request, queryset, ReviewStatus.APPROVED, _("%(count)d reviews approved."))

    @admin.action(
        description=_("Reject the selected reviews (never shown)"), permissions=["moderate"]
    )
    def reject(self, request, queryset):
        self._set_status(request, queryset, ReviewStatus.REJECTED, _("%(count)d reviews rejected."))

    @admin.action(
        description=_("Score the sentiment of the selected reviews again"), permissions=["change"]
    )
    def rescore(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        job = ai_services.sentiment_score_reviews_start(review_ids=ids, user=request.user)
        self.message_user(
            request,
            ngettext(
                "Scoring %(count)d review in job #%(job)s.",
                "Scoring %(count)d reviews in job #%(job)s.",
                len(ids),
            )
            % {"count": len(ids), "job": job.pk},
            messages.INFO,
        )

    # --- the changelist: negative count, drop notices; the trends page ---------------------------
    def get_urls(self):
        extra = [
            path(
                "trends/",
                self.admin_site.admin_view(self.trends_view),
                name="reviews_review_trends",
            )
        ]
        return extra + super().get_urls()

    def changelist_view(self, request: HttpRequest, extra_context=None):
        counts = selectors.negative_review_counts()
        drops = selectors.sentiment_drops()
        if request.method == "GET":
            for drop in drops[:5]:
                messages.warning(
                    request,
                    _(
                        "Sentiment dropped for “%(name)s”: %(recent).2f over the last 30 days "
                        "(%(recent_count)d reviews) against %(before).2f before."
                    )
                    % {
                        "name": drop.name,
                        "recent": drop.recent_score,
                        "recent_count": drop.recent_count,
                        "before": drop.before_score,
                    },
                )
        extra_context = {
            **(extra_context or {}),
            "negative_counts": counts,
            "trends_url": reverse("admin:reviews_review_trends"),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def trends_view(self, request: HttpRequest):
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        product = category = None
        handle = request.GET.get("product", "").strip()
        slug = request.GET.get("category", "").strip()
        # Only well-formed slugs reach the database (a NUL byte would fail on PostgreSQL).
        if is_slug(handle):
            product = Product.objects.filter(handle=handle).first()
        if is_slug(slug):
            category = Category.objects.filter(slug=slug).first()
        months = positive_int(request.GET.get("months"), default=12, maximum=36)
        trend = selectors.sentiment_trend(product=product, category=category, months=months)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Review sentiment over time"),
            "trend": trend,
            "chart": trend_chart(trend),
            "product": product,
            "category": category,
            "handle": handle,
            "slug": slug,
            "months": months,
            "categories": Category.objects.prefetch_related("translations").order_by("slug"),
            "drops": selectors.sentiment_drops(),
            "negative_counts": selectors.negative_review_counts(),
            "not_found": (handle and product is None) or (slug and category is None),
        }
        return TemplateResponse(request, "admin/reviews/review/trends.html", context)
