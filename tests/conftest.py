"""Fixtures shared by the whole suite."""

import os
import shutil
import tempfile

import pytest

# The suite pays with the test gateway with DEBUG off, as `make run` does: allowed explicitly
# (here for the workers and servers the tests start, below for this process).
os.environ.setdefault("SHOP_ALLOW_TEST_GATEWAY", "true")


@pytest.fixture(autouse=True)
def _test_gateway_allowed(settings):
    settings.SHOP_ALLOW_TEST_GATEWAY = True


def pytest_sessionfinish(session, exitstatus):
    """Removes this run's broker folder (tests/settings.py), if this process made it."""
    from django.conf import settings

    if getattr(settings, "TEST_RUN_DIR_OWNED", False):
        shutil.rmtree(settings.TEST_RUN_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_files(settings):
    """Uploaded and generated files go to a throw-away folder; static files need no manifest."""
    media_root = tempfile.mkdtemp(prefix="shop-test-media-")
    settings.MEDIA_ROOT = media_root
    # Review photos are private, outside MEDIA_ROOT (reviews.storage).
    private_root = tempfile.mkdtemp(prefix="shop-test-private-")
    settings.REVIEW_PHOTOS_ROOT = private_root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    shutil.rmtree(media_root, ignore_errors=True)
    shutil.rmtree(private_root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def merchant(db):
    from customers.models import User

    return User.objects.create_superuser(email="merchant@example.com", password="s3cret-pass!")


@pytest.fixture
def merchant_client(client, merchant):
    client.force_login(merchant)
    return client


def pytest_collection_modifyitems(config, items):
    """Skip what this machine cannot run; in CI (CI=true) nothing is skipped silently."""
    import os
    import shutil

    from django.conf import settings

    in_ci = os.environ.get("CI", "").lower() == "true"
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    no_chromium = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
    not_postgres = pytest.mark.skip(reason="needs DATABASE_URL=postgres://... (runs in CI)")
    for item in items:
        if "browser" in item.keywords and not in_ci and not shutil.which("chromium"):
            item.add_marker(no_chromium)
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(not_postgres)


@pytest.fixture(autouse=True)
def _english_by_default():
    """Requests switch the active language; each test starts in English, as factories expect."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


def _reset_celery_connections(app) -> None:
    """Forgets the app's connection pools, so the next publish connects to the broker URL now
    configured (kombu keeps one pool per URL; they are left open for their next user)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down(monkeypatch):
    """The Celery broker is unreachable, as in an outage: a Redis port nobody listens on.

    Queueing a task raises kombu's OperationalError ("Connection refused") after Celery's own
    short publish retries, exactly what the web process meets when Redis is down.
    """
    from shop.celery import app

    unreachable = "redis://127.0.0.1:9/0"
    # Celery reads these environment variables before its configuration (CI sets the first).
    monkeypatch.setenv("CELERY_BROKER_URL", unreachable)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    names = ("broker_url", "broker_transport_options", "task_always_eager")
    saved = {name: app.conf[name] for name in names}
    app.conf.broker_url = unreachable
    app.conf.broker_transport_options = {}
    app.conf.task_always_eager = False
    _reset_celery_connections(app)
    yield app
    app.conf.update(saved)
    _reset_celery_connections(app)


@pytest.fixture
def recording_gateway(settings):
    """The payment provider's side, recorded (tests/orders/gateways.py)."""
    from tests.orders import gateways

    settings.SHOP_PAYMENT_GATEWAY = gateways.GATEWAY_PATH
    return gateways.reset()
