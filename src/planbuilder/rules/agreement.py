"""Kuntalaki 410/2015 §§ 51-52, the equality act 609/1986 § 4 a and 380/2023 § 15(1) on the
cooperation agreement (sopimus yhteisestä toimielimestä)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

from planbuilder import fmt
from planbuilder.model import Plan
from planbuilder.rules.base import Rule, Violation, rule
from planbuilder.rules.terms import approval_date, seats_by_member, tem_deadline

KL52 = (
    (1, "tasks", "the joint body's tasks and the transfer of the duty to organise"),
    (2, "composition", "the body's composition and the other municipalities' right to choose "
     "members"),
    (3, "finances", "the basis of costs and their division"),
    (4, "validity", "the agreement's validity and termination"),
)


def _kl52_rule(item: int, kind: str, what: str) -> Rule:
    @rule(f"KL-52-{item}", f"410/2015 52 § 1 mom. {item} k.", "error")
    def check(plan: Plan) -> Iterator[Violation]:
        a = plan.agreement
        if a is None:
            return
        if not any(c.kind == kind for c in a.clauses):
            yield Violation(("agreement", "clauses"), f"no clause of kind '{kind}' ({what})")

    return check


KL52_RULES = tuple(_kl52_rule(*clause) for clause in KL52)


@rule("KL-51", "410/2015 51 § 2 mom.", "info")
def every_member_takes_part(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None:
        return
    chooses = seats_by_member(plan)
    with_conditional = seats_by_member(plan, include_conditional=True)
    proposes = {m for s in a.seats if not s.conditional for m in s.proposed_by}
    proposes_if_joins = {m for s in a.seats for m in s.proposed_by}
    for m in plan.members:
        if m.membership == "committed" and not chooses.get(m.id) and m.id not in proposes:
            yield Violation(("agreement", "seats"), f"member '{m.id}' neither chooses nor "
                            "proposes a member of the joint body; lawful (kuntalaki 51 § "
                            "2 mom.), but say in the agreement how it takes part")
        elif m.membership == "optional" and not with_conditional.get(m.id) \
                and m.id not in proposes_if_joins:
            yield Violation(("agreement", "seats"), f"optional member '{m.id}' has no "
                            "(conditional) seat for when it joins")


@rule("PB-AGR", "", "error")
def agreement_consistency(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None:
        return
    ids = {m.id for m in plan.members}
    for i, seat in enumerate(a.seats):
        if seat.appointed_by not in ids:
            yield Violation(("agreement", "seats", i, "appointed_by"),
                            f"seat appointed by '{seat.appointed_by}', which is not a member")
        for j, proposer in enumerate(seat.proposed_by):
            if proposer not in ids:
                yield Violation(("agreement", "seats", i, "proposed_by", j),
                                f"seat proposed by '{proposer}', which is not a member")
        if len(seat.named) > seat.members * (2 if seat.personal_deputies else 1):
            yield Violation(("agreement", "seats", i, "named"),
                            f"{len(seat.named)} people named for {seat.members} seat(s)")
    for i, approval in enumerate(a.approvals):
        if approval.member not in ids:
            yield Violation(("agreement", "approvals", i, "member"),
                            f"approval by '{approval.member}', which is not a member")
    for cid, n in Counter(c.id for c in a.clauses).items():
        if n > 1:
            yield Violation(("agreement", "clauses"), f"clause id '{cid}' is used twice")
    for role in ("chair", "vice_chair"):
        holders = [s for s in a.seats if getattr(s, role)]
        if len(holders) != 1:
            yield Violation(("agreement", "seats"), f"{len(holders)} seat groups hold the "
                            f"{role.replace('_', '-')} (exactly one expected)")
    v = a.validity
    if v.earliest_termination is not None and v.earliest_termination < v.start:
        yield Violation(("agreement", "validity", "earliest_termination"),
                        f"the earliest termination ({fmt.date(v.earliest_termination, 'fi')}) "
                        f"is before the agreement starts ({fmt.date(v.start, 'fi')})")
    for i, approval in enumerate(a.approvals):
        if approval.date < a.date:
            yield Violation(("agreement", "approvals", i, "date"),
                            f"'{approval.member}' approved on {fmt.date(approval.date, 'fi')}, "
                            f"before the agreement's date {fmt.date(a.date, 'fi')}")
    if any(c.kind == "finances" for c in a.clauses) and plan.cost_sharing is None:
        yield Violation(("agreement", "clauses"), "the finances clause has no computed cost "
                        "sharing to show: add cost_sharing to the plan, or state the criteria, "
                        "weights, advances and settlement in the clause", severity="warning")


@rule("PB-AGR-TERMS", "", "warning")
def payment_terms(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    cs = plan.cost_sharing
    if a is None or cs is None or not any(c.kind == "finances" for c in a.clauses):
        return
    if cs.terms.settlement_by is None:
        yield Violation(("cost_sharing", "terms"), "the finances clause does not say by when "
                        "the year-end settlement is made: add cost_sharing.terms.settlement_by "
                        "(e.g. {month: 3, day: 31} for 31.3. of the following year)")
    if cs.terms.advance_due_day is None:
        yield Violation(("cost_sharing", "terms"), "the finances clause does not say when the "
                        "monthly advances fall due: add cost_sharing.terms.advance_due_day "
                        "(the day of the month, 1–28)")


@rule("PB-AGR-WITHDRAWAL", "", "warning")
def withdrawal(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None or len(plan.committed) < 2 or any(c.kind == "withdrawal" for c in a.clauses):
        return
    yield Violation(("agreement", "clauses"), "no clause of kind 'withdrawal' says what a "
                    "member that gives notice still pays (its share until the notice period "
                    f"of {a.validity.notice_months} months ends and its last settlement) and "
                    "what becomes of personnel, property and liabilities")


CUSTOMARY = ("takeover_right", "personnel", "records", "client_data", "liability", "disputes",
             "amendments", "pending_matters", "property", "signatures")


@rule("PB-AGR-HEADINGS", "", "warning")
def customary_headings(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None:
        return
    present = {c.kind for c in a.clauses}
    missing = [k for k in CUSTOMARY if k not in present]
    if missing:
        yield Violation(("agreement", "clauses"), "no clause of the customary kind(s) "
                        + ", ".join(missing))


@rule("L423-29", "423/2003 29 § 1 mom., 32 § 2 mom.", "warning")
def language_clause(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is not None and plan.bilingual and not any(c.kind == "language" for c in a.clauses):
        yield Violation(("agreement", "clauses"), "the joint body is bilingual, but no clause "
                        "of kind 'language' provides for invitations, minutes and notices in "
                        "Finnish and Swedish")


@rule("L609-4A", "609/1986 4 a § 1 mom. (657/2021)", "error")
def gender_balance(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None:
        return
    seat_total = sum(s.members for s in a.seats if not s.conditional)
    for role in ("member", "deputy"):
        named = [n for s in a.seats if not s.conditional for n in s.named if n.role == role]
        if role == "member" and len(named) < seat_total:
            yield Violation(("agreement", "seats"), f"{len(named)} of {seat_total} members "
                            "named yet; once the councils have elected them, list each under "
                            "agreement.seats[].named ({role: member|deputy, gender: "
                            "female|male}) and the 40 % rule is checked", severity="info")
            return
        if not named:
            continue
        counts = Counter(n.gender for n in named)
        for gender in ("female", "male"):
            share = Decimal(counts[gender]) * 100 / len(named)
            if share < 40:
                yield Violation(("agreement", "seats"), f"{gender} {role}s are "
                                f"{share:.0f} % "
                                f"({counts[gender]} of {len(named)}); at least 40 % required")


@rule("L380-15-1", "380/2023 15 § 1 mom.", "info")
def tem_notification(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None:
        if len(plan.committed) > 1:
            yield Violation(("area",), "the area has several member municipalities but no "
                            "agreement on a joint body: add one (kuntalaki 51–52 §); it goes "
                            "to TEM with the organising plan")
        return
    deadline = tem_deadline(plan)
    if deadline is not None:
        approved = approval_date(a.approvals, [m.id for m in plan.committed])
        assert approved is not None
        yield Violation(("agreement", "approvals"), f"approved by all members on "
                        f"{fmt.date(approved, 'fi')}; send the agreement and the organising "
                        f"plan to TEM by {fmt.date(deadline, 'fi')}")
    else:
        done = {x.member for x in a.approvals}
        pending = [m.id for m in plan.committed if m.id not in done]
        yield Violation(("agreement",), "TEM deadline not yet computable: awaiting approval by "
                        + ", ".join(pending))


