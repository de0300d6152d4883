"""Consistency of the plan itself: references resolve, offices lie in the area, statistics
are sourced. These keep the documents truthful rather than quote a section of law."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from planbuilder import fmt
from planbuilder.findings import did_you_mean
from planbuilder.model import STATISTIC_NAMES, STATUTORY_SECTIONS, Plan
from planbuilder.money.checks import problems, unknown_statistic
from planbuilder.rules.base import Violation, rule


def _duplicates(ids: list[str]) -> list[str]:
    return [i for i, n in Counter(ids).items() if n > 1]


@rule("PB-REF", "", "error")
def references(plan: Plan) -> Iterator[Violation]:
    member_ids = [m.id for m in plan.members]
    for dup in _duplicates(member_ids):
        i = max(n for n, m in enumerate(plan.members) if m.id == dup)
        yield Violation(("members", i, "id"), f"member id '{dup}' is used twice")
    if plan.area.host not in member_ids:
        yield Violation(("area", "host"), f"host '{plan.area.host}' is not a member id "
                        f"({', '.join(member_ids)})")
    elif plan.member(plan.area.host).membership != "committed":  # type: ignore[union-attr]
        yield Violation(("area", "host"), "the host municipality must be a committed member")
    s = plan.sections
    partner_ids = [p.id for p in s.partners.partners] if s.partners else []
    for dup in _duplicates(partner_ids):
        yield Violation(("sections", "partners", "partners"), f"partner id '{dup}' is used twice")
    if s.production:
        for dup in _duplicates([x.id for x in s.production.services]):
            yield Violation(("sections", "production", "services"),
                            f"service id '{dup}' is used twice")
        for i, service in enumerate(s.production.services):
            for j, ref in enumerate(service.partners):
                if ref not in partner_ids:
                    yield Violation(("sections", "production", "services", i, "partners", j),
                                    f"service '{service.id}' names partner '{ref}', which is "
                                    "not in sections.partners")
    for key in ("immigration_matching_mobility", "structural_change"):
        section = getattr(s, key)
        for i, measure in enumerate(section.measures if section else []):
            for j, ref in enumerate(measure.partners):
                if ref not in partner_ids:
                    yield Violation(("sections", key, "measures", i, "partners", j),
                                    f"measure '{measure.title.fi}' names partner '{ref}', "
                                    "which is not in sections.partners")


@rule("PB-OFFICE", "380/2023 15 § 4 mom. 3 k.", "error")
def offices(plan: Plan) -> Iterator[Violation]:
    if plan.sections.offices is None:
        return
    ids = {m.id for m in plan.members}
    for i, office in enumerate(plan.sections.offices.offices):
        if office.municipality not in ids:
            yield Violation(("sections", "offices", "offices", i, "municipality"),
                            f"office '{office.place.fi}' lies in '{office.municipality}', "
                            "which is not a member municipality")


@rule("PB-STAT-SOURCE", "", "warning")
def statistic_sources(plan: Plan) -> Iterator[Violation]:
    for i, member in enumerate(plan.members):
        for name, stat in member.statistics.items():
            lacks = [w for w, v in (("date", stat.date), ("source", stat.source)) if not v]
            if lacks:
                yield Violation(("members", i, "statistics", name),
                                f"{member.id}: statistic '{name}' has no {' or '.join(lacks)}")


@rule("PB-STAT-DATE", "", "warning")
def statistic_dates(plan: Plan) -> Iterator[Violation]:
    cs = plan.cost_sharing
    if cs is None:
        return
    for i, model in enumerate(cs.models):
        for j, criterion in enumerate(model.criteria):
            if criterion.as_of is None:
                continue
            expected = criterion.as_of.for_year(plan.area.budget_year)
            off = [f"{m.id} {fmt.date(stat.date, 'fi')}" for m in plan.members
                   if (stat := m.statistics.get(criterion.statistic)) is not None
                   and stat.date is not None and stat.date != expected]
            if off:
                yield Violation(("cost_sharing", "models", i, "criteria", j, "as_of"),
                                f"model '{model.id}' takes '{criterion.statistic}' at "
                                f"{fmt.date(expected, 'fi')} for {plan.area.budget_year}, "
                                f"but it is dated otherwise for: {', '.join(off)}")


@rule("PB-STAT-NAME", "", "error")
def statistic_names(plan: Plan) -> Iterator[Violation]:
    for i, d in enumerate(plan.statistics):
        if d.id in STATISTIC_NAMES:
            yield Violation(("statistics", i, "id"), f"'{d.id}' is a built-in statistic: "
                            "use it without declaring it, or give yours another id")
    for dup in _duplicates([d.id for d in plan.statistics]):
        i = max(n for n, d in enumerate(plan.statistics) if d.id == dup)
        yield Violation(("statistics", i, "id"), f"statistic '{dup}' is declared twice")
    for i, m in enumerate(plan.members):
        for name in m.statistics:
            found = unknown_statistic(plan, name, ("members", i, "statistics", name))
            if found is not None:
                yield Violation(found.path, found.message)
        for j, p in enumerate(m.projections):
            found = unknown_statistic(plan, p.statistic, ("members", i, "projections", j,
                                                          "statistic"))
            if found is not None:
                yield Violation(found.path, found.message)
    yield from (Violation(p.path, p.message) for p in problems(plan) if p.kind == "names")


@rule("PB-PROJECT", "", "error")
def projects(plan: Plan) -> Iterator[Violation]:
    lines = {line.id: line for line in plan.budget.lines} if plan.budget else {}
    for key in (s.key for s in STATUTORY_SECTIONS):
        section = getattr(plan.sections, key)
        for i, p in enumerate(section.projects if section is not None else []):
            where = ("sections", key, "projects", i)
            if p.end < p.start:
                yield Violation((*where, "end"), f"project '{p.id}' ends "
                                f"({fmt.date(p.end, 'fi')}) before it starts "
                                f"({fmt.date(p.start, 'fi')})")
            line = lines.get(p.income_line) if p.income_line else None
            if p.income_line and (line is None or line.kind != "income"):
                yield Violation((*where, "income_line"), f"project '{p.id}' names "
                                f"'{p.income_line}', which is not an income line of the budget"
                                + did_you_mean(p.income_line, [x for x, v in lines.items()
                                                               if v.kind == "income"]))
