"""The change summary that opens a redline: what changed between two versions of a plan
(statutory sections, budget lines, members' shares, agreement clauses), old and new."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from planbuilder.compose.composer import Composer, cells
from planbuilder.compose.redline import Change
from planbuilder.compose.tables import FIGURES, TABLES
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import Block, Heading, PageBreak, Paragraph, Span, Table
from planbuilder.model import Lang, Plan
from planbuilder.money import Money


def _signed(c: Composer, value: Decimal) -> str:
    return ("+" if value > 0 else "") + c.euros(value, True)


def summary_rows(c: Composer, old: Plan, changes: list[Change]) -> list[tuple[str, ...]]:
    """One row per change: kind, what, old, new, change."""
    t = c.t
    new = c.plan
    rows: list[tuple[str, ...]] = []
    for ch in changes:
        kind = t(f"redline.kind_{ch.kind}")
        before = ch.old
        after = ch.new
        delta = ""
        if ch.kind == "section":
            what = t(f"sections.{ch.what}")
            before, after = ("", t("redline.added")) if not ch.old else \
                ("", t("redline.removed")) if not ch.new else ("", t("redline.changed"))
        elif ch.kind in ("budget", "share"):
            if ch.kind == "budget":
                line = next((x for p in (new, old) if p.budget for x in p.budget.lines
                             if x.id == ch.what), None)
                what = c.x(line.label) if line else ch.what
            else:
                member = new.member(ch.what) or old.member(ch.what)
                what = c.x(member.name) if member else ch.what
            before = c.euros(Decimal(ch.old), True) if ch.old else t("redline.added")
            after = c.euros(Decimal(ch.new), True) if ch.new else t("redline.removed")
            if ch.delta is not None:
                delta = _signed(c, ch.delta) + (
                    f" ({'+' if ch.percent > 0 else ''}{c.percent(ch.percent, 1)})"
                    if ch.percent is not None else "")
        else:  # a clause, named in this document's language
            clause = next((x for p in (new, old) if p.agreement for x in p.agreement.clauses
                           if x.id == ch.what), None)
            what = c.x(clause.title) if clause else ch.what
            before, after = ("", t("redline.added")) if not ch.old else \
                ("", t("redline.removed")) if not ch.new else ("", t("redline.changed"))
        rows.append((kind, what, before, after, delta))
    return rows


def summary_blocks(new: Plan, old: Plan, lang: Lang, templates: TemplateSet,
                   money: Money | None, today: dt.date, changes: list[Change]) -> list[Block]:
    c = Composer(new, lang, templates, money, today, TABLES, FIGURES)
    t = c.t
    blocks: list[Block] = [PageBreak(), Heading(1, t("redline.summary_title"), "redline-summary"),
                           Paragraph((Span(t("redline.summary_intro")),))]
    rows = summary_rows(c, old, changes)
    if rows:
        blocks.append(Table(
            "table-redline-summary", t("redline.summary_caption"),
            (cells(t("redline.kind"), t("redline.what"), t("redline.old"), t("redline.new"),
                   t("redline.change"), right=(2, 3, 4)),),
            tuple(cells(*r, right=(2, 3, 4)) for r in rows), (2, 4, 2, 2, 3)))
    else:
        blocks.append(Paragraph((Span(t("redline.none")),)))
    blocks.append(PageBreak())
    return blocks
