"""Stage 4, compose: plan (+ computed money) -> one neutral Document per document kind and
language. Each function here is one document kind; its wording is its template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from planbuilder.compose.composer import Composer
from planbuilder.compose.tables import FIGURES, TABLES, advance_text
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import Attachment, Document
from planbuilder.model import Lang, Plan
from planbuilder.money import Money
from planbuilder.money.engine import MemberSummary
from planbuilder.money.ledger import ledger_of, scenario_key
from planbuilder.rules.terms import tem_deadline

# The file name of each document kind in each language: the one table of them. A Swedish
# council receives Swedish file names, and the Swedish proposals cite them so; a redline is
# named by its prefix before the document's own name.
FILE_STEMS: dict[str, dict[Lang, str]] = {
    "plan": {"fi": "jarjestamissuunnitelma", "sv": "organiseringsplan"},
    "agreement": {"fi": "yhteistoimintasopimus", "sv": "samarbetsavtal"},
    "decision": {"fi": "paatosesitys", "sv": "beslutsforslag"},
    "redline": {"fi": "muutokset", "sv": "andringar"},
}
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
    numbers: dict[str, int | None] = {"agreement": None, "plan": None, "calculation": None}
    for a in listed:
        for key in numbers:
            if a.title == c.t(f"decision.{key}"):
                numbers[key] = a.number
    own_seats = [s for s in plan.agreement.seats if s.appointed_by == member_id
                 and s.conditional == optional] if plan.agreement else []
    proposed = [s for s in plan.agreement.seats if member_id in s.proposed_by
                and s.conditional == optional] if plan.agreement else []
    md = plan.decision.for_member(member_id)
    court = c.x(md.appeal_court) if md.appeal_court else ""
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
                      "court": court},
                     [_described(a, c) for a in attachments], archival=True)


def _described(attachment: Attachment, c: Composer) -> Attachment:
    """The archive's attachments described in the document's language."""
    if attachment.mime == "text/csv":
        return replace(attachment, description=c.t("decision.source_csv"))
    return replace(attachment, description=c.t("decision.source_yaml", name=attachment.name))
