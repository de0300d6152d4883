"""Act 380/2023 on organising public employment services (and 383/2023 § 4 exceptions)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_EVEN, Decimal

from planbuilder.findings import NOTHING
from planbuilder.messages import Msg, msg
from planbuilder.model import STATUTORY_SECTIONS, Plan, StatutorySection, Text
from planbuilder.rules.base import Rule, Violation, rule
from planbuilder.rules.language import unfilled

MIN_WORDS = 15
MIN_LABOUR_FORCE = Decimal(20_000)


def _whole(amount: Decimal) -> int:
    """A head count as a whole number, rounded as `{:,.0f}` rounds (half to even)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


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
            yield Violation(("sections", key), msg("rules.L380-15-4-1.no_finances"),
                            severity="warning")
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


@rule("L380-12-1", "380/2023 12 § 1 mom.; 383/2023 4 §", "error")
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
        extra = msg("rules.L380-12-1.with_optional", total=_whole(total + optional)) \
            if optional else NOTHING
        yield Violation(("members",), msg("rules.L380-12-1.below", total=_whole(total),
                                          with_optional=extra))


@rule("L380-12-2", "380/2023 12 § 1 mom.", "error")
def contiguity(plan: Plan) -> Iterator[Violation]:
    c = plan.area.contiguity
    if c is None:
        yield Violation(("area",), msg("rules.L380-12-2.not_declared"))
    elif not c.declared and plan.area.exception is None:
        yield Violation(("area", "contiguity", "declared"),
                        msg("rules.L380-12-2.not_contiguous"))


@rule("L383-4", "383/2023 4 §", "error")
def exception(plan: Plan) -> Iterator[Violation]:
    e = plan.area.exception
    if e is None:
        return
    if words(e.justification) < 10:
        yield Violation(("area", "exception", "justification"),
                        msg("rules.L383-4.justification", ground=e.ground))
    if e.decision is None and e.applied is None:
        yield Violation(("area", "exception"), msg("rules.L383-4.no_decision"))
    elif e.decision is None:
        yield Violation(("area", "exception", "applied"), msg("rules.L383-4.applied"),
                        severity="warning")
