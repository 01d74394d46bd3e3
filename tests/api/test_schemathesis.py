"""Fuzzing every operation of the REST API with Schemathesis: no request ever gives a 5xx.

Every operation in /api/schema/ is called with data generated from the schema, valid
(positive) and invalid (negative), anonymously and as a customer (token) who owns an address,
a wishlist item, a cart line and an order. Operations whose path names an object are also
fuzzed with the path pointing at that customer's real objects, so bodies are tried against
existing addresses, cart lines and orders, not only against 404s.

Each example runs inside a rolled-back savepoint, so every example starts from the same data
(a DELETE does not leave the next example with nothing to act on). Throttling is off, or the
fuzz would only meet 429s.

Run it with `pytest tests/api/test_schemathesis.py -m slow -s` to see the per-operation
summary (examples and status codes).
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

pytestmark = [pytest.mark.slow]

# Examples per operation and batch (positive, negative, positive on the customer's objects).
MAX_EXAMPLES = 20

FUZZ_SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # No shrinking: failures are collected, not raised, so every operation gets its examples.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
)


@pytest.fixture
def wsgi_app(no_throttling, settings):
    """The project's WSGI application, on the test database's connection.

    Django closes "old" connections at the start and end of each request; this test holds its
    data in a transaction on that connection, so the signals are unhooked while it runs (as
    Django's own test client does).
    """
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # Thousands of expected 4xx would drown the output; 5xx (ERROR) are still logged.
    for name in ("django.request", "axes"):
        logging.getLogger(name).setLevel(logging.ERROR)
    settings.SECURE_SSL_REDIRECT = False
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _is_error_body(content: bytes) -> bool:
    """{"error": "<message>", "code": "<code>", ...}: what every API error must look like."""
    try:
        body = json.loads(content)
    except ValueError:
        return False
    return (
        isinstance(body, dict)
        and isinstance(body.get("error"), str)
        and bool(body["error"].strip())
        and isinstance(body.get("code"), str)
    )


@dataclass
class Problem:
    who: str
    operation: str
    kind: str
    status: int
    request: str
    message: str

    def __str__(self) -> str:
        return (
            f"[{self.who}] {self.operation} -> {self.status} ({self.kind})\n"
            f"    {self.request}\n    {self.message[:400]}"
        )


@dataclass
class Report:
    who: str
    examples: Counter = field(default_factory=Counter)
    statuses: dict = field(default_factory=lambda: defaultdict(Counter))
    server_errors: list[Problem] = field(default_factory=list)
    conformance: list[Problem] = field(default_factory=list)
    unsendable: Counter = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)

    def record(self, operation, case, response, headers) -> None:
        label = operation.label
        self.examples[label] += 1
        self.statuses[label][response.status_code] += 1
        for checks, found in (
            ([not_a_server_error], self.server_errors),
            ([response_schema_conformance, content_type_conformance], self.conformance),
        ):
            try:
                case.validate_response(response, checks=checks, headers=headers)
            except FailureGroup as group:
                for failure in group.exceptions:
                    found.append(self._problem(label, case, response, headers, failure))
            except AssertionError as failure:
                found.append(self._problem(label, case, response, headers, failure))

        if response.status_code >= 400 and not _is_error_body(response.content):
            failure = AssertionError(f"not the JSON error format: {response.content[:200]!r}")
            failure.title = "Error body not in the API's error format"
            self.conformance.append(self._problem(label, case, response, headers, failure))

    def _problem(self, label, case, response, headers, failure) -> Problem:
        curl = case.as_curl_command(headers=headers or None)
        return Problem(
            who=self.who,
            operation=label,
            kind=getattr(failure, "title", type(failure).__name__),
            status=response.status_code,
            request=re.sub(r"Token [0-9a-f]{40}", "Token <customer token>", curl),
            message=getattr(failure, "message", str(failure)),
        )

    def summary(self) -> str:
        lines = [
            f"Schemathesis fuzz ({self.who}): {len(self.examples)} operations, "
            f"{sum(self.examples.values())} requests"
        ]
        for label in sorted(self.examples):
            statuses = ", ".join(
                f"{code}x{count}" for code, count in sorted(self.statuses[label].items())
            )
            lines.append(f"  {label}: {self.examples[label]} ({statuses})")
        for label, count in sorted(self.unsendable.items()):
            lines.append(f"  {label}: {count} generated requests could not be sent")
        lines.extend(f"  skipped: {reason}" for reason in self.skipped)
        lines.append(
            f"  server errors: {len(self.server_errors)}, "
            f"schema conformance problems: {len(self.conformance)}"
        )
        return "\n".join(lines)


def known_path_values(path: str, customer, catalog) -> dict:
    """Path parameters naming the customer's own objects (or public ones), by name and path."""
    values = {
        "address_id": customer.address.pk,
        "line_id": customer.cart_line.pk,
        "number": customer.order.number,
        "handle": catalog["solitaire"].handle,
    }
    if "categor" in path:
        values["slug"] = "rings"
    elif "collection" in path:
        values["slug"] = "bridal"
    names = re.findall(r"{(\w+)}", path)
    if not names or any(name not in values for name in names):
        return {}
    return {name: values[name] for name in names}


def known_body_values(path: str, customer, catalog) -> dict:
    """Body fields set to values that exist, so writes get past lookups to the real work."""
    band = catalog["band"]
    values = {
        "variant_id": band.variants.get().pk,
        "sku": band.variants.get().sku,
        "quantity": 1,
        "product": band.handle,
        "address_id": customer.address.pk,
        "country": "GB",
        "shipping_method": "standard",
        "payment_token": "4242424242424242",
        # Product list filters
        "category": "rings",
        "collection": "bridal",
        "metal": "yellow-gold",
        "gemstone": "diamond",
    }
    if path.endswith("/token/"):
        values.update(email=customer.user.email, password="correct-horse-battery")
    return values


def steered(strategy, values: dict):
    """Generated cases whose body fields, query parameters (and an address's country) that
    name something take the known values; everything else stays generated."""

    def steer(case):
        for container in (case.body, case.query):
            if isinstance(container, dict):
                for name, value in values.items():
                    if name in container:
                        container[name] = value
        if isinstance(case.body, dict) and isinstance(case.body.get("address"), dict):
            case.body["address"]["country"] = values["country"]
        return case

    return strategy.map(steer)


def fuzz_operation(operation, *, headers, known_path: dict, known_body: dict, report) -> None:
    strategies = [
        ("positive", operation.as_strategy(GenerationMode.POSITIVE)),
        ("negative", operation.as_strategy(GenerationMode.NEGATIVE)),
    ]
    if known_path:
        strategies.append(
            ("own objects", operation.as_strategy(path_parameters=known_path)),
        )
    if operation.method.upper() in ("POST", "PUT", "PATCH") or len(operation.query):
        base = operation.as_strategy(path_parameters=known_path or None)
        strategies.append(("known values", steered(base, known_body)))
    for name, strategy in strategies:

        @FUZZ_SETTINGS
        @hypothesis.given(case=strategy)
        def run(case):
            with transaction.atomic():
                try:
                    response = case.call(headers=headers)
                except (ValueError, TypeError, UnicodeError):
                    # Data no HTTP client can put on the wire (e.g. a NUL in a header).
                    report.unsendable[operation.label] += 1
                    return
                finally:
                    transaction.set_rollback(True)
            report.record(operation, case, response, headers)

        try:
            run()
        except hypothesis.errors.Unsatisfiable:
            report.skipped.append(f"{operation.label} ({name}): nothing to generate")


def fuzz_everything(app, *, who: str, headers: dict, customer, catalog) -> Report:
    schema = schemathesis.openapi.from_wsgi("/api/schema/", app)
    report = Report(who=who)
    for result in schema.get_all_operations():
        operation = result.ok()
        fuzz_operation(
            operation,
            headers=headers,
            known_path=known_path_values(operation.path, customer, catalog),
            known_body=known_body_values(operation.path, customer, catalog),
            report=report,
        )
    print("\n" + report.summary())
    return report


def describe(problems: list) -> str:
    """One entry per operation, kind and status, with the first request that showed it."""
    first, counts = {}, Counter()
    for problem in problems:
        key = (problem.operation, problem.kind, problem.status)
        first.setdefault(key, problem)
        counts[key] += 1
    return "\n".join(f"{counts[key]}x {first[key]}" for key in first)


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_fuzzing_every_operation(who, wsgi_app, alice, bob, catalog):
    headers = alice.header if who == "customer" else {}

    report = fuzz_everything(wsgi_app, who=who, headers=headers, customer=alice, catalog=catalog)

    assert len(report.examples) >= 20, report.summary()
    # pytest.fail, not assert: the report is too big for assertion introspection.
    if report.server_errors:
        pytest.fail("5xx responses:\n" + describe(report.server_errors), pytrace=False)
    if report.conformance:
        pytest.fail("responses not as documented:\n" + describe(report.conformance), pytrace=False)
