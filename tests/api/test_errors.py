"""Every API error is JSON, {"error": ..., "code": ..., "detail": ...}, with the right status."""

import json

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import UserFactory

ECHO = "/test/echo/"


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["error"], str) and body["error"]
    return body


@pytest.fixture
def test_endpoints(settings):
    settings.ROOT_URLCONF = "tests.api.error_urls"


@pytest.fixture
def unthrottled(no_throttling):
    return None


pytestmark = pytest.mark.usefixtures("unthrottled")


def test_invalid_fields_name_the_field_and_keep_drf_details(api_client, test_endpoints, db):
    response = api_client.post(ECHO, {"name": "ring", "quantity": 0}, format="json")

    body = assert_error(response, 400, "invalid")
    assert body["error"] == (
        "Invalid input: quantity: Ensure this value is greater than or equal to 1."
    )
    assert body["detail"] == {"quantity": ["Ensure this value is greater than or equal to 1."]}


def test_missing_body_is_a_400_naming_a_required_field(api_client, test_endpoints, db):
    body = assert_error(api_client.post(ECHO, {}, format="json"), 400, "invalid")

    assert body["error"] == "Invalid input: name: This field is required."


def test_nested_field_errors_give_the_field_path(api_client, test_endpoints, db):
    payload = {"name": "ring", "quantity": 1, "address": {"city": ["not", "a", "string"]}}
    response = api_client.post(ECHO, payload, format="json")

    body = assert_error(response, 400, "invalid")
    assert body["error"].startswith("Invalid input: address.city: ")


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b'{"name": "ring", "quantity": ', b"\xff\xfe\x00garbage", b"[1, 2", b"NaN!"],
)
def test_malformed_json_is_a_400_parse_error(api_client, test_endpoints, db, raw):
    response = api_client.generic("POST", ECHO, raw, content_type="application/json")

    body = assert_error(response, 400, "parse_error")
    assert "JSON parse error" in body["error"]


@pytest.mark.parametrize("body", [b"[]", b'"a string"', b"42", b"null"])
def test_json_that_is_not_an_object_is_a_400(api_client, test_endpoints, db, body):
    response = api_client.generic("POST", ECHO, body, content_type="application/json")

    assert_error(response, 400, "invalid")


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "image/png", "junk"])
def test_unsupported_content_type_is_a_415(api_client, test_endpoints, db, content_type):
    response = api_client.generic("POST", ECHO, b"name=ring", content_type=content_type)

    body = assert_error(response, 415, "unsupported_media_type")
    assert "Unsupported media type" in body["error"]


def test_wrong_method_is_a_405(api_client, test_endpoints, db):
    assert_error(api_client.delete(ECHO), 405, "method_not_allowed")


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [("http404", 404, "not_found"), ("denied", 403, "permission_denied")],
)
def test_django_http404_and_permission_denied_are_mapped(
    api_client, test_endpoints, db, kind, status, code
):
    assert_error(api_client.get(f"/test/raise/{kind}/"), status, code)


def test_django_validation_error_is_a_400_with_its_messages(api_client, test_endpoints, db):
    response = api_client.get("/test/raise/django-invalid/")

    body = assert_error(response, 400, "invalid")
    assert body["detail"] == {"email": ["Enter a valid e-mail address."]}
    assert body["error"] == "Invalid input: email: Enter a valid e-mail address."


def test_a_crash_is_a_json_500_that_hides_the_details(test_endpoints, db, caplog):
    client = APIClient(raise_request_exception=False)

    response = client.get("/test/raise/crash/")

    body = assert_error(response, 500, "server_error")
    assert "a bug" not in json.dumps(body)
    assert any("a bug" in str(record.exc_info) for record in caplog.records if record.exc_info)


def test_anonymous_on_a_private_endpoint_is_refused(api_client, test_endpoints, db):
    body = assert_error(api_client.get("/test/private/"), 403, "not_authenticated")

    assert body["error"] == "Authentication credentials were not provided."


def test_a_bad_token_is_refused(api_client, test_endpoints, db):
    response = api_client.get("/test/private/", HTTP_AUTHORIZATION="Token not-a-real-token")

    assert_error(response, 403, "authentication_failed")


def test_a_token_signs_in(api_client, test_endpoints, db):
    from tests.factories import api_token_for

    user = UserFactory(email="token@example.com")
    token = api_token_for(user)

    response = api_client.get("/test/private/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert response.json() == {"email": "token@example.com"}


def test_throttled_writes_are_a_429_with_retry_after(api_client, test_endpoints, db, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"writes": "2/min"})

    statuses = [api_client.post("/test/throttled/").status_code for _ in range(3)]

    assert statuses[:2] == [200, 200]
    response = api_client.post("/test/throttled/")
    body = assert_error(response, 429, "throttled")
    assert "throttled" in body["error"]
    assert int(response["Retry-After"]) > 0


def test_anonymous_reads_are_throttled_too(api_client, db, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "100/min"})

    for _ in range(3):
        assert api_client.get("/api/v1/categories/").status_code == 200
    assert_error(api_client.get("/api/v1/categories/"), 429, "throttled")


# --- Addresses no endpoint answers ------------------------------------------------------------
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
def test_unknown_api_address_is_a_json_404_for_every_method(api_client, db, method):
    response = getattr(api_client, method)("/api/v1/no-such-thing/here/")

    body = assert_error(response, 404, "not_found")
    assert "/api/v1/no-such-thing/here/" in body["error"]


def test_api_address_without_trailing_slash_redirects_for_get(api_client, db):
    response = api_client.get("/api/v1/products?page=2")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/products/?page=2"


def test_post_without_trailing_slash_is_a_json_404(api_client, db):
    assert_error(api_client.post("/api/v1/products", {}, format="json"), 404, "not_found")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/products/%00/",
        "/api/v1/products/" + "x" * 5000 + "/",
        "/api/v1/categories/%E2%80%AE%F0%9F%92%8D/",
        "/api/v1/products/../../etc/passwd",
        "/api/v1/%ff%fe/",
    ],
)
def test_junk_paths_are_json_4xx(api_client, db, path):
    response = api_client.get(path)

    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    "query",
    [
        "page=%ff%fe",
        "price_min=%00",
        "q=%F0%9F%92%8D%F0%9F%92%8D",
        "lang=" + "a" * 10000,
        "currency=eur",
        "price_min=1" + "0" * 400,
        "page_size=-5",
        "page_size=10000000000000000000000",
        "in_stock=&category=&q=",
        "category[]=rings",
        "metal=yellow-gold&metal=platinum",
    ],
)
def test_junk_query_strings_never_give_a_server_error(api_client, db, query):
    response = api_client.get(f"/api/v1/products/?{query}")

    assert response.status_code in (200, 400, 404)
    assert response["Content-Type"].startswith("application/json")
