"""Stage 4, compose: plan (+ computed money) -> one neutral Document per document kind and
language. Each function here is one document kind; its wording is its template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planbuilder.compose.composer import Composer
from planbuilder.compose.tables import FIGURES, TABLES
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import Attachment, Document
from planbuilder.model import Lang, Plan
from planbuilder.money import Money
from planbuilder.rules.terms import tem_deadline


def compose_plan(plan: Plan, lang: Lang, templates: TemplateSet, money: Money | None,
                 today: dt.date) -> Document:
    c = Composer(plan, lang, templates, money, today, TABLES, FIGURES)
    title = c.t("document.plan_title")
    return c.compose("plan.md.j2", f"{title} – {c.x(plan.area.name)}",
                     c.t("document.plan_short"), {
                         "title": title,
                         "has_projections": any(m.projections for m in plan.members),
                     })


def compose_agreement(plan: Plan, lang: Lang, templates: TemplateSet, money: Money | None,
                      today: dt.date) -> Document:
    assert plan.agreement is not None
    c = Composer(plan, lang, templates, money, today, TABLES, FIGURES)
    title = c.x(plan.agreement.title)
    return c.compose("agreement.md.j2", title, c.t("document.agreement_short"), {
        "title": title, "agreement": plan.agreement, "tem_deadline": tem_deadline(plan),
    })


def compose_decision(plan: Plan, member_id: str, lang: Lang, templates: TemplateSet,
                     money: Money | None, today: dt.date,
                     attachments: Sequence[Attachment]) -> Document:
    assert plan.decision is not None
    member = plan.member(member_id)
    assert member is not None
    c = Composer(plan, lang, templates, money, today, TABLES, FIGURES)
    title = f"{c.t('document.decision_short')}: {c.x(plan.decision.matter)}"
    share = money.member_summary(member_id) if money is not None else None
    return c.compose("decision.md.j2", f"{title} – {c.x(member.name)}",
                     c.t("document.decision_short"),
                     {"title": title, "decision": plan.decision, "member": member,
                      "share": share}, attachments, archival=True)
