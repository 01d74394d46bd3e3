"""The reviews block of the product page and the page to write a review: only approved reviews
are shown, text is escaped, filters, badges, summary, and a constant number of queries."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import Review, ReviewPhoto, ReviewStatus
from tests.factories import ProductFactory, UserFactory
from tests.reviews.test_reviews_services import make_order, png


@pytest.fixture
def product(db):
    return ProductFactory(handle="gold-ring", name="Gold ring")


def add_review(product, *, rating=5, text="Lovely", status=ReviewStatus.APPROVED, **fields):
    fields.setdefault("author_name", f"Reviewer {Review.objects.count()}")
    return Review.objects.create(product=product, rating=rating, text=text, status=status, **fields)


def page(client, product, query=""):
    response = client.get(f"/en/p/{product.handle}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_only_approved_reviews_are_shown_on_the_product_page(client, product):
    add_review(product, text="Approved words")
    add_review(product, text="Pending words", status=ReviewStatus.PENDING)
    add_review(product, text="Rejected words", status=ReviewStatus.REJECTED)

    html = page(client, product)

    assert "Approved words" in html
    assert "Pending words" not in html
    assert "Rejected words" not in html
    assert "1 review" in html  # the summary counts approved reviews only


def test_review_text_and_title_are_escaped(client, product):
    add_review(
        product,
        title="<b>bold</b>",
        text="<script>alert('x')</script><img src=x onerror=alert(1)>",
        author_name="<i>Eve</i>",
    )

    html = page(client, product)

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;i&gt;Eve&lt;/i&gt;" in html


def test_summary_sentiment_badges_aspects_and_verified_badge(client, product):
    buyer = UserFactory(email="ada@example.com")
    make_order(buyer, product)
    add_review(
        product,
        rating=5,
        text="Beautiful",
        author=buyer,
        author_name="Ada Lovelace",
        is_verified_purchase=True,
        sentiment="positive",
        sentiment_score=0.9,
        aspects={"quality": {"label": "positive", "score": 0.8, "mentions": 1}},
    )
    add_review(
        product,
        rating=1,
        text="Late and broken",
        sentiment="negative",
        sentiment_score=-0.8,
        aspects={"shipping": {"label": "negative", "score": -0.7, "mentions": 1}},
    )

    html = page(client, product)

    assert "3.0 out of 5 (2 reviews)" in html
    assert "Verified purchase" in html
    assert html.count("badge--verified") == 1
    assert "sentiment sentiment--positive" in html and "sentiment sentiment--negative" in html
    assert "Customers like:" in html and "Quality (1)" in html
    assert "Customers complain about:" in html and "Shipping (1)" in html
    # Customers are shown by first name only
    assert "Ada" in html and "Lovelace" not in html


def test_reviews_filter_by_rating_and_sentiment(client, product):
    add_review(product, rating=5, text="Five star words", sentiment="positive")
    add_review(product, rating=2, text="Two star words", sentiment="negative")
    add_review(product, rating=3, text="Three star words", sentiment="neutral")

    by_rating = page(client, product, "?rating=2")
    assert "Two star words" in by_rating
    assert "Five star words" not in by_rating

    by_sentiment = page(client, product, "?sentiment=neutral")
    assert "Three star words" in by_sentiment
    assert "Two star words" not in by_sentiment

    # Garbled filters are ignored, never an error
    garbled = page(client, product, "?rating=99&sentiment=%00bad")
    assert "Five star words" in garbled and "Two star words" in garbled


def test_signed_in_customers_get_a_link_to_write_a_review_and_guests_a_sign_in_link(
    client, product
):
    assert "Sign in to write a review" in page(client, product)
    client.force_login(UserFactory(email="ada@example.com"))
    assert reverse("reviews:review_create", kwargs={"handle": product.handle}) in page(
        client, product
    )


def test_writing_a_review_holds_it_for_moderation(client, product):
    shopper = UserFactory(email="ada@example.com", first_name="Ada")
    client.force_login(shopper)
    url = reverse("reviews:review_create", kwargs={"handle": product.handle})

    assert client.get(url).status_code == 200
    response = client.post(
        url, {"rating": "4", "title": "Nice", "text": "Lovely ring", "photos": [png()]}
    )

    assert response.status_code == 302
    review = Review.objects.get(author=shopper)
    assert (review.rating, review.status, review.photos.count()) == (4, "pending", 1)
    # Not public yet
    assert "Lovely ring" not in page(client, product)
    assert "it will appear once our team has checked it" in page(client, product)

    # A second review of the same product is refused
    again = client.post(url, {"rating": "1", "text": "Second thoughts"})
    assert again.status_code == 302
    assert Review.objects.filter(author=shopper).count() == 1


def test_the_review_form_reports_bad_input_without_an_error_page(client, product):
    client.force_login(UserFactory(email="ada@example.com"))
    url = reverse("reviews:review_create", kwargs={"handle": product.handle})

    def broken():
        return SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")

    response = client.post(url, {"rating": "9", "text": "", "photos": [broken()]})
    assert response.status_code == 400
    assert not Review.objects.exists()

    response = client.post(url, {"rating": "5", "text": "Photo attached", "photos": [broken()]})
    assert response.status_code == 400
    assert "The file is not an image or it is damaged" in response.content.decode()
    assert not Review.objects.exists()


def test_guests_are_sent_to_sign_in_and_unknown_products_are_404(client, product):
    url = reverse("reviews:review_create", kwargs={"handle": product.handle})
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]

    client.force_login(UserFactory(email="ada@example.com"))
    missing = reverse("reviews:review_create", kwargs={"handle": "no-such-thing"})
    assert client.get(missing).status_code == 404


def count_queries(client, url):
    cache.clear()  # cold caches: the worst case a shopper can hit
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return sum(1 for query in context.captured_queries if "SAVEPOINT" not in query["sql"])


@pytest.mark.parametrize("query", ["", "?rating=5", "?sentiment=positive"])
def test_the_reviews_block_costs_a_constant_number_of_queries(client, product, query):
    def add(count, start):
        for index in range(start, start + count):
            review = add_review(
                product,
                rating=5,
                text=f"Review {index}",
                sentiment="positive",
                aspects={"quality": {"label": "positive", "score": 0.5, "mentions": 1}},
            )
            if index % 2:
                photo = ReviewPhoto(review=review)
                photo.image.save("x.png", ContentFile(png().read()))

    add(2, 0)
    url = f"/en/p/{product.handle}/{query}"
    client.get(url)  # the guest's session exists from the first visit on
    few = count_queries(client, url)
    add(30, 2)
    many = count_queries(client, url)
    assert many == few

    # Signed in: one more query for the customer's own review (and the session's)
    client.force_login(UserFactory(email="ada@example.com"))
    client.get(url)
    signed_few = count_queries(client, url)
    add(5, 40)
    assert count_queries(client, url) == signed_few


@pytest.mark.parametrize("language", ["fr", "de", "es", "zh-hans", "ja", "ar"])
def test_the_reviews_block_renders_in_every_language(client, product, language):
    add_review(product, text="Très belle bague", language="fr", sentiment="positive")
    response = client.get(f"/{language}/p/{product.handle}/?rating=5")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Très belle bague" in html
    assert 'lang="fr"' in html  # each review carries its own language
