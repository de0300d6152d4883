"""Decision proposals (päätösesitys): what a council's agenda item needs from the plan."""

from __future__ import annotations

from collections.abc import Iterator

from planbuilder.model import Plan
from planbuilder.rules.base import Violation, rule


@rule("PB-DECISION-MEMBERS", "", "error")
def decision_members(plan: Plan) -> Iterator[Violation]:
    if plan.decision is None:
        return
    ids = {m.id for m in plan.members}
    for member_id in plan.decision.members:
        if member_id not in ids:
            yield Violation(("decision", "members", member_id), f"'{member_id}' is not a member "
                            f"(members: {', '.join(sorted(ids))})")


@rule("PB-DECISION-APPEAL", "410/2015 135 § 1 mom.; 140 §", "warning")
def appeal_court(plan: Plan) -> Iterator[Violation]:
    d = plan.decision
    if d is None or d.appeal != "kunnallisvalitus":
        return
    lacking = [m.id for m in plan.members if d.for_member(m.id).appeal_court is None]
    if lacking:
        yield Violation(("decision",), "no administrative court (appeal_court) for "
                        + ", ".join(lacking))


@rule("PB-DECISION-MEETING", "", "info")
def meeting(plan: Plan) -> Iterator[Violation]:
    d = plan.decision
    if d is None:
        return
    by_gap: dict[tuple[str, ...], list[str]] = {}
    for m in plan.members:
        own = d.for_member(m.id)
        missing = tuple(what for what, value in (("meeting date", own.meeting),
                                                 ("diary number (dnro)", own.dnro),
                                                 ("earlier handling", own.earlier or None))
                        if value is None)
        if missing:
            by_gap.setdefault(missing, []).append(m.id)
    for missing, members in by_gap.items():
        yield Violation(("decision",), f"{', '.join(missing)} not yet recorded for "
                        + ", ".join(members))
