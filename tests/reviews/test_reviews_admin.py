"""The merchant's side of reviews: approve / reject actions, the negative filter and count, the
sentiment trend chart per product and category, and notices and e-mails when sentiment drops."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from reviews import selectors, services
from reviews.models import Review, ReviewStatus
from tests.factories import CategoryFactory, ProductFactory


@pytest.fixture
def product(db):
    return ProductFactory(handle="gold-ring", name="Gold ring")


def scored(product, *, score, days_ago, rating=3, status=ReviewStatus.APPROVED, text="words"):
    label = "negative" if score < -0.2 else "positive" if score > 0.2 else "neutral"
    return Review.objects.create(
        product=product,
        rating=rating,
        text=text,
        status=status,
        sentiment=label,
        sentiment_score=score,
        scored_at=timezone.now(),
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_the_merchant_approves_and_rejects_reviews(merchant_client, product):
    first = Review.objects.create(product=product, rating=5, text="one")
    second = Review.objects.create(product=product, rating=1, text="two")

    response = merchant_client.post(
        "/admin/reviews/review/",
        {"action": "approve", "_selected_action": [first.pk]},
        follow=True,
    )
    assert response.status_code == 200
    response = merchant_client.post(
        "/admin/reviews/review/",
        {"action": "reject", "_selected_action": [second.pk]},
        follow=True,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("approved", "rejected")


def test_the_review_list_counts_and_filters_negative_reviews(merchant_client, product):
    scored(product, score=-0.8, days_ago=1, rating=1, text="Broken clasp", status="pending")
    scored(product, score=-0.6, days_ago=60, rating=2, text="Late delivery")
    scored(product, score=0.9, days_ago=2, rating=5, text="Gorgeous")

    html = merchant_client.get("/admin/reviews/review/").content.decode()
    assert "2 negative reviews" in html
    assert "1 in the last 30 days, 1 awaiting moderation" in html

    negative = merchant_client.get("/admin/reviews/review/?negative=yes").content.decode()
    assert "Broken clasp" in negative and "Late delivery" in negative
    assert "Gorgeous" not in negative


def test_the_trend_chart_per_product_and_category(merchant_client, product):
    rings = product.category
    other = ProductFactory(handle="pearl", category=CategoryFactory(slug="necklaces"))
    solitaire = ProductFactory(
        handle="solitaire", category=CategoryFactory(slug="engagement", parent=rings)
    )
    scored(solitaire, score=0.3, days_ago=5)
    scored(product, score=0.8, days_ago=70)
    scored(product, score=-0.5, days_ago=5)
    scored(other, score=0.1, days_ago=5)

    response = merchant_client.get(f"/admin/reviews/review/trends/?product={product.handle}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "<polyline" in html
    assert html.count("<circle") == 2  # two months of this product

    store = selectors.sentiment_trend()
    assert sum(row["count"] for row in store) == 4
    # A category's trend includes its sub-categories' products
    by_category = selectors.sentiment_trend(category=rings)
    assert sum(row["count"] for row in by_category) == 3
    html = merchant_client.get(f"/admin/reviews/review/trends/?category={rings.slug}").content
    assert b"<polyline" in html

    # Garbage in the query string is not an error
    odd = merchant_client.get("/admin/reviews/review/trends/?months=abc&product=%00&category=x")
    assert odd.status_code == 200


def test_a_sentiment_drop_is_noticed_in_the_admin_and_e_mailed_once(
    merchant_client, product, settings
):
    settings.SHOP_REVIEW_ALERT_EMAILS = ["owner@example.com"]
    steady = ProductFactory(handle="steady-ring")
    for days in (40, 50, 60):
        scored(product, score=0.8, days_ago=days)
        scored(steady, score=0.5, days_ago=days)
    for days in (1, 2, 3):
        scored(product, score=-0.6, days_ago=days)
        scored(steady, score=0.4, days_ago=days)

    drops = selectors.sentiment_drops()
    assert [drop.handle for drop in drops] == ["gold-ring"]
    assert drops[0].drop == pytest.approx(1.4)

    html = merchant_client.get("/admin/reviews/review/").content.decode()
    assert "Sentiment dropped for" in html

    services.review_sentiment_drop_alert()
    services.review_sentiment_drop_alert()  # not again within a week
    assert len(mail.outbox) == 1
    assert "gold-ring" in mail.outbox[0].body
    assert mail.outbox[0].to == ["owner@example.com"]


def test_a_drop_needs_enough_reviews_on_both_sides(product):
    scored(product, score=0.9, days_ago=40)
    for days in (1, 2, 3):
        scored(product, score=-0.9, days_ago=days)
    assert selectors.sentiment_drops() == []


def test_the_review_change_page_shows_the_sentiment(merchant_client, product):
    review = scored(product, score=-0.7, days_ago=1, text="<b>bad</b>")
    review.aspects = {"quality": {"label": "negative", "score": -0.7, "mentions": 1}}
    review.save()
    response = merchant_client.get(f"/admin/reviews/review/{review.pk}/change/")
    assert response.status_code == 200
    assert "<b>bad</b>" not in response.content.decode()


def test_editing_a_reviews_text_in_the_admin_scores_it_again(
    merchant_client, product, django_capture_on_commit_callbacks
):
    from shop.models import Job

    review = scored(product, score=0.8, days_ago=3, rating=5, text="Lovely")
    url = f"/admin/reviews/review/{review.pk}/change/"
    form = {
        "product": product.pk,
        "author": "",
        "author_name": "Ann",
        "rating": 5,
        "title": "",
        "text": "Broke on day two",
        "status": "approved",
        "flag_reason": "",
        "created_at_0": "2025-01-01",
        "created_at_1": "10:00:00",
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
        "photos-MIN_NUM_FORMS": 0,
        "photos-MAX_NUM_FORMS": 1000,
    }
    with django_capture_on_commit_callbacks(execute=False):
        response = merchant_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get(kind="sentiment.score_reviews")
    assert job.params["review_ids"] == [review.pk]
    # started in the name of the merchant who edited the words
    assert job.created_by.username == response.wsgi_request.user.username

    # Saving it again with only its moderation fields changed scores nothing more
    form["status"] = "rejected"
    form["flag_reason"] = "Off-topic"
    with django_capture_on_commit_callbacks(execute=False):
        response = merchant_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Job.objects.filter(kind="sentiment.score_reviews").count() == 1


def test_the_admin_index_counts_negative_reviews(merchant_client, product, client):
    scored(product, score=-0.8, days_ago=2, rating=1, status=ReviewStatus.PENDING)
    scored(product, score=-0.6, days_ago=90, rating=2)
    scored(product, score=0.9, days_ago=1, rating=5)

    page = merchant_client.get("/admin/").content.decode()

    assert 'id="negative-reviews-notice"' in page
    assert "2 negative reviews" in page
    assert "1 in the last 30 days, 1 awaiting moderation." in page


def test_the_admin_index_says_nothing_without_negative_reviews(merchant_client, product):
    scored(product, score=0.9, days_ago=1, rating=5)

    page = merchant_client.get("/admin/").content.decode()

    assert 'id="negative-reviews-notice"' not in page
    assert "Site administration" in page  # the usual index is still there


def test_the_reviews_admin_old_addresses_lead_to_the_new_ones(merchant_client, product):
    # Reviews were under /admin/catalog/ before they became an app (issue 13): bookmarks work.
    review = Review.objects.create(product=product, rating=2, text="Scratched")

    listing = merchant_client.get("/admin/catalog/review/?negative=yes")
    change = merchant_client.get(f"/admin/catalog/review/{review.pk}/change/", follow=True)

    assert listing.status_code == 301
    assert listing["Location"] == "/admin/reviews/review/?negative=yes"
    assert change.redirect_chain == [(f"/admin/reviews/review/{review.pk}/change/", 301)]
    assert "Scratched" in change.content.decode()
    # Other catalog admin pages are not touched.
    assert merchant_client.get("/admin/catalog/product/").status_code == 200
