"""Money checks, reported at the YAML line to edit. The checks themselves belong to
`money.checks` (the engine runs the same ones before computing); each rule here reports one
kind of problem, and PB-MONEY whatever still fails when the whole computation is run."""

from __future__ import annotations

from collections.abc import Iterator

from planbuilder.errors import MoneyError
from planbuilder.messages import msg
from planbuilder.model import Plan
from planbuilder.money import compute, compute_budget, problems
from planbuilder.money.checks import Kind
from planbuilder.rules.base import Violation, rule


def _of_kind(plan: Plan, kind: Kind) -> Iterator[Violation]:
    return (Violation(p.path, p.message) for p in problems(plan) if p.kind == kind)


@rule("PB-COST-WEIGHTS", "", "error")
def weights(plan: Plan) -> Iterator[Violation]:
    return _of_kind(plan, "weights")


@rule("PB-COST-STAT", "", "error")
def statistics(plan: Plan) -> Iterator[Violation]:
    return _of_kind(plan, "statistics")


@rule("PB-COST-MODEL", "", "error")
def models(plan: Plan) -> Iterator[Violation]:
    return _of_kind(plan, "model")


@rule("PB-BUDGET", "", "error")
def budget(plan: Plan) -> Iterator[Violation]:
    found = list(_of_kind(plan, "budget"))
    yield from found
    if plan.budget is not None and not found:  # computing would repeat what is found
        try:
            compute_budget(plan.budget)
        except MoneyError as exc:
            yield Violation(exc.path, exc.message)


@rule("PB-MONEY", "", "error")
def computable(plan: Plan) -> Iterator[Violation]:
    if plan.budget is None or plan.cost_sharing is None:
        return
    if next(problems(plan), None) is not None:
        return  # reported by its own rule; computing would repeat it
    try:
        compute_budget(plan.budget)
    except MoneyError:
        return  # PB-BUDGET reports it
    try:
        compute(plan)
    except MoneyError as exc:
        yield Violation(exc.path or ("cost_sharing",), exc.message)


@rule("PB-SETTLEMENT", "", "warning")
def settlement_actuals(plan: Plan) -> Iterator[Violation]:
    cs = plan.cost_sharing
    s = cs.settlement if cs else None
    if s is None or plan.budget is None:
        return
    given = set(s.actual_statistics)
    if given:
        forecast = [m.id for m in plan.committed if m.id not in given]
        if forecast:
            yield Violation(("cost_sharing", "settlement", "actual_statistics"),
                            msg("rules.PB-SETTLEMENT.forecast", given=len(given),
                                members=len(plan.committed), forecast=forecast))
    charged = sorted({line.charged_to for line in plan.budget.lines if line.charged_to})
    missing = [m for m in charged if m not in s.actual_direct]
    if missing:
        yield Violation(("cost_sharing", "settlement"),
                        msg("rules.PB-SETTLEMENT.direct_as_budgeted", members=missing))
