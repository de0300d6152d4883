"""The ledger: every figure any output shows about a plan's money, made once.

`ledger(money)` turns the engine's result into flat entries, each with an id, its exact
value, its value as shown (rounded once, by the policy of rounding.py, so every column
foots), the inputs it rests on and which of them are illustrative, and a label in the
reader's language. The documents' tables, the decision texts, the CSV, the JSON, `budget`,
`explain` and the live preview read figures from here; none of them computes one.

Ids (members and models by their plan ids, years as numbers):

    budget/<year>/line/<line>          a budget line (signed: income negative)
    budget/<year>/<costs|income|net|shared>
    model/<model>/<year>/<member>/<part>   what a model charges a member, part by part:
                                       each pool's id, `criteria` (the model's criteria
                                       share of the rest), `direct`, and `total`
    model/<model>/<year>/all/<part>    the column's total
    payable/<year>/<member>            what the member pays that year (the model in force,
                                       blended with the old model in a phase-in year)
    payable/<year>/all
    percent/<year>/<member>            its share of the year's payable total, in percent,
                                       footing to 100
    phase/<percent>/<member>           a phase-in step on the budget year's budget
    change/<year>/<model>/<member>     against the baseline model, in euros
    change_pct/<year>/<model>/<member> ... and in percent of the baseline
    amendment/<member>/<in_force|proposed|change>   the budget year's share under the
                                       agreement in force (its model) and as amended, and
                                       the change; amendment_pct/<member>/<...> in percent
                                       of the year's total, each column footing to 100
    scenario/<joining>/<member>        the member's total (every part) if the optional
                                       members in <joining> join (`committed`: none)
    scenario/<joining>/all
    advance/<member>/<month>           the monthly advances (months 1-12)
    preparation/<member>, preparation/all
    settlement/<member>/<actual|paid|balance>, settlement/all/<...>,
    settlement/actual_costs, settlement/surplus
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

from planbuilder.amendment import amendment
from planbuilder.findings import KeyPath
from planbuilder.messages import Msg, msg
from planbuilder.money.engine import Charges, Money, YearResult
from planbuilder.money.rounding import exact_decimal, percentages

Kind = Literal["eur", "pct"]
SCHEMA_VERSION = 2


@dataclass(frozen=True)
class Entry:
    id: str
    exact: Fraction
    amount: Decimal  # as shown and as paid: rounded once, in `unit`
    unit: Decimal
    kind: Kind
    label: Msg
    inputs: tuple[KeyPath, ...] = ()  # what the figure is computed from
    illustrative: tuple[KeyPath, ...] = ()  # those of its inputs that are illustrative

    @property
    def marked(self) -> bool:
        """Shown with the illustrative mark '*'."""
        return bool(self.illustrative)

    @property
    def exact_text(self) -> str:
        return str(exact_decimal(self.exact))


@dataclass(frozen=True)
class Ledger:
    money: Money
    entries: Mapping[str, Entry] = field(default_factory=dict)

    def __getitem__(self, entry_id: str) -> Entry:
        return self.entries[entry_id]

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.entries

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def amount(self, entry_id: str) -> Decimal:
        return self.entries[entry_id].amount

    def advances(self, member_id: str) -> tuple[Decimal, ...]:
        """The member's advances in order (twelve monthly, or as the plan schedules them)."""
        return tuple(e.amount for e in self.under(f"advance/{member_id}"))

    def under(self, prefix: str) -> Iterator[Entry]:
        """The entries whose id starts with `prefix/`, in the order they were made."""
        return (e for i, e in self.entries.items() if i.startswith(prefix + "/"))


_MADE: dict[int, tuple[weakref.ref[Money], Ledger]] = {}


def ledger_of(money: Money) -> Ledger:
    """The ledger of `money`, made once however many outputs read it (kept while the
    money lives)."""
    found = _MADE.get(id(money))
    if found is not None and found[0]() is money:
        return found[1]
    made = ledger(money)
    _MADE[id(money)] = (weakref.ref(money), made)
    weakref.finalize(money, _MADE.pop, id(money), None)
    return made


def scenario_key(joining: Sequence[str]) -> str:
    return "+".join(joining) if joining else "committed"


def parts_of(charges: Charges) -> list[str]:
    """A model's parts in the order the tables show them: pools, criteria, direct."""
    return [p.pool.id for p in charges.pools] + ["criteria", "direct"]


