"""Budgets and cost sharing, exact to the cent and traceable. Pure functions, no I/O.

Shares are computed exactly with fractions and rounded to cents by the largest-remainder
method, so they always sum to the amount shared; ties go to the member listed first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from planbuilder.errors import MoneyError
from planbuilder.findings import KeyPath
from planbuilder.messages import msg
from planbuilder.model import (
    Budget,
    BudgetLine,
    Member,
    Plan,
    Pool,
    SharingModel,
    Statistic,
    StatisticName,
)
from planbuilder.money.checks import model_problems, problems
from planbuilder.money.keys import PoolShare, key_of
from planbuilder.money.rounding import (
    CENT,
    controlled,
    largest_remainder,
    percentages,
    round_exact,
    to_unit,
)

__all__ = ["CENT", "largest_remainder", "percentages", "round_exact"]

ZERO = Decimal("0.00")
MONTHS = 12


# --- rounding: see rounding.py, the one policy -------------------------------------------


def to_cents(value: Fraction) -> Decimal:
    return to_unit(value, CENT)


# --- budget ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineResult:
    line: BudgetLine
    amount: Decimal  # rounded to the budget's precision; income is positive here
    basis: str  # how it was computed, e.g. "71 htv x 60 750,04" or "12 % of a, b"

    @property
    def signed(self) -> Decimal:
        return -self.amount if self.line.kind == "income" else self.amount


@dataclass(frozen=True)
class BudgetResult:
    lines: tuple[LineResult, ...]
    costs: Decimal
    income: Decimal
    net: Decimal
    direct: Mapping[str, Decimal]  # member id -> costs charged directly to it
    shared: Decimal  # net minus direct costs: what the sharing model divides
    by_kind: Mapping[str, Decimal]


def _precision(budget: Budget) -> Decimal:
    return Decimal(budget.precision)


def compute_budget(budget: Budget, year: int | None = None) -> BudgetResult:
    """The budget year's lines, or with `year` a plan year's (each line's `years` amount;
    overhead from its base lines in that year)."""
    if year is not None:
        budget = budget.model_copy(update={"lines": [
            line if line.kind == "overhead" else line.model_copy(update={
                "amount": line.years[year], "htv": None, "cost_per_htv": None})
            for line in budget.lines]})
    quantum = _precision(budget)
    amounts: dict[str, Decimal] = {}
    results: list[LineResult] = []
    for i, line in enumerate(budget.lines):
        path: KeyPath = ("budget", "lines", i)
        if line.kind == "overhead":
            if line.rate is None or not line.base:
                raise MoneyError(path, msg("money.overhead_needs_rate_and_base", line=line.id))
            missing = [b for b in line.base if b not in amounts]
            if missing:
                raise MoneyError((*path, "base"), msg("money.overhead_base_not_above",
                                                      line=line.id, missing=missing))
            base = sum((amounts[b] for b in line.base), Decimal(0))
            amount = (base * line.rate / 100).quantize(quantum, rounding=ROUND_HALF_UP)
            basis = f"{line.rate} % × {base}"
        elif line.htv is not None and line.cost_per_htv is not None:
            amount = (line.htv * line.cost_per_htv).quantize(quantum, rounding=ROUND_HALF_UP)
            basis = f"{line.htv} htv × {line.cost_per_htv}"
        elif line.amount is not None:
            amount = line.amount.quantize(quantum, rounding=ROUND_HALF_UP)
            basis = "given"
        else:
            raise MoneyError(path, msg("money.personnel_line_needs_amount"
                                       if line.kind == "personnel"
                                       else "money.line_needs_amount", line=line.id))
        amounts[line.id] = amount
        results.append(LineResult(line, amount, basis))
    costs = sum((r.amount for r in results if r.line.kind != "income"), Decimal(0))
    income = sum((r.amount for r in results if r.line.kind == "income"), Decimal(0))
    direct: dict[str, Decimal] = {}
    for r in results:
        if r.line.charged_to:
            direct[r.line.charged_to] = direct.get(r.line.charged_to, Decimal(0)) + r.signed
    by_kind: dict[str, Decimal] = {}
    for r in results:
        by_kind[r.line.kind] = by_kind.get(r.line.kind, Decimal(0)) + r.amount
    net = costs - income
    shared = net - sum(direct.values(), Decimal(0))
    if shared < 0:
        raise MoneyError(("budget", "lines"), msg("money.shared_negative", shared=shared))
    return BudgetResult(tuple(results), costs, income, net, direct, shared, by_kind)


# --- cost sharing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionPart:
    statistic: str
    weight: Decimal  # percent
    value: Decimal  # the member's statistic
    total: Decimal  # over the members sharing
    stat: Statistic | None  # with date and source, when from the plan
    euros: Fraction  # exact euros from this criterion

    @property
    def proportion(self) -> Fraction:
        return Fraction(self.value) / Fraction(self.total)


@dataclass(frozen=True)
class Share:
    member: str
    parts: tuple[CriterionPart, ...]
    exact: Fraction  # exact euros before rounding
    amount: Decimal  # rounded share, largest remainder

    @property
    def fraction(self) -> Fraction:
        return sum((Fraction(p.weight) / 100 * p.proportion for p in self.parts), Fraction(0))


@dataclass(frozen=True)
class Allocation:
    model: SharingModel
    amount: Decimal
    shares: tuple[Share, ...]

    def of(self, member_id: str) -> Decimal:
        return next((s.amount for s in self.shares if s.member == member_id), ZERO)


def allocate(model: SharingModel, amount: Decimal, members: Sequence[Member],
             overrides: Mapping[str, Mapping[StatisticName, Decimal]] | None = None,
             path: KeyPath = (), unit: Decimal = CENT) -> Allocation:
    """Share `amount` between `members` by the weighted criteria of `model`.
    `overrides` replaces statistics (member -> statistic -> value), e.g. actual figures."""
    overrides = overrides or {}
    problem = next(model_problems(model, members, path, overrides), None)
    if problem is not None:
        raise MoneyError(problem.path, problem.message)
    values: dict[tuple[str, int], Decimal] = {}
    for j, criterion in enumerate(model.criteria):
        for m in members:
            name = criterion.statistic
            values[m.id, j] = Decimal(overrides[m.id][name]) if name in overrides.get(
                m.id, {}) else m.statistics[name].value
    exact_amount = Fraction(amount)
    parts_by_member: list[tuple[CriterionPart, ...]] = []
    for m in members:
        parts = []
        for j, criterion in enumerate(model.criteria):
            total = sum((values[x.id, j] for x in members), Decimal(0))
            value = values[m.id, j]
            from_plan = criterion.statistic not in overrides.get(m.id, {})
            stat = m.statistics.get(criterion.statistic) if from_plan else None
            euros = exact_amount * Fraction(criterion.weight) / 100 * Fraction(value) / Fraction(
                total)
            parts.append(CriterionPart(criterion.statistic, criterion.weight, value, total, stat,
                                       euros))
        parts_by_member.append(tuple(parts))
    exact = [sum((p.euros for p in parts), Fraction(0)) for parts in parts_by_member]
    rounded = largest_remainder(amount, exact, unit) if amount else [ZERO] * len(members)
    shares = tuple(Share(m.id, parts, e, r) for m, parts, e, r
                   in zip(members, parts_by_member, exact, rounded, strict=True))
    return Allocation(model, amount, shares)


@dataclass(frozen=True)
class PoolCharge:
    """One pool of a model: its amount and what each member pays of it."""

    pool: Pool
    amount: Decimal
    charges: tuple[tuple[str, Decimal], ...]  # member id -> its part, members in plan order
    exact: tuple[Fraction, ...] = ()  # each member's part before rounding, in plan order

    def of(self, member_id: str) -> Decimal:
        return next((v for m, v in self.charges if m == member_id), ZERO)

    def exact_of(self, member_id: str) -> Fraction:
        return next((e for (m, _), e in zip(self.charges, self.exact, strict=True)
                     if m == member_id), Fraction(0))


@dataclass(frozen=True)
class Charges:
    """What each member pays under one model: its pools, each by its own key; the budget
    lines charged to a member that no pool takes (direct); and the model's criteria share of
    the rest (`common`). Every euro of the net costs is in exactly one of them."""

    model: SharingModel
    common: Allocation
    pools: tuple[PoolCharge, ...] = ()
    direct: Mapping[str, Decimal] = field(default_factory=dict)

    def exact_of(self, member_id: str) -> Fraction:
        """Everything the member pays under this model, before rounding."""
        share = next((s for s in self.common.shares if s.member == member_id), None)
        return (share.exact if share else Fraction(0)) + sum(
            (p.exact_of(member_id) for p in self.pools), Fraction(0)) + Fraction(
            self.direct.get(member_id, ZERO))

    def shared(self, member_id: str) -> Decimal:
        """The member's part of what is shared: the criteria share and the pools."""
        return self.common.of(member_id) + sum((p.of(member_id) for p in self.pools), ZERO)

    def of(self, member_id: str) -> Decimal:
        """Everything the member pays under this model, direct costs included."""
        return self.shared(member_id) + self.direct.get(member_id, ZERO)

    @property
    def shares(self) -> tuple[Share, ...]:
        return self.common.shares


