"""Consistency of the plan itself: references resolve, offices lie in the area, statistics
are sourced. These keep the documents truthful rather than quote a section of law."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from planbuilder import fmt
from planbuilder.findings import NOTHING, did_you_mean
from planbuilder.messages import Named, msg
from planbuilder.model import STATISTIC_NAMES, STATUTORY_SECTIONS, Plan
from planbuilder.money.checks import problems, unknown_statistic
from planbuilder.rules.base import Violation, rule
from planbuilder.rules.language import texts, unfilled_value


def _duplicates(ids: list[str]) -> list[str]:
    return [i for i, n in Counter(ids).items() if n > 1]


@rule("PB-REF", "", "error")
def references(plan: Plan) -> Iterator[Violation]:
    member_ids = [m.id for m in plan.members]
    for dup in _duplicates(member_ids):
        i = max(n for n, m in enumerate(plan.members) if m.id == dup)
        yield Violation(("members", i, "id"), msg("rules.PB-REF.member_twice", id=dup))
    if plan.area.host not in member_ids:
        yield Violation(("area", "host"), msg("rules.PB-REF.host_not_member",
                                              host=plan.area.host, members=member_ids))
    elif plan.member(plan.area.host).membership != "committed":  # type: ignore[union-attr]
        yield Violation(("area", "host"), msg("rules.PB-REF.host_not_committed"))
    s = plan.sections
    partner_ids = [p.id for p in s.partners.partners] if s.partners else []
    for dup in _duplicates(partner_ids):
        yield Violation(("sections", "partners", "partners"),
                        msg("rules.PB-REF.partner_twice", id=dup))
    if s.production:
        for dup in _duplicates([x.id for x in s.production.services]):
            yield Violation(("sections", "production", "services"),
                            msg("rules.PB-REF.service_twice", id=dup))
        for i, service in enumerate(s.production.services):
            for j, ref in enumerate(service.partners):
                if ref not in partner_ids:
                    yield Violation(("sections", "production", "services", i, "partners", j),
                                    msg("rules.PB-REF.service_partner_unknown",
                                        service=service.id, partner=ref))
    for key in ("immigration_matching_mobility", "structural_change"):
        section = getattr(s, key)
        for i, measure in enumerate(section.measures if section else []):
            for j, ref in enumerate(measure.partners):
                if ref not in partner_ids:
                    yield Violation(("sections", key, "measures", i, "partners", j),
                                    msg("rules.PB-REF.measure_partner_unknown",
                                        measure=measure.title.fi, partner=ref))


@rule("PB-OFFICE", "", "error")
def offices(plan: Plan) -> Iterator[Violation]:
    if plan.sections.offices is None:
        return
    ids = {m.id for m in plan.members}
    for i, office in enumerate(plan.sections.offices.offices):
        if office.municipality not in ids:
            yield Violation(("sections", "offices", "offices", i, "municipality"),
                            msg("rules.PB-OFFICE.not_a_member", office=office.place.fi,
                                municipality=office.municipality))


_LACKS = {(True, True): "rules.PB-STAT-SOURCE.no_date_or_source",
          (True, False): "rules.PB-STAT-SOURCE.no_date",
          (False, True): "rules.PB-STAT-SOURCE.no_source"}


@rule("PB-STAT-SOURCE", "", "warning")
def statistic_sources(plan: Plan) -> Iterator[Violation]:
    for i, member in enumerate(plan.members):
        for name, stat in member.statistics.items():
            key = _LACKS.get((not stat.date, not stat.source))
            if key is not None:
                yield Violation(("members", i, "statistics", name),
                                msg(key, member=member.id, statistic=name))


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
                                msg("rules.PB-STAT-DATE.dated_otherwise", model=model.id,
                                    statistic=criterion.statistic,
                                    date=fmt.date(expected, "fi"),
                                    year=plan.area.budget_year, off=off))


@rule("PB-STAT-NAME", "", "error")
def statistic_names(plan: Plan) -> Iterator[Violation]:
    for i, d in enumerate(plan.statistics):
        if d.id in STATISTIC_NAMES:
            yield Violation(("statistics", i, "id"), msg("rules.PB-STAT-NAME.built_in",
                                                         id=d.id))
    for dup in _duplicates([d.id for d in plan.statistics]):
        i = max(n for n, d in enumerate(plan.statistics) if d.id == dup)
        yield Violation(("statistics", i, "id"), msg("rules.PB-STAT-NAME.declared_twice",
                                                     id=dup))
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
                yield Violation((*where, "end"), msg("rules.PB-PROJECT.ends_before_start",
                                                     project=p.id, end=fmt.date(p.end, "fi"),
                                                     start=fmt.date(p.start, "fi")))
            line = lines.get(p.income_line) if p.income_line else None
            if p.income_line and (line is None or line.kind != "income"):
                hint = did_you_mean(p.income_line, [x for x, v in lines.items()
                                                    if v.kind == "income"])
                yield Violation((*where, "income_line"), msg(
                    "rules.PB-PROJECT.not_an_income_line", project=p.id, line=p.income_line,
                    hint=hint or NOTHING))


@rule("PB-FILL", "", "error")
def unfilled_texts(plan: Plan) -> Iterator[Violation]:
    for path, text in texts(plan):
        if text.sv is not None and unfilled_value(text.fi) and unfilled_value(text.sv):
            # both prompts of `new --lang sv` left: one finding, quoting the reader's
            fi, sv = text.fi.strip()[:120], text.sv.strip()[:120]
            yield Violation(path, msg("rules.PB-FILL.unfilled", prompt=Named(fi, sv, fi)))
            continue
        for lang, value in (("fi", text.fi), ("sv", text.sv)):
            if value and unfilled_value(value):
                yield Violation((*path, lang) if text.sv is not None else path,
                                msg("rules.PB-FILL.unfilled", prompt=value.strip()[:120]))


@rule("PB-MEMBER-CODE", "", "error")
def member_codes(plan: Plan) -> Iterator[Violation]:
    from planbuilder.statfin import classification_source, municipalities

    known = municipalities()
    fi, sv, year = classification_source()
    source = Named(fi, sv, f"Statistics Finland's classification of municipalities {year}")
    for i, m in enumerate(plan.members):
        if m.code is None:
            continue
        found = known.get(m.code)
        if found is None:
            by_name = next((x.code for x in known.values() if x.fi == m.name.fi), None)
            yield Violation(("members", i, "code"), msg(
                "rules.PB-MEMBER-CODE.unknown", code=m.code, source=source,
                hint=msg("rules.PB-MEMBER-CODE.hint", code=by_name) if by_name else NOTHING))
        elif found.fi != m.name.fi or (m.name.sv is not None and found.sv != m.name.sv):
            yield Violation(("members", i, "code"), msg(
                "rules.PB-MEMBER-CODE.other_name", code=m.code, fi=found.fi, sv=found.sv,
                name=m.name.fi, source=source))