class _Builder:
    def __init__(self, money: Money) -> None:
        self.money = money
        self.unit = money.unit
        self.entries: dict[str, Entry] = {}

    def add(self, entry_id: str, exact: Fraction, amount: Decimal, label: Msg,
            inputs: tuple[KeyPath, ...] = (), illustrative: tuple[KeyPath, ...] = (),
            kind: Kind = "eur", unit: Decimal | None = None) -> None:
        if entry_id in self.entries:  # pragma: no cover - a defect of this module
            raise ValueError(f"ledger entry {entry_id} made twice")
        unit = self.unit if unit is None else unit
        self.entries[entry_id] = Entry(entry_id, exact, amount.quantize(unit), unit, kind,
                                       label, inputs, illustrative)

    def given(self, entry_id: str, amount: Decimal, label: Msg,
              inputs: tuple[KeyPath, ...] = (),
              illustrative: tuple[KeyPath, ...] = ()) -> None:
        """A figure that is exact as it stands (a budget line, a sum of rounded parts)."""
        self.add(entry_id, Fraction(amount), amount, label, inputs, illustrative)


def ledger(money: Money) -> Ledger:
    """Every figure of the plan's money (see the module's note for the ids)."""
    b = _Builder(money)
    plan = money.plan
    p = money.provenance
    committed = [s.member for s in money.summaries]
    budget_inputs: tuple[KeyPath, ...] = (("budget",),)
    for y in money.years:
        _budget(b, y, p.budget)
    for y in money.years:
        models = y.comparison.models if y.comparison else (
            (y.charges,) if y.charges is not None else ())
        for charges in models:
            ill = p.models.get(charges.model.id, p.shares) if charges.model.id != \
                money.charges.model.id else p.shares
            _model(b, charges, y.year, committed, ill)
        payable_ill = p.shares
        direct = y.charges.direct if y.charges is not None else {}
        for member, exact, total in zip(committed, y.exact, y.totals, strict=True):
            own = direct.get(member, Decimal(0))
            b.add(f"payable/{y.year}/{member}", exact, total,
                  msg("ledger.payable", member=member, year=y.year),
                  (*budget_inputs, ("cost_sharing", "model")), payable_ill)
            b.add(f"payable/{y.year}/{member}/shared", exact - Fraction(own), total - own,
                  msg("ledger.payable_shared", member=member, year=y.year),
                  (*budget_inputs, ("cost_sharing", "model")), payable_ill)
            b.given(f"payable/{y.year}/{member}/direct", own,
                    msg("ledger.payable_direct", member=member, year=y.year),
                    (("budget", "lines"),))
        all_direct = sum((direct.get(x, Decimal(0)) for x in committed), Decimal(0))
        b.given(f"payable/{y.year}/all", sum(y.totals, Decimal(0)),
                msg("ledger.payable_all", year=y.year), budget_inputs, p.budget)
        b.given(f"payable/{y.year}/all/shared", sum(y.totals, Decimal(0)) - all_direct,
                msg("ledger.payable_shared_all", year=y.year), budget_inputs, p.budget)
        b.given(f"payable/{y.year}/all/direct", all_direct,
                msg("ledger.payable_direct_all", year=y.year), (("budget", "lines"),))
        pcts = percentages(list(y.totals))
        total = sum(y.totals, Decimal(0))
        for member, amount, pct in zip(committed, y.totals, pcts, strict=True):
            exact = Fraction(amount) * 100 / Fraction(total) if total else Fraction(0)
            b.add(f"percent/{y.year}/{member}", exact, pct,
                  msg("ledger.percent", member=member, year=y.year),
                  (("cost_sharing", "model"),), payable_ill, "pct", Decimal("0.01"))
        if y.comparison is not None:
            base = next(a for a in y.comparison.models if a.model.id == y.comparison.baseline)
            for a in y.comparison.models:
                if a is base:
                    continue
                for member in committed:
                    diff = a.of(member) - base.of(member)
                    b.given(f"change/{y.year}/{a.model.id}/{member}", diff,
                            msg("ledger.change", member=member, model=a.model.id,
                                baseline=base.model.id, year=y.year),
                            (("cost_sharing", "models"),), p.models.get(a.model.id, ()))
                    if base.of(member):
                        exact = Fraction(diff) * 100 / Fraction(base.of(member))
                        b.add(f"change_pct/{y.year}/{a.model.id}/{member}", exact,
                              (Decimal(diff) * 100 / base.of(member)).quantize(
                                  Decimal("0.1"), rounding=ROUND_HALF_UP),
                              msg("ledger.change_pct", member=member, model=a.model.id,
                                  baseline=base.model.id, year=y.year),
                              (("cost_sharing", "models"),), p.models.get(a.model.id, ()),
                              "pct", Decimal("0.1"))
    _amendment(b, money, committed)
    if money.phase is not None:
        for (_, percent, totals), steps in zip(money.phase.years, money.phase.exact,
                                               strict=True):
            key = f"phase/{percent.normalize():f}"
            for member, e, t in zip(committed, steps, totals, strict=True):
                b.add(f"{key}/{member}", e, t, msg("ledger.phase", member=member,
                                                   percent=str(percent)),
                      budget_inputs, p.shares)
            b.given(f"{key}/all", sum(totals, Decimal(0)),
                    msg("ledger.phase_all", percent=str(percent)), budget_inputs, p.budget)
    for sc in money.scenarios:
        key = f"scenario/{scenario_key(sc.joining)}"
        members = [s.member for s in sc.charges.common.shares]
        for member in members:
            b.add(f"{key}/{member}", sc.charges.exact_of(member), sc.charges.of(member),
                  msg("ledger.scenario", member=member, joining=list(sc.joining)),
                  budget_inputs, p.scenarios)
            share = next(s for s in sc.charges.common.shares if s.member == member)
            for part, exact, amount in (
                    *((x.pool.id, x.exact_of(member), x.of(member)) for x in sc.charges.pools),
                    ("criteria", share.exact, share.amount),
                    ("direct", Fraction(sc.charges.direct.get(member, Decimal(0))),
                     sc.charges.direct.get(member, Decimal(0)))):
                b.add(f"{key}/{member}/{part}", exact, amount,
                      msg("ledger.scenario_part", member=member, part=part,
                          joining=list(sc.joining)), budget_inputs, p.scenarios)
        b.given(f"{key}/all", sum((sc.charges.of(x) for x in members), Decimal(0)),
                msg("ledger.scenario_all", joining=list(sc.joining)), budget_inputs, p.budget)
    for m in plan.members:
        summary = money.member_summary(m.id)
        if summary is None:
            continue
        ill = p.shares if m.membership == "committed" else p.scenarios
        for month, value in enumerate(summary.advances, 1):
            b.add(f"advance/{m.id}/{month}", Fraction(summary.total) / len(summary.advances),
                  value,
                  msg("ledger.advance", member=m.id, month=month),
                  (("cost_sharing", "terms"),), ill)
    if money.preparation is not None:
        for sh in money.preparation.shares:
            b.add(f"preparation/{sh.member}", sh.exact, sh.amount,
                  msg("ledger.preparation", member=sh.member),
                  (("cost_sharing", "preparation"),), p.preparation)
        b.given("preparation/all", money.preparation.amount, msg("ledger.preparation_all"),
                (("cost_sharing", "preparation"),), p.preparation)
    if money.settlement is not None:
        st = money.settlement
        where: tuple[KeyPath, ...] = (("cost_sharing", "settlement"),)
        b.given("settlement/actual_costs", st.actual_costs,
                msg("ledger.settlement_actual_costs"), where, p.settlement)
        b.given("settlement/surplus", st.surplus, msg("ledger.settlement_surplus"), where,
                p.settlement)
        for r in st.rows:
            for part, value, ill in (("actual", r.actual, p.settlement),
                                     ("paid", r.paid, p.shares),
                                     ("balance", r.balance, p.settlement)):
                b.given(f"settlement/{r.member}/{part}", value,
                        msg(f"ledger.settlement_{part}", member=r.member), where, ill)
        for part, values, ill in (("actual", [r.actual for r in st.rows], p.settlement),
                                  ("paid", [r.paid for r in st.rows], p.shares),
                                  ("balance", [r.balance for r in st.rows], p.settlement)):
            b.given(f"settlement/all/{part}", sum(values, Decimal(0)),
                    msg(f"ledger.settlement_{part}_all"), where, ill)
    return Ledger(money, b.entries)


