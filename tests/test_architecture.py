"""The apps depend one way: observations (the records) below, exchange (what crosses the
border) above it, config (settings, URLs, Celery) on top.

The lower app must never import the upper one, not even lazily inside a function: the
record domain then works, and is tested, without the exchange, and a change in exchange
cannot break it. Read from the source with ``ast`` (nothing is imported), so an import
that only runs on some path is found too. Every ``import``/``from`` statement counts, and
the dotted paths given as string literals to ``import_module``, ``__import__``,
``import_string`` and ``include`` (a URLconf included by name is imported by Django).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("observations", "exchange", "config")
LOWER, UPPER = "observations", "exchange"
BY_NAME = {"import_module", "__import__", "import_string", "include"}


def python_files(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def imported_modules(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the source, wherever it stands
    (``ast.walk`` goes breadth first: not in line order).

    Relative imports (``from .x import y``) stay inside their own package and are left
    out: only absolute names can reach another top-level package."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if name in BY_NAME and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((node.lineno, first.value))
    return found


def top(module: str) -> str:
    return module.split(".", 1)[0]


def imports_of(package: str) -> list[tuple[str, int, str]]:
    """(file, line, module) of every absolute import in the package's files."""
    out = []
    for path in python_files(package):
        rel = str(path.relative_to(ROOT))
        out += [(rel, line, mod) for line, mod in imported_modules(path.read_text(), rel)]
    return out


def package_graph() -> dict[str, dict[str, tuple[str, int]]]:
    """Which top-level package imports which, each edge with one place that makes it."""
    graph: dict[str, dict[str, tuple[str, int]]] = {p: {} for p in PACKAGES}
    for package in PACKAGES:
        for rel, line, module in imports_of(package):
            target = top(module)
            if target in PACKAGES and target != package:
                graph[package].setdefault(target, (rel, line))
    return graph


def find_cycle(graph: dict[str, dict[str, tuple[str, int]]]) -> list[str] | None:
    """One cycle of the graph as a path [a, b, ..., a], or None."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" after

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in graph.get(node, {}):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                cycle = visit(nxt, path + [nxt])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for node in graph:
        if node not in state:
            cycle = visit(node, [node])
            if cycle:
                return cycle
    return None


# --- the rules ---------------------------------------------------------------------------


def test_the_lower_app_never_imports_the_upper_one():
    offending = [
        f"{rel}:{line}: {module}" for rel, line, module in imports_of(LOWER) if top(module) == UPPER
    ]
    assert not offending, f"{LOWER} must not import {UPPER}:\n" + "\n".join(offending)


def test_the_top_level_packages_import_each_other_without_a_cycle():
    graph = package_graph()
    cycle = find_cycle(graph)
    if cycle:
        steps = [
            f"{a} -> {b} ({graph[a][b][0]}:{graph[a][b][1]})"
            for a, b in zip(cycle, cycle[1:], strict=False)
        ]
        raise AssertionError("import cycle between packages:\n" + "\n".join(steps))


# --- the checker itself ---------------------------------------------------------------------


def test_the_checker_finds_imports_wherever_they_stand():
    source = (
        "import exchange.feed\n"
        "from exchange.models import Node\n"
        "from . import feed\n"
        "def later():\n"
        "    from exchange.media import may_leave\n"
        "    importlib.import_module('exchange.sync')\n"
        "urlpatterns = [path('x/', include('exchange.urls'))]\n"
    )
    assert sorted(imported_modules(source)) == [
        (1, "exchange.feed"),
        (2, "exchange.models"),
        (5, "exchange.media"),
        (6, "exchange.sync"),
        (7, "exchange.urls"),
    ]


def test_the_checker_finds_a_cycle_and_names_it():
    here = ("x.py", 1)
    assert find_cycle({"a": {"b": here}, "b": {"c": here}, "c": {"a": here}}) == [
        "a",
        "b",
        "c",
        "a",
    ]
    assert find_cycle({"a": {"b": here}, "b": {}, "c": {"a": here}}) is None


# --- the size of a module ------------------------------------------------------------------

MAX_LINES = 450  # a module past this does two jobs: split it by what each part does


def test_no_module_of_the_apps_is_over_the_size_limit():
    """Migrations are generated and tests read as specifications: they are left out."""
    too_long = []
    for package in PACKAGES + ("bench", "bin"):
        for path in python_files(package):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text().splitlines())
            if lines > MAX_LINES:
                too_long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not too_long, "split these modules:\n" + "\n".join(too_long)
