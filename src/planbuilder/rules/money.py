"""Money checks, reported at the YAML line to edit. The checks themselves belong to
`money.checks` (the engine runs the same ones before computing); each rule here reports one
kind of problem, and PB-MONEY whatever still fails when the whole computation is run."""

from __future__ import annotations

from collections.abc import Iterator

from planbuilder.errors import MoneyError
from planbuilder.model import Plan
from planbuilder.money import compute, compute_budget, problems
from planbuilder.money.checks import Kind
from planbuilder.rules.base import Violation, rule


def _of_kind(plan: Plan, kind: Kind) -> Iterator[Violation]:
    return (Violation(p.path, p.message) for p in problems(plan) if p.kind == kind)


@rule("PB-COST-WEIGHTS", "", "error", "Cost-sharing weights total 100 %",
      "The weights of each cost-sharing model's criteria must total exactly 100 %.")
def weights(plan: Plan) -> Iterator[Violation]:
    return _of_kind(plan, "weights")


@rule("PB-COST-STAT", "", "error", "Every member has the statistics a model names",
      "Each criterion names a member statistic; every member (optional ones included, for the "
      "membership scenarios) must have it, and it must not be zero for all.")
def statistics(plan: Plan) -> Iterator[Violation]:
    return _of_kind(plan, "statistics")


@rule("PB-COST-MODEL", "", "error", "Model in force and baseline exist",
      "cost_sharing.model and cost_sharing.baseline name models of cost_sharing.models, and "
      "a budget exists to share.")
def models(plan: Plan) -> Iterator[Violation]:
    return _of_kind(plan, "model")


@rule("PB-BUDGET", "", "error", "Budget lines are complete and resolve",
      "Each line has what its kind needs (amount, or htv and cost per htv; overhead a rate and "
      "base lines above it), ids are unique, charged_to and settlement members exist, and the "
      "amount left to share is not negative.")
def budget(plan: Plan) -> Iterator[Violation]:
    yield from _of_kind(plan, "budget")
    if plan.budget is not None:
        try:
            compute_budget(plan.budget)
        except MoneyError as exc:
            yield Violation(exc.path, exc.message)


@rule("PB-MONEY", "", "error", "The money can be computed",
      "With the checks above passed, the whole computation (shares, comparison, scenarios, "
      "preparation costs, year-end settlement) is run; anything that still cannot be "
      "computed, e.g. a settlement whose actual statistics are all zero or whose actual "
      "costs are below the direct costs, is reported at the line to edit.")
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


@rule("PB-SETTLEMENT", "", "warning", "The settlement uses actual figures",
      "The year-end settlement shares the actual costs by the members' actual statistics "
      "and charges the directly caused costs as they actually were. Where the plan gives "
      "actual statistics for some members only, the others are settled on their forecast "
      "figures; where it gives no actual direct costs, they are settled as budgeted. Both "
      "are reported so they are not missed. A planbuilder convention.")
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
                            f"actual statistics for {len(given)} of {len(plan.committed)} "
                            f"members; {', '.join(forecast)} are settled on forecast figures")
    charged = sorted({line.charged_to for line in plan.budget.lines if line.charged_to})
    missing = [m for m in charged if m not in s.actual_direct]
    if missing:
        yield Violation(("cost_sharing", "settlement"), "directly charged costs of "
                        f"{', '.join(missing)} are settled as budgeted; record actual_direct")