def charge(model: SharingModel, lines: Mapping[str, Decimal], net: Decimal,
           charged_to: Mapping[str, str], members: Sequence[Member],
           overrides: Mapping[str, Mapping[StatisticName, Decimal]] | None = None,
           path: KeyPath = (), unit: Decimal = CENT,
           actual_direct: Mapping[str, Decimal] | None = None,
           plan_year: bool = False) -> Charges:
    """Share `net` between `members` by `model`. `lines` are the budget lines' signed
    amounts by id (the pools' sources) and `charged_to` names the member a line is charged
    to; such a line is direct unless one of the model's pools takes it. `overrides` replaces
    statistics and `actual_direct` a member's direct costs (the year-end settlement). In a
    `plan_year` of the economic plan, a cost-causation pool is shared in the proportions of
    its members' budget-year amounts."""
    overrides = overrides or {}
    pooled = {line for pool in model.pools for line in pool.lines}
    direct: dict[str, Decimal] = {}
    for line, member in charged_to.items():
        if line not in pooled:
            direct[member] = direct.get(member, ZERO) + lines[line]
    direct.update(actual_direct or {})
    parts: list[tuple[Pool, PoolShare]] = []
    for k, pool in enumerate(model.pools):
        amount = sum((lines[x] for x in pool.lines), ZERO)
        parts.append((pool, key_of(pool).charge(amount, members, overrides,
                                                (*path, "pools", k), unit, plan_year)))
    rest = net - sum(direct.values(), ZERO) - sum((p.amount for _, p in parts), ZERO)
    if rest < 0:
        raise MoneyError((*path, "pools"), msg("money.costs_below_direct_and_pools",
                                               model=model.id, net=net, charged=net - rest))
    common = allocate(model, rest, members, overrides, path, unit)
    # One rounding for the whole table of parts: each member's total within a unit of its
    # exact value, every part's column and every member's row footing (rounding.py).
    own = [direct.get(m.id, ZERO) for m in members]
    cells = [[*(p.exact[i] for _, p in parts), s.exact, Fraction(own[i])]
             for i, s in enumerate(common.shares)]
    _, rounded = controlled(cells, [*(p.amount for _, p in parts), rest,
                                    sum(own, ZERO)], unit)
    pool_charges = tuple(
        PoolCharge(pool, share.amount, tuple((m.id, rounded[i][k])
                                             for i, m in enumerate(members)), share.exact)
        for k, (pool, share) in enumerate(parts))
    common = Allocation(model, rest, tuple(
        Share(s.member, s.parts, s.exact, rounded[i][len(parts)])
        for i, s in enumerate(common.shares)))
    return Charges(model, common, pool_charges, direct)


