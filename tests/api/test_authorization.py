"""A customer can never read or change another customer's cart, orders, addresses, wishlist
or chats with the shop assistant.

The sweep is generic: every route under /api/v1/ whose path names an object is read from the
URL resolver, so an endpoint added later is swept too (or fails loudly until the sweep knows
what its parameter names). Alice owns one of everything; Bob, signed in by token or session,
tries every method of every such endpoint on Alice's objects. He must get 403 or 404, never
any of Alice's data, and Alice's data must not change. Alice doing the same succeeds, which
shows the requests are ones the endpoints really act on.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from customers.models import Address, ApiToken, User, WishlistItem
from orders.models import CartLine, Order

from .routes import Route, api_routes

pytestmark = pytest.mark.usefixtures("no_throttling")

# Alice's data that must never show in an answer to someone else.
ALICE_PRIVATE = ("alice@example.com", "Alice Archer", "Archer Lane")

# A body every write endpoint can act on (each serializer ignores the fields it does not know).
BODY = {
    "quantity": 2,
    "full_name": "Mallory Intruder",
    "line1": "666 Intruder Road",
    "city": "Paris",
    "country": "FR",
    "is_default": True,
    "status": "cancelled",
    "rating": 1,
}

# Routes every customer may read whatever its parameter is (the public catalog).
PUBLIC_PARAMETERS = {"slug"}

# The endpoints of customers' own objects that must exist (from the customers and orders apps).
EXPECTED_OWNED = {
    "/api/v1/account/addresses/<int:address_id>/",
    "/api/v1/account/tokens/<int:token_id>/",
    "/api/v1/cart/lines/<int:line_id>/",
    "/api/v1/orders/<str:number>/",
    "/api/v1/wishlist/<slug:handle>/",
    # The shop assistant's conversations and answers (assistant.api).
    "/api/v1/assistant/conversations/<str:public_id>/",
    "/api/v1/assistant/conversations/<str:public_id>/messages/",
    "/api/v1/assistant/conversations/<str:public_id>/handoff/",
    "/api/v1/assistant/messages/<int:message_id>/rating/",
}


def owned_values(route: Route, owner) -> dict:
    """The route's parameters naming `owner`'s objects; fails for a parameter it cannot name."""
    values = {}
    for name in route.parameters:
        if name == "address_id":
            values[name] = owner.address.pk
        elif name == "line_id":
            values[name] = owner.cart_line.pk
        elif name == "number":
            values[name] = owner.order.number
        elif name == "handle" and "wishlist" in route.pattern:
            values[name] = owner.wishlist_item.product.handle
        elif name == "public_id":
            values[name] = _assistant_conversation(owner).public_id
        elif name == "message_id":
            conversation = _assistant_conversation(owner)
            values[name] = conversation.messages.filter(sender="assistant").get().pk
        elif name == "token_id":
            values[name] = ApiToken.objects.filter(user=owner.user).order_by("pk").first().pk
        else:
            raise AssertionError(
                f"{route}: the authorization sweep does not know what {name!r} names; "
                "teach owned_values() which of a customer's objects it is"
            )
    return values


def _assistant_conversation(owner):
    """The owner's chat with the shop assistant: one question, one answer."""
    from assistant.models import Conversation, Message, Sender

    conversation, created = Conversation.objects.get_or_create(
        user=owner.user, defaults={"email": owner.user.email}
    )
    if created:
        Message.objects.create(conversation=conversation, sender=Sender.SHOPPER, text="hello")
        Message.objects.create(conversation=conversation, sender=Sender.ASSISTANT, text="Hi!")
    return conversation


def is_public(route: Route) -> bool:
    names = set(route.parameters)
    return bool(names & PUBLIC_PARAMETERS) or (
        "handle" in names and route.pattern.startswith("api/v1/products/")
    )


def _owned_cases() -> list[tuple[Route, str]]:
    return [
        (route, method)
        for route in api_routes()
        if route.parameters and not is_public(route)
        for method in route.methods
    ]


OWNED_CASES = _owned_cases()
CASE_IDS = [f"{method.upper()} {route}" for route, method in OWNED_CASES]


def snapshot(owner) -> dict:
    """Everything of the owner's an endpoint could change."""
    user = User.objects.get(pk=owner.user.pk)
    return {
        "profile": (
            user.email,
            user.first_name,
            user.last_name,
            user.preferred_language,
            user.preferred_currency,
            user.password,
        ),
        "addresses": list(Address.objects.filter(user=user).order_by("pk").values()),
        "api_tokens": list(
            ApiToken.objects.filter(user=user).order_by("pk").values_list("pk", "digest", "name")
        ),
        "wishlist": sorted(
            WishlistItem.objects.filter(user=user).values_list("product_id", flat=True)
        ),
        "cart": list(
            CartLine.objects.filter(cart__user=user)
            .order_by("pk")
            .values_list("pk", "variant_id", "quantity")
        ),
        "assistant": list(
            user.assistant_conversations.order_by("pk").values_list(
                "status", "messages__text", "messages__rating"
            )
        ),
        "orders": list(
            Order.objects.filter(user=user)
            .order_by("pk")
            .values_list("number", "status", "email", "total", "tracking_number")
        ),
    }


def send(client, method: str, url: str, body: dict | None = None):
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, body if body is not None else BODY, format="json")


def assert_nothing_of_alice(response, what: str) -> None:
    text = response.content.decode(errors="replace")
    for secret in ALICE_PRIVATE:
        assert secret not in text, f"{what} shows Alice's {secret!r}: {text[:300]}"


def sign_in(client, owner, how: str) -> None:
    if how == "token":
        client.credentials(HTTP_AUTHORIZATION=f"Token {owner.token}")
    else:
        client.force_authenticate(user=None)
        client.force_login(owner.user)


