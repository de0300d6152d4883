"""The Composer: the template functions a document template calls, and the step from the
rendered Markdown to a neutral Document.

The document's structure and wording live in `templates/documents/*.md.j2` and
`templates/i18n/*.yaml`; this module supplies the template functions that produce what
Markdown cannot express (cover, tables, figures) and turns the result into a Document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel

from planbuilder import fmt
from planbuilder.compose.charts import Chart
from planbuilder.compose.markdown import Directives, slug, to_blocks
from planbuilder.compose.templates import TemplateSet, Translations, literal
from planbuilder.document import Attachment as DocAttachment
from planbuilder.document import (
    Block,
    BulletList,
    Cell,
    Cover,
    DocProperty,
    Document,
    Figure,
    Heading,
    Meta,
    PageBreak,
    Paragraph,
    SignatureBlock,
    Span,
    Table,
    TableOfContents,
    content_widths,
)
from planbuilder.errors import TemplateError
from planbuilder.messages import t
from planbuilder.model import STATUTORY_SECTIONS, Lang, Plan, PlannedChange, Text
from planbuilder.money import Money

Row = tuple[Cell, ...]
TableBuilder = Callable[..., Table | None]  # (composer, *template arguments)
FigureBuilder = Callable[..., "tuple[str, str, Chart] | None"]  # -> (title, alt text, chart)


def cells(*texts: str, right: Sequence[int] = ()) -> Row:
    return tuple(Cell(t, "right" if i in right else "left") for i, t in enumerate(texts))


def total_row(*texts: str, right: Sequence[int] = ()) -> Row:
    return tuple(Cell(t, "right" if i in right else "left", bold=True)
                 for i, t in enumerate(texts))


@dataclass
class Composer:
    """Template functions for one document; numbering of tables and figures runs in the
    order the template calls them."""

    plan: Plan
    lang: Lang
    templates: TemplateSet
    money: Money | None = None  # when the plan has a budget and cost sharing
    today: dt.date = field(default_factory=lambda: dt.date(1970, 1, 1))
    tables: Mapping[str, TableBuilder] = field(default_factory=dict)
    figures: Mapping[str, FigureBuilder] = field(default_factory=dict)
    directives: Directives = field(default_factory=Directives)
    tables_made: int = 0
    figures_made: int = 0
    headings_numbered: int = 0
    numbering: str = ""  # i18n key of the heading number format, set by `heading()`
    _sources: dict[int, str] | None = None  # id of a plan text -> its key path

    @property
    def t(self) -> Translations:
        return self.templates.translations[self.lang]

    def x(self, text: Text | None) -> str:
        """A plan text in this document's language."""
        return text.get(self.lang) if text is not None else ""

    # -- formatting shared with templates ------------------------------------------------
    def euros(self, value: Decimal, cents: bool | None = None, mark: bool = False) -> str:
        """Euros; `cents=True` means "in the budget's precision" (whole euros when the plan
        keeps its money in whole euros), None shows cents only when there are any. `mark`
        adds the illustrative mark '*'."""
        if cents and self.plan.budget is not None and self.plan.budget.precision == "1":
            cents = False
        return fmt.euros(value, self.lang, cents) + ("*" if mark else "")

    def number(self, value: Decimal, decimals: int = 0) -> str:
        return fmt.number(value, self.lang, decimals)

    def listing(self, items: Sequence[str]) -> str:
        """'A, B ja C' / 'A, B och C'."""
        if len(items) < 2:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.t('document.and')} {items[-1]}"

    def percent(self, value: Decimal, decimals: int | None = None) -> str:
        return fmt.percent(value, self.lang, decimals)

    def date(self, value: dt.date) -> str:
        return fmt.date(value, self.lang)

    def htv(self, value: Decimal) -> str:
        return fmt.htv(value, self.lang)

    def statistic_label(self, name: str) -> str:
        """A statistic as documents name it: the plan's own label, or the built-in one."""
        own = self.plan.statistic(name)
        return self.x(own.label) if own is not None else self.t(f"statistic.{name}")

    def member_name(self, member_id: str) -> str:
        member = self.plan.member(member_id)
        return self.x(member.name) if member else member_id

    def advance_key(self, key: str) -> str:
        """The wording of `key` for the plan's advance schedule: 'decision.share_text'
        (monthly), 'decision.share_text_quarterly' or 'decision.share_text_dates'."""
        cs = self.plan.cost_sharing
        if cs is None or (cs.advances_per_year == 12 and not cs.advance_dates):
            return key
        return f"{key}_dates" if cs.advance_dates else f"{key}_quarterly"

    def installments(self) -> tuple[list[str], list[str]]:
        """The advances' names, short and full: the months, the quarters or the dates."""
        cs = self.plan.cost_sharing
        if cs is not None and cs.advance_dates:
            dates = [self.date(d) for d in cs.advance_dates]
            return dates, dates
        if cs is not None and cs.advances_per_year == 4:
            return self.t.list("quarters_short"), self.t.list("quarters")
        return self.t.list("months_short"), self.t.list("months")

    def formal_name(self, member_id: str) -> str:
        """'Borgå stad': the member as a party to the agreement names itself."""
        member = self.plan.member(member_id)
        if member is None:
            return member_id
        return self.x(member.formal_name or member.name)

    # -- template functions ---------------------------------------------------------------
    def functions(self) -> dict[str, Callable[..., Any]]:
        return {
            "t": self.t, "x": self.x, "prose": self.prose, "cover": self.cover,
            "toc": self.toc, "pagebreak": self.pagebreak, "table": self.table,
            "figure": self.figure, "euros": self.euros, "number": self.number,
            "percent": self.percent, "date": self.date, "htv": self.htv,
            "member_name": self.member_name, "formal_name": self.formal_name,
            "advance_key": self.advance_key,
            "signatures": self.signatures,
            "statistic_label": self.statistic_label,
            "heading": self.heading,
            "planned": self.planned,
        }

    def planned(self, change: PlannedChange, sharing: bool = False,
                decision: bool = False) -> Markup:
        """A change decided in principle, as a paragraph that says it is planned, not in
        force, and that its figures come later; for a sharing change (`sharing`) also which
        model the shares are computed with."""
        say = self.t
        decided = ""
        if change.decided is not None:
            decided = (say("plan.planned_decided_by", by=self.x(change.decided_by),
                         date=self.date(change.decided)) if change.decided_by
                       else say("plan.planned_decided", date=self.date(change.decided)))
        said = self.x(change.change).strip()
        text = say("plan.planned_change", change=said, date=self.date(change.effective),
                 decided=decided, preparation=say(f"preparation.{change.preparation}"))
        if change.note is not None:
            text += " " + self.x(change.note).strip()
        cs = self.plan.cost_sharing
        if sharing and cs is not None:
            model = next((m for m in cs.models if m.id == cs.model), None)
            if model is not None:
                text += " " + say("plan.planned_sharing_decision" if decision
                                else "plan.planned_sharing", model=self.x(model.name))
        return Markup(f"**{literal(say('plan.planned_lead'))}** "
                      f"{literal(text)}")

    def numbered(self, numbering: str, n: int) -> str:
        """The n-th heading's number as the document prints it: '3' or '3 §'."""
        return self.t(f"numbering.{numbering}").replace("%1", str(n))

    def heading(self, text: str | Text, anchor: str = "", numbering: str = "section"
                ) -> Markup:
        """A level-1 heading numbered by the document (Word list numbering in the DOCX):
        numbering "section" gives "1", "clause" gives "1 §" (formats in i18n `numbering`).
        A plan text (a clause's title) keeps its key path, so a reviewer's edit of the
        heading maps back to it."""
        source = ""
        if isinstance(text, Text):
            source, text = self.source_of(text), self.x(text)
        if not isinstance(text, str) or not isinstance(anchor, str) \
                or numbering not in ("section", "clause"):
            raise TemplateError(t("errors.template.heading_text"))
        self.numbering = numbering
        self.headings_numbered += 1
        number = self.numbered(numbering, self.headings_numbered)
        return self.directives.add([Heading(1, text, anchor, number, auto=True,
                                            source=source)])

    def prose(self, text: Text | None, level: int = 1) -> Markup:
        if text is None:
            return Markup("")
        return self.directives.add_prose(self.x(text), level, self.source_of(text))

    def source_of(self, text: Text) -> str:
        """The key path in the plan of a text the templates print ("" when it is not the
        plan's own), found by identity."""
        if self._sources is None:
            self._sources = {}
            stack: list[tuple[object, tuple[str | int, ...]]] = [(self.plan, ())]
            while stack:
                node, path = stack.pop()
                if isinstance(node, Text):
                    self._sources[id(node)] = ".".join(str(p) for p in path)
                elif isinstance(node, BaseModel):
                    stack += [(getattr(node, k), (*path, k)) for k in type(node).model_fields]
                elif isinstance(node, list):
                    stack += [(v, (*path, i)) for i, v in enumerate(node)]
                elif isinstance(node, dict):
                    stack += [(v, (*path, str(k))) for k, v in node.items()]
        return self._sources.get(id(text), "")

    def pagebreak(self) -> Markup:
        return self.directives.add([PageBreak()])

    def toc(self) -> Markup:
        return self.directives.add([TableOfContents(self.t("document.toc"))])

    def cover(self, title: str, subtitle: str = "") -> Markup:
        tr, area, plan = self.t, self.plan.area, self.plan
        committed = [self.x(m.name) for m in plan.committed]
        optional = [self.x(m.name) for m in plan.members if m.membership == "optional"]
        lines = [
            (tr("cover.area"), self.x(area.name)),
            (tr("cover.host"), self.member_name(area.host)),
            (tr("cover.members"), ", ".join(committed)),
        ]
        if optional:
            lines.append((tr("cover.optional_members"), ", ".join(optional)))
        lines += [
            (tr("cover.joint_body"), self.x(area.joint_body.name)
             + (f" ({tr('document.illustrative_short')})" if area.joint_body.illustrative
                else "")),
            (tr("cover.budget_year"), str(area.budget_year)),
            (tr("cover.status"), tr(f"status.{area.status}")),
            (tr("cover.version"), area.version),
            (tr("cover.date"), self.date(area.date)),
        ]
        fields = ("",) * (len(lines) - 3) + ("status", "version", "")
        mark = tr("document.draft_mark") if area.status == "draft" else ""
        return self.directives.add([Cover(title, subtitle or self.x(area.name), tuple(lines),
                                          mark, fields), PageBreak()])

    def signatures(self) -> Markup:
        parties = tuple(self.formal_name(m.id) for m in self.plan.committed)
        return self.directives.add([SignatureBlock(parties, self.t("agreement.place_date"),
                                                   self.t("agreement.signature"),
                                                   self.t("agreement.party"))])

    def caption(self, key: str, **values: object) -> str:
        self.tables_made += 1
        return f"{self.t('document.table')} {self.tables_made}. {self.t(key, **values)}"

    def table(self, name: str, *args: Any) -> Markup:
        builder = self.tables.get(name)
        if builder is None:
            raise KeyError(f"no table named '{name}'")
        made: Table | None = builder(self, *args)
        if made is None:
            return self.directives.add([])
        made = dataclasses.replace(_without_empty_columns(made),
                                   label=self.t("document.table"), number=self.tables_made)
        return self.directives.add([made])

    def figure(self, name: str, *args: Any) -> Markup:
        builder = self.figures.get(name)
        if builder is None:
            raise KeyError(f"no figure named '{name}'")
        made: tuple[str, str, Chart] | None = builder(self, *args)
        if made is None:
            return Markup("")
        title, alt, chart = made
        self.figures_made += 1
        caption = f"{self.t('document.figure')} {self.figures_made}. {title}"
        return self.directives.add([Figure(f"figure-{self.figures_made}-{slug(title)}",
                                           caption, alt, chart.png, svg=chart.svg,
                                           label=self.t("document.figure"),
                                           number=self.figures_made)])

    def require_money(self, what: str) -> Money:
        """The computed money, for a table or figure that shows it."""
        if self.money is None:
            raise TemplateError(t("errors.template.needs_money", what=what))
        return self.money

    # -- the whole document ---------------------------------------------------------------
    def compose(self, template: str, title: str, short: str, extra: dict[str, Any],
                attachments: Sequence[DocAttachment] = (), archival: bool = False,
                kind: str = "") -> Document:
        cs = self.plan.cost_sharing
        settlement_by = cs.terms.settlement_by if cs is not None else None
        context: dict[str, Any] = {
            "plan": self.plan, "area": self.plan.area, "members": self.plan.members,
            "sections": self.plan.sections, "statutory_sections": STATUTORY_SECTIONS,
            "lang": self.lang, "money": self.money,
            "settlement_by": settlement_by.after(self.plan.area.budget_year)
            if settlement_by is not None else None,
            **self.functions(), **extra,
        }
        markdown = self.templates.render(template, context)
        blocks: list[Block] = _resolve_refs(_number_tables(
            to_blocks(markdown, self.directives), self.t("document.table")))
        area = self.plan.area
        status = self.t(f"status.{area.status}")
        draft_mark = self.t("document.draft_mark") if area.status == "draft" else ""
        meta = Meta(
            title=title,
            lang=self.lang,
            author=self.member_name(area.host),
            subject=f"{short}: {self.x(area.name)}",
            keywords=", ".join([short, self.x(area.name), str(area.budget_year)]),
            header=f"{self.x(area.name)} · {short} · {status} {area.version}",
            footer_page=self.t("document.page"),
            draft_mark=draft_mark,
            date=self.date(area.date),
            created_iso=self.today.isoformat() + "T00:00:00Z",
            header_lead=f"{self.x(area.name)} · {short}",
            properties=(DocProperty("status", self.t("properties.status"), status),
                        DocProperty("version", self.t("properties.version"), area.version),
                        DocProperty("mark", self.t("properties.mark"), draft_mark)),
            heading_numbers=self.t(f"numbering.{self.numbering}") if self.numbering else "",
            area=area.name.fi, version=area.version, kind=kind,
        )
        return Document(meta, tuple(blocks), tuple(attachments), archival)


