"""Only the design worker imports TensorFlow (issue 15): the web process and the main worker,
loading everything they load at start, never do, though both know the design.train kind."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import sys

    import django

    django.setup()

    # The web process: the WSGI application, every URL (includes resolved), the admin.
    from django.contrib import admin
    from django.urls import get_resolver

    from shop.wsgi import application  # noqa: F401

    admin.autodiscover()
    resolver = get_resolver()
    resolver.reverse_dict  # populates every included urlconf

    # The main worker: the Celery app and every task module it autodiscovers.
    from shop.celery import app

    app.loader.import_default_modules()
    app.finalize(auto=True)
    assert "design.job.design.train" in app.tasks, sorted(app.tasks)

    from shop.jobs import get_job_kind

    get_job_kind("design.train")
    heavy = sorted(name for name in ("tensorflow", "keras") if name in sys.modules)
    print("LOADED:" + ",".join(heavy))
    """
)


def test_neither_the_web_process_nor_the_main_worker_imports_tensorflow():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "LOADED:\n" in done.stdout, done.stdout[-2000:]


def test_the_check_sees_tensorflow_when_it_is_loaded():
    """The probe can fail: importing design.gan (as the design worker's job does) loads it."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    script = SCRIPT.replace(
        "heavy = sorted", "import design.gan.generation  # noqa: F401\nheavy = sorted"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "LOADED:keras,tensorflow" in done.stdout
