"""Fuzzing every storefront page: no query parameter, path value or form field gives a 500.

The REST API has its Schemathesis run (tests/api/test_schemathesis.py); this is the same for the
HTML pages. Every URL pattern outside the admin, Rosetta and the API is found in the URL
configuration (so a new page is fuzzed without anyone listing it) and requested with its path
pointing at real objects, then with malformed path values. Its query parameters are the ones the
storefront reads (the list below) plus every parameter the page's own links and GET forms carry
(read from the rendered HTML). Each is sent with every malformed value: non-ASCII digits,
huge and negative numbers, repeated (array) parameters, very long strings, invalid UTF-8
escapes, NUL. Each page is also requested with malformed headers and cookies and with every
other HTTP method, and pages with forms are posted with each field malformed in turn, the
other fields keeping the values the page filled in.

A failure lists each URL, parameter and value that gave a 500 (or raised), all at once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.api.conftest import (  # noqa: F401  (fixtures: a catalog, a customer who owns things)
    Owner,
    _fast_password_hashing,
    catalog,
    make_owner,
    shipping_setup,
)

pytestmark = [pytest.mark.slow]

# Values that have broken pages before or break them elsewhere. Each is sent percent-encoded
# as UTF-8, except RAW ones, which go on the wire exactly as written (invalid UTF-8 escapes).
MALFORMED = [
    "²",  # str.isdigit() is true, int() refuses it
    "١٢",  # Arabic-Indic digits: int() accepts them
    "۴",
    "𝟗",
    "Ⅻ",
    "-1",
    "0",
    "-0",
    "99999999999999999999999999999",  # beyond SQLite's and PostgreSQL's integers
    "1e400",
    "NaN",
    "-inf",
    "1.5",
    "0x1f",
    "",
    " ",
    "x" * 5000,
    "日本語" * 400,
    "\x00",
    "a\x00b",
    "' OR '1'='1",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "😀",
    "\u202e\u0000\ufeff",
    "null",
    "[]",
    "{}",
]
# Sent to one parameter at a time: the values that crash int()/Decimal() parsing and lookups.
PER_PARAMETER = [
    "²",
    "١٢",
    "-1",
    "99999999999999999999999999999",
    "1e400",
    "NaN",
    "x" * 5000,
    "\x00",
]
RAW = ["%ff", "%c0%af", "%ed%a0%80", "%", "%zz", "1%00"]

# Query parameters the storefront reads somewhere (listing filters, search, reviews, product
# variants, paging, currency and language switches, safe "next" addresses).
KNOWN_PARAMETERS = [
    "page",
    "sort",
    "variant",
    "currency",
    "language",
    "lang",
    "q",
    "metal",
    "gemstone",
    "category",
    "collection",
    "price",
    "price_min",
    "price_max",
    "in_stock",
    "ignore",
    "rating",
    "sentiment",
    "next",
    "months",
]

# Pages whose parameters only matter once another one is set: searches with results, a
# filtered listing (fuzzed again with these in the address).
WITH_QUERY = {
    "search/": ["q=diamond+ring", "q=gold+under+500+eur"],
    "products/": ["metal=yellow-gold&sort=price"],
}

SKIPPED_PREFIXES = ("admin/", "rosetta/", "api/", "media/")


@dataclass
class Findings:
    requests: int = 0
    server_errors: list[str] = field(default_factory=list)

    def check(self, client: Client, method: str, path: str, **kwargs) -> None:
        self.requests += 1
        try:
            response = getattr(client, method)(path, **kwargs)
        except Exception as error:  # noqa: BLE001 - the finding is the exception itself
            self.server_errors.append(
                f"{method.upper()} {path[:160]} {kwargs!r:.160}: {error!r:.200}"
            )
            return
        if response.status_code >= 500:
            self.server_errors.append(
                f"{method.upper()} {path[:160]} {kwargs!r:.160}: {response.status_code}"
            )


class _PageParser(HTMLParser):
    """The query parameters of links to the same page, and the fields of the page's forms."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.link_parameters: set[str] = set()
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            parts = urlsplit(attributes["href"])
            if parts.path in ("", self.page_path) and parts.query:
                self.link_parameters.update(name for name, _ in parse_qsl(parts.query))
        elif tag == "form":
            self._form = {
                "method": (attributes.get("method") or "get").lower(),
                "action": attributes.get("action") or self.page_path,
                "fields": {},
            }
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and self._form is not None:
            name = attributes.get("name")
            if name and attributes.get("type") not in ("submit", "image"):
                self._form["fields"].setdefault(name, attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def storefront_patterns(resolvers=None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """(route, pattern) for every URL of the shop outside the admin, Rosetta, the API, media."""
    for entry in (resolvers or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if route.startswith(SKIPPED_PREFIXES) or route.startswith("<"):
            continue
        if isinstance(entry, URLResolver):
            yield from storefront_patterns(entry, route)
        else:
            yield route, entry


def real_path_values(alice: Owner, catalog_: dict) -> dict[str, str]:
    category = catalog_["solitaire"].category
    return {
        "slug": category.slug,
        "handle": catalog_["solitaire"].handle,
        "line_id": str(alice.cart_line.pk),
        "address_id": str(alice.address.pk),
        "token_id": str(alice.user.api_tokens.first().pk),
        "number": alice.order.number,
        "token": "not-a-real-token",
        "pk": "1",
        "uidb64": "MQ",
    }


MALFORMED_PATH_VALUES = {
    "int": ["0", "99999999999999999999999999999", "1" * 400],
    "slug": ["x" * 400, "-", "_"],
    "str": ["²", "x" * 2000, "%ff", "%00", "日本語", "..%2f..%2f"],
}


def build_path(route: str, values: dict[str, str]) -> str:
    """'/en/p/<slug:handle>/' with each <converter:name> replaced by values[name] (the routes
    found under i18n_patterns already carry the language prefix)."""
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda match: values.get(match.group(2), "1"), route)


def converters(route: str) -> list[tuple[str, str]]:
    return [(kind or "str", name) for kind, name in re.findall(r"<(?:(\w+):)?(\w+)>", route)]


def encoded(value: str) -> str:
    return quote(value, safe="")


def fuzz_queries(
    findings: Findings, client: Client, path: str, parameters: set[str], one_by_one: set[str]
) -> None:
    """Every malformed value in every parameter at once, then parameter by parameter for the
    ones the page itself links or submits (a crash on one parameter cannot hide another's)."""
    names = sorted(parameters)
    path += "&" if "?" in path else "?"
    for value in MALFORMED:
        findings.check(client, "get", path + "&".join(f"{n}={encoded(value)}" for n in names))
    for raw in RAW:
        findings.check(client, "get", path + "&".join(f"{n}={raw}" for n in names))
    # Arrays: repeated with a malformed and a valid-looking value, PHP-style, and hundreds.
    findings.check(client, "get", path + "&".join(f"{n}=1&{n}=%C2%B2&{n}=-5" for n in names))
    findings.check(client, "get", path + "&".join(f"{n}[]=1&{n}[]=2" for n in names))
    findings.check(client, "get", path + "&".join(f"page=1&q=a{i}" for i in range(500)))
    findings.check(client, "get", path + "%ff=%ff&%00")
    for name in sorted(one_by_one):
        for value in PER_PARAMETER:
            findings.check(client, "get", f"{path}{name}={encoded(value)}")
        findings.check(client, "get", f"{path}{name}=%ff")


def fuzz_forms(findings: Findings, client: Client, forms: list[dict]) -> None:
    for form in forms:
        if form["method"] != "post":
            continue
        action, fields = form["action"], form["fields"]
        for name in fields:
            if name == "csrfmiddlewaretoken":
                continue
            for value in [*MALFORMED[::3], "²", "99999999999999999999999999999", "-1"]:
                findings.check(client, "post", action, data={**fields, name: value})
            findings.check(client, "post", action, data={**fields, name: ["1", "2", "²"]})
        findings.check(client, "post", action, data={})


def fuzz_page(findings: Findings, client: Client, path: str) -> None:
    findings.requests += 1
    response = client.get(path, follow=False)
    if response.status_code >= 500:
        findings.server_errors.append(f"GET {path}: {response.status_code}")
        return
    parser = _PageParser(urlsplit(path).path)
    if response.get("Content-Type", "").startswith("text/html"):
        parser.feed(response.content.decode("utf-8", errors="replace"))
    get_forms = [form for form in parser.forms if form["method"] == "get"]
    own_parameters = set(parser.link_parameters)
    for form in get_forms:
        own_parameters |= set(form["fields"])
    fuzz_queries(
        findings, client, path, set(KNOWN_PARAMETERS) | own_parameters, own_parameters | {"page"}
    )
    fuzz_forms(findings, client, [form for form in parser.forms if form["method"] == "post"])


# Headers and cookies every page reads (language negotiation, session, CSRF, currency).
MALFORMED_HEADERS = [
    {"HTTP_ACCEPT_LANGUAGE": "²;q=x, ar;q=99999999999999999999, *;q=-1"},
    {"HTTP_ACCEPT_LANGUAGE": "x" * 5000},
    {"HTTP_REFERER": "http://[::1"},
    {"HTTP_X_FORWARDED_FOR": "²,%ff,999.999.1.1"},
    {"HTTP_IF_MODIFIED_SINCE": "²"},
    {"HTTP_IF_NONE_MATCH": '"' + "x" * 5000},
    {"HTTP_ACCEPT": "²/²"},
]
MALFORMED_COOKIES = {
    "django_language": ["²", "../../etc", "x" * 4000],
    "sessionid": ["²", "x" * 4000, "' OR 1=1"],
    "csrftoken": ["²", "x" * 4000],
}


def fuzz_headers_and_methods(findings: Findings, client: Client, path: str) -> None:
    for headers in MALFORMED_HEADERS:
        findings.check(client, "get", path, **headers)
    for method in ("put", "patch", "delete", "options", "head", "trace"):
        findings.check(client, method, path)
    for name, values in MALFORMED_COOKIES.items():
        saved = client.cookies.get(name)
        for value in values:
            client.cookies[name] = value
            findings.check(client, "get", path)
        if saved is not None:
            client.cookies[name] = saved
        else:
            del client.cookies[name]


def fuzz_storefront(client: Client, alice: Owner, catalog_: dict) -> Findings:
    findings = Findings()
    values = real_path_values(alice, catalog_)
    routes = list(storefront_patterns())
    assert len(routes) >= 30, routes  # the walk found the pages, not only the home page
    for route, _pattern in routes:
        path = build_path(route, values)
        fuzz_page(findings, client, path)
        fuzz_headers_and_methods(findings, client, path)
        for query in WITH_QUERY.get(route.split("/", 1)[-1], []):
            fuzz_page(findings, client, f"{path}?{query}")
        # The same page with each path value malformed in turn (also posted to: some views
        # take only POST).
        for kind, name in converters(route):
            for value in MALFORMED_PATH_VALUES.get(kind, MALFORMED_PATH_VALUES["str"]):
                bad_path = build_path(route, {**values, name: value})
                findings.check(client, "get", bad_path)
                findings.check(client, "post", bad_path, data={"x": "1"})
    return findings


@pytest.fixture
def alice(catalog, shipping_setup) -> Owner:  # noqa: F811
    solitaire = catalog["solitaire"]
    return make_owner(
        email="alice@example.com",
        number="AUR-100001",
        product=solitaire,
        variant=solitaire.variants.order_by("position").first(),
        full_name="Alice Archer",
        line1="1 Archer Lane",
    )


@pytest.fixture
def quiet_logs(settings, monkeypatch):
    """Thousands of expected 4xx warnings would drown the output (500s are collected)."""
    settings.AXES_ENABLED = False  # hundreds of failed logins would lock the test out
    from collections import defaultdict

    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", defaultdict(lambda: None))
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security", "axes")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):  # later tests log as before
        logger.setLevel(level)


@pytest.mark.parametrize("who", ["guest", "customer"])
def test_no_storefront_request_gives_a_server_error(who, alice, catalog, quiet_logs):  # noqa: F811
    client = Client(raise_request_exception=False)
    if who == "customer":
        client.force_login(alice.user)
    else:
        # A guest with a session and a bag, so the bag and checkout pages have something.
        client.post("/en/cart/add/", {"variant": alice.cart_line.variant_id, "quantity": 1})

    findings = fuzz_storefront(client, alice, catalog)

    assert findings.requests > 1500
    if findings.server_errors:
        shown = "\n".join(findings.server_errors[:60])
        pytest.fail(
            f"{len(findings.server_errors)} of {findings.requests} requests gave a 500:\n{shown}",
            pytrace=False,
        )


def admin_list_paths() -> list[str]:
    """Every admin page that takes no object id: index, app indexes, changelists, and the
    store's own pages (import, sentiment trend, translation coverage, jobs...)."""
    from django.contrib import admin

    paths = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif "<" not in route and "(?P" not in route and "logout" not in route:
                paths.append("/admin/" + route)

    walk(admin.site.urls[0], "")
    return sorted(set(paths))


ADMIN_PARAMETERS = ["o", "p", "q", "e", "all", "_popup", "_to_field", "_changelist_filters"]


def test_no_admin_list_page_gives_a_server_error(merchant, alice, catalog, quiet_logs):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(merchant)
    findings = Findings()
    paths = admin_list_paths()
    assert len(paths) >= 20, paths

    for path in paths:
        response = client.get(path)
        findings.requests += 1
        if response.status_code >= 500:
            findings.server_errors.append(f"GET {path}: {response.status_code}")
            continue
        parser = _PageParser(path)
        parser.feed(response.content.decode("utf-8", errors="replace"))
        own = set(parser.link_parameters)
        for form in parser.forms:
            if form["method"] == "get":
                own |= set(form["fields"])
        parameters = set(KNOWN_PARAMETERS) | set(ADMIN_PARAMETERS) | own
        fuzz_queries(findings, client, path, parameters, own | {"o", "p"})

    if findings.server_errors:
        shown = "\n".join(findings.server_errors[:60])
        pytest.fail(
            f"{len(findings.server_errors)} of {findings.requests} requests gave a 500:\n{shown}",
            pytrace=False,
        )
