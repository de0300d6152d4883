"""Money checks: so that `money.compute` can never fail on a plan that passes them, and
every failure points at the YAML line to edit."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from planbuilder.findings import KeyPath
from planbuilder.model import Plan, StatisticName
from planbuilder.money import MoneyError, compute, compute_budget, weight_total
from planbuilder.rules.base import Violation, rule


@rule("PB-COST-WEIGHTS", "", "error", "Cost-sharing weights total 100 %",
      "The weights of each cost-sharing model's criteria must total exactly 100 %.")
def weights(plan: Plan) -> Iterator[Violation]:
    if plan.cost_sharing is None:
        return
    for i, model in enumerate(plan.cost_sharing.models):
        total = weight_total(model)
        if total != 100:
            yield Violation(("cost_sharing", "models", i, "criteria"),
                            f"weights of cost-sharing model '{model.id}' total "
                            f"{total.normalize():f} %, not 100 %")


@rule("PB-COST-STAT", "", "error", "Every member has the statistics a model names",
      "Each criterion names a member statistic; every member (optional ones included, for the "
      "membership scenarios) must have it, and it must not be zero for all.")
def statistics(plan: Plan) -> Iterator[Violation]:
    cs = plan.cost_sharing
    if cs is None:
        return
    criteria: list[tuple[KeyPath, StatisticName, str]] = [
        (("cost_sharing", "models", i, "criteria", j, "statistic"), c.statistic, m.id)
                for i, m in enumerate(cs.models) for j, c in enumerate(m.criteria)]
    if cs.preparation is not None:
        criteria.append((("cost_sharing", "preparation", "statistic"),
                         cs.preparation.statistic, "preparation"))
    for path, stat, model_id in criteria:
        lacking = [m.id for m in plan.members if stat not in m.statistics]
        if lacking:
            yield Violation(path, f"model '{model_id}' shares by '{stat}', which member(s) "
                            f"{', '.join(lacking)} lack")
        elif sum((m.statistics[stat].value for m in plan.committed),
                 Decimal(0)) == 0:
            yield Violation(path, f"'{stat}' is zero for every committed member; model "
                            f"'{model_id}' cannot share by it")


@rule("PB-COST-MODEL", "", "error", "Model in force and baseline exist",
      "cost_sharing.model and cost_sharing.baseline name models of cost_sharing.models, and "
      "a budget exists to share.")
def models(plan: Plan) -> Iterator[Violation]:
    cs = plan.cost_sharing
    if cs is None:
        return
    ids = [m.id for m in cs.models]
    for key in ("model", "baseline"):
        value = getattr(cs, key)
        if value is not None and value not in ids:
            yield Violation(("cost_sharing", key), f"{key} '{value}' is not one of the models "
                            f"({', '.join(ids)})")
    if len(set(ids)) != len(ids):
        yield Violation(("cost_sharing", "models"), "model ids must be unique")
    if plan.budget is None:
        yield Violation(("cost_sharing",), "cost_sharing needs a budget to share")


@rule("PB-BUDGET", "", "error", "Budget lines are complete and resolve",
      "Each line has what its kind needs (amount, or htv and cost per htv; overhead a rate and "
      "base lines above it), ids are unique, charged_to and settlement members exist, and the "
      "amount left to share is not negative.")
def budget(plan: Plan) -> Iterator[Violation]:
    b = plan.budget
    if b is None:
        return
    ids = [line.id for line in b.lines]
    members = {m.id for m in plan.members}
    if len(set(ids)) != len(ids):
        yield Violation(("budget", "lines"), "budget line ids must be unique")
    for i, line in enumerate(b.lines):
        if line.charged_to is not None and line.charged_to not in members:
            yield Violation(("budget", "lines", i, "charged_to"), f"line '{line.id}' is "
                            f"charged to '{line.charged_to}', which is not a member")
    try:
        compute_budget(b)
    except MoneyError as exc:
        yield Violation(exc.path, exc.message)
    s = plan.cost_sharing.settlement if plan.cost_sharing else None
    for member_id in s.actual_statistics if s else {}:
        if member_id not in members:
            yield Violation(("cost_sharing", "settlement", "actual_statistics", member_id),
                            f"actual statistics for '{member_id}', which is not a member")


@rule("PB-MONEY", "", "error", "The money can be computed",
      "With the checks above passed, the whole computation (shares, comparison, scenarios, "
      "preparation costs, year-end settlement) is run; anything that still cannot be "
      "computed, e.g. a settlement whose actual statistics are all zero or whose actual "
      "costs are below the direct costs, is reported at the line to edit.")
def computable(plan: Plan) -> Iterator[Violation]:
    if plan.budget is None or plan.cost_sharing is None:
        return
    for check in (weights, statistics, models, budget):
        if next(iter(check(plan)), None) is not None:
            return  # reported by its own rule; computing would repeat it
    try:
        compute(plan)
    except MoneyError as exc:
        yield Violation(exc.path or ("cost_sharing",), exc.message)
