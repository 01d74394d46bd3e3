"""The assistant's API: the reply's shape, owner-only reads (another session or user gets 404),
CSRF for session shoppers, 400s with clear errors, throttling, bounded query counts, the
OpenAPI schema, and the merge of a guest's conversation at sign-in."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from assistant.models import Conversation, ConversationStatus, Message

from .conftest import understood

pytestmark = pytest.mark.django_db

URL = "/api/v1/assistant/messages/"
# Measured 13 for a search turn with four cards (session, conversation lock, messages, search
# cards, context); the bound does not grow with the number of cards or messages.
QUERY_BOUND = 16


@pytest.fixture
def understanding(monkeypatch):
    """A fixed understanding, so these tests are about the API and not the model (the real
    NLU is in test_with_nlu.py)."""
    from ai import services as ai_services

    chosen = {"value": understood("greeting")}

    def fake(text, *, language_hint=None, currency=None):
        return chosen["value"]

    monkeypatch.setattr(ai_services, "assistant_understand", fake, raising=False)
    return chosen


def post(client, data, **extra):
    return client.post(URL, data, content_type="application/json", **extra)


def test_a_message_gets_a_reply_with_every_field_of_the_contract(client, understanding):
    response = post(client, {"text": "hello", "language": "fr"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {
        "conversation", "message", "reply", "intent", "confidence", "language", "products",
        "actions", "help", "handoff", "status",
    }  # fmt: skip
    assert body["intent"] == "greeting"
    assert body["status"] == "bot"
    assert body["handoff"] is False
    assert Message.objects.get(pk=body["message"]).sender == "assistant"
    assert Conversation.objects.get(public_id=body["conversation"]).session_key


def test_the_conversation_continues_and_its_history_is_readable_by_its_owner(client, understanding):
    first = post(client, {"text": "hello"}).json()
    post(client, {"text": "hello again", "conversation": first["conversation"]})

    history = client.get(f"/api/v1/assistant/conversations/{first['conversation']}/")

    assert history.status_code == 200
    texts = [m["text"] for m in history.json()["messages"] if m["sender"] == "shopper"]
    assert texts == ["hello", "hello again"]


def test_another_session_gets_404_for_the_conversation(client, understanding):
    public_id = post(client, {"text": "hello"}).json()["conversation"]
    stranger = Client()

    assert stranger.get(f"/api/v1/assistant/conversations/{public_id}/").status_code == 404
    assert stranger.get(f"/api/v1/assistant/conversations/{public_id}/messages/").status_code == 404
    assert stranger.post(f"/api/v1/assistant/conversations/{public_id}/handoff/").status_code == 404
    response = post(stranger, {"text": "hi", "conversation": public_id})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_another_user_gets_404_and_cannot_rate_the_answers(
    client, understanding, customer, other_customer
):
    client.force_login(customer)
    body = post(client, {"text": "hello"}).json()
    stranger = Client()
    stranger.force_login(other_customer)

    assert (
        stranger.get(f"/api/v1/assistant/conversations/{body['conversation']}/").status_code == 404
    )
    rating = stranger.post(
        f"/api/v1/assistant/messages/{body['message']}/rating/",
        {"rating": 1},
        content_type="application/json",
    )
    assert rating.status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 1001}, "text"),
        ({"text": "hi", "language": "xx"}, "language"),
        ({"text": "hi", "conversation": "not-a-uuid"}, "conversation"),
        ({"text": ["a"]}, "text"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, understanding, data, field):
    response = post(client, data)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["detail"]


def test_the_length_limit_follows_the_setting(client, understanding, settings):
    settings.ASSISTANT_MAX_MESSAGE_CHARS = 10

    response = post(client, {"text": "x" * 11})

    assert response.status_code == 400
    assert "10" in response.json()["error"]


def test_an_unknown_conversation_is_a_404(client, understanding):
    response = post(client, {"text": "hi", "conversation": str(uuid.uuid4())})

    assert response.status_code == 404
    assert client.get(f"/api/v1/assistant/conversations/{uuid.uuid4()}/").status_code == 404
    assert client.get("/api/v1/assistant/conversations/nope/").status_code == 404


def test_a_session_shopper_must_send_the_csrf_token(understanding):
    client = Client(enforce_csrf_checks=True)
    first = client.post(URL, {"text": "hello"}, content_type="application/json")
    assert first.status_code == 200  # no session yet: nothing to forge
    public_id = first.json()["conversation"]

    forged = client.post(
        URL, {"text": "hello", "conversation": public_id}, content_type="application/json"
    )
    assert forged.status_code == 403

    token = client.cookies["csrftoken"].value
    allowed = client.post(
        URL,
        {"text": "hello", "conversation": public_id},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert allowed.status_code == 200


def test_messages_are_throttled(client, understanding, monkeypatch):
    from assistant.api import AssistantRateThrottle

    rates = {**AssistantRateThrottle.THROTTLE_RATES, "assistant": "2/min"}
    monkeypatch.setattr(AssistantRateThrottle, "THROTTLE_RATES", rates)

    codes = [post(client, {"text": "hi"}).status_code for _ in range(3)]

    assert codes == [200, 200, 429]


def test_polling_returns_only_new_messages_and_the_handoff_button_works(
    client, understanding, merchant
):
    from assistant.services import conversation_staff_reply

    body = post(client, {"text": "hello"}).json()
    public_id = body["conversation"]
    handoff = client.post(f"/api/v1/assistant/conversations/{public_id}/handoff/")
    assert handoff.json()["status"] == ConversationStatus.OPEN
    conversation = Conversation.objects.get(public_id=public_id)
    conversation_staff_reply(conversation=conversation, text="Hi, Claire here.", staff=merchant)

    poll = client.get(
        f"/api/v1/assistant/conversations/{public_id}/messages/?after={body['message']}"
    )

    assert poll.status_code == 200
    messages = poll.json()["messages"]
    assert [m["sender"] for m in messages] == ["system", "staff"]
    assert messages[-1]["text"] == "Hi, Claire here."
    bad = client.get(f"/api/v1/assistant/conversations/{public_id}/messages/?after=x")
    assert bad.status_code == 400


def test_rating_an_answer(client, understanding):
    body = post(client, {"text": "hello"}).json()

    response = client.post(
        f"/api/v1/assistant/messages/{body['message']}/rating/",
        {"rating": -1},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert Message.objects.get(pk=body["message"]).rating == -1
    bad = client.post(
        f"/api/v1/assistant/messages/{body['message']}/rating/",
        {"rating": 7},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_the_message_endpoint_costs_a_bounded_number_of_queries(
    client, understanding, shop_catalog, django_assert_max_num_queries
):
    understanding["value"] = understood(
        "product_search", categories=["rings"], product_query="rings"
    )
    first = post(client, {"text": "rings"}).json()
    assert first["products"]

    with django_assert_max_num_queries(QUERY_BOUND):
        response = post(client, {"text": "rings", "conversation": first["conversation"]})

    assert response.status_code == 200


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()

    for path in (
        "/api/v1/assistant/messages/",
        "/api/v1/assistant/conversations/{public_id}/",
        "/api/v1/assistant/conversations/{public_id}/messages/",
        "/api/v1/assistant/conversations/{public_id}/handoff/",
        "/api/v1/assistant/messages/{message_id}/rating/",
    ):
        assert path in schema["paths"], path


def test_signing_in_moves_the_guests_conversation_to_the_account(client, understanding):
    from tests.factories import UserFactory

    user = UserFactory(email="carol@example.com")
    user.set_password("a-long-pass-phrase!")
    user.save()
    public_id = post(client, {"text": "hello"}).json()["conversation"]

    response = client.post(
        "/en/account/login/",
        {"username": "carol@example.com", "password": "a-long-pass-phrase!"},
    )
    assert response.status_code in (302, 303), response.status_code

    conversation = Conversation.objects.get(public_id=public_id)
    assert conversation.user == user
    # Still readable after sign-in (the session key changed; the account owns it now).
    assert client.get(f"/api/v1/assistant/conversations/{public_id}/").status_code == 200


def test_a_guests_country_comes_from_the_browsers_language(client, understanding):
    body = post(client, {"text": "hello"}, HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").json()

    assert Conversation.objects.get(public_id=body["conversation"]).country == "CA"