def test_the_sweep_covers_every_customer_object_endpoint():
    swept = {str(route) for route, _method in OWNED_CASES}

    assert swept >= EXPECTED_OWNED, f"missing: {EXPECTED_OWNED - swept}"


@pytest.mark.parametrize("how", ["token", "session"])
@pytest.mark.parametrize(("route", "method"), OWNED_CASES, ids=CASE_IDS)
def test_another_customer_gets_404_or_403_and_changes_nothing(
    api_client, alice, bob, route, method, how
):
    url = route.url(**owned_values(route, alice))
    before = snapshot(alice)
    sign_in(api_client, bob, how)

    response = send(api_client, method, url)

    what = f"{method.upper()} {url} as Bob ({how})"
    assert response.status_code in (403, 404), f"{what} -> {response.status_code}"
    assert_nothing_of_alice(response, what)
    assert snapshot(alice) == before, f"{what} changed Alice's data"


@pytest.mark.parametrize(("route", "method"), OWNED_CASES, ids=CASE_IDS)
def test_the_owner_herself_can_use_the_same_request(api_client, alice, route, method):
    url = route.url(**owned_values(route, alice))
    sign_in(api_client, alice, "token")

    with transaction.atomic():
        response = send(api_client, method, url)
        transaction.set_rollback(True)

    assert 200 <= response.status_code < 300, (
        f"{method.upper()} {url} as Alice -> {response.status_code}: {response.content[:300]}"
    )


@pytest.mark.parametrize(("route", "method"), OWNED_CASES, ids=CASE_IDS)
def test_anonymous_gets_nothing_of_a_customer(api_client, alice, route, method):
    url = route.url(**owned_values(route, alice))
    before = snapshot(alice)

    response = send(api_client, method, url)

    what = f"anonymous {method.upper()} {url}"
    assert response.status_code in (401, 403, 404), f"{what} -> {response.status_code}"
    assert_nothing_of_alice(response, what)
    assert snapshot(alice) == before, f"{what} changed Alice's data"


def _private_cases() -> list[tuple[Route, str]]:
    return [
        (route, method)
        for route in api_routes()
        if route.needs_authentication()
        for method in route.methods
    ]


PRIVATE_CASES = _private_cases()


@pytest.mark.parametrize(
    ("route", "method"), PRIVATE_CASES, ids=[f"{m.upper()} {r}" for r, m in PRIVATE_CASES]
)
def test_endpoints_that_need_a_customer_refuse_anonymous_requests(api_client, alice, route, method):
    values = owned_values(route, alice) if route.parameters else {}
    url = route.url(**values)

    response = send(api_client, method, url)

    assert response.status_code in (401, 403), f"anonymous {method.upper()} {url}"
    assert response.json()["code"] in ("not_authenticated", "authentication_failed")


def test_account_wishlist_address_and_order_lists_need_a_customer():
    private = {str(route) for route, _method in PRIVATE_CASES}

    assert {
        "/api/v1/account/",
        "/api/v1/account/addresses/",
        "/api/v1/wishlist/",
        "/api/v1/orders/",
    } <= private


LIST_ROUTES = [route for route in api_routes() if not route.parameters and "get" in route.methods]


@pytest.mark.parametrize("how", ["token", "session"])
@pytest.mark.parametrize("route", LIST_ROUTES, ids=str)
def test_lists_show_a_customer_only_their_own_things(api_client, alice, bob, route, how):
    sign_in(api_client, bob, how)

    # A destination for the checkout quote (other endpoints ignore it).
    response = api_client.get(route.url(), {"country": "GB"})

    assert response.status_code == 200, f"GET {route} as Bob -> {response.status_code}"
    assert_nothing_of_alice(response, f"GET {route} as Bob")
    assert alice.order.number not in response.content.decode()


def test_bobs_lists_show_bobs_things(api_client, alice, bob):
    sign_in(api_client, bob, "token")

    orders = api_client.get("/api/v1/orders/").content.decode()
    addresses = api_client.get("/api/v1/account/addresses/").content.decode()
    cart = api_client.get("/api/v1/cart/").json()

    assert bob.order.number in orders and alice.order.number not in orders
    assert "Baker Street" in addresses and "Archer Lane" not in addresses
    assert [line["id"] for line in cart["lines"]] == [bob.cart_line.pk]


def test_a_guest_cart_never_shows_a_customers_lines(api_client, alice):
    response = api_client.get("/api/v1/cart/")

    assert response.status_code == 200
    assert response.json()["lines"] == []


WRITE_ROUTES = [route for route in api_routes() if not route.parameters and "post" in route.methods]


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=str)
def test_writes_cannot_point_at_another_customers_objects(api_client, alice, bob, route):
    # Bob names Alice's address, cart line and order in the body of every write he can make.
    body = {
        **BODY,
        "address_id": alice.address.pk,
        "line_id": alice.cart_line.pk,
        "number": alice.order.number,
        "shipping_method": "standard",
        "payment_token": "4242424242424242",
        "idempotency_key": "authorization-sweep-1",
        "product": alice.wishlist_item.product.handle,
        "variant_id": bob.cart_line.variant_id,
    }
    before = snapshot(alice)
    sign_in(api_client, bob, "token")

    response = send(api_client, "post", route.url(), body)

    what = f"POST {route} as Bob naming Alice's objects"
    assert response.status_code < 500, what
    assert_nothing_of_alice(response, what)
    assert snapshot(alice) == before, f"{what} changed Alice's data"
    bobs_orders = Order.objects.filter(user=bob.user)
    assert not bobs_orders.filter(shipping_line1__contains="Archer").exists(), (
        f"{what}: Bob's order was sent to Alice's address"
    )