def _amendment(b: _Builder, money: Money, committed: Sequence[str]) -> None:
    """Each member's share under the agreement in force and as amended, when the amendment
    changes the cost-sharing model: what a council decides on."""
    change = amendment(money.plan)
    y = money.years[0]
    if change is None or not change.model_changed or y.comparison is None:
        return
    old = next((a for a in y.comparison.models if a.model.id == change.old_model), None)
    if old is None:
        return
    p = money.provenance
    old_ill = p.models.get(old.model.id, p.shares)
    where: tuple[KeyPath, ...] = (("budget",), ("agreement_in_force", "model"),
                                  ("cost_sharing", "model"))
    before = [old.of(x) for x in committed]
    for member, exact, was, now in zip(committed, y.exact, before, y.totals, strict=True):
        b.add(f"amendment/{member}/in_force", old.exact_of(member), was,
              msg("ledger.amendment_in_force", member=member), where, old_ill)
        b.add(f"amendment/{member}/proposed", exact, now,
              msg("ledger.amendment_proposed", member=member), where, p.shares)
        b.given(f"amendment/{member}/change", now - was,
                msg("ledger.amendment_change", member=member), where,
                tuple(dict.fromkeys((*old_ill, *p.shares))))
    for part, values, ill in (("in_force", before, old_ill), ("proposed", list(y.totals),
                                                              p.shares)):
        total = sum(values, Decimal(0))
        b.given(f"amendment/all/{part}", total, msg(f"ledger.amendment_{part}_all"), where,
                ill)
        for member, amount, pct in zip(committed, values, percentages(values), strict=True):
            exact = Fraction(amount) * 100 / Fraction(total) if total else Fraction(0)
            b.add(f"amendment_pct/{member}/{part}", exact, pct,
                  msg(f"ledger.amendment_pct_{part}", member=member), where, ill, "pct",
                  Decimal("0.01"))


