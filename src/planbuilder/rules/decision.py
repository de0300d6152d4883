"""Decision proposals (päätösesitys): what a council's agenda item needs from the plan."""

from __future__ import annotations

from collections.abc import Iterator

from planbuilder.findings import KeyPath
from planbuilder.messages import Msg, msg
from planbuilder.model import Plan, Text
from planbuilder.official import circuit_court, court_named, kind, official_kind
from planbuilder.rules.base import Violation, rule


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
    """The appeal instructions name the administrative court: the one the plan names, which
    must be an administrative court and the member's own (its circuit is the member's
    region), or else the member's circuit court from planbuilder's court data."""
    d = plan.decision
    if d is None or d.appeal != "kunnallisvalitus":
        return
    lacking: list[str] = []
    for m in plan.members:
        named = d.for_member(m.id).appeal_court
        own = circuit_court(m)
        if named is None:
            if own is None:
                lacking.append(m.id)
            continue
        path: KeyPath = ("decision", "members", m.id, "appeal_court") \
            if m.id in d.members and d.members[m.id].appeal_court is not None \
            else ("decision", "appeal_court")
        court = court_named(named)
        if court is None:
            yield Violation(path, msg("rules.PB-DECISION-APPEAL.unknown_court",
                                      court=named.fi, member=m.id))
        elif own is not None and court.id != own.id:
            yield Violation(path, msg("rules.PB-DECISION-APPEAL.other_circuit", member=m.id,
                                      court=court.name.fi, own=own.name.fi))
    if lacking:
        yield Violation(("decision",),
                        msg("rules.PB-DECISION-APPEAL.no_court", members=lacking))


# The words a body's name carries when the municipality is a city or a municipality.
_KIND_WORDS = {"kaupunki": ("kaupungin", "stads"), "kunta": ("kunnan", "kommun")}


def _says_kind(text: Text | None) -> str | None:
    """kaupunki or kunta as a body's name says it ('Lovisa stadsfullmäktige'), or None."""
    if text is None:
        return None
    words = f"{text.fi} {text.sv or ''}".casefold()
    found = {k for k, marks in _KIND_WORDS.items() if any(w in words for w in marks)}
    return found.pop() if len(found) == 1 else None


@rule("PB-MUNI-KIND", "", "warning")
def municipality_kind(plan: Plan) -> Iterator[Violation]:
    """The bodies are named by whether the municipality is a city: the stated `kind`, the
    municipality list and the names the plan writes (council, board) say the same."""
    for i, m in enumerate(plan.members):
        listed = official_kind(m)
        if m.kind is not None and listed is not None and m.kind != listed:
            yield Violation(("members", i, "kind"),
                            msg("rules.PB-MUNI-KIND.list", member=m.name.fi, stated=m.kind,
                                listed=listed))
        expected = kind(m)
        named: list[tuple[KeyPath, Text | None]] = [(("members", i, "council"), m.council)]
        d = plan.decision
        if d is not None:
            own = d.members.get(m.id)
            merged = d.for_member(m.id)
            for field in ("body", "proposer", "presenter"):
                # the member's own setting, or the common one it falls back to
                where: KeyPath = ("decision", "members", m.id, field) \
                    if own is not None and getattr(own, field) is not None \
                    else ("decision", field)
                named.append((where, getattr(merged, field)))
            named += [(("decision", "members", m.id, "earlier", k, "body"), h.body)
                      for k, h in enumerate(merged.earlier)]
        for path, text in named:
            said = _says_kind(text)
            if said is not None and said != expected:
                yield Violation(path, msg("rules.PB-MUNI-KIND.name", member=m.name.fi,
                                          name=text.fi if text else "",
                                          kind=msg(f"rules.PB-MUNI-KIND.{expected}")))


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
