"""/api/v1/products/<handle>/reviews/: approved reviews only, filters, create (signed in, once),
JSON errors, escaping is the client's job but nothing is altered or executed here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.models import Review, ReviewStatus
from tests.factories import ProductFactory, UserFactory, api_token_for


@pytest.fixture
def product(db):
    return ProductFactory(handle="gold-ring", name="Gold ring")


@pytest.fixture
def customer(db):
    return UserFactory(email="ada@example.com", first_name="Ada", last_name="Lovelace")


def url(handle="gold-ring"):
    return f"/api/v1/products/{handle}/reviews/"


def add_review(product, **fields):
    fields.setdefault("rating", 5)
    fields.setdefault("text", "Lovely")
    fields.setdefault("status", ReviewStatus.APPROVED)
    return Review.objects.create(product=product, **fields)


def test_the_list_returns_approved_reviews_only(api_client, product, no_throttling):
    add_review(product, text="approved", sentiment="positive", sentiment_score=0.8)
    add_review(product, text="pending", status=ReviewStatus.PENDING)
    add_review(product, text="rejected", status=ReviewStatus.REJECTED)

    response = api_client.get(url())

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [review] = body["results"]
    assert review["text"] == "approved"
    assert review["status"] == "approved"
    assert review["sentiment"] == "positive"
    assert review["sentiment_score"] == 0.8


def test_filters_by_rating_and_sentiment(api_client, product, no_throttling):
    add_review(product, rating=5, text="five", sentiment="positive")
    add_review(product, rating=1, text="one", sentiment="negative")

    assert [r["text"] for r in api_client.get(url() + "?rating=1").json()["results"]] == ["one"]
    assert [r["text"] for r in api_client.get(url() + "?sentiment=positive").json()["results"]] == [
        "five"
    ]
    bad = api_client.get(url() + "?rating=7")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid"


def test_unknown_and_unpublished_products_are_404(api_client, product, no_throttling):
    ProductFactory(handle="draft-ring", status="draft")
    assert api_client.get(url("no-such-ring")).status_code == 404
    assert api_client.get(url("draft-ring")).status_code == 404
    assert api_client.get(url("bad%00handle")).status_code == 404


def test_a_customer_creates_a_review_which_waits_for_approval(
    api_client, product, customer, no_throttling
):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(customer)}")

    response = api_client.post(
        url(), {"rating": 4, "title": "Nice", "text": "<script>x</script> Lovely"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending"
    assert body["text"] == "<script>x</script> Lovely"  # data as typed; HTML pages escape it
    assert body["author"] == "Ada"
    # Not listed until approved
    assert api_client.get(url()).json()["count"] == 0
    Review.objects.filter(pk=body["id"]).update(status="approved")
    assert api_client.get(url()).json()["count"] == 1

    # A second review of the same product is refused in the API's error format
    again = api_client.post(url(), {"rating": 1, "text": "Again"}, format="json")
    assert again.status_code == 400
    assert "already reviewed" in again.json()["error"]


def test_creating_needs_a_signed_in_customer_and_valid_input(
    api_client, product, customer, no_throttling
):
    anonymous = api_client.post(url(), {"rating": 5, "text": "Nice"}, format="json")
    assert anonymous.status_code in (401, 403)
    assert "error" in anonymous.json()

    api_client.force_authenticate(customer)
    for payload in ({"rating": 6, "text": "Nice"}, {"rating": 5}, {"rating": "x", "text": "ok"}):
        response = api_client.post(url(), payload, format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid"
    assert not Review.objects.exists()


def test_the_list_costs_a_constant_number_of_queries(api_client, product, no_throttling):
    def count():
        with CaptureQueriesContext(connection) as context:
            assert api_client.get(url()).status_code == 200
        return len(context.captured_queries)

    add_review(product, author_name="a")
    few = count()
    for index in range(20):
        add_review(product, author_name=f"r{index}")
    assert count() == few
