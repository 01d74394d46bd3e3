"""GET /api/v1/recommendations/ and GET /api/v1/products/<handle>/similar/."""

import pytest

from ai import services
from customers.models import User
from events.models import InteractionEvent
from tests.factories import CategoryFactory, ExchangeRateFactory, ProductFactory, api_token_for


@pytest.fixture
def store(db, no_throttling):
    rings = CategoryFactory(slug="rings", name="Rings")
    necklaces = CategoryFactory(slug="necklaces", name="Necklaces")
    products = {}
    for n in range(4):
        products[f"ring-{n}"] = ProductFactory(handle=f"ring-{n}", category=rings)
        products[f"necklace-{n}"] = ProductFactory(handle=f"necklace-{n}", category=necklaces)
    ann = User.objects.create(email="ann@example.com")
    bob = User.objects.create(email="bob@example.com")
    for n in range(3):
        ring_fan = User.objects.create(email=f"ringfan{n}@example.com")
        necklace_fan = User.objects.create(email=f"necklacefan{n}@example.com")
        for i in range(4):
            InteractionEvent.objects.create(
                kind="cart_add", product=products[f"ring-{i}"], user=ring_fan
            )
            InteractionEvent.objects.create(
                kind="cart_add", product=products[f"necklace-{i}"], user=necklace_fan
            )
    # Ann bought a ring, Bob a necklace.
    InteractionEvent.objects.create(kind="purchase", product=products["ring-0"], user=ann)
    InteractionEvent.objects.create(kind="purchase", product=products["necklace-0"], user=bob)
    services.recommend_train()
    return {"products": products, "ann": ann, "bob": bob}


def token_client(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return api_client


def handles(response) -> list[str]:
    return [item["product"]["handle"] for item in response.json()["results"]]


def test_a_customer_gets_their_own_recommendations(api_client, store):
    response = token_client(api_client, store["ann"]).get("/api/v1/recommendations/?limit=3")

    assert response.status_code == 200
    body = response.json()
    assert body["source"] == "personal"
    assert len(body["results"]) == 3
    assert all(h.startswith("ring-") for h in handles(response))
    assert "ring-0" not in handles(response)  # bought
    first = body["results"][0]
    assert first["reason"] == "Because you bought Ring 0"
    assert first["product"]["price_min"]["base"]["currency"] == "USD"
    assert response["Cache-Control"] == "private, no-store"


def test_each_customer_sees_only_their_own_data(api_client, store):
    ann = token_client(api_client, store["ann"]).get("/api/v1/recommendations/").json()
    bob = token_client(api_client, store["bob"]).get("/api/v1/recommendations/").json()

    assert ann["results"][0]["product"]["handle"].startswith("ring-")
    assert bob["results"][0]["product"]["handle"].startswith("necklace-")
    assert all("Ring 0" not in item["reason"] for item in bob["results"])
    # There is no way to name another user: unknown parameters are ignored, not obeyed.
    sneaky = token_client(api_client, store["bob"]).get(
        f"/api/v1/recommendations/?user={store['ann'].pk}"
    )
    assert sneaky.json() == bob


def test_a_guest_gets_recommendations_from_their_session(client, store):
    ExchangeRateFactory(currency="EUR")
    # A guest with a session (a cookieless visitor's views are not recorded: bots)
    client.post("/currency/", {"currency": "EUR", "next": "/"})
    client.get("/en/p/necklace-2/")  # records a view against the guest's session

    response = client.get("/api/v1/recommendations/?limit=2&lang=fr&currency=EUR")

    assert response.status_code == 200
    body = response.json()
    assert body["source"] == "history"
    assert handles(response)[0].startswith("necklace-")
    assert body["results"][0]["product"]["price_min"]["display"]["currency"] == "EUR"
    assert response["Content-Language"] == "fr"


def test_an_anonymous_caller_without_history_gets_popular_products(api_client, store):
    response = api_client.get("/api/v1/recommendations/")

    assert response.status_code == 200
    assert response.json()["source"] == "popular"
    assert len(response.json()["results"]) == 8


def test_similar_products_of_a_product(api_client, store):
    response = api_client.get("/api/v1/products/necklace-1/similar/?limit=2")

    assert response.status_code == 200
    assert response.json()["source"] == "similar"
    assert len(handles(response)) == 2
    assert all(h.startswith("necklace-") and h != "necklace-1" for h in handles(response))


def test_similar_products_leave_out_what_the_customer_bought(api_client, store):
    response = token_client(api_client, store["bob"]).get("/api/v1/products/necklace-1/similar/")

    assert "necklace-0" not in handles(response)
    assert handles(response)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/products/no-such-product/similar/",
        "/api/v1/products/%E2%9C%A8/similar/",
        "/api/v1/products/draft-ring/similar/",
    ],
)
def test_similar_products_of_an_unknown_or_unpublished_product_is_a_json_404(
    api_client, store, url
):
    ProductFactory(handle="draft-ring", status="draft")

    response = api_client.get(url)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("query", ["limit=0", "limit=25", "limit=many", "lang=xx", "currency=XYZ"])
def test_bad_query_parameters_are_a_400_with_a_message(api_client, store, query):
    response = api_client.get(f"/api/v1/recommendations/?{query}")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["error"].startswith("Invalid input")


def test_writing_is_not_allowed(api_client, store):
    response = api_client.post("/api/v1/recommendations/", {}, format="json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_the_operations_are_in_the_schema(api_client, db):
    schema = api_client.get("/api/schema/?format=json").json()

    assert "/api/v1/recommendations/" in schema["paths"]
    assert "/api/v1/products/{handle}/similar/" in schema["paths"]
