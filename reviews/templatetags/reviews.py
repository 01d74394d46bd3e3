"""The product page's reviews block: {% product_reviews product %} (in product_reviews.html).

Reads the shopper's filters (?rating=, ?sentiment=) from the request and calls the review
selectors: a constant number of queries whatever the number of reviews.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from ai.services import ASPECT_LABELS
from reviews import selectors
from reviews.forms import ReviewFilterForm
from reviews.models import ReviewSentiment

register = template.Library()

REVIEWS_SHOWN = 20
SENTIMENT_LABELS = dict(ReviewSentiment.choices)


@register.inclusion_tag("reviews/block.html", takes_context=True)
def product_reviews(context, product):
    request = context.get("request")
    user = getattr(request, "user", None)
    params = request.GET if request is not None else {}
    filters = ReviewFilterForm(params).filters()
    summary = selectors.review_summary(product=product)
    reviews = []
    total_shown = 0
    if summary.count:
        listed = selectors.filter_reviews(selectors.public_reviews(product=product), **filters)
        reviews = list(listed[: REVIEWS_SHOWN + 1])
        total_shown = len(reviews)
        reviews = reviews[:REVIEWS_SHOWN]
    own_review = (
        selectors.user_review_for_product(user=user, product=product)
        if user is not None and user.is_authenticated
        else None
    )
    return {
        "request": request,
        "product": product,
        "summary": summary,
        "reviews": reviews,
        "more": total_shown > REVIEWS_SHOWN,
        "filters": filters,
        "filtered": any(filters.values()),
        "rating_choices": range(5, 0, -1),
        "sentiment_choices": list(ReviewSentiment.choices),
        "sentiment_labels": SENTIMENT_LABELS,
        "aspect_labels": ASPECT_LABELS,
        "own_review": own_review,
        "user": user,
    }


@register.filter
def aspect_label(name: str) -> str:
    return ASPECT_LABELS.get(name, name)


@register.filter
def sentiment_label(value: str) -> str:
    return SENTIMENT_LABELS.get(value, value if value else _("Not scored yet"))


@register.filter
def stars(rating) -> str:
    try:
        rating = max(0, min(5, round(float(rating))))
    except (TypeError, ValueError):
        rating = 0
    return "★" * rating + "☆" * (5 - rating)


@register.filter
def review_author(review) -> str:
    """The author as shown publicly: a customer's first name, an imported review's name."""
    name = (getattr(review, "author_name", "") or "").strip()
    if not name:
        return str(_("Customer"))
    return name.split()[0] if getattr(review, "author_id", None) else name


@register.inclusion_tag("admin/reviews/review/index_notice.html", takes_context=True)
def negative_reviews_notice(context):
    """The admin index's line about negative reviews, for staff who may see reviews."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("reviews.view_review"):
        return {"counts": None}

    return {"counts": selectors.negative_review_counts()}