def advances(annual: Decimal, unit: Decimal = CENT, count: int = MONTHS) -> list[Decimal]:
    """`count` advances (twelve monthly, four quarterly, or one a given date) summing exactly
    to `annual`; the first ones carry the leftover units (cents, or whole euros)."""
    return largest_remainder(annual, [Fraction(1)] * count, unit) if annual \
        else [ZERO] * count


def installments(plan: Plan) -> int:
    """How many advances a year the plan's cost sharing gives: one a given date, else its
    advances_per_year (12 or 4)."""
    cs = plan.cost_sharing
    return MONTHS if cs is None else len(cs.advance_dates) or cs.advances_per_year


def advance_groups(advances: Sequence[Decimal]) -> list[tuple[int, int, Decimal]]:
    """Runs of equal monthly advances: (first month, last month, amount), months 0-11."""
    groups: list[tuple[int, int, Decimal]] = []
    for i, value in enumerate(advances):
        if groups and groups[-1][2] == value:
            groups[-1] = (groups[-1][0], i, value)
        else:
            groups.append((i, i, value))
    return groups


# --- the plan's money as a whole ------------------------------------------------------------


@dataclass(frozen=True)
class MemberSummary:
    member: str
    shared: Decimal
    direct: Decimal
    total: Decimal
    advances: tuple[Decimal, ...]
    exact: Fraction = Fraction(0)  # the total before rounding

    @property
    def advance(self) -> Decimal:
        return self.advances[-1]


