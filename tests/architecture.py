"""The import graph of Candor's own modules, for the layout rules in docs/architecture.md.

Every ``import`` and ``from … import`` in the apps counts, at module level or inside a
function: an import deferred into a function still ties the two modules together, so
it is a circle all the same. Run ``python -m tests.architecture`` to print the circles,
the forbidden imports and the modules over the size limit.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "community", "reviews", "satisfaction")
# No module outside migrations is longer than this (settings included).
MAX_LINES = 400
# Which app may import which (DESIGN.md: portal at the bottom; community and reviews
# never import each other; satisfaction imports only portal).
ALLOWED = {
    "portal": {"portal"},
    "satisfaction": {"satisfaction", "portal"},
    "community": {"community", "satisfaction", "portal"},
    "reviews": {"reviews", "satisfaction", "portal"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> dict[str, Path]:
    """Map every app module (migrations left out) to its file."""
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found[_module_name(path)] = path
    return found


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of dotted ``name`` that is one of our modules."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    """Each module's imports of other Candor modules."""
    modules = source_files()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        package = module if is_package else module.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    targets.add(alias.name)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                targets.add(stem)
                # ``from pkg import mod`` imports the submodule ``pkg.mod``.
                for alias in node.names:
                    targets.add(f"{stem}.{alias.name}")
        resolved = {_resolve(t, modules) for t in targets}
        graph[module] = {t for t in resolved if t and t != module}
    # A package's __init__ runs before its submodules: ``import a.b`` runs ``a``. That
    # edge is not a circle of ours, so parents are left out as targets of their children.
    for module, targets in graph.items():
        graph[module] = {t for t in targets if not module.startswith(t + ".")}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def forbidden_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports that cross the apps' layering, as ``a -> b`` lines."""
    bad = []
    for module, targets in sorted(graph.items()):
        app = module.split(".")[0]
        for target in sorted(targets):
            if target.split(".")[0] not in ALLOWED[app]:
                bad.append(f"{module} -> {target}")
    return bad


def oversized_modules() -> list[str]:
    """Modules longer than MAX_LINES, as ``module (lines)``."""
    too_long = []
    for module, path in source_files().items():
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES:
            too_long.append(f"{module} ({lines})")
    return too_long


def main() -> int:
    graph = import_graph()
    problems = 0
    for group in circles(graph):
        problems += 1
        print("circle:", " <-> ".join(group))  # noqa: T201
    for line in forbidden_imports(graph):
        problems += 1
        print("forbidden:", line)  # noqa: T201
    for line in oversized_modules():
        problems += 1
        print("too long:", line)  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
