"""Stage 4, compose: plan (+ computed money) -> one neutral Document per document kind and
language. Each function here is one document kind; its wording is its template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from planbuilder.amendment import amendment, in_force_plan
from planbuilder.compose.composer import Composer
from planbuilder.compose.tables import FIGURES, TABLES, advance_text, pool_key
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import Attachment, Cover, Document, Paragraph, Span
from planbuilder.model import Lang, Plan
from planbuilder.money import Money
from planbuilder.money.engine import MemberSummary
from planbuilder.money.ledger import ledger_of, scenario_key
from planbuilder.official import circuit_court, court_lines, court_named, kind
from planbuilder.rules.terms import tem_deadline


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document a build gives: the one table of them, which the build, the
    redline, the appendices and verify read. A Swedish council receives Swedish file names,
    and the Swedish proposals cite them so."""

    stems: dict[Lang, str]
    formats: tuple[str, ...]  # what each is written as
    readers: str  # "council": public record, archived; "preparer": the preparation report
    per_member: bool = False  # one per member council
    wording: tuple[str, ...] = ()  # the template files its text is composed from


DOCUMENT_KINDS: dict[str, DocumentKind] = {
    "plan": DocumentKind({"fi": "jarjestamissuunnitelma", "sv": "organiseringsplan"},
                         ("pdf", "docx"), "council", wording=("documents/plan.md.j2",)),
    "agreement": DocumentKind({"fi": "yhteistoimintasopimus", "sv": "samarbetsavtal"},
                              ("pdf", "docx"), "council",
                              wording=("documents/agreement.md.j2",)),
    # the agreement's changes against the agreement in force: an appendix of an amendment
    "amendment": DocumentKind({"fi": "muutokset_yhteistoimintasopimus",
                               "sv": "andringar_samarbetsavtal"}, ("pdf", "docx"), "council",
                              wording=("documents/agreement.md.j2",)),
    "decision": DocumentKind({"fi": "paatosesitys", "sv": "beslutsforslag"}, ("pdf",),
                             "council", per_member=True,
                             wording=("documents/decision.md.j2", "documents/appeal/*.md.j2")),
    "report": DocumentKind({"fi": "tarkistusraportti", "sv": "granskningsrapport"},
                           ("pdf", "docx"), "preparer", wording=("documents/report.md.j2",)),
    # `planbuilder redline`: named by this prefix before the document's own name
    "redline": DocumentKind({"fi": "muutokset", "sv": "andringar"}, ("pdf", "docx"),
                            "preparer"),
}
FILE_STEMS: dict[str, dict[Lang, str]] = {k: v.stems for k, v in DOCUMENT_KINDS.items()}
CSV_NAME = "kustannustenjako.csv"  # one file in both languages (machine-readable columns)


def file_stem(kind: str, lang: Lang, member: str | None = None) -> str:
    """'organiseringsplan_sv', 'beslutsforslag_borga_sv', 'paatosesitys_porvoo_fi'."""
    stem = FILE_STEMS[kind][lang]
    return f"{stem}_{member}_{lang}" if member is not None else f"{stem}_{lang}"


def compose_plan(plan: Plan, lang: Lang, templates: TemplateSet, money: Money | None,
                 today: dt.date) -> Document:
    c = Composer(plan, lang, templates, money, today, TABLES, FIGURES)
    title = c.t("document.plan_title")
    return c.compose("plan.md.j2", f"{title} – {c.x(plan.area.name)}",
                     c.t("document.plan_short"), {
                         "title": title,
                         "has_projections": any(m.projections for m in plan.members),
                     }, kind="plan")