@dataclass(frozen=True)
class Comparison:
    """Every model side by side, each member's total under it (direct costs included, so
    models that charge differently compare with every euro in)."""

    baseline: str
    models: tuple[Charges, ...]  # the baseline first

    def difference(self, model_id: str, member_id: str) -> tuple[Decimal, Decimal | None]:
        base = next(a for a in self.models if a.model.id == self.baseline).of(member_id)
        value = next(a for a in self.models if a.model.id == model_id).of(member_id)
        diff = value - base
        pct = (diff * 100 / base).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if base \
            else None
        return diff, pct


@dataclass(frozen=True)
class SettlementRow:
    member: str
    actual: Decimal
    paid: Decimal

    @property
    def balance(self) -> Decimal:
        """Positive: the member pays more; negative: it gets money back."""
        return self.actual - self.paid


@dataclass(frozen=True)
class SettlementResult:
    actual_costs: Decimal
    budgeted: Decimal
    rows: tuple[SettlementRow, ...]
    carry_forward: bool

    @property
    def surplus(self) -> Decimal:
        """Budgeted minus actual: positive is a surplus, negative a deficit."""
        return self.budgeted - self.actual_costs


@dataclass(frozen=True)
class Scenario:
    """The model in force shared among the committed members and those in `joining`."""

    joining: tuple[str, ...]  # optional members that join in this scenario
    charges: Charges

    @property
    def allocation(self) -> Allocation:
        return self.charges.common


@dataclass(frozen=True)
class PhaseResult:
    """Moving from one model to another over years, computed on this year's budget: in a
    phase-in year the direct costs are charged as the new model says, and the rest is
    shared p % as the new model shares it and (100 - p) % as the old one does."""

    old: Charges
    new: Charges
    years: tuple[tuple[int, Decimal, tuple[Decimal, ...]], ...]  # year, p, totals by member
    exact: tuple[tuple[Fraction, ...], ...] = ()  # each year's totals before rounding

    def totals(self, year: int) -> tuple[Decimal, ...] | None:
        return next((t for y, _, t in self.years if y == year), None)

    def percent(self, year: int) -> Decimal | None:
        """The new model's share in a phase-in year; None in other years."""
        return next((p for y, p, _ in self.years if y == year), None)


def blend_exact(old: Charges, new: Charges, percent: Decimal,
                members: Sequence[Member]) -> tuple[Fraction, ...]:
    """Each member's exact total in a phase-in year: the new model's direct costs, then
    `percent` of what the new model shares and the rest of what the old one charges beyond
    those direct costs."""
    p = Fraction(percent) / 100
    out = []
    for m in members:
        direct = Fraction(new.direct.get(m.id, ZERO))
        old_rest = old.exact_of(m.id) - direct
        if old_rest < 0:
            raise MoneyError(("cost_sharing", "models"), msg(
                "money.phase_in_below_direct", member=m.id, old=old.model.id,
                new=new.model.id))
        out.append(direct + p * (new.exact_of(m.id) - direct) + (1 - p) * old_rest)
    return tuple(out)


def blend(old: Charges, new: Charges, percent: Decimal, net: Decimal,
          members: Sequence[Member], unit: Decimal) -> tuple[Decimal, ...]:
    """Each member's total in a phase-in year (`percent` of the new key), rounded from the
    exact blend so that the totals foot to `net`."""
    exact = blend_exact(old, new, percent, members)
    return tuple(round_exact(exact, unit)) if exact else ()


