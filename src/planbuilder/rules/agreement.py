"""Kuntalaki 410/2015 §§ 51-52, the equality act 609/1986 § 4 a and 380/2023 § 15(1) on the
cooperation agreement (sopimus yhteisestä toimielimestä)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

from planbuilder import fmt
from planbuilder.amendment import amendment
from planbuilder.messages import Msg, msg
from planbuilder.model import GENERATED_CLAUSES, Plan, Text
from planbuilder.rules.base import Rule, Violation, rule
from planbuilder.rules.language import unfilled
from planbuilder.rules.terms import (
    OUTER_DEADLINE,
    TEM_NOTICE,
    TRANSFER,
    approval_date,
    notice_deadline,
    seats_by_member,
    tem_deadline,
)

KL52 = (
    (1, "tasks", msg("rules.KL-52-1.no_clause", kind="tasks")),
    (2, "composition", msg("rules.KL-52-2.no_clause", kind="composition")),
    (3, "finances", msg("rules.KL-52-3.no_clause", kind="finances")),
    (4, "validity", msg("rules.KL-52-4.no_clause", kind="validity")),
)


# 410/2015 52 § 1 mom. 1 k.: the tasks "sekä tarvittaessa 8 §:ssä tarkoitetun
# järjestämisvastuun siirtymisestä"; a tasks clause that never names the duty to organise
# leaves unsaid whether it passes to the host municipality.
_DUTY_TO_ORGANISE = re.compile(r"järjestämisvastuu|organiseringsansvar", re.IGNORECASE)


def _kl52_rule(item: int, kind: str, missing: Msg) -> Rule:
    @rule(f"KL-52-{item}", f"410/2015 52 § 1 mom. {item} k.", "error")
    def check(plan: Plan) -> Iterator[Violation]:
        a = plan.agreement
        if a is None:
            return
        if not any(c.kind == kind for c in a.clauses):
            yield Violation(("agreement", "clauses"), missing)
        elif kind == "tasks":
            written = [(i, c) for i, c in enumerate(a.clauses)
                       if c.kind == kind and c.text is not None and not unfilled(c.text)]
            if written and not any(_DUTY_TO_ORGANISE.search(f"{c.text.fi} {c.text.sv or ''}")
                                   for _, c in written if c.text is not None):
                i, clause = written[0]
                yield Violation(("agreement", "clauses", i, "text"),
                                msg("rules.KL-52-1.no_transfer", clause=clause.id),
                                severity="warning")

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
            yield Violation(("agreement", "seats"),
                            msg("rules.KL-51.no_part", member=m.id))
        elif m.membership == "optional" and not with_conditional.get(m.id) \
                and m.id not in proposes_if_joins:
            yield Violation(("agreement", "seats"),
                            msg("rules.KL-51.optional_no_seat", member=m.id))


@rule("PB-AGR", "", "error")
def agreement_consistency(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None:
        return
    ids = {m.id for m in plan.members}
    for i, seat in enumerate(a.seats):
        if seat.appointed_by not in ids:
            yield Violation(("agreement", "seats", i, "appointed_by"),
                            msg("rules.PB-AGR.appointed_by_unknown",
                                member=seat.appointed_by))
        for j, proposer in enumerate(seat.proposed_by):
            if proposer not in ids:
                yield Violation(("agreement", "seats", i, "proposed_by", j),
                                msg("rules.PB-AGR.proposed_by_unknown", member=proposer))
        if len(seat.named) > seat.members * (2 if seat.personal_deputies else 1):
            yield Violation(("agreement", "seats", i, "named"),
                            msg("rules.PB-AGR.too_many_named", named=len(seat.named),
                                seats=seat.members))
    for i, approval in enumerate(a.approvals):
        if approval.member not in ids:
            yield Violation(("agreement", "approvals", i, "member"),
                            msg("rules.PB-AGR.approval_unknown", member=approval.member))
    for i, clause in enumerate(a.clauses):
        generated = clause.kind in GENERATED_CLAUSES and \
            (clause.kind != "finances" or plan.cost_sharing is not None)
        if clause.text is None and not generated:
            yield Violation(("agreement", "clauses", i),
                            msg("rules.PB-AGR.clause_needs_text", clause=clause.id,
                                kind=clause.kind))
    for cid, n in Counter(c.id for c in a.clauses).items():
        if n > 1:
            yield Violation(("agreement", "clauses"),
                            msg("rules.PB-AGR.clause_id_twice", clause=cid))
    chairs = sum(1 for s in a.seats if s.chair)
    if chairs != 1:
        yield Violation(("agreement", "seats"), msg("rules.PB-AGR.chair_count", count=chairs))
    vice_chairs = sum(1 for s in a.seats if s.vice_chair)
    if vice_chairs != 1:
        yield Violation(("agreement", "seats"),
                        msg("rules.PB-AGR.vice_chair_count", count=vice_chairs))
    v = a.validity
    if v.earliest_termination is not None and v.earliest_termination < v.start:
        yield Violation(("agreement", "validity", "earliest_termination"),
                        msg("rules.PB-AGR.termination_before_start",
                            termination=fmt.date(v.earliest_termination, "fi"),
                            start=fmt.date(v.start, "fi")))
    for i, approval in enumerate(a.approvals):
        if approval.date < a.date:
            yield Violation(("agreement", "approvals", i, "date"),
                            msg("rules.PB-AGR.approved_before_date", member=approval.member,
                                approved=fmt.date(approval.date, "fi"),
                                date=fmt.date(a.date, "fi")))
    if any(c.kind == "finances" for c in a.clauses) and plan.cost_sharing is None:
        yield Violation(("agreement", "clauses"), msg("rules.PB-AGR.no_cost_sharing"),
                        severity="warning")


@rule("PB-AGR-TERMS", "", "warning")
def payment_terms(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    cs = plan.cost_sharing
    if a is None or cs is None or not any(c.kind == "finances" for c in a.clauses):
        return
    if cs.terms.settlement_by is None:
        yield Violation(("cost_sharing", "terms"), msg("rules.PB-AGR-TERMS.no_settlement_by"))
    if cs.terms.advance_due_day is None:
        yield Violation(("cost_sharing", "terms"), msg("rules.PB-AGR-TERMS.no_advance_due_day"))


@rule("PB-AGR-WITHDRAWAL", "", "warning")
def withdrawal(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None or len(plan.committed) < 2 or any(c.kind == "withdrawal" for c in a.clauses):
        return
    yield Violation(("agreement", "clauses"), msg("rules.PB-AGR-WITHDRAWAL.no_clause",
                                                  months=a.validity.notice_months))


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
        yield Violation(("agreement", "clauses"),
                        msg("rules.PB-AGR-HEADINGS.missing", kinds=[
                            msg("common.clause_kind_named", kind=k,
                                name=msg(f"common.clause_kind.{k}")) for k in missing]))


@rule("L423-29", "423/2003 29 § 1 mom., 32 § 2 mom.", "warning")
def language_clause(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is not None and plan.bilingual and not any(c.kind == "language" for c in a.clauses):
        yield Violation(("agreement", "clauses"), msg("rules.L423-29.no_clause"))


# What says the members' right to use Finnish or Swedish (kielilaki 28 §), in either language.
_LANGUAGE_RIGHT = re.compile(r"suomea tai ruotsia|ruotsia tai suomea|suomen tai ruotsin kiel"
                             r"|finska eller svenska|svenska eller finska", re.IGNORECASE)


@rule("L423-28", "423/2003 28 § 1 mom.", "warning")
def members_language_right(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None or not plan.bilingual:
        return
    said = any(c.kind == "language" and c.text is not None
               and _LANGUAGE_RIGHT.search(f"{c.text.fi} {c.text.sv or ''}") for c in a.clauses)
    if not said:
        path = next((("agreement", "clauses", i) for i, c in enumerate(a.clauses)
                     if c.kind == "language"), ("agreement", "clauses"))
        yield Violation(path, msg("rules.L423-28.not_said"))


# Who is too few, by gender and role.
GROUPS = {
    ("female", "member"): msg("rules.L609-4A.female_members"),
    ("male", "member"): msg("rules.L609-4A.male_members"),
    ("female", "deputy"): msg("rules.L609-4A.female_deputies"),
    ("male", "deputy"): msg("rules.L609-4A.male_deputies"),
}


@rule("L609-4A", "609/1986 4 a § 1 mom. (657/2021)", "error")
def gender_balance(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None:
        return
    seats = [s for s in a.seats if not s.conditional]
    totals = {"member": sum(s.members for s in seats),
              "deputy": sum(s.members for s in seats if s.personal_deputies)}
    reason = a.special_reason if a.special_reason is not None \
        and not unfilled(a.special_reason.grounds) else None
    for role in ("member", "deputy"):
        named = [n for s in seats for n in s.named if n.role == role]
        if role == "member" and len(named) < totals[role]:
            yield Violation(("agreement", "seats"),
                            msg("rules.L609-4A.not_named", named=len(named),
                                seats=totals[role]), severity="info")
            return
        if not named:
            continue  # deputies not listed at all: the members' shares are what is known
        if len(named) < totals[role]:
            # as with the members: the shares are known once every deputy is elected
            yield Violation(("agreement", "seats"),
                            msg("rules.L609-4A.deputies_not_named", named=len(named),
                                seats=totals[role]), severity="info")
            continue
        counts = Counter(n.gender for n in named)
        for gender in ("female", "male"):
            share = Decimal(counts[gender]) * 100 / len(named)
            if share >= 40:
                continue
            too_few = msg("rules.L609-4A.too_few", who=GROUPS[gender, role],
                          share=f"{share:.0f}", count=counts[gender], total=len(named))
            if reason is None:
                yield Violation(("agreement", "seats"), too_few)
            else:
                # "jollei erityisestä syystä muuta johdu": a recorded special reason
                yield Violation(("agreement", "special_reason"),
                                msg("rules.L609-4A.special_reason", below=too_few,
                                    grounds=reason.grounds.fi), severity="info")


# 609/1986 4 a § 3 mom.: whoever is asked to propose candidates proposes, where possible,
# both a woman and a man for each seat; a composition clause with a sentence that says so
# (a verb of proposing and the pair in one sentence) is enough.
_PROPOSE = re.compile(r"ehdot|ehdolle|föreslå|nominer", re.IGNORECASE)
_WOMAN_AND_MAN = re.compile(r"nais\w* ja mie\w*|mie\w* ja nais\w*|naista että miestä"
                            r"|miestä että naista|kvinna och en man|man och en kvinna",
                            re.IGNORECASE)


def _says_both_proposed(text: str) -> bool:
    return any(_PROPOSE.search(s) and _WOMAN_AND_MAN.search(s) for s in text.split("."))


@rule("L609-4A-3", "609/1986 4 a § 3 mom.", "info")
def both_proposed(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None:
        return
    proposers = sorted({m for s in a.seats for m in s.proposed_by})
    if not proposers:
        return
    if any(c.kind == "composition" and c.text is not None
           and _says_both_proposed(f"{c.text.fi}. {c.text.sv or ''}") for c in a.clauses):
        return
    yield Violation(("agreement", "seats"), msg("rules.L609-4A-3.propose_both",
                                                members=proposers))


def _first_approvals(plan: Plan) -> list[str]:
    """The committed members whose approvals make the agreement: those approving after it
    took effect joined it later, and that is a change of members (380/2023 15 § 3 mom.)."""
    a = plan.agreement
    assert a is not None
    late = {x.member for x in a.approvals if x.date > a.validity.start}
    return [m.id for m in plan.committed if m.id not in late]


@rule("L380-15-1", "380/2023 15 § 1 mom.", "info")
def tem_notification(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None:
        if len(plan.committed) > 1:
            yield Violation(("area",), msg("rules.L380-15-1.no_agreement"))
        return
    deadline = tem_deadline(plan)
    if deadline is not None:
        approved = approval_date(a.approvals, [m.id for m in plan.committed])
        assert approved is not None
        key = "rules.L380-15-1.send_by_outer" if deadline == OUTER_DEADLINE \
            and approved + TEM_NOTICE > OUTER_DEADLINE else "rules.L380-15-1.send_by"
        yield Violation(("agreement", "approvals"),
                        msg(key, approved=fmt.date(approved, "fi"),
                            deadline=fmt.date(deadline, "fi")))
    else:
        done = {x.member for x in a.approvals}
        pending = [m.id for m in plan.committed if m.id not in done]
        yield Violation(("agreement", "approvals"),
                        msg("rules.L380-15-1.awaiting", members=pending))


@rule("L380-15-2", "380/2023 15 § 2 mom.", "info")
def organising_alone(plan: Plan) -> Iterator[Violation]:
    if len(plan.committed) != 1:
        return
    (member,) = plan.committed
    d = plan.decision
    meeting = d.for_member(member.id).meeting if d is not None else None
    if meeting is None:
        yield Violation(("area",), msg("rules.L380-15-2.when_decided", member=member.id))
        return
    yield Violation(("decision", "members", member.id, "meeting"),
                    msg("rules.L380-15-2.send_by", member=member.id,
                        decided=fmt.date(meeting.date, "fi"),
                        deadline=fmt.date(notice_deadline(meeting.date), "fi")))


@rule("L380-15-3", "380/2023 15 § 3 mom.", "info")
def membership_change(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None:
        return
    for i, approval in enumerate(a.approvals):
        member = plan.member(approval.member)
        if member is None:
            continue  # PB-AGR reports it
        if member.membership == "optional" or approval.date > a.validity.start:
            yield Violation(("agreement", "approvals", i),
                            msg("rules.L380-15-3.joined", member=member.id,
                                approved=fmt.date(approval.date, "fi"),
                                deadline=fmt.date(notice_deadline(approval.date), "fi")))


@rule("L383-3", "383/2023 3 § 1 mom.", "warning")
def first_outer_deadline(plan: Plan) -> Iterator[Violation]:
    """The first agreement, for organising the services from 1.1.2025, and its plan were due
    at TEM by 31.10.2023 at the latest."""
    a = plan.agreement
    if a is None or a.validity.start > TRANSFER:
        return
    approved = approval_date(a.approvals, _first_approvals(plan))
    if approved is not None and approved > OUTER_DEADLINE:
        yield Violation(("agreement", "approvals"),
                        msg("rules.L383-3.late", approved=fmt.date(approved, "fi"),
                            deadline=fmt.date(OUTER_DEADLINE, "fi")))


@rule("PB-AMEND", "410/2015 52 § 1 mom. 3 k.", "error")
def amendment_consistency(plan: Plan) -> Iterator[Violation]:
    """The agreement in force names members and a model the plan knows, and a change of the
    basis of cost sharing is decided as an amendment of the agreement."""
    old = plan.agreement_in_force
    cs = plan.cost_sharing
    if old is None:
        phase = next((m.phase_in for m in cs.models if cs is not None and m.id == cs.model
                      and m.phase_in is not None), None) if cs is not None else None
        if phase is not None:
            yield Violation(("cost_sharing", "model"),
                            msg("rules.PB-AMEND.undeclared", old=phase.from_model,
                                new=cs.model if cs is not None else ""),
                            severity="warning")
        return
    if plan.agreement is None:
        yield Violation(("agreement_in_force",), msg("rules.PB-AMEND.no_draft"))
    ids = {m.id for m in plan.members}
    for i, d in enumerate(old.decisions):
        if d.member not in ids:
            yield Violation(("agreement_in_force", "decisions", i, "member"),
                            msg("rules.PB-AMEND.decision_unknown", member=d.member))
    models = {m.id for m in cs.models} if cs is not None else set()
    if old.model is not None and old.model not in models:
        yield Violation(("agreement_in_force", "model"),
                        msg("rules.PB-AMEND.model_unknown", model=old.model,
                            models=", ".join(sorted(models)) or "-"))
    if plan.agreement is not None and old.date > plan.agreement.date:
        yield Violation(("agreement_in_force", "date"),
                        msg("rules.PB-AMEND.in_force_after_draft",
                            in_force=fmt.date(old.date, "fi"),
                            draft=fmt.date(plan.agreement.date, "fi")))
    change = amendment(plan)
    if change is not None and not change.any:
        yield Violation(("agreement_in_force",), msg("rules.PB-AMEND.no_change"),
                        severity="info")


# --- each fact once (PB-AGR-ONCE) -----------------------------------------------------------
# planbuilder writes some facts of the agreement itself: the list of parties, the finances
# clause's model, advances and settlement rule, and in an agreement made in Finnish and Swedish
# how the two language versions relate. A preparer's own text that says them again makes the
# agreement say one thing twice, in two wordings a lawyer must reconcile.

def _named(name: str) -> re.Pattern[str]:
    """A municipality's name in running text, inflected as Finnish inflects it: a name that
    ends in a vowel is matched by its stem (Lapinjärvi, Lapinjärven), any other by itself
    followed by endings (Lappträsk, Lappträsks)."""
    stem = name[:-1] if len(name) > 4 and name[-1].lower() in "aeiouyäö" else name
    return re.compile(rf"\b{re.escape(stem)}\w*", re.IGNORECASE)


def _names_of(plan: Plan, member_id: str) -> list[str]:
    m = plan.member(member_id)
    assert m is not None
    return [n for t in (m.name, m.formal_name) if t is not None for n in (t.fi, t.sv) if n]


# The finances clause's generated text: the settlement, the advances and the criteria weights.
_FINANCES_SAID = re.compile(r"\btasa[ta]\w*|\btasau\w*|\bennak\w*|utjämn\w*|förskott\w*"
                            r"|\b\d+\s*(?:prosent\w*|procent|%)", re.IGNORECASE)
# How the language versions relate (the signatures clause's generated sentence).
# (The joint body's minutes "laaditaan suomeksi ja ruotsiksi" say another thing: only a
# sentence about the agreement itself counts.)
_VERSIONS_SAID = re.compile(r"kieliversi\w*|språkversion\w*"
                            r"|sopimu[sk]\w*[^.]*?(?:suomeksi ja ruotsiksi|ruotsiksi ja suomeksi"
                            r"|suomen- ja ruotsinkiel)"
                            r"|avtal\w*[^.]*?på (?:finska och svenska|svenska och finska)",
                            re.IGNORECASE)


def _both(text: Text) -> str:
    return f"{text.fi}\n{text.sv or ''}"


@rule("PB-AGR-ONCE", "", "warning")
def each_fact_once(plan: Plan) -> Iterator[Violation]:
    a = plan.agreement
    if a is None:
        return
    bilingual_versions = "fi" in plan.languages and "sv" in plan.languages
    for i, clause in enumerate(a.clauses):
        if clause.text is None or unfilled(clause.text):
            continue
        path = ("agreement", "clauses", i, "text")
        body = _both(clause.text)
        if clause.kind == "parties":
            named = [m.id for m in plan.committed
                     if any(_named(n).search(body) for n in _names_of(plan, m.id))]
            if len(named) >= 2:
                yield Violation(path, msg("rules.PB-AGR-ONCE.parties", clause=clause.id,
                                          members=named))
        if clause.kind == "finances" and plan.cost_sharing is not None:
            said = sorted({x.group(0).lower() for x in _FINANCES_SAID.finditer(body)})
            if said:
                yield Violation(path, msg("rules.PB-AGR-ONCE.finances", clause=clause.id,
                                          words=", ".join(said)))
        if bilingual_versions and _VERSIONS_SAID.search(body):
            yield Violation(path, msg("rules.PB-AGR-ONCE.versions", clause=clause.id))
