"""What is changing: the law changes of the resources section (their dates, ranges and
budget lines), statistics tables with groups and forecasts, and changes decided in principle
but not yet in force. Conventions of the plan format that keep the documents truthful, not
sections of law."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from planbuilder import fmt
from planbuilder.findings import NOTHING, KeyPath, did_you_mean
from planbuilder.messages import msg
from planbuilder.model import STATUTORY_SECTIONS, BudgetLine, Plan, SeriesGroup, bounds
from planbuilder.rules.base import Violation, rule


def plan_years(plan: Plan) -> tuple[int, int]:
    """The years this plan's figures cover: the budget year to the economic plan's last."""
    year = plan.area.budget_year
    later = plan.budget.plan_years if plan.budget else []
    return year, max([year, *later])


def _line_amount(line: BudgetLine) -> Decimal | None:
    """A line's own amount in the budget year, where the line states it (overhead lines are
    computed from others: none)."""
    if line.amount is not None:
        return line.amount
    if line.htv is not None and line.cost_per_htv is not None:
        return line.htv * line.cost_per_htv
    return None


def _short(text: str, limit: int = 60) -> str:
    """A text as a message names it: whole, or cut at a word with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _n(value: Decimal) -> str:
    decimals = 0 if value == int(value) else 1 if value * 10 == int(value * 10) else 2
    return fmt.number(value, "fi", decimals)


@rule("PB-LAW-CHANGE", "", "error")
def law_changes(plan: Plan) -> Iterator[Violation]:
    resources = plan.sections.resources
    if resources is None:
        return
    first, last = plan_years(plan)
    lines = {line.id: line for line in plan.budget.lines} if plan.budget else {}
    for i, x in enumerate(resources.law_changes):
        where = ("sections", "resources", "law_changes", i)
        name = _short(x.change.fi)
        for key, effect in (("htv", x.htv), ("euros", x.euros)):
            if effect is None:
                continue
            low, high = bounds(effect)
            if low > high:
                yield Violation((*where, key), msg("rules.PB-LAW-CHANGE.reversed",
                                                   change=name, low=_n(low), high=_n(high)))
        if x.effective.year > last:
            yield Violation((*where, "effective"), msg(
                "rules.PB-LAW-CHANGE.after_plan", change=name,
                date=fmt.date(x.effective, "fi"), first=first, last=last), "warning")
        if x.effective < plan.area.date and x.status in ("estimated", "unclear"):
            yield Violation((*where, "status"), msg(
                "rules.PB-LAW-CHANGE.still_open", change=name, status=x.status,
                date=fmt.date(x.effective, "fi"), plan_date=fmt.date(plan.area.date, "fi")),
                "warning")
        if x.source is not None and x.source.date is not None \
                and x.source.date > plan.area.date:
            yield Violation((*where, "source", "date"), msg(
                "rules.PB-LAW-CHANGE.source_later", change=name,
                date=fmt.date(x.source.date, "fi"), plan_date=fmt.date(plan.area.date, "fi")))
        if x.budget_line is None:
            continue
        line = lines.get(x.budget_line)
        if line is None:
            yield Violation((*where, "budget_line"), msg(
                "rules.PB-LAW-CHANGE.no_such_line", change=name, line=x.budget_line,
                hint=did_you_mean(x.budget_line, list(lines)) or NOTHING))
            continue
        amount = _line_amount(line)
        if x.euros is not None and amount is not None \
                and max(abs(v) for v in bounds(x.euros)) > amount:
            yield Violation((*where, "euros"), msg(
                "rules.PB-LAW-CHANGE.larger_than_line", change=name, line=line.id,
                effect=_n(max(abs(v) for v in bounds(x.euros))), amount=_n(amount)),
                "warning")
        if x.htv is not None and line.htv is not None \
                and max(abs(v) for v in bounds(x.htv)) > line.htv:
            yield Violation((*where, "htv"), msg(
                "rules.PB-LAW-CHANGE.more_htv_than_line", change=name, line=line.id,
                effect=_n(max(abs(v) for v in bounds(x.htv))), htv=_n(line.htv)), "warning")


@rule("PB-SERIES", "", "error")
def series(plan: Plan) -> Iterator[Violation]:
    members = [m.id for m in plan.members]
    for i, sr in enumerate(plan.series):
        rows: list[tuple[KeyPath, SeriesGroup]] = [
            (("series", i, "groups", j), g) for j, g in enumerate(sr.groups)] \
            or [(("series", i), sr.rows[0])]
        for where, row in rows:
            if row.member is not None and row.member not in members:
                yield Violation((*where, "member"), msg(
                    "rules.PB-SERIES.not_a_member", series=sr.id, member=row.member,
                    hint=did_you_mean(row.member, members) or NOTHING))
            if row.values and row.forecast:
                latest = max(row.values, key=str)
                early = sorted(str(p) for p in row.forecast if str(p) <= str(latest))
                if early:
                    yield Violation((*where, "forecast"), msg(
                        "rules.PB-SERIES.forecast_before_values", series=sr.id,
                        periods=early, latest=str(latest)), "warning")


@rule("PB-PLANNED", "", "warning")
def planned(plan: Plan) -> Iterator[Violation]:
    found = [(("sections", s.key, "planned", i), p) for s in STATUTORY_SECTIONS
             if (section := getattr(plan.sections, s.key)) is not None
             for i, p in enumerate(section.planned)]
    cs = plan.cost_sharing
    sharing = [(("cost_sharing", "planned", i), p) for i, p in
               enumerate(cs.planned)] if cs is not None else []
    plan_date = plan.area.date
    for where, p in found + sharing:
        name = _short(p.change.fi)
        if p.decided is not None and p.decided > plan_date:
            yield Violation((*where, "decided"), msg(
                "rules.PB-PLANNED.decided_later", change=name, date=fmt.date(p.decided, "fi"),
                plan_date=fmt.date(plan_date, "fi")), "error")
        if p.effective <= plan_date:
            yield Violation((*where, "effective"), msg(
                "rules.PB-PLANNED.already_due", change=name,
                date=fmt.date(p.effective, "fi"), plan_date=fmt.date(plan_date, "fi")))
    year_end = dt.date(plan.area.budget_year, 12, 31)
    for where, p in sharing:
        if cs is not None and p.effective <= year_end and p.effective > plan_date:
            yield Violation((*where, "effective"), msg(
                "rules.PB-PLANNED.sharing_in_budget_year", change=_short(p.change.fi),
                date=fmt.date(p.effective, "fi"), year=plan.area.budget_year, model=cs.model))
