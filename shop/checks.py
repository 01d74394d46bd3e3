"""The store's own system checks: what a production deployment still has to set.

`manage.py check` shows the ones that matter everywhere, `manage.py check --deploy` adds the
production checklist (tagged deploy). README.md ("Security: deployment") lists the settings.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

PRINTING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
}


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")


def _local_site() -> bool:
    return (urlsplit(settings.SITE_URL).hostname or "") in LOCAL_HOSTS


def _uses_test_gateway() -> bool:
    try:
        gateway = import_string(settings.SHOP_PAYMENT_GATEWAY)
    except ImportError:
        return False  # the checkout reports that one loudly enough
    return bool(getattr(gateway, "is_test_gateway", False))


@checks.register(checks.Tags.security)
def test_gateway_in_production(app_configs=None, **kwargs):
    if settings.DEBUG or not _uses_test_gateway():
        return []
    if not settings.SHOP_ALLOW_TEST_GATEWAY:
        return [
            checks.Warning(
                "The payment gateway is the test gateway and DEBUG is off: the checkout refuses "
                "every payment.",
                hint="Set SHOP_PAYMENT_GATEWAY to your provider's gateway (see "
                "orders/payments.py), or SHOP_ALLOW_TEST_GATEWAY=true for a demo store.",
                id="shop.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def test_gateway_allowed_in_production(app_configs=None, **kwargs):
    if settings.DEBUG or not _uses_test_gateway() or not settings.SHOP_ALLOW_TEST_GATEWAY:
        return []
    return [
        checks.Warning(
            "SHOP_ALLOW_TEST_GATEWAY lets the test gateway take test card numbers as payment: "
            "orders are marked paid and no money is taken.",
            hint="Set SHOP_PAYMENT_GATEWAY to your provider's gateway and remove "
            "SHOP_ALLOW_TEST_GATEWAY, unless this is a demo store.",
            id="shop.W002",
        )
    ]


@checks.register(checks.Tags.security)
def email_printed_to_the_log(app_configs=None, **kwargs):
    if settings.DEBUG or _local_site() or settings.EMAIL_BACKEND not in PRINTING_EMAIL_BACKENDS:
        return []
    return [
        checks.Warning(
            "E-mails are printed to the web process's log, password-reset links included.",
            hint="Set EMAIL_URL to your mail server (smtp+tls://user:password@host:587).",
            id="shop.W003",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def email_not_configured(app_configs=None, **kwargs):
    if settings.DEBUG or getattr(settings, "EMAIL_URL_SET", True):
        return []
    if getattr(settings, "EMAIL_BACKEND", "") != "django.core.mail.backends.filebased.EmailBackend":
        return []  # EMAIL_BACKEND chose one
    return [
        checks.Warning(
            "EMAIL_URL is not set: order e-mails and password-reset links are written as files "
            f"to {getattr(settings, 'EMAIL_FILE_PATH', 'var/mail')}, not sent.",
            hint="Set EMAIL_URL to your mail server (smtp+tls://user:password@host:587).",
            id="shop.W004",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def tls_proxy_without_trusted_proxies(app_configs=None, **kwargs):
    if not settings.SECURE_PROXY_SSL_HEADER or settings.TRUSTED_PROXIES:
        return []
    return [
        checks.Warning(
            "BEHIND_TLS_PROXY is on but TRUSTED_PROXIES is empty: X-Forwarded-Proto is believed "
            "from anyone, and client addresses (throttles, sign-in lock-outs) are the proxy's.",
            hint="Set TRUSTED_PROXIES to your proxies' addresses or networks (e.g. 10.0.0.0/8).",
            id="shop.W005",
        )
    ]


@checks.register(checks.Tags.security)
def request_cap_below_upload_caps(app_configs=None, **kwargs):
    """A request cap smaller than an upload the shop accepts would refuse that upload with a
    413 before its form could say what is wrong (review photos together, or one import)."""
    photos = settings.SHOP_MAX_IMAGE_UPLOAD_BYTES * int(
        getattr(settings, "SHOP_REVIEW_MAX_PHOTOS", 4)
    )
    largest = max(photos, settings.SHOP_MAX_IMPORT_BYTES)
    if largest <= settings.SHOP_MAX_REQUEST_BYTES:
        return []
    return [
        checks.Warning(
            f"SHOP_MAX_REQUEST_BYTES ({settings.SHOP_MAX_REQUEST_BYTES}) is smaller than the "
            f"largest upload the shop accepts ({largest} bytes).",
            hint="Raise SHOP_MAX_REQUEST_BYTES, or lower SHOP_MAX_IMAGE_UPLOAD_BYTES, "
            "SHOP_REVIEW_MAX_PHOTOS or SHOP_MAX_IMPORT_BYTES.",
            id="shop.W006",
        )
    ]
