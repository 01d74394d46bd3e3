"""The web process loads the drafts' code (job kinds, admin, screening) without TensorFlow."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_drafts_code_and_the_admin_load_without_tensorflow():
    script = (
        "import sys, django; django.setup();"
        "from django.urls import resolve, reverse;"
        "import shop.urls, design.admin, design.drafting, design.drafts, design.selectors;"
        "from shop.jobs import get_job_kind;"
        "get_job_kind('design.generate'); get_job_kind('design.variations');"
        "get_job_kind('design.interpolate');"
        "resolve(reverse('admin:design_designdraft_screen'));"
        "print('tensorflow' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "False"
