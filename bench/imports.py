"""The project's import graph, measured from the source (issue 13's before/after figures).

    .venv/bin/python bench/imports.py            # a readable report
    .venv/bin/python bench/imports.py --json     # the same figures as JSON

Reads every `.py` file of the project's apps (each top-level folder with an `apps.py`:
ai, catalog, customers, orders, shop and any app added later) with `ast`, never imports
them, so it runs without Django and cannot be fooled by what an import does. Migrations are
left out (they are history, not the shape of the code). An import statement gives an edge
from its module to the project module it names: `from ai import services` names ai.services
(a module), `from ai.services import x` names ai.services. Imports under `if TYPE_CHECKING:`
never run and are not edges; imports inside a function or method are edges too (they run,
later) and are counted apart as function-level imports. Strings naming modules
(importlib, Celery task names, `include("ai.api_urls")`) are not seen.

Figures:
- two-way app pairs: apps A and B where A imports B and B imports A; and the same with the
  presentation modules' imports left out (they may import ai's facade);
- module cycles: strongly connected components (Tarjan) of more than one module, over every
  edge; and the same over module-level edges only (what `django.setup()` must resolve);
- function-level imports of project modules (statements, and names of modules imported);
- modules outside `ai` importing `ai`: domain modules and presentation modules (admin,
  views, api, templatetags, urls: a module whose path has a part named so or starting with
  `admin_`, `api_`, `views_`) counted apart, each listed;
- presentation modules importing an `ai` module other than its facade `ai.services`;
- modules inside `ai` importing `ai.services` (the facade should be imported from outside only);
- modules of the apps below reviews and events (shop, catalog, customers, orders) importing
  `reviews`, and importing `events`; modules of reviews importing events and the other way;
- lines per app (every line of the files, migrations left out) and the five largest modules.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRESENTATION = {"admin", "views", "api", "templatetags", "urls"}
# The apps below reviews and events (issue 13's layers: shop -> catalog -> customers -> orders ->
# reviews and events, side by side: neither imports the other).
BELOW_REVIEWS = {"shop", "catalog", "customers", "orders"}
# The apps above ai (demo, the shop assistant, the design studio): they may import ai (through
# its facade, which the import-linter contracts check), so they are neither domain nor
# presentation here.
ABOVE_AI = {"demo", "assistant", "design"}


@dataclass
class Module:
    name: str
    app: str
    path: Path
    lines: int
    is_package: bool
    edges: set[str] = field(default_factory=set)  # every project module it imports
    top_edges: set[str] = field(default_factory=set)  # those imported at module level
    function_imports: list[tuple[int, str]] = field(default_factory=list)  # (line, module)


def find_apps(root: Path) -> list[str]:
    return sorted(
        folder.name
        for folder in root.iterdir()
        if folder.is_dir()
        and (folder / "__init__.py").exists()
        and (folder / "apps.py").exists()
        and folder.name not in {"tests", "bench"}
    )


def module_name(root: Path, path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def collect_modules(root: Path, apps: list[str]) -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.relative_to(root).parts:
                continue
            name, is_package = module_name(root, path)
            text = path.read_text(encoding="utf-8")
            modules[name] = Module(
                name=name,
                app=app,
                path=path,
                lines=len(text.splitlines()),
                is_package=is_package,
            )
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module):
    """Yields (import node, inside a function?) for every import that can run."""

    def walk(node: ast.AST, in_function: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for other in child.orelse:  # the `else:` of TYPE_CHECKING does run
                    yield from walk_one(other, in_function)
                continue
            yield from walk_one(child, in_function)

    def walk_one(child: ast.AST, in_function: bool):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child, in_function
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield from walk(child, True)
        else:
            yield from walk(child, in_function)

    yield from walk(tree, False)


def _resolve(module: Module, node: ast.Import | ast.ImportFrom, known: dict[str, Module]):
    """The project modules an import statement names."""

    def nearest(dotted: str) -> str | None:
        # `import a.b.c` / `from a.b import c` where c is not a module: the deepest module named
        parts = dotted.split(".")
        while parts:
            candidate = ".".join(parts)
            if candidate in known:
                return candidate
            parts.pop()
        return None

    targets: set[str] = set()
    if isinstance(node, ast.Import):
        for alias in node.names:
            target = nearest(alias.name)
            if target:
                targets.add(target)
        return targets
    if node.level:
        package = module.name if module.is_package else module.name.rpartition(".")[0]
        parts = package.split(".")
        base_parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
        base = ".".join(base_parts + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    for alias in node.names:
        full = f"{base}.{alias.name}" if base else alias.name
        if full in known:
            targets.add(full)
        else:
            target = nearest(base)
            if target:
                targets.add(target)
    return targets


def build_graph(modules: dict[str, Module]) -> None:
    for module in modules.values():
        tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))
        for node, in_function in _imports(tree):
            for target in _resolve(module, node, modules):
                if target == module.name:
                    continue
                module.edges.add(target)
                if in_function:
                    module.function_imports.append((node.lineno, target))
                else:
                    module.top_edges.add(target)


def tarjan(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components (iterative Tarjan), each sorted, larger first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return sorted(components, key=lambda c: (-len(c), c))


def is_presentation(name: str) -> bool:
    for part in name.split(".")[1:]:
        if part in PRESENTATION or part.split("_")[0] in PRESENTATION:
            return True
    return False


def measure(root: Path = ROOT) -> dict:
    apps = find_apps(root)
    modules = collect_modules(root, apps)
    build_graph(modules)

    def app_graph(domain_only: bool) -> dict[str, set[str]]:
        app_edges: dict[str, set[str]] = defaultdict(set)
        for module in modules.values():
            if domain_only and is_presentation(module.name):
                continue
            for target in module.edges:
                other = modules[target].app
                if other != module.app:
                    app_edges[module.app].add(other)
        return app_edges

    def two_way_pairs(app_edges: dict[str, set[str]]) -> list[str]:
        return sorted(
            f"{a} <-> {b}"
            for a in apps
            for b in apps
            if a < b and b in app_edges[a] and a in app_edges[b]
        )

    app_edges = app_graph(domain_only=False)
    two_way = two_way_pairs(app_edges)
    two_way_domain = two_way_pairs(app_graph(domain_only=True))

    cycles = [c for c in tarjan({m.name: m.edges for m in modules.values()}) if len(c) > 1]
    top_cycles = [c for c in tarjan({m.name: m.top_edges for m in modules.values()}) if len(c) > 1]

    function_imports = [
        (m.name, line, target) for m in modules.values() for line, target in m.function_imports
    ]
    by_app_function_imports = defaultdict(int)
    for name, _line, _target in function_imports:
        by_app_function_imports[modules[name].app] += 1

    importing_ai = sorted(
        m.name
        for m in modules.values()
        if m.app != "ai" and m.app not in ABOVE_AI and any(modules[t].app == "ai" for t in m.edges)
    )
    importing_reviews_from_below = sorted(
        m.name
        for m in modules.values()
        if m.app in BELOW_REVIEWS and any(modules[t].app == "reviews" for t in m.edges)
    )
    importing_events_from_below = sorted(
        m.name
        for m in modules.values()
        if m.app in BELOW_REVIEWS and any(modules[t].app == "events" for t in m.edges)
    )
    between_reviews_and_events = sorted(
        m.name
        for m in modules.values()
        if m.app in {"reviews", "events"}
        and any(modules[t].app == ({"reviews", "events"} - {m.app}).pop() for t in m.edges)
    )
    ai_facade_users = sorted(
        m.name for m in modules.values() if m.app == "ai" and "ai.services" in m.edges
    )
    lines = {app: sum(m.lines for m in modules.values() if m.app == app) for app in apps}
    largest = sorted(modules.values(), key=lambda m: -m.lines)[:5]

    return {
        "apps": apps,
        "modules": len(modules),
        "app_imports": {app: sorted(app_edges[app]) for app in apps},
        "two_way_app_pairs": two_way,
        "two_way_app_pairs_domain_modules_only": two_way_domain,
        "module_cycles": cycles,
        "module_cycles_module_level_only": top_cycles,
        "function_level_imports": len(function_imports),
        "function_level_imported_modules": len({(n, t) for n, _l, t in function_imports}),
        "function_level_imports_by_app": dict(sorted(by_app_function_imports.items())),
        "domain_modules_importing_ai": [n for n in importing_ai if not is_presentation(n)],
        "presentation_modules_importing_ai": [n for n in importing_ai if is_presentation(n)],
        "presentation_modules_importing_ai_beyond_its_facade": [
            n
            for n in importing_ai
            if is_presentation(n)
            and any(modules[t].app == "ai" and t != "ai.services" for t in modules[n].edges)
        ],
        "ai_modules_importing_ai_services": ai_facade_users,
        "modules_below_reviews_importing_reviews": importing_reviews_from_below,
        "modules_below_events_importing_events": importing_events_from_below,
        "modules_between_reviews_and_events": between_reviews_and_events,
        "lines_per_app": lines,
        "lines_total": sum(lines.values()),
        "largest_modules": [(m.name, m.lines) for m in largest],
    }


def report(figures: dict) -> str:
    apps = ", ".join(figures["apps"])
    out = [f"apps: {apps} ({figures['modules']} modules, migrations left out)"]
    out.append("app imports (A -> the apps it imports):")
    for app, others in figures["app_imports"].items():
        out.append(f"  {app} -> {', '.join(others) or '-'}")
    for key, title in (
        ("two_way_app_pairs", "two-way app pairs"),
        ("two_way_app_pairs_domain_modules_only", "two-way app pairs, presentation left out"),
    ):
        pairs = figures[key]
        out.append(f"{title}: {len(pairs)}")
        out += [f"  {pair}" for pair in pairs]
    for key, title in (
        ("module_cycles", "module cycles (every import)"),
        ("module_cycles_module_level_only", "module cycles (module-level imports only)"),
    ):
        cycles = figures[key]
        out.append(f"{title}: {len(cycles)}, {sum(len(c) for c in cycles)} modules")
        out += [f"  [{len(c)}] {' '.join(c)}" for c in cycles]
    out.append(
        f"function-level imports of project modules: {figures['function_level_imports']} "
        f"({figures['function_level_imported_modules']} distinct module -> module)"
    )
    out.append(
        "  by app: "
        + ", ".join(f"{a} {n}" for a, n in figures["function_level_imports_by_app"].items())
    )
    for key, title in (
        ("domain_modules_importing_ai", "domain modules importing ai"),
        ("presentation_modules_importing_ai", "presentation modules importing ai"),
        (
            "presentation_modules_importing_ai_beyond_its_facade",
            "presentation modules importing ai other than ai.services",
        ),
        ("ai_modules_importing_ai_services", "ai modules importing ai.services"),
        (
            "modules_below_reviews_importing_reviews",
            "modules of shop, catalog, customers, orders importing reviews",
        ),
        (
            "modules_below_events_importing_events",
            "modules of shop, catalog, customers, orders importing events",
        ),
        (
            "modules_between_reviews_and_events",
            "modules of reviews importing events, or of events importing reviews",
        ),
    ):
        names = figures[key]
        out.append(f"{title}: {len(names)}")
        out += [f"  {name}" for name in names]
    out.append(f"lines per app (total {figures['lines_total']}):")
    out += [f"  {app}: {n}" for app, n in figures["lines_per_app"].items()]
    out.append("largest modules:")
    out += [f"  {name}: {n}" for name, n in figures["largest_modules"]]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder")
    args = parser.parse_args(argv)
    figures = measure(args.root)
    print(json.dumps(figures, indent=2) if args.json else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