def compose_agreement(plan: Plan, lang: Lang, templates: TemplateSet, money: Money | None,
                      today: dt.date) -> Document:
    assert plan.agreement is not None
    c = Composer(plan, lang, templates, money, today, TABLES, FIGURES)
    title = c.x(plan.agreement.title)
    dates = [c.date(d) for d in plan.cost_sharing.advance_dates] if plan.cost_sharing else []
    return c.compose("agreement.md.j2", title, c.t("document.agreement_short"), {
        "title": title, "agreement": plan.agreement, "tem_deadline": tem_deadline(plan),
        "advance_dates": ", ".join(dates[:-1]) + f" {c.t('document.and')} {dates[-1]}"
        if len(dates) > 1 else "".join(dates),
        # the model's own pools with their keys, in words: the agreement states the rule,
        # the plan and the budget the year's figures
        "pool_keys": [(c.x(p.pool.label), pool_key(c, p.pool)) for p in money.charges.pools]
        if money is not None else [],
    }, kind="agreement")


@dataclass(frozen=True)
class Appendix:
    number: int
    title: str
    where: str  # "(tiedosto …)", "(tämän asiakirjan lopussa)" or ""


@dataclass(frozen=True)
class Seats:
    members: int  # seats this member chooses (conditional ones for an optional member)
    deputies: bool  # each with a personal deputy
    proposes: int = 0  # seats whose member it proposes (another member elects)
    illustrative: bool = False  # the numbers are not agreed yet: marked '*', with a note


def appendices(c: Composer, lang: Lang) -> list[Appendix]:
    """Liite 1 the agreement, 2 the plan (delivered with the proposal as their own files),
    3 the cost-sharing calculation (at the end of the proposal), then the plan's own."""
    plan = c.plan
    assert plan.decision is not None
    t = c.t
    found: list[tuple[str, str]] = []
    if plan.agreement is not None:
        amended = amendment(plan)
        if amended is not None and amended.any:
            found.append((t("amendment.agreement"), t("decision.appendix_file",
                                                      file=f"{file_stem('agreement', lang)}.pdf")))
            found.append((t("amendment.changes"), t("decision.appendix_file",
                                                    file=f"{file_stem('amendment', lang)}.pdf")))
        else:
            found.append((t("decision.agreement"),
                          t("decision.appendix_file", file=f"{file_stem('agreement', lang)}.pdf")))
    found.append((t("decision.plan"),
                  t("decision.appendix_file", file=f"{file_stem('plan', lang)}.pdf")))
    if c.money is not None:
        found.append((t("decision.calculation"), t("decision.appendix_here")))
    found += [(c.x(extra), "") for extra in plan.decision.appendices]
    return [Appendix(i, title, where) for i, (title, where) in enumerate(found, start=1)]


def plan_year_text(c: Composer, member_id: str) -> str:
    """'vuonna 2026 310 000 € ja vuonna 2027 320 000 €': a committed member's totals in the
    economic plan's years; '' without plan years."""
    m = c.money
    if m is None or len(m.years) < 2:
        return ""
    ledger = ledger_of(m)
    items = [c.t("decision.plan_year_item", year=y.year,
                 amount=c.euros((e := ledger[f"payable/{y.year}/{member_id}"]).amount, True,
                                e.marked))
             for y in m.years[1:]]
    return items[0] if len(items) == 1 else \
        f"{', '.join(items[:-1])} {c.t('document.and')} {items[-1]}"


def _ledger_share(money: Money, member_id: str) -> MemberSummary | None:
    """The member's share as the decision states it, read from the ledger: in force for a
    committed member, in the scenario where it joins for an optional one."""
    summary = money.member_summary(member_id)
    if summary is None:
        return None
    ledger = ledger_of(money)
    year = money.plan.area.budget_year
    own = money.own_scenario(member_id)
    key = f"payable/{year}/{member_id}" if own is None else \
        f"scenario/{scenario_key(own.joining)}/{member_id}"
    total = ledger[key]
    direct = ledger[f"{key}/direct"].amount
    return MemberSummary(member_id, total.amount - direct, direct, total.amount,
                         ledger.advances(member_id), total.exact)


