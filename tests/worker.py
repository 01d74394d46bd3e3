"""A real Celery worker process for tests marked `worker`.

It runs `celery -A shop worker` against the same broker as the test process (the filesystem
transport in this run's own temporary folder by default, see tests/settings.py; Redis in CI)
and the test database, on a queue of its own so messages left over by other runs are never
taken.
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def celery_worker(log_path: Path) -> Iterator[str]:
    """Starts a worker and yields the name of the queue it consumes."""
    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        # os.environ holds DJANGO_SETTINGS_MODULE=tests.settings (pytest-django sets it): the
        # worker reads this run's broker folder, never var/celery.
        "SHOP_CELERY_DIR": str(settings.SHOP_CELERY_DIR),
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "shop",
                "worker",
                "--pool=solo",
                "--queues",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until(
    condition: Callable[[], bool], *, timeout: float = 120, log_path: Path | None = None
):
    """Polls until condition() is true; fails with the worker's log if it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    log = log_path.read_text() if log_path and log_path.exists() else ""
    raise AssertionError(f"condition not met within {timeout} s; worker log:\n{log[-4000:]}")
