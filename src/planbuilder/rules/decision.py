"""Decision proposals (päätösesitys): what a council's agenda item needs from the plan."""

from __future__ import annotations

from collections.abc import Iterator

from planbuilder.messages import Msg, msg
from planbuilder.model import Plan
from planbuilder.rules.base import Violation, rule


@rule("PB-DECISION", "", "warning")
def decision_block(plan: Plan) -> Iterator[Violation]:
    """An agreement, or a plan put forward, goes to the councils: their proposals are written
    from `decision:` alone, so without it the set lacks them."""
    if plan.decision is None and (plan.agreement is not None
                                  or plan.area.status != "draft"):
        yield Violation((), msg("rules.PB-DECISION.missing"))


@rule("PB-DECISION-MEMBERS", "", "error")
def decision_members(plan: Plan) -> Iterator[Violation]:
    if plan.decision is None:
        return
    ids = {m.id for m in plan.members}
    for member_id in plan.decision.members:
        if member_id not in ids:
            yield Violation(("decision", "members", member_id),
                            msg("rules.PB-DECISION-MEMBERS.unknown", member=member_id,
                                members=sorted(ids)))


@rule("PB-DECISION-APPEAL", "434/2003 47 § 1 mom. 1 k.; 410/2015 135 § 1 mom.", "error")
def appeal_court(plan: Plan) -> Iterator[Violation]:
    d = plan.decision
    if d is None or d.appeal != "kunnallisvalitus":
        return
    lacking = [m.id for m in plan.members if d.for_member(m.id).appeal_court is None]
    if lacking:
        yield Violation(("decision",),
                        msg("rules.PB-DECISION-APPEAL.no_court", members=lacking))


# What a member's own decision settings may still lack, in the order a message lists them.
MEETING_DATE = msg("rules.PB-DECISION-MEETING.meeting_date")
DNRO = msg("rules.PB-DECISION-MEETING.dnro")
SECTION = msg("rules.PB-DECISION-MEETING.section")
EARLIER = msg("rules.PB-DECISION-MEETING.earlier")


def _listed(items: tuple[Msg, ...]) -> Msg:
    """Messages listed with commas, each worded in the reader's language."""
    first, *rest = items
    return msg("rules.PB-DECISION-MEETING.list", first=first, rest=_listed(tuple(rest))) \
        if rest else first


@rule("PB-DECISION-MEETING", "", "info")
def meeting(plan: Plan) -> Iterator[Violation]:
    d = plan.decision
    if d is None:
        return
    by_gap: dict[tuple[Msg, ...], list[str]] = {}
    for m in plan.members:
        own = d.for_member(m.id)
        missing = tuple(what for what, value in ((MEETING_DATE, own.meeting),
                                                 (SECTION, own.meeting and
                                                  own.meeting.section),
                                                 (DNRO, own.dnro),
                                                 (EARLIER, own.earlier or None))
                        if value is None)
        if missing:
            by_gap.setdefault(missing, []).append(m.id)
    for missing, members in by_gap.items():
        yield Violation(("decision",), msg("rules.PB-DECISION-MEETING.not_recorded",
                                           missing=_listed(missing), members=members))