def compose_decision(plan: Plan, member_id: str, lang: Lang, templates: TemplateSet,
                     money: Money | None, today: dt.date,
                     attachments: Sequence[Attachment]) -> Document:
    assert plan.decision is not None
    member = plan.member(member_id)
    assert member is not None
    c = Composer(plan, lang, templates, money, today, TABLES, FIGURES)
    optional = member.membership == "optional"
    title = f"{c.t('document.decision_short')}: {c.x(plan.decision.matter)}"
    share = _ledger_share(money, member_id) if money is not None else None
    marked = money is not None and bool(money.provenance.scenarios if optional
                                        else money.provenance.shares)
    listed = appendices(c, lang)
    numbers: dict[str, int | None] = {"agreement": None, "plan": None, "calculation": None,
                                      "changes": None}
    titles = {"agreement": ("decision.agreement", "amendment.agreement"),
              "plan": ("decision.plan",), "calculation": ("decision.calculation",),
              "changes": ("amendment.changes",)}
    for a in listed:
        for key, keys in titles.items():
            if a.title in {c.t(k) for k in keys}:
                numbers[key] = a.number
    own_seats = [s for s in plan.agreement.seats if s.appointed_by == member_id
                 and s.conditional == optional] if plan.agreement else []
    proposed = [s for s in plan.agreement.seats if member_id in s.proposed_by
                and s.conditional == optional] if plan.agreement else []
    md = plan.decision.for_member(member_id)
    # the court the plan names (PB-DECISION-APPEAL checks it is the member's own), else the
    # court of the member's circuit; its published contact details go in the instructions
    court = (court_named(md.appeal_court) if md.appeal_court else None) or circuit_court(member)
    court_text = court_lines(court, lang) if court else dict.fromkeys(
        ("name", "postal_address", "visiting_address", "email", "hours"), "")
    if court is None and md.appeal_court:
        court_text["name"] = c.x(md.appeal_court)
    return c.compose("decision.md.j2", f"{title} – {c.x(member.name)}",
                     c.t("document.decision_short"),
                     {"title": title, "decision": plan.decision, "member": member,
                      "md": md, "optional": optional, "share": share,
                      "share_marked": marked,
                      "advances": advance_text(c, share.advances, marked) if share else "",
                      "plan_years": plan_year_text(c, member_id) if not optional else "",
                      "scenarios": money is not None and len(money.scenarios) > 1,
                      "appendices": listed, "appendix_no": numbers,
                      "seats": Seats(sum(s.members for s in own_seats),
                                     any(s.personal_deputies for s in own_seats),
                                     sum(s.members for s in proposed),
                                     any(s.illustrative for s in (*own_seats, *proposed))),
                      "court": court_text, "kind": kind(member),
                      "recipients": recipients(c, member_id),
                      "amendment": _amendment_context(c, member_id, numbers)},
                     [_described(a, c) for a in attachments], archival=True)


