"""Statutory and consistency checks. `check` runs every registered rule and locates the
violations in the plan files; `all_rules` lists them for `planbuilder rules`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planbuilder.findings import Finding
from planbuilder.rules.base import REGISTRY, Rule

if TYPE_CHECKING:
    from planbuilder.load import LoadedPlan

def all_rules() -> list[Rule]:
    # Importing a rules module registers its rules; the loader registers its own findings.
    from planbuilder import load  # noqa: F401
    from planbuilder.rules import (  # noqa: F401
        agreement,
        content,
        language,
        law380,
        limits,
        money,
        plan,
    )

    return sorted(REGISTRY.values(), key=lambda r: r.id)


def check(loaded: LoadedPlan) -> list[Finding]:
    """Run every rule over a loaded plan; findings sorted by file position."""
    findings = []
    for r in all_rules():
        for v in r.check(loaded.plan):
            findings.append(Finding(r.id, v.severity or r.severity, v.message,
                                    loaded.source.locate(v.path), v.path, r.citation))
    return sorted(findings, key=lambda f: (f.location or loaded.source.root, f.rule))
