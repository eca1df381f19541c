"""The package's layout: no import circle, and imports run only downwards (docs/architecture.md).

The graph counts every import: at module level, inside functions and under TYPE_CHECKING,
relative ones resolved. An import of a package counts as an import of its ``__init__``.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "newsevents"

# The floors, lowest first: a module may import its own floor and the floors below it. A
# subpackage's modules may import each other (the graph must still have no circle).
FLOORS: tuple[tuple[str, ...], ...] = (
    ("model", "errors", "codebook", "dictionaries", "output"),
    ("read",),
    ("coding", "analysis"),
    ("store",),
    ("run", "live", "evaluate"),
    ("cli", "web", "notebook", "__main__", ""),
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """The package modules one module imports, anywhere in its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = resolve(package, node.level, node.module)
            for alias in node.names:
                child = f"{base}.{alias.name}"
                if child in known or base in known:
                    yield child if child in known else base


def resolve(package: str, level: int, module: str | None) -> str:
    if not level:
        return module or ""
    parts = package.split(".")
    parts = parts[: len(parts) - level + 1]
    return ".".join(parts + ([module] if module else []))


@functools.cache
def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {
        name: {target for target in imported(name, path, known) if target != name}
        for name, path in found.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of the graph, as a path that ends where it starts, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def floor_of(name: str) -> int:
    area = name.split(".")[1] if "." in name else ""
    for level, areas in enumerate(FLOORS):
        if area in areas:
            return level
    raise AssertionError(f"{name} is in no floor of tests/test_layout.py: add its folder")


def test_the_graph_sees_every_kind_of_import() -> None:
    graph = import_graph()
    assert "newsevents.model" in graph["newsevents.output"]  # module level, absolute
    assert "newsevents.errors" in graph["newsevents.web.errors"]  # relative (..errors)
    assert "newsevents.cli.main" in graph["newsevents.cli"]


def test_find_cycle_finds_a_circle_through_a_function_level_import(tmp_path: Path) -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    source = "def f():\n    from .b import x\n"
    guarded = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import p.a\n"
    tree = {"a": source, "b": guarded}
    package = tmp_path / "p"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for stem, text in tree.items():
        (package / f"{stem}.py").write_text(text)
    known = {"p", "p.a", "p.b"}
    graph = {
        f"p.{stem}": set(imported(f"p.{stem}", package / f"{stem}.py", known)) for stem in tree
    }
    assert find_cycle(graph) == ["p.a", "p.b", "p.a"]


def test_no_import_circle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("name", sorted(modules()))
def test_imports_run_downwards(name: str) -> None:
    graph = import_graph()
    upward = sorted(t for t in graph[name] if floor_of(t) > floor_of(name))
    assert not upward, f"{name} (floor {floor_of(name)}) imports a higher floor: {upward}"