def _amendment_context(c: Composer, member_id: str, numbers: dict[str, int | None]
                       ) -> dict[str, str] | None:
    """What a proposal says of the amendment of the agreement in force: its background, the
    decision item and (when the model changes) the member's share under both, from the
    ledger; None when the round amends nothing."""
    plan = c.plan
    change = amendment(plan)
    if change is None or not change.any or plan.agreement is None:
        return None
    t = c.t
    old = change.in_force
    decided = [f"{c.x(d.body) if d.body else c.member_name(d.member)} {c.date(d.date)}"
               + (f" {t('decision.section', section=d.section)}" if d.section else "")
               for d in old.decisions]
    numbers_of = {cl.id: c.numbered("clause", i)
                  for i, cl in enumerate(plan.agreement.clauses, 1)}
    titles = {cl.id: c.x(cl.title) for cl in plan.agreement.clauses}
    what: list[str] = []
    models = {m.id: c.x(m.name) for m in plan.cost_sharing.models} if plan.cost_sharing else {}
    if change.model_changed:
        what.append(t("amendment.what_model", old=models.get(change.old_model or "", ""),
                      new=models.get(change.new_model or "", "")))
    what += [t("amendment.what_clause", number=numbers_of[x], title=titles[x])
             for x in change.changed]
    what += [t("amendment.what_added", number=numbers_of[x], title=titles[x])
             for x in change.added]
    what += [t("amendment.what_removed", title=c.x(cl.title)) for cl in old.clauses
             if cl.id in change.removed]
    out = {
        "background": t("amendment.background", date=c.date(old.date),
                        decisions="; ".join(decided)) if decided else "",
        "basis": t("amendment.background_basis"),
        "changes": t("amendment.background_changes", what="; ".join(what),
                     appendix=numbers["changes"] or ""),
        "item": t("amendment.decision_item", day=c.date(old.date),
                  appendix=numbers["agreement"] or "", changes=numbers["changes"] or "",
                  effective=c.date(change.effective)),
        "share": "",
    }
    member = plan.member(member_id)
    if c.money is not None and member is not None and member.membership == "committed":
        ledger = ledger_of(c.money)
        key = f"amendment/{member_id}"
        if f"{key}/in_force" in ledger:
            was, now, diff = (ledger[f"{key}/{p}"] for p in ("in_force", "proposed", "change"))
            out["share"] = t(
                "amendment.share_text", year=plan.area.budget_year,
                old=c.euros(was.amount, True, was.marked),
                new=c.euros(now.amount, True, now.marked),
                old_pct=c.percent(ledger[f"amendment_pct/{member_id}/in_force"].amount, 2),
                new_pct=c.percent(ledger[f"amendment_pct/{member_id}/proposed"].amount, 2),
                change=("+" if diff.amount > 0 else "")
                + c.euros(diff.amount, True, diff.marked))
    return out


def compose_amendment(plan: Plan, lang: Lang, templates: TemplateSet, money: Money | None,
                      today: dt.date) -> Document:
    """The appendix of an amendment: the amended agreement with its changes against the
    agreement in force marked (Word's tracked changes in the DOCX), dated by the build's
    clock so the same inputs give the same bytes."""
    from planbuilder.compose.redline import redline
    from planbuilder.money import compute

    change = amendment(plan)
    assert change is not None
    old_plan = in_force_plan(plan)
    old_money = compute(old_plan) if money is not None else None
    old_doc = compose_agreement(old_plan, lang, templates, old_money, today)
    new_doc = compose_agreement(plan, lang, templates, money, today)
    marked = redline(old_doc, new_doc, f"{today.isoformat()}T00:00:00Z")
    c = Composer(plan, lang, templates, money, today, TABLES, FIGURES)
    title = c.t("amendment.redline_title", date=c.date(change.in_force.date))
    intro = Paragraph((Span(c.t("amendment.redline_intro", date=c.date(change.in_force.date),
                                effective=c.date(change.effective))),))
    blocks = list(marked.blocks)
    at = 1 if blocks and isinstance(blocks[0], Cover) else 0
    if at:
        blocks[0] = replace(blocks[0], title=title)  # type: ignore[arg-type]
    blocks.insert(at, intro)
    meta = replace(marked.meta, title=f"{title} – {c.x(plan.area.name)}", kind="amendment")
    return replace(marked, blocks=tuple(blocks), meta=meta)


def recipients(c: Composer, member_id: str) -> list[str]:
    """Tiedoksi / för kännedom, when the plan lists none: the host municipality (or, in the
    host's own proposal, the other members), the joint body and the ministry."""
    plan = c.plan
    host = plan.area.host
    if member_id == host:
        told = [c.formal_name(m.id) for m in plan.members if m.id != host]
    else:
        told = [c.t("decision.host_recipient", host=c.formal_name(host))]
    return [*told, c.x(plan.area.joint_body.name), c.t("decision.ministry")]


def _described(attachment: Attachment, c: Composer) -> Attachment:
    """The archive's attachments described in the document's language."""
    if attachment.mime == "text/csv":
        return replace(attachment, description=c.t("decision.source_csv"))
    return replace(attachment, description=c.t("decision.source_yaml", name=attachment.name))
