"""Imports point one way: no cycle between the top-level packages, nor between modules,
and no handler feature package importing another.

Every project module's imports are read with ``ast`` (imports inside
functions and under TYPE_CHECKING count too: each says the module needs the
other), so a cycle fails here with the imports that close it, before anyone
has to untangle it at run time. A feature package under ``handlers/``
(reading, following, ...) takes what it shares with another from
``handlers/shared``; only ``handlers/__init__.py`` names them all.
"""

from __future__ import annotations

import ast
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The packages and top-level modules of the bot; tests and benchmarks stand above them.
PACKAGES = (
    "alerts",
    "bot",
    "capped_files",
    "cases",
    "config",
    "console",
    "fakeapi",
    "handlers",
    "messages",
    "metrics",
    "operations",
    "statements",
    "storage",
    "sync",
)

Edge = tuple[str, str, str]  # (importer, imported, where: "path:line")


def module_files() -> dict[str, Path]:
    """Dotted module name -> file, for every module of PACKAGES."""
    found = {}
    for name in PACKAGES:
        single = ROOT / f"{name}.py"
        if single.exists():
            found[name] = single
        for path in sorted((ROOT / name).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported_modules(path: Path, modules: dict[str, Path]) -> list[tuple[str, int]]:
    """The project modules ``path`` imports, as the most specific module named, with lines."""
    this = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package this module is in
                package = this.split(".")[: -node.level]
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                # "from handlers.reading import start" imports the module start.
                submodule = f"{base}.{alias.name}"
                found.append((submodule if submodule in modules else base, node.lineno))
    return [(name, line) for name, line in found if name.split(".")[0] in PACKAGES]


def import_edges() -> list[Edge]:
    modules = module_files()
    edges = []
    for name, path in modules.items():
        where = path.relative_to(ROOT)
        for imported, line in imported_modules(path, modules):
            while imported not in modules and "." in imported:
                imported = imported.rsplit(".", 1)[0]  # a name inside a module
            if imported != name:
                edges.append((name, imported, f"{where}:{line}"))
    return edges


def find_cycle(edges: list[Edge]) -> list[Edge] | None:
    """One cycle of the graph as the edges that make it, or None."""
    graph: dict[str, dict[str, str]] = {}
    for importer, imported, where in edges:
        graph.setdefault(importer, {}).setdefault(imported, where)
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        for following in sorted(graph.get(node, {})):
            cycle = visit(following)
            if cycle:
                return cycle
        path.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start)
        if cycle:
            return [(a, b, graph[a][b]) for a, b in pairwise(cycle)]
    return None


def described(cycle: list[Edge]) -> str:
    return "import cycle:\n" + "\n".join(f"  {a} -> {b}  ({where})" for a, b, where in cycle)


def package_edges(edges: list[Edge]) -> list[Edge]:
    top = lambda name: name.split(".")[0]  # noqa: E731
    return [(top(a), top(b), where) for a, b, where in edges if top(a) != top(b)]


def test_no_cycle_between_top_level_packages():
    cycle = find_cycle(package_edges(import_edges()))
    assert cycle is None, described(cycle)


def test_no_cycle_between_modules():
    # handlers/__init__.py imports every feature, so a feature importing the
    # handlers package (rather than a leaf module) closes a cycle too.
    cycle = find_cycle(import_edges())
    assert cycle is None, described(cycle)


def test_the_check_sees_a_cycle():
    edges = [("cases", "alerts", "cases/facts.py:8"), ("alerts", "cases", "alerts/calendar.py:3")]
    assert find_cycle(edges) == [
        ("alerts", "cases", "alerts/calendar.py:3"),
        ("cases", "alerts", "cases/facts.py:8"),
    ]
    assert find_cycle(edges[:1]) is None


def test_the_check_reads_the_real_imports():
    packages = {(a, b) for a, b, _ in package_edges(import_edges())}
    assert ("handlers", "storage") in packages
    assert ("bot", "console") in packages
    assert ("console", "bot") not in packages


def feature_packages() -> frozenset[str]:
    """The packages of handlers/ that are features: every one but shared."""
    return frozenset(
        path.parent.name
        for path in (ROOT / "handlers").glob("*/__init__.py")
        if path.parent.name != "shared"
    )


def sideways_imports(edges: list[Edge], features: frozenset[str]) -> list[Edge]:
    """Imports of a feature package from another handlers package (shared included)."""

    def package(module: str) -> str | None:
        parts = module.split(".")
        return parts[1] if parts[0] == "handlers" and len(parts) > 1 else None

    return [
        (importer, imported, where)
        for importer, imported, where in edges
        if package(imported) in features and package(importer) not in (None, package(imported))
    ]


def test_handler_features_import_shared_and_not_each_other():
    features = feature_packages()
    assert {"reading", "following", "upkeep", "publishing"} <= features
    sideways = sideways_imports(import_edges(), features)
    assert not sideways, (
        "a handler feature imports another (move the shared part to shared/):\n"
        + "\n".join(f"  {a} -> {b}  ({where})" for a, b, where in sideways)
    )


def test_the_check_sees_a_feature_importing_another():
    features = frozenset({"reading", "following"})
    edges = [
        ("handlers.following.subscriptions", "handlers.reading.lookup", "f.py:1"),
        ("handlers.shared.card_buttons", "handlers.following", "c.py:2"),
        ("handlers.reading.lookup", "handlers.shared.choices", "l.py:3"),
        ("handlers.reading.letters", "handlers.reading.lookup", "l.py:4"),
        ("handlers", "handlers.reading.lookup", "handlers/__init__.py:5"),
        ("bot", "handlers.following.channels", "bot.py:6"),
    ]
    assert sideways_imports(edges, features) == edges[:2]
