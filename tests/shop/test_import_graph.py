"""bench/imports.py: the import-graph figures of issue 13 are measured right."""

from pathlib import Path

from bench.imports import measure, tarjan


def write(root: Path, relative: str, text: str = "") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_tarjan_finds_a_cycle_and_leaves_a_chain_alone():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert tarjan(graph)[0] == ["a", "b", "c"]
    assert ["d"] in tarjan(graph)


def test_a_function_level_import_closes_a_cycle_and_counts_apart(tmp_path):
    # Given two apps that import each other, one of them inside a function
    for app in ("alpha", "beta"):
        write(tmp_path, f"{app}/__init__.py")
        write(tmp_path, f"{app}/apps.py")
    write(tmp_path, "alpha/services.py", "from beta.models import Thing\n")
    write(
        tmp_path,
        "beta/models.py",
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from alpha import views\n"
        "class Thing:\n    def go(self):\n        from alpha import services\n",
    )
    write(tmp_path, "alpha/views.py", "from . import services\n")
    write(tmp_path, "alpha/migrations/0001_initial.py", "import beta.models\n")

    # When the graph is measured
    figures = measure(tmp_path)

    # Then the cycle, the two-way pair and the function-level import are seen; the
    # TYPE_CHECKING import and the migration are not edges
    assert figures["two_way_app_pairs"] == ["alpha <-> beta"]
    assert figures["module_cycles"] == [["alpha.services", "beta.models"]]
    assert figures["module_cycles_module_level_only"] == []
    assert figures["function_level_imports"] == 1
    assert figures["modules"] == 7  # the migration is not one


def test_domain_apps_never_import_ai_and_ai_never_imports_its_own_facade():
    """Issue 13, steps 1 and 2: catalog, customers and orders announce (signals) and ai listens;
    their views, APIs, admin and template tags reach ai only through ai.services."""
    figures = measure()
    assert figures["domain_modules_importing_ai"] == []
    assert figures["presentation_modules_importing_ai_beyond_its_facade"] == []
    assert figures["ai_modules_importing_ai_services"] == []
    for cycle in figures["module_cycles"]:
        apps = {name.split(".")[0] for name in cycle}
        assert len(apps) == 1, f"modules of several apps import each other: {cycle}"


def test_reviews_is_an_app_above_catalog_customers_and_orders():
    """Issue 13, step 3: reviews imports the apps below it, never the other way round (the demo
    store's reviews, the last exception, moved to the demo app above every other app: step 5)."""
    figures = measure()
    assert "reviews" in figures["apps"]
    assert figures["modules_below_reviews_importing_reviews"] == []


def test_events_is_an_app_above_catalog_customers_and_orders_beside_reviews():
    """Issue 13, step 4: events imports the apps below it, never the other way round, and
    reviews and events (side by side) do not import each other: wishlist adds and ratings are
    announced by customers and reviews and recorded by ai's receivers. The demo store's history
    is seeded by the demo app (step 5), above every other app."""
    figures = measure()
    assert "events" in figures["apps"]
    assert figures["modules_below_events_importing_events"] == []
    assert figures["modules_between_reviews_and_events"] == []