@dataclass(frozen=True)
class YearResult:
    """One year of the economic plan: its budget and each committed member's total."""

    year: int
    budget: BudgetResult
    totals: tuple[Decimal, ...]  # committed members in plan order
    comparison: Comparison | None = None  # every model on this year's budget
    exact: tuple[Fraction, ...] = ()  # the totals before rounding
    charges: Charges | None = None  # the model in force on this year's budget
    percent: Decimal | None = None  # the new model's share in a phase-in year


@dataclass(frozen=True)
class Provenance:
    """Which computed figures rest on illustrative inputs (not yet from their source), and
    the inputs that make them so (key paths into the plan)."""

    budget: tuple[KeyPath, ...] = ()  # illustrative budget lines or the whole budget
    shares: tuple[KeyPath, ...] = ()  # budget + the statistics the model in force uses
    scenarios: tuple[KeyPath, ...] = ()  # shares + the optional members' statistics
    models: Mapping[str, tuple[KeyPath, ...]] = field(default_factory=dict)  # comparison
    preparation: tuple[KeyPath, ...] = ()
    settlement: tuple[KeyPath, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.budget or self.shares or self.scenarios or self.preparation
                    or self.settlement or any(self.models.values()))


@dataclass(frozen=True)
class Money:
    plan: Plan
    budget: BudgetResult
    charges: Charges  # the model in force, members committed
    summaries: tuple[MemberSummary, ...]
    comparison: Comparison | None
    # committed only first, then each optional member joining alone, then all of them
    # (when there are several); empty when every member is committed
    scenarios: tuple[Scenario, ...]
    preparation: Allocation | None
    settlement: SettlementResult | None
    direct: Mapping[str, Decimal] = field(default_factory=dict)
    unit: Decimal = CENT  # the budget's precision: shares and advances are in these units
    provenance: Provenance = field(default_factory=Provenance)
    phase: PhaseResult | None = None  # the model in force phases in from another
    years: tuple[YearResult, ...] = ()  # the budget year, then the economic plan's years

    @property
    def allocation(self) -> Allocation:
        """The criteria share of the model in force (what its criteria divide)."""
        return self.charges.common

    def summary_in(self, member_id: str, scenario: Scenario) -> MemberSummary | None:
        """A member's share, direct costs, annual total and advances in one scenario; None
        when the member is not part of it."""
        if not any(s.member == member_id for s in scenario.allocation.shares):
            return None
        shared = scenario.charges.shared(member_id)
        direct = scenario.charges.direct.get(member_id, ZERO)
        return MemberSummary(member_id, shared, direct, shared + direct,
                             tuple(advances(shared + direct, self.unit,
                                            installments(self.plan))),
                             scenario.charges.exact_of(member_id))

    def own_scenario(self, member_id: str) -> Scenario | None:
        """For an optional member, the scenario in which it alone joins; None for others."""
        return next((s for s in self.scenarios if s.joining == (member_id,)), None)

    def member_summary(self, member_id: str) -> MemberSummary | None:
        """A committed member's share; for an optional member, its share if it joins (the
        scenario where it alone joins)."""
        found = next((s for s in self.summaries if s.member == member_id), None)
        own = self.own_scenario(member_id)
        if found is None and own is not None:
            found = self.summary_in(member_id, own)
        return found

    def share(self, member_id: str) -> Share | None:
        """The member's criterion-by-criterion share: in force, or in its own scenario."""
        for allocation in (self.allocation, *(s.allocation for s in self.scenarios
                                              if s.joining == (member_id,))):
            found = next((s for s in allocation.shares if s.member == member_id), None)
            if found is not None:
                return found
        return None


def _model_path(plan: Plan, model_id: str) -> tuple[SharingModel, KeyPath]:
    assert plan.cost_sharing is not None
    for i, model in enumerate(plan.cost_sharing.models):
        if model.id == model_id:
            return model, ("cost_sharing", "models", i)
    raise MoneyError(("cost_sharing", "model"), msg("money.no_model", model=model_id))


