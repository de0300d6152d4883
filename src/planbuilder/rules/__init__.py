"""Statutory and consistency checks. `check` runs every registered rule and locates the
violations in the plan files; `all_rules` lists them for `planbuilder rules`."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from planbuilder.findings import Finding
from planbuilder.rules.base import REGISTRY, Rule

if TYPE_CHECKING:
    from planbuilder.load import LoadedPlan

_MODULES = ("law380", "plan", "language", "money", "agreement", "content")


def _load_modules() -> None:
    for name in _MODULES:
        try:
            importlib.import_module(f"planbuilder.rules.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"planbuilder.rules.{name}":
                raise


def all_rules() -> list[Rule]:
    _load_modules()
    import planbuilder.load  # noqa: F401  (registers the loader's rule descriptions)

    return sorted(REGISTRY.values(), key=lambda r: r.id)


def check(loaded: LoadedPlan) -> list[Finding]:
    """Run every rule over a loaded plan; findings sorted by file position."""
    findings = []
    for r in all_rules():
        for v in r.check(loaded.plan):
            findings.append(Finding(r.id, v.severity or r.severity, v.message,
                                    loaded.source.locate(v.path), v.path, r.citation))
    return sorted(findings, key=lambda f: (f.location or loaded.source.root, f.rule))
