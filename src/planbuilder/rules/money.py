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
