"""Statutory and consistency checks. `check` runs every rule and locates the violations in
the plan files; `all_rules` lists them for `planbuilder rules`. The rule modules are listed
here, explicitly: a module's rules are the `Rule` objects it defines (or tuples of them,
for rules made in a loop)."""

from __future__ import annotations

import dataclasses
from functools import cache

from planbuilder.findings import Finding
from planbuilder.load import LOAD_RULES, LoadedPlan
from planbuilder.rules import (
    agreement,
    content,
    decision,
    language,
    law380,
    limits,
    money,
    plan,
)
from planbuilder.rules.base import Rule
from planbuilder.rules.basis import BASIS

MODULES = (agreement, content, decision, language, law380, limits, money, plan)


@cache
def _rules() -> tuple[Rule, ...]:
    found = [Rule(id, "", "error", title, explanation)
             for id, (title, explanation) in LOAD_RULES.items()]
    for module in MODULES:
        for value in vars(module).values():
            if isinstance(value, Rule):
                found.append(value)
            elif isinstance(value, tuple) and value and all(isinstance(r, Rule) for r in value):
                found.extend(value)
    ids = [r.id for r in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate rule id(s): {', '.join(duplicates)}")
    undeclared = sorted(set(ids) - set(BASIS))
    if undeclared:
        raise ValueError(f"rule(s) without a declared basis in rules/basis.py: "
                         f"{', '.join(undeclared)}")
    return tuple(sorted((dataclasses.replace(r, basis=BASIS[r.id]) for r in found),
                        key=lambda r: r.id))


def all_rules() -> list[Rule]:
    return list(_rules())


def check(loaded: LoadedPlan) -> list[Finding]:
    """Run every rule over a loaded plan; findings sorted by file position."""
    findings = []
    for r in _rules():
        for v in r.check(loaded.plan):
            findings.append(Finding(r.id, v.severity or r.severity, v.message,
                                    loaded.source.locate(v.path), v.path, r.citation))
    return sorted(findings, key=lambda f: (f.location or loaded.source.root, f.rule))
