"""The import-linter contracts in pyproject.toml (issue 13 step 8): the layers hold, domain apps
never import ai, nothing inside ai imports its facade, and every app is under the contracts.

`lint-imports` reads the source (it never imports the project), so these tests need no database.
tests/shop/test_import_graph.py checks the same rules with bench/imports.py's own graph (and the
figures); this one checks the contracts that `make lint` runs, exceptions included.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _config() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["importlinter"]


def _contract(contract_id: str) -> dict:
    return next(c for c in _config()["contracts"] if c["id"] == contract_id)


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """Runs `lint-imports` on the tree at cwd (its pyproject.toml, its packages)."""
    script = Path(sys.executable).with_name("lint-imports")
    command = [str(script)] if script.exists() else [shutil.which("lint-imports") or "lint-imports"]
    # Wide columns: rich wraps its report at 80 otherwise, splitting "a -> b" across lines.
    env = {**os.environ, "COLUMNS": "250", "NO_COLOR": "1"}
    return subprocess.run(
        [*command, "--no-cache", "--no-logo"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _project_apps() -> set[str]:
    return {path.parent.name for path in ROOT.glob("*/apps.py")}


def test_the_import_contracts_are_kept():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_app_is_under_the_contracts():
    """A new app (events, demo) must be placed in the layers and, below ai, be forbidden to
    import ai; import-linter itself would just not look at a package it is not told about."""
    apps = _project_apps()
    assert set(_config()["root_packages"]) == apps, (
        "pyproject.toml [tool.importlinter] root_packages must list every app "
        f"(folders with an apps.py): missing {sorted(apps - set(_config()['root_packages']))}"
    )
    layered = {
        name.strip().strip("()")
        for layer in _contract("layers")["layers"]
        for name in layer.split("|")
    }
    assert apps <= layered, f"apps in no layer: {sorted(apps - layered)}"
    sources = set(_contract("domain-never-imports-ai")["source_modules"])
    # demo (seed_demo), assistant (the shop chat) and design (the design studio) are above ai:
    # they may call ai's facade.
    below_ai = apps - {"ai", "assistant", "design", "demo"}
    assert sources == below_ai, f"apps below ai not forbidden to import it: {below_ai - sources}"


@pytest.mark.parametrize(
    ("module", "line", "reported"),
    [
        # a domain module reaching into ai (issue 13 step 1: announce, let ai listen)
        ("catalog/services.py", "import ai", "catalog.services -> ai"),
        # presentation may use ai only through its facade
        ("reviews/admin.py", "from ai.search import ranking", "reviews.admin -> ai.search.ranking"),
        # ai's own modules never import the facade (step 2)
        ("ai/search/ranking.py", "from ai import services", "ai.search.ranking -> ai.services"),
        # the kernel imports no app
        ("shop/money.py", "import orders.models", "shop.money -> orders.models"),
        # a lower app importing a higher one
        (
            "customers/services.py",
            "import orders.services",
            "customers.services -> orders.services",
        ),
    ],
)
def test_an_import_against_the_direction_breaks_the_contracts(tmp_path, module, line, reported):
    # Given a copy of the project's packages and contracts, with one import added
    for app in _config()["root_packages"]:
        for source in (ROOT / app).rglob("*.py"):
            if "__pycache__" in source.parts:
                continue
            target = tmp_path / source.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    shutil.copyfile(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / module).open("a", encoding="utf-8") as file:
        file.write(f"\n{line}  # noqa\n")

    # When the contracts are checked
    result = _lint_imports(tmp_path)

    # Then they are broken, and the report names the import
    assert result.returncode != 0, result.stdout + result.stderr
    assert reported in result.stdout, result.stdout + result.stderr
