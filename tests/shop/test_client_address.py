"""One client address for every limit (shop.net.client_ip, TRUSTED_PROXIES): API throttles and
sign-in lock-outs alike; a spoofed X-Forwarded-For neither escapes them nor frames another."""

from collections import defaultdict

import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from shop.net import client_ip
from shop.throttling import ClientAddressMixin
from tests.factories import UserFactory

PROXY = "10.0.0.5"


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


# --- The helper -------------------------------------------------------------------------------
def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip(_request("198.51.100.9", "1.2.3.4")) == "198.51.100.9"


def test_behind_a_trusted_proxy_the_hop_it_appended_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw
    assert client_ip(_request(PROXY, "1.2.3.4, 198.51.100.9")) == "198.51.100.9"
    # Two proxies of ours in a row: both skipped
    assert client_ip(_request(PROXY, "198.51.100.9, 10.1.2.3")) == "198.51.100.9"


def test_a_request_from_outside_the_proxies_is_not_believed(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_ip(_request("198.51.100.9", "10.0.0.1")) == "198.51.100.9"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("not-an-address, 198.51.100.9", "198.51.100.9"),
        ("198.51.100.9:5123", "198.51.100.9"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:198.51.100.9", "198.51.100.9"),
        ("garbage", PROXY),
        ("", PROXY),
        (",,,", PROXY),
    ],
)
def test_odd_headers_never_crash_and_fall_back_to_the_proxy(settings, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_ip(_request(PROXY, forwarded)) == expected


def test_a_bad_trusted_proxies_entry_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.example.com"]

    with pytest.raises(ImproperlyConfigured, match="proxy.example.com"):
        client_ip(_request(PROXY))


# --- API throttles ----------------------------------------------------------------------------
@pytest.fixture
def anon_limit_two(monkeypatch):
    rates = defaultdict(lambda: None, {"anon": "2/min"})
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_does_not_escape_the_api_throttle(settings, anon_limit_two):
    settings.TRUSTED_PROXIES = []
    api = APIClient(REMOTE_ADDR="198.51.100.9")

    codes = [
        api.get("/api/v1/products/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(3)
    ]

    assert codes == [200, 200, 429]


@pytest.mark.django_db
def test_behind_the_proxy_each_client_has_its_own_bucket(settings, anon_limit_two):
    settings.TRUSTED_PROXIES = [PROXY]
    api = APIClient(REMOTE_ADDR=PROXY)

    first = [
        api.get("/api/v1/products/", HTTP_X_FORWARDED_FOR="192.0.2.1").status_code
        for _n in range(3)
    ]
    # Another customer behind the same proxy, and the first one lying about who they are
    other = api.get("/api/v1/products/", HTTP_X_FORWARDED_FOR="192.0.2.2").status_code
    spoofed = api.get("/api/v1/products/", HTTP_X_FORWARDED_FOR="192.0.2.2, 192.0.2.1").status_code

    assert first == [200, 200, 429]
    assert other == 200
    assert spoofed == 429


def _api_views(resolver=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern)
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "cls", None)
            if view_class is not None and issubclass(view_class, APIView):
                yield view_class


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_every_api_throttle_knows_the_client_by_client_ip(method):
    # Whatever an endpoint adds for a method, it counts by shop.net.client_ip
    views = set(_api_views())
    assert len(views) > 10
    for view_class in views:
        view = view_class()
        view.request = RequestFactory().generic(method, "/")
        view.kwargs, view.args, view.format_kwarg = {}, (), None
        for throttle in view.get_throttles():
            assert isinstance(throttle, ClientAddressMixin), (view_class, throttle)


# --- Sign-in lock-outs ------------------------------------------------------------------------
def _fail_login(client, forwarded: str, remote: str = "198.51.100.9"):
    return client.post(
        reverse("customers:login"),
        {"username": "ada@example.com", "password": "wrong"},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_does_not_escape_the_lock_out(client, settings):
    settings.TRUSTED_PROXIES = []
    UserFactory(email="ada@example.com")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail_login(client, forwarded=f"192.0.2.{n}")

    assert _fail_login(client, forwarded="192.0.2.200").status_code == 429


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_cannot_lock_out_another_client(client, settings):
    from tests.customers.conftest import PASSWORD

    settings.TRUSTED_PROXIES = [PROXY]
    UserFactory(email="ada@example.com")
    # The attacker, behind our proxy, claims to be Ada's address
    for _n in range(settings.AXES_FAILURE_LIMIT):
        _fail_login(client, forwarded="192.0.2.77, 203.0.113.66", remote=PROXY)

    response = client.post(
        reverse("customers:login"),
        {"username": "ada@example.com", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.0.2.77",
    )

    assert response.status_code == 302


# --- Other forwarded headers ------------------------------------------------------------------
@pytest.mark.django_db
def test_x_forwarded_proto_is_believed_only_from_a_trusted_proxy(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True

    # Straight to the server, claiming to have come through TLS: not believed, sent to https
    direct = client.get("/en/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_PROTO="https")
    # Through our proxy, which terminated TLS: served
    proxied = client.get(
        "/en/",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )

    assert direct.status_code == 301
    assert direct["Location"].startswith("https://")
    assert proxied.status_code == 200