def compute(plan: Plan) -> Money:
    """Everything the documents show about money, for a plan with budget and cost_sharing."""
    if plan.budget is None or plan.cost_sharing is None:
        raise MoneyError((), msg("money.no_budget_and_cost_sharing"))
    problem = next(problems(plan), None)
    if problem is not None:
        raise MoneyError(problem.path, problem.message)
    cs = plan.cost_sharing
    budget = compute_budget(plan.budget)
    unit = _precision(plan.budget)
    committed = plan.committed
    model, path = _model_path(plan, cs.model)
    lines = {r.line.id: r.signed for r in budget.lines}
    charged_to = {r.line.id: r.line.charged_to for r in budget.lines if r.line.charged_to}

    def share(x: SharingModel, members: Sequence[Member]) -> Charges:
        return charge(x, lines, budget.net, charged_to, members,
                      path=_model_path(plan, x.id)[1], unit=unit)

    charges = share(model, committed)
    phase = None
    old_model = None
    if model.phase_in is not None:
        old_model = _model_path(plan, model.phase_in.from_model)[0]
        old = share(old_model, committed)
        steps = sorted(model.phase_in.percent.items())
        exact_steps = tuple(blend_exact(old, charges, p, committed) for _, p in steps)
        phase = PhaseResult(old, charges, tuple(
            (year, p, tuple(round_exact(e, unit)) if e else ())
            for (year, p), e in zip(steps, exact_steps, strict=True)), exact_steps)

    def year_result(year: int, result: BudgetResult, plan_year: bool) -> YearResult:
        """A year of the economic plan: the model in force on that year's budget, blended
        with the old model in a phase-in year, and every model side by side."""
        year_lines = {r.line.id: r.signed for r in result.lines}
        new = charges if not plan_year else charge(
            model, year_lines, result.net, charged_to, committed, path=path, unit=unit,
            plan_year=True)
        p = model.phase_in.percent.get(year) if model.phase_in else None
        exact: tuple[Fraction, ...]
        if p is None or old_model is None:
            exact = tuple(new.exact_of(m.id) for m in committed)
            totals = tuple(new.of(m.id) for m in committed)
        else:
            old = charge(old_model, year_lines, result.net, charged_to, committed,
                         path=_model_path(plan, old_model.id)[1], unit=unit,
                         plan_year=plan_year)
            exact = blend_exact(old, new, p, committed)
            totals = tuple(round_exact(exact, unit))
        return YearResult(year, result, totals, compare(result, plan_year), exact, new, p)

    def compare(result: BudgetResult, plan_year: bool) -> Comparison | None:
        """Every model side by side on one year's budget, the baseline first."""
        if len(cs.models) < 2:
            return None
        baseline = cs.baseline or cs.model
        _model_path(plan, baseline)
        year_lines = {r.line.id: r.signed for r in result.lines}
        return Comparison(baseline, tuple(
            charge(x, year_lines, result.net, charged_to, committed,
                   path=_model_path(plan, x.id)[1], unit=unit, plan_year=plan_year)
            for x in sorted(cs.models, key=lambda x: x.id != baseline)))

    years = [year_result(plan.area.budget_year, budget, False)]
    comparison = years[0].comparison
    for year in plan.budget.plan_years:
        years.append(year_result(year, compute_budget(plan.budget, year), True))
    summaries = []
    for m, total, exact in zip(committed, years[0].totals, years[0].exact, strict=True):
        direct = charges.direct.get(m.id, ZERO)
        summaries.append(MemberSummary(m.id, total - direct, direct, total,
                                       tuple(advances(total, unit, installments(plan))),
                                       exact))
    scenarios: list[Scenario] = []
    optional = [m for m in plan.members if m.membership == "optional"]
    if optional:
        scenarios.append(Scenario((), charges))
        for m in optional:
            joining = [x for x in plan.members if x.membership == "committed" or x is m]
            scenarios.append(Scenario((m.id,), share(model, joining)))
        if len(optional) > 1:
            scenarios.append(Scenario(tuple(m.id for m in optional),
                                      share(model, plan.members)))
    preparation = None
    if cs.preparation is not None:
        prep_model = SharingModel.model_validate({
            "id": "preparation", "name": "preparation",
            "criteria": [{"statistic": cs.preparation.statistic, "weight": 100}]})
        preparation = allocate(prep_model, cs.preparation.amount, committed,
                               path=("cost_sharing", "preparation"), unit=unit)
    settlement = None
    if cs.settlement is not None:
        # The actual costs are shared as the budget was: pools by their keys on the
        # budgeted lines, the criteria (with actual statistics) the rest.
        s = cs.settlement
        try:
            actual = charge(model, lines, s.actual_costs, charged_to, committed,
                            s.actual_statistics, path, unit,
                            {k: Decimal(v) for k, v in s.actual_direct.items()})
        except MoneyError as exc:
            raise MoneyError(("cost_sharing", "settlement", "actual_costs"),
                             msg("money.settlement_failed", problem=exc.message)) from None
        owed = [actual.of(x.member) for x in summaries]
        year = plan.area.budget_year
        if phase is not None and phase.totals(year) is not None:
            p = next(p for y, p, _ in phase.years if y == year)
            actual_old = charge(phase.old.model, lines, s.actual_costs, charged_to, committed,
                                s.actual_statistics, path, unit,
                                {k: Decimal(v) for k, v in s.actual_direct.items()})
            owed = list(blend(actual_old, actual, p, s.actual_costs, committed, unit))
        rows = tuple(SettlementRow(x.member, o, x.total)
                     for x, o in zip(summaries, owed, strict=True))
        settlement = SettlementResult(s.actual_costs, budget.net, rows,
                                      cs.terms.carry_forward)
    return Money(plan, budget, charges, tuple(summaries), comparison, tuple(scenarios),
                 preparation, settlement, dict(charges.direct), unit, provenance(plan), phase,
                 tuple(years))


