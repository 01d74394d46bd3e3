"""`manage.py import_design_references DIR [--set NAME]`: the report and the exit status."""

from __future__ import annotations

import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from design.models import DesignImage, DesignSet

from .conftest import drawing, encoded, picture_bytes

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_design_references", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_folder_and_prints_counts_and_duplicates(tmp_path):
    for folder in ("earrings", "pendants", "rings"):
        (tmp_path / folder).mkdir()
    (tmp_path / "earrings" / "a.png").write_bytes(picture_bytes(1))
    (tmp_path / "earrings" / "b.jpg").write_bytes(picture_bytes(2, "JPEG"))
    (tmp_path / "pendants" / "c.png").write_bytes(picture_bytes(3))
    copy = drawing(1).resize((220, 165))
    (tmp_path / "rings" / "copy.jpg").write_bytes(encoded(copy, "JPEG", quality=75))

    out, err = run(str(tmp_path), "--set", "Studio")

    assert "earrings: 2\npendants: 1\n" in out and "\nrings:" not in out
    assert "duplicate: rings/copy.jpg (same picture as earrings/a.png), skipped" in out
    assert "3 picture(s) added to the set 'Studio'" in out
    assert err == ""
    assert DesignSet.objects.get(name="Studio").images.count() == 3


def test_a_bad_file_fails_the_command_and_nothing_is_imported(tmp_path):
    (tmp_path / "rings").mkdir()
    (tmp_path / "rings" / "a.png").write_bytes(picture_bytes(1))
    (tmp_path / "rings" / "b.jpg").write_text("not a picture")
    (tmp_path / "loose.png").write_bytes(picture_bytes(2))

    with pytest.raises(CommandError, match="2 bad file\\(s\\).*nothing was imported"):
        out = StringIO()
        err = StringIO()
        call_command("import_design_references", str(tmp_path), stdout=out, stderr=err)

    assert "error: rings/b.jpg: The file is not an image" in err.getvalue()
    assert "error: loose.png: No category" in err.getvalue()
    assert not DesignImage.objects.exists() and not DesignSet.objects.exists()


def test_an_empty_or_missing_folder_fails(tmp_path):
    with pytest.raises(CommandError, match="nothing was imported"):
        run(str(tmp_path))
    with pytest.raises(CommandError, match="is not a folder"):
        run(str(tmp_path / "missing"))


def test_the_exit_status_is_not_zero_from_the_shell(tmp_path):
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "manage.py", "import_design_references", str(tmp_path / "missing")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "is not a folder" in result.stderr