def _number_tables(blocks: list[Block], label: str) -> list[Block]:
    """Tables numbered in the order they appear: the template's and those written as pipe
    tables in the plan's prose ("Taulukko 4. …")."""
    out: list[Block] = []
    number = 0
    for b in blocks:
        if isinstance(b, Table):
            number += 1
            prefix = f"{b.label} {b.number}. "
            title = b.caption[len(prefix):] if b.label and b.caption.startswith(prefix) \
                else b.caption
            caption = f"{label} {number}. {title}".rstrip() if title else f"{label} {number}."
            b = dataclasses.replace(b, caption=caption, label=label, number=number,
                                    widths=b.widths or content_widths(b))
        out.append(b)
    return out


def _without_empty_columns(table: Table) -> Table:
    """A column with nothing in any body or total row is not printed (e.g. 'Kuvaus' when
    no office has a description)."""
    body = (*table.rows, *table.footer)
    if not body:
        return table
    width = max(len(r) for r in (*table.header, *body))
    empty = [j for j in range(width)
             if all(j >= len(r) or not r[j].text.strip() for r in body)]
    if not empty or len(empty) == width:
        return table

    def keep(row: tuple[Cell, ...]) -> tuple[Cell, ...]:
        return tuple(c for j, c in enumerate(row) if j not in empty)

    return dataclasses.replace(
        table, header=tuple(keep(r) for r in table.header), rows=tuple(keep(r) for r in
                                                                       table.rows),
        footer=tuple(keep(r) for r in table.footer),
        widths=tuple(w for j, w in enumerate(table.widths) if j not in empty))


def _resolve_refs(blocks: list[Block]) -> list[Block]:
    """Cross-references to anchors the document does not have become plain text."""
    anchors = {b.anchor for b in blocks if isinstance(b, Heading | Table | Figure)}

    def fix(spans: tuple[Span, ...]) -> tuple[Span, ...]:
        return tuple(dataclasses.replace(s, ref="") if s.ref and s.ref not in anchors else s
                     for s in spans)

    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            b = dataclasses.replace(b, content=fix(b.content))
        elif isinstance(b, BulletList):
            b = dataclasses.replace(b, items=tuple(fix(i) for i in b.items))
        out.append(b)
    return out
