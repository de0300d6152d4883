"""Statutory and consistency checks. `check` runs every rule and locates the violations in
the plan files; `all_rules` lists them for `planbuilder rules`. The rule modules are listed
here, explicitly: a module's rules are the `Rule` objects it defines (or tuples of them,
for rules made in a loop)."""

from __future__ import annotations

import dataclasses
from functools import cache

from planbuilder.findings import Finding
from planbuilder.load import LOAD_RULES, LoadedPlan
from planbuilder.messages import msg
from planbuilder.rules import (
    agreement,
    changes,
    citation,
    content,
    decision,
    figures,
    language,
    law380,
    limits,
    money,
    plan,
)
from planbuilder.rules.base import Rule
from planbuilder.rules.basis import BASIS

MODULES = (agreement, changes, citation, content, decision, figures, language, law380,
           limits, money, plan)


@cache
def _rules() -> tuple[Rule, ...]:
    found = [Rule(id, "", "error") for id in LOAD_RULES]
    found.append(Rule("PB-ACK", "", "error"))
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
    """Run every rule over a loaded plan; findings sorted by file position. A warning or
    information the plan acknowledges carries its reason; an acknowledgement of an error,
    or of a rule that does not exist, is itself an error (PB-ACK)."""
    plan = loaded.plan
    reasons = {a.rule: a.reason.fi for a in plan.acknowledge}
    known = {r.id for r in _rules()}
    findings = []
    for r in _rules():
        for v in r.check(plan):
            severity = v.severity or r.severity
            where = (loaded.source.locate(v.path) if v.offset is None
                     else loaded.source.locate_in_text(v.path, v.offset))
            findings.append(Finding(r.id, severity, v.message, where, v.path, r.citation,
                                    reasons.get(r.id, "") if severity != "error" else ""))
    erred = {f.rule for f in findings if f.severity == "error"}
    for i, a in enumerate(plan.acknowledge):
        path = ("acknowledge", i, "rule")
        problem = (msg("rules.PB-ACK.unknown", rule=a.rule) if a.rule not in known
                   else msg("rules.PB-ACK.error", rule=a.rule) if a.rule in erred else None)
        if problem is not None:
            findings.append(Finding("PB-ACK", "error", problem, loaded.source.locate(path),
                                    path, ""))
    return sorted(findings, key=lambda f: (f.location or loaded.source.root, f.rule))