def _budget(b: _Builder, y: YearResult, illustrative: tuple[KeyPath, ...]) -> None:
    for i, r in enumerate(y.budget.lines):
        own: tuple[KeyPath, ...] = tuple(x for x in illustrative
                                         if x in (("budget",), ("budget", "lines", i)))
        b.given(f"budget/{y.year}/line/{r.line.id}", r.signed,
                msg("ledger.budget_line", line=r.line.id, year=y.year),
                (("budget", "lines", i),), own)
    for name, value in (("costs", y.budget.costs), ("income", -y.budget.income),
                        ("net", y.budget.net), ("shared", y.budget.shared)):
        b.given(f"budget/{y.year}/{name}", value, msg(f"ledger.budget_{name}", year=y.year),
                (("budget",),), illustrative)


def _model(b: _Builder, charges: Charges, year: int, members: Sequence[str],
           illustrative: tuple[KeyPath, ...]) -> None:
    key = f"model/{charges.model.id}/{year}"
    inputs: tuple[KeyPath, ...] = (("budget",), ("cost_sharing", "models"))
    for member in members:
        share = next((s for s in charges.common.shares if s.member == member), None)
        for pool in charges.pools:
            b.add(f"{key}/{member}/{pool.pool.id}", pool.exact_of(member), pool.of(member),
                  msg("ledger.part", member=member, model=charges.model.id, year=year,
                      part=pool.pool.id), inputs, illustrative)
        b.add(f"{key}/{member}/criteria", share.exact if share else Fraction(0),
              share.amount if share else Decimal(0),
              msg("ledger.criteria", member=member, model=charges.model.id, year=year),
              inputs, illustrative)
        direct = charges.direct.get(member, Decimal(0))
        b.given(f"{key}/{member}/direct", direct,
                msg("ledger.direct", member=member, model=charges.model.id, year=year),
                (("budget", "lines"),))
        b.add(f"{key}/{member}/total", charges.exact_of(member), charges.of(member),
              msg("ledger.model_total", member=member, model=charges.model.id, year=year),
              inputs, illustrative)
    for pool in charges.pools:
        b.given(f"{key}/all/{pool.pool.id}", pool.amount,
                msg("ledger.part_all", model=charges.model.id, year=year, part=pool.pool.id),
                inputs, illustrative)
    b.given(f"{key}/all/criteria", charges.common.amount,
            msg("ledger.criteria_all", model=charges.model.id, year=year), inputs, illustrative)
    b.given(f"{key}/all/direct", sum((charges.direct.get(m, Decimal(0)) for m in members),
                                     Decimal(0)),
            msg("ledger.direct_all", model=charges.model.id, year=year), (("budget", "lines"),))
    b.given(f"{key}/all/total", sum((charges.of(m) for m in members), Decimal(0)),
            msg("ledger.model_total_all", model=charges.model.id, year=year), inputs,
            illustrative)
