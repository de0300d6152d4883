"""Checks are data: a rule has an id, a citation, a severity and an explanation, and a
pure function from the plan to violations (key path + message). Locations are attached by
`rules.check`, which maps each key path through the loader's source map."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from planbuilder.findings import KeyPath, Severity
from planbuilder.model import Plan


@dataclass(frozen=True)
class Violation:
    path: KeyPath
    message: str
    severity: Severity | None = None  # overrides the rule's severity (e.g. 40/40 unnamed)


CheckFn = Callable[[Plan], Iterator[Violation]]


@dataclass(frozen=True)
class Rule:
    id: str
    citation: str
    severity: Severity
    title: str
    explanation: str
    check: CheckFn


REGISTRY: dict[str, Rule] = {}


def rule(
    id: str, citation: str, severity: Severity, title: str, explanation: str
) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under a rule id."""

    def register(fn: CheckFn) -> CheckFn:
        if id in REGISTRY:
            raise ValueError(f"duplicate rule id {id}")
        REGISTRY[id] = Rule(id, citation, severity, title, explanation, fn)
        return fn

    return register


def describe(id: str, citation: str, severity: Severity, title: str, explanation: str) -> Rule:
    """Register a rule that is reported by the loader or the money engine, not by a check."""

    def no_check(plan: Plan) -> Iterator[Violation]:
        return iter(())

    REGISTRY[id] = Rule(id, citation, severity, title, explanation, no_check)
    return REGISTRY[id]
