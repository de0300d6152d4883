"""Act 380/2023 on organising public employment services (and 383/2023 § 4 exceptions)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from planbuilder.model import STATUTORY_SECTIONS, Plan, StatutorySection, Text
from planbuilder.rules.base import Rule, Violation, rule

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
    key, item, name, listing = section.key, section.item, section.name, section.listing

    @rule(f"L380-15-4-{item}", f"380/2023 15 § 4 mom. {item} k.", "error")
    def check(plan: Plan) -> Iterator[Violation]:
        section = getattr(plan.sections, key)
        if section is None:
            yield Violation(("sections",), f"section '{key}' ({name}) is missing")
            return
        problems = []
        count = words(section.text)
        if count < MIN_WORDS:
            problems.append(f"{count} words of prose (at least {MIN_WORDS})")
        elif filler(section.text):
            problems.append("its prose is placeholder text (lorem ipsum)")
        if not getattr(section, listing):
            problems.append(f"no {listing} listed (a convention of planbuilder)")
        if problems:
            yield Violation(("sections", key), f"section '{key}' ({name}) is not substantive: "
                            + " and ".join(problems))
        if item == 1 and plan.budget is None and not _FINANCIAL.search(section.text.fi):
            yield Violation(("sections", key), "the financial resources are not shown: add a "
                            "budget, or say in the prose what money the tasks have",
                            severity="warning")
        if item == 2 and not (section.target_groups
                              or any(s.target_groups for s in section.services)):
            yield Violation(("sections", key), "the targeting of the services is not shown: "
                            "list the target groups (target_groups)", severity="warning")

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
                        "no measure with theme " + ", ".join(missing))


@rule("L380-12-1", "380/2023 12 § 1 mom.; 383/2023 4 §", "error")
def labour_force(plan: Plan) -> Iterator[Violation]:
    missing = [m.id for m in plan.committed if "labour_force" not in m.statistics]
    if missing:
        yield Violation(("members",), "labour_force missing for committed member(s) "
                        + ", ".join(missing) + "; the 20 000 test cannot be made")
        return
    total = sum((m.statistics["labour_force"].value for m in plan.committed), Decimal(0))
    if total < MIN_LABOUR_FORCE and plan.area.exception is None:
        optional = sum((m.statistics["labour_force"].value for m in plan.members
                        if m.membership == "optional" and "labour_force" in m.statistics),
                       Decimal(0))
        extra = f" ({total + optional:,.0f} with optional members)" if optional else ""
        yield Violation(("members",), f"committed members' labour force is {total:,.0f}{extra}, "
                        "below 20,000, and no exception ground (383/2023 § 4) is named "
                        "in area.exception")


@rule("L380-12-2", "380/2023 12 § 1 mom.", "error")
def contiguity(plan: Plan) -> Iterator[Violation]:
    c = plan.area.contiguity
    if c is None:
        yield Violation(("area",), "area.contiguity is not declared")
    elif not c.declared and plan.area.exception is None:
        yield Violation(("area", "contiguity", "declared"),
                        "the area is not declared contiguous; name an exception ground of "
                        "383/2023 § 4 in area.exception")


@rule("L383-4", "383/2023 4 §", "error")
def exception(plan: Plan) -> Iterator[Violation]:
    e = plan.area.exception
    if e is None:
        return
    if words(e.justification) < 10:
        yield Violation(("area", "exception", "justification"),
                        f"exception ground '{e.ground}' needs a justification of at least 10 "
                        "words")
    if e.decision is None and e.applied is None:
        yield Violation(("area", "exception"), "the exception is a Government permit: record "
                        "its decision (decision: {date, dnro}) or the date it was applied for "
                        "(applied: date)")
    elif e.decision is None:
        yield Violation(("area", "exception", "applied"), "the exception is applied for, not "
                        "yet granted: the area may not rely on it until the Government decides",
                        severity="warning")
