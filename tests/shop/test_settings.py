import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_deploy_check_passes_with_production_variables(tmp_path):
    # Given the variables a production deployment sets
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-that-is-long-and-random-0123456789",
        "SITE_URL": "https://shop.example.com",
        "SHOP_VAR_DIR": str(tmp_path),
        # A real provider's gateway and mail server (README: "Security: deployment")
        "SHOP_PAYMENT_GATEWAY": "tests.shop.gateways.ProviderGateway",
        "EMAIL_URL": "smtp+tls://shop:secret@mail.example.com:587",
    }
    # When Django's deployment checklist runs
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    # Then it reports no issue
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_is_off_unless_asked(settings):
    assert settings.DEBUG is False
