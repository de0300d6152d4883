"""Checks are data: a rule has an id, a citation, a severity and an explanation, and a
pure function from the plan to violations (key path + message). Locations are attached by
`rules.check`, which maps each key path through the loader's source map. A rule's title,
explanation and messages are in the message catalogues (`rules.<id>.…`), in fi, sv and en."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from planbuilder.findings import KeyPath, Severity
from planbuilder.messages import Msg, t
from planbuilder.model import Plan


@dataclass(frozen=True)
class Violation:
    path: KeyPath
    message: Msg
    severity: Severity | None = None  # overrides the rule's severity (e.g. 40/40 unnamed)
    offset: int | None = None  # a place inside the text at `path`: its character offset


CheckFn = Callable[[Plan], Iterator[Violation]]


def _nothing(plan: Plan) -> Iterator[Violation]:
    return iter(())


@dataclass(frozen=True)
class Rule:
    id: str
    citation: str
    severity: Severity
    check: CheckFn = _nothing  # rules reported by the loader have no check of their own
    basis: tuple[str, ...] = ()  # statute provisions (rules.basis); none: a convention

    def __call__(self, plan: Plan) -> Iterator[Violation]:
        return self.check(plan)

    def title(self, lang: str | None = None) -> str:
        return t(f"rules.{self.id}.title", lang)

    def explanation(self, lang: str | None = None) -> str:
        return t(f"rules.{self.id}.explanation", lang)


def rule(id: str, citation: str, severity: Severity) -> Callable[[CheckFn], Rule]:
    """Make a check function into a rule; `rules.all_rules` collects the module's rules."""

    def make(fn: CheckFn) -> Rule:
        return Rule(id, citation, severity, fn)

    return make