def _illustrative_statistics(plan: Plan, model: SharingModel,
                             members: Sequence[Member]) -> tuple[KeyPath, ...]:
    """The illustrative inputs of a sharing: the model's weights, when they are, and the
    statistics it uses of the members sharing."""
    used = {c.statistic for c in model.criteria} | {
        c.statistic for pool in model.pools for c in pool.criteria} | {
        pool.volume for pool in model.pools if pool.volume is not None}
    index = {m.id: i for i, m in enumerate(plan.members)}
    models = plan.cost_sharing.models if plan.cost_sharing else []
    weights: tuple[KeyPath, ...] = tuple(
        ("cost_sharing", "models", i) for i, x in enumerate(models)
        if x.id == model.id and x.illustrative) + tuple(
        ("cost_sharing", "models", i, "pools", k) for i, x in enumerate(models)
        if x.id == model.id for k, pool in enumerate(x.pools) if pool.illustrative)
    return weights + tuple(("members", index[m.id], "statistics", name)
                           for m in members for name in sorted(used)
                           if name in m.statistics and m.statistics[name].illustrative)


def provenance(plan: Plan) -> Provenance:
    """Which figures rest on illustrative inputs; see `Provenance`."""
    assert plan.budget is not None and plan.cost_sharing is not None
    cs = plan.cost_sharing
    b = plan.budget
    budget: tuple[KeyPath, ...] = (("budget",),) if b.illustrative else tuple(
        ("budget", "lines", i) for i, line in enumerate(b.lines) if line.illustrative)
    model = next(m for m in cs.models if m.id == cs.model)
    shares = budget + _illustrative_statistics(plan, model, plan.committed)
    scenarios = budget + _illustrative_statistics(plan, model, plan.members) \
        if any(m.membership == "optional" for m in plan.members) else ()
    models = {m.id: budget + _illustrative_statistics(plan, m, plan.committed)
              for m in cs.models} if len(cs.models) > 1 else {}
    preparation: tuple[KeyPath, ...] = ()
    if cs.preparation is not None:
        prep = SharingModel.model_validate({
            "id": "preparation", "name": "preparation",
            "criteria": [{"statistic": cs.preparation.statistic, "weight": 100}]})
        preparation = ((("cost_sharing", "preparation"),) if cs.preparation.illustrative
                       else ()) + _illustrative_statistics(plan, prep, plan.committed)
    settlement: tuple[KeyPath, ...] = ()
    if cs.settlement is not None:
        settlement = ((("cost_sharing", "settlement"),) if cs.settlement.illustrative
                      else ()) + shares
    return Provenance(budget, shares, scenarios, models, preparation, settlement)
