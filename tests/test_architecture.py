"""The layer order of docs/architecture.md, enforced: a module imports only from its own
stage or the stages before it, and no two modules import each other, even indirectly."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "planbuilder"

# The pipeline, bottom up. A module's layer is that of its package (or its own name).
LAYERS: dict[str, int] = {
    "errors": 0, "findings": 0, "langs": 0, "messages": 0, "model": 0, "document": 0, "fmt": 0, "sandbox": 0, "log": 0,
    "official": 0, "data": 0, "amendment": 0,
    "load": 1,
    "money": 2,
    "rules": 3, "statfin": 3,
    "compose": 4,
    "render": 5,
    "pipeline": 6, "serve": 6, "review": 6, "doctor": 6, "ci": 6, "verify": 6, "importing": 6,
    "cli": 7, "__main__": 7,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every planbuilder module this file imports, function-local imports included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("planbuilder")}
        elif isinstance(node, ast.ImportFrom) and node.module and \
                node.module.startswith("planbuilder"):
            for alias in node.names:
                # `from planbuilder.money import report` imports the module money.report;
                # `from planbuilder.money import compute` imports the package money
                sub = f"{node.module}.{alias.name}"
                found.add(sub if _is_module(sub) else node.module)
    return found


def _is_module(name: str) -> bool:
    base = SRC.parent / name.replace(".", "/")
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) for p in SRC.rglob("*.py")}


def layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:  # planbuilder itself (its __init__)
        return 0
    return LAYERS[parts[1]]


def find_cycle(edges: Mapping[str, set[str]]) -> list[str] | None:
    """A cycle of imports, as the list of modules around it, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in edges:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if state.get(target) is None and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if state.get(start) is None and (found := visit(start)):
            return found
    return None


def test_every_module_has_a_layer() -> None:
    unknown = sorted(m for m in graph() if len(m.split(".")) > 1
                     and m.split(".")[1] not in LAYERS and m.split(".")[1] != "templates")
    assert unknown == []


def test_imports_point_down_the_pipeline() -> None:
    upward = sorted(f"{m} (layer {layer(m)}) imports {t} (layer {layer(t)})"
                    for m, targets in graph().items() for t in targets
                    if t.split(".")[1:2] != ["templates"] and layer(t) > layer(m))
    assert upward == []


def test_no_import_cycles() -> None:
    assert find_cycle(graph()) is None


def test_the_cycle_check_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


@pytest.mark.parametrize("source", [
    "from planbuilder.compose import tables",
    "def f():\n    from planbuilder.pipeline import build\n",
])
def test_an_upward_import_is_caught(source: str, tmp_path: Path) -> None:
    file = tmp_path / "x.py"
    file.write_text(source, encoding="utf-8")
    found = imports(file)
    assert found and max(layer(t) for t in found) > LAYERS["money"]
