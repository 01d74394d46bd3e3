"""Production defaults are safe: the test gateway does not take "payments" in production unless
allowed, e-mails (password-reset links) are not printed to the web log, and the system checks
say what a deployment still has to set."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import checks

from orders.payments import TestGateway, get_gateway

ROOT = Path(__file__).resolve().parents[2]
SUCCESS_CARD = "4242 4242 4242 4242"


def _charge():
    return get_gateway().charge(
        amount=Decimal("10.00"), currency="USD", token=SUCCESS_CARD, idempotency_key="k-1"
    )


# --- The test gateway -------------------------------------------------------------------------
def test_the_test_gateway_refuses_to_charge_in_production_unless_allowed(settings, caplog):
    settings.DEBUG = False
    settings.SHOP_PAYMENT_GATEWAY = "orders.payments.TestGateway"
    settings.SHOP_ALLOW_TEST_GATEWAY = False

    result = _charge()

    assert not result.succeeded
    assert "cannot take payments" in result.message
    assert "SHOP_ALLOW_TEST_GATEWAY" in caplog.text


def test_the_test_gateway_charges_when_allowed_or_in_debug(settings):
    settings.SHOP_PAYMENT_GATEWAY = "orders.payments.TestGateway"
    settings.SHOP_ALLOW_TEST_GATEWAY = True
    settings.DEBUG = False
    assert _charge().succeeded

    settings.SHOP_ALLOW_TEST_GATEWAY = False
    settings.DEBUG = True
    assert _charge().succeeded


def _check_ids() -> set[str]:
    return {message.id for message in checks.run_checks(include_deployment_checks=True)}


def test_the_checks_warn_about_the_test_gateway_in_production(settings):
    settings.DEBUG = False
    settings.SHOP_PAYMENT_GATEWAY = "orders.payments.TestGateway"

    settings.SHOP_ALLOW_TEST_GATEWAY = False
    refused = _check_ids()
    settings.SHOP_ALLOW_TEST_GATEWAY = True
    allowed = _check_ids()
    settings.SHOP_PAYMENT_GATEWAY = "tests.shop.gateways.ProviderGateway"
    real = _check_ids()

    assert "shop.W001" in refused
    assert "shop.W002" in allowed
    assert not {"shop.W001", "shop.W002"} & real


def test_the_checks_warn_about_an_e_mail_backend_that_prints_to_the_log(settings):
    settings.DEBUG = False
    settings.SITE_URL = "https://shop.example.com"
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    assert "shop.W003" in _check_ids()


def test_the_checks_warn_about_a_tls_proxy_that_anyone_can_impersonate(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = []
    assert "shop.W005" in _check_ids()

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert "shop.W005" not in _check_ids()


def test_the_test_gateway_class_is_marked_as_such():
    assert TestGateway.is_test_gateway is True


# --- Settings read from the environment -------------------------------------------------------
def _settings_in(tmp_path, **variables) -> dict:
    env = {"PATH": "/usr/bin:/bin", "SHOP_VAR_DIR": str(tmp_path), **variables}
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'backend': s.EMAIL_BACKEND, 'path': str(getattr(s, "
        "'EMAIL_FILE_PATH', '')), 'allow': s.SHOP_ALLOW_TEST_GATEWAY, "
        "'hosts': s.ALLOWED_HOSTS, 'language_cookie_secure': s.LANGUAGE_COOKIE_SECURE}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "shop.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_e_mail_settings_follow_the_readme(tmp_path):
    # The embedded local store prints e-mails (and reset links) to its console
    local = _settings_in(tmp_path)
    # In production, with nothing set, they are kept as files, never printed to the log
    production = _settings_in(tmp_path, SITE_URL="https://shop.example.com")
    # EMAIL_URL, as the README says, picks the server
    smtp = _settings_in(
        tmp_path,
        SITE_URL="https://shop.example.com",
        EMAIL_URL="smtp+tls://u:p@mail.example.com:587",
    )
    # EMAIL_BACKEND, a dotted path, wins when set
    dotted = _settings_in(tmp_path, EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")

    assert local["backend"] == "django.core.mail.backends.console.EmailBackend"
    assert production["backend"] == "django.core.mail.backends.filebased.EmailBackend"
    assert production["path"] == str(tmp_path / "mail")
    assert smtp["backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert dotted["backend"] == "django.core.mail.backends.dummy.EmailBackend"
    assert local["allow"] is False


@pytest.mark.slow
def test_deploy_check_names_what_production_still_has_to_set(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-that-is-long-and-random-0123456789",
        "SITE_URL": "https://shop.example.com",
        "SHOP_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    assert "shop.W001" in output  # the test gateway
    assert "shop.W004" in output  # no EMAIL_URL


@pytest.mark.slow
def test_production_serves_only_its_own_host_and_secures_every_cookie(tmp_path):
    local = _settings_in(tmp_path)
    production = _settings_in(tmp_path, SITE_URL="https://shop.example.com")

    # The local store answers to 127.0.0.1 and localhost; a production store only to its own
    # name (a Host header naming localhost must not end up in the page's absolute links)
    assert set(local["hosts"]) == {"127.0.0.1", "localhost"}
    assert production["hosts"] == ["shop.example.com"]
    assert production["language_cookie_secure"] is True
    assert local["language_cookie_secure"] is False
