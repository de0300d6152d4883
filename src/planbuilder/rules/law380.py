"""Act 380/2023 on organising public employment services: the area (12 §), the plan's items
(15 § 4 mom.) and the exceptions of the implementing act 383/2023 (4 §)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

from planbuilder import fmt
from planbuilder.findings import NOTHING
from planbuilder.messages import Msg, msg
from planbuilder.model import STATUTORY_SECTIONS, Plan, StatutorySection, Text
from planbuilder.rules.base import Rule, Violation, rule
from planbuilder.rules.language import unfilled
from planbuilder.rules.terms import OUTER_DEADLINE

MIN_WORDS = 15
MIN_LABOUR_FORCE = Decimal(20_000)


def words(text: Text) -> int:
    return len(re.findall(r"\w+", text.fi))


_FINANCIAL = re.compile(r"€|euro|talousarvi|määräraha|budget|kustannu", re.IGNORECASE)
_FILLER = {"lorem", "ipsum", "dolor", "amet", "consectetur", "adipiscing", "elit", "sed",
           "eiusmod", "tempor", "incididunt", "labore", "dolore", "magna", "aliqua"}


def filler(text: Text) -> bool:
    """Placeholder prose: a fifth or more of its words are lorem ipsum."""
    found = [w.casefold() for w in re.findall(r"\w+", text.fi)]
    return bool(found) and sum(w in _FILLER for w in found) * 5 >= len(found)


def _section_rule(section: StatutorySection) -> Rule:
    key, item, listing = section.key, section.item, section.listing
    rule_id = f"L380-15-4-{item}"
    # the item's statutory wording, in the reader's language (the law's own words)
    name = msg(f"rules.{rule_id}.wording")

    @rule(rule_id, f"380/2023 15 § 4 mom. {item} k.", "error")
    def check(plan: Plan) -> Iterator[Violation]:
        section = getattr(plan.sections, key)
        if section is None:
            yield Violation(("sections",), msg("rules.L380-15-4.missing", section=key, name=name))
            return
        prose: Msg | None = None
        count = words(section.text)
        if unfilled(section.text):
            pass  # still the prompt of `planbuilder new`: PB-FILL says so, at the text
        elif count < MIN_WORDS:
            prose = msg("rules.L380-15-4.few_words", count=count, min=MIN_WORDS)
        elif filler(section.text):
            prose = msg("rules.L380-15-4.filler")
        unlisted = None if getattr(section, listing) else \
            msg("rules.L380-15-4.not_listed", listing=listing)
        if prose is not None and unlisted is not None:
            problems: Msg | None = msg("rules.L380-15-4.both", first=prose, second=unlisted)
        else:
            problems = prose or unlisted
        if problems is not None:
            yield Violation(("sections", key), msg("rules.L380-15-4.not_substantive", section=key,
                                                   name=name, problems=problems))
        if item == 1 and plan.budget is None and not _FINANCIAL.search(section.text.fi):
            # the statute names the financial resources beside the personnel ones
            yield Violation(("sections", key), msg("rules.L380-15-4-1.no_finances"))
        if item == 2 and not (section.target_groups
                              or any(s.target_groups for s in section.services)):
            yield Violation(("sections", key), msg("rules.L380-15-4-2.no_targeting"),
                            severity="warning")

    return check


SECTION_RULES = tuple(_section_rule(section) for section in STATUTORY_SECTIONS)


@rule("L380-15-4-5-THEMES", "380/2023 15 § 4 mom. 5 k.", "warning")
def themes(plan: Plan) -> Iterator[Violation]:
    section = plan.sections.immigration_matching_mobility
    if section is None or not section.measures:
        return
    present = {m.theme for m in section.measures}
    missing = [t for t in ("immigration", "matching", "mobility") if t not in present]
    if missing:
        yield Violation(("sections", "immigration_matching_mobility", "measures"),
                        msg("rules.L380-15-4-5-THEMES.missing", themes=missing))


# 380/2023 12 § 2 mom.: the labour force is that of Statistics Finland's employment
# statistics; a source that does not name it may be another count.
_STATISTICS_FINLAND = re.compile(r"tilastokeskus|statistikcentral|statistics finland",
                                 re.IGNORECASE)


def _shown(amount: Decimal) -> int | Decimal:
    """A total as it is: a whole number without decimals, a fraction with them (a labour
    force of 19 999,6 is below 20 000 and must not read as 20 000)."""
    return int(amount) if amount == amount.to_integral_value() else amount


@rule("L380-12-1", "380/2023 12 § 1–2 mom.; 383/2023 4 § 1 mom.", "error")
def labour_force(plan: Plan) -> Iterator[Violation]:
    missing = [m.id for m in plan.committed if "labour_force" not in m.statistics]
    if missing:
        yield Violation(("members",), msg("rules.L380-12-1.not_given", members=missing))
        return
    total = sum((m.statistics["labour_force"].value for m in plan.committed), Decimal(0))
    if total < MIN_LABOUR_FORCE and plan.area.exception is None:
        optional = sum((m.statistics["labour_force"].value for m in plan.members
                        if m.membership == "optional" and "labour_force" in m.statistics),
                       Decimal(0))
        extra = msg("rules.L380-12-1.with_optional", total=_shown(total + optional)) \
            if optional else NOTHING
        # the figures still 0 are the lines to edit: the first of them is where it points
        zeros = [(i, m) for i, m in enumerate(plan.members) if m.membership == "committed"
                 and m.statistics["labour_force"].value == 0]
        where = ("members", zeros[0][0], "statistics", "labour_force", "value") if zeros \
            else ("members",)
        zero = msg("rules.L380-12-1.zero", members=[m.id for _, m in zeros]) if zeros \
            else NOTHING
        yield Violation(where, msg("rules.L380-12-1.below", total=_shown(total),
                                   with_optional=extra, zero=zero))
    for i, m in enumerate(plan.members):
        stat = m.statistics.get("labour_force")
        if stat is None or m.membership != "committed":
            continue
        path = ("members", i, "statistics", "labour_force")
        source = " ".join(filter(None, (stat.source.fi, stat.source.sv))) if stat.source else ""
        if not _STATISTICS_FINLAND.search(source):
            yield Violation((*path, "source") if stat.source else path,
                            msg("rules.L380-12-1.source", member=m.id), severity="warning")
        if stat.value != stat.value.to_integral_value():
            yield Violation((*path, "value"), msg("rules.L380-12-1.fraction", member=m.id,
                                                  value=stat.value), severity="warning")


@rule("L380-12-YEAR", "380/2023 12 § 2 mom.", "error")
def labour_force_year(plan: Plan) -> Iterator[Violation]:
    """The members' labour forces are added up: they must be figures of one statistical year,
    or the sum is no year's labour force of the area."""
    dated = [(i, m, m.statistics["labour_force"].date) for i, m in enumerate(plan.members)
             if "labour_force" in m.statistics and m.statistics["labour_force"].date]
    years = Counter(d.year for _, _, d in dated if d is not None)
    if len(years) < 2:
        return
    # the year most members use (of equals, the latest) is the one the others should match
    year = max(years, key=lambda y: (years[y], y))
    for i, m, date in dated:
        assert date is not None
        if date.year != year:
            yield Violation(("members", i, "statistics", "labour_force", "date"),
                            msg("rules.L380-12-YEAR.other_year", member=m.id, year=date.year,
                                expected=year))


@rule("L380-12-2", "380/2023 12 § 1 mom.; 383/2023 4 § 1 mom.", "error")
def contiguity(plan: Plan) -> Iterator[Violation]:
    c = plan.area.contiguity
    if c is None:
        yield Violation(("area",), msg("rules.L380-12-2.not_declared"))
    elif not c.declared:
        # a permit of 383/2023 4 § lets an area organise with fewer than 20 000 in its labour
        # force; it does not lift the requirement of a contiguous commuting area
        yield Violation(("area", "contiguity", "declared"),
                        msg("rules.L380-12-2.not_contiguous"))


@rule("L383-4", "383/2023 4 § 1 mom., 4 § 3 mom., 3 § 1 mom.", "error")
def exception(plan: Plan) -> Iterator[Violation]:
    e = plan.area.exception
    if e is None:
        return
    if words(e.justification) < 10:
        yield Violation(("area", "exception", "justification"),
                        msg("rules.L383-4.justification", ground=e.ground))
    if e.decision is None and e.applied is None:
        yield Violation(("area", "exception"), msg("rules.L383-4.no_decision"))
    elif e.decision is None and e.applied is not None and e.applied > OUTER_DEADLINE:
        # 4 § 3 mom.: the application within the time of 3 § 1 mom.
        yield Violation(("area", "exception", "applied"),
                        msg("rules.L383-4.late", applied=fmt.date(e.applied, "fi"),
                            deadline=fmt.date(OUTER_DEADLINE, "fi")))
    elif e.decision is None:
        yield Violation(("area", "exception", "applied"), msg("rules.L383-4.applied"),
                        severity="warning")
    if e.ground == "other_special_reason" and plan.agreement is None \
            and len(plan.committed) > 1:
        yield Violation(("area", "exception", "ground"), msg("rules.L383-4.no_agreement"))


@rule("L383-4-2", "383/2023 4 § 2 mom.", "warning")
def exception_conditions(plan: Plan) -> Iterator[Violation]:
    e = plan.area.exception
    if e is None or e.decision is not None:
        return  # granted: the Government found the conditions met
    if e.conditions is None:
        yield Violation(("area", "exception"), msg("rules.L383-4-2.no_account"))
    elif not unfilled(e.conditions) and words(e.conditions) < 10:
        yield Violation(("area", "exception", "conditions"),
                        msg("rules.L383-4-2.thin", count=words(e.conditions)))


@rule("L383-4-3", "383/2023 4 § 3 mom.", "warning")
def exception_evidence(plan: Plan) -> Iterator[Violation]:
    e = plan.area.exception
    if e is None or e.decision is not None or e.evidence:
        return  # a permit granted was applied for with what the Government needed
    yield Violation(("area", "exception"), msg("rules.L383-4-3.no_evidence", ground=e.ground))
