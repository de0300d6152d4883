"""The preparation report (tarkistusraportti / granskningsrapport): what the preparer and the
lawyer need and a council document never prints — the check's findings with their rule ids
and places, the warnings the plan acknowledges and why, where the plan knowingly differs from
its source documents, the inputs that are still illustrative and where each is written, and
what the draft agreement amends in the agreement in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from planbuilder.amendment import amendment
from planbuilder.compose.composer import Composer, cells
from planbuilder.compose.tables import FIGURES, TABLES
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import Document, Table
from planbuilder.findings import Finding, KeyPath, Location, shown_path
from planbuilder.model import Lang, Plan, Text
from planbuilder.money import Money

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# The tables only the report's template calls (made per report from its findings).
REPORT_TABLES = ("findings", "acknowledged", "deviations", "illustrative", "amendment")


@dataclass(frozen=True)
class Illustrative:
    """An input marked illustrative (not from its source yet), where it is written."""

    path: KeyPath
    location: Location | None
    source: object = None  # the item's own `source` or `note` (a str or a Text), if any


def illustrative_inputs(plan: Plan) -> list[tuple[KeyPath, object]]:
    """Every part of the plan marked illustrative (`illustrative: true`, or a diary number
    `dnro_illustrative: true`), by key path, in the order of the plan, with what the item
    says of its source (its `source` or `note`), where the real figure is to come from."""
    found: list[tuple[KeyPath, object]] = []

    def walk(node: object, path: KeyPath) -> None:
        if isinstance(node, BaseModel):
            for name in type(node).model_fields:
                value = getattr(node, name)
                if name in ("illustrative", "dnro_illustrative") and value is True:
                    said = getattr(node, "source", None) or getattr(node, "note", None)
                    found.append((path if name == "illustrative" else (*path, name), said))
                else:
                    walk(value, (*path, name))
        elif isinstance(node, (list, tuple)):
            for i, item in enumerate(node):
                walk(item, (*path, i))
        elif isinstance(node, dict):
            for key, item in node.items():
                walk(item, (*path, str(key)))

    walk(plan, ())
    return found


def _where(location: Location | None) -> str:
    return f"{location.file}:{location.line}" if location is not None else ""


def _table(c: Composer, anchor: str, caption: str, header: Sequence[str],
           rows: Sequence[Sequence[str]], widths: tuple[float, ...]) -> Table | None:
    if not rows:
        return None
    return Table(anchor, c.caption(caption), (cells(*header),),
                 tuple(cells(*r) for r in rows), widths)


def _findings_rows(c: Composer, findings: Sequence[Finding]) -> Iterator[list[str]]:
    for f in sorted(findings, key=lambda f: (_SEVERITY_ORDER[f.severity],
                                             f.location or Location("", 0, 0), f.rule)):
        if f.acknowledged:
            continue
        yield [c.t(f"report.severity.{f.severity}"), f.rule, _where(f.location),
               f.text(c.lang) + (f" [{f.citation}]" if f.citation else "")]


def compose_report(plan: Plan, lang: Lang, templates: TemplateSet, money: Money | None,
                   today: dt.date, findings: Sequence[Finding],
                   located: Sequence[Illustrative]) -> Document:
    def findings_table(c: Composer) -> Table | None:
        return _table(c, "table-findings", "report.findings_table",
                      [c.t("report.severity_column"), c.t("report.rule"), c.t("report.where"),
                       c.t("report.message")], list(_findings_rows(c, findings)),
                      (2, 2.5, 3, 8))

    def acknowledged_table(c: Composer) -> Table | None:
        rows = []
        for a in plan.acknowledge:
            found = [f for f in findings if f.acknowledged and f.rule == a.rule]
            rows.append([a.rule, ", ".join(_where(f.location) for f in found),
                         "; ".join(f.text(c.lang) for f in found),
                         c.x(a.reason) + (f" ({a.basis})" if a.basis else "")])
        return _table(c, "table-acknowledged", "report.acknowledged_table",
                      [c.t("report.rule"), c.t("report.where"), c.t("report.message"),
                       c.t("report.reason")], rows, (2.5, 3, 5, 5))

    def deviations_table(c: Composer) -> Table | None:
        rows = [[c.x(d.what), d.source or ""] for d in plan.area.deviations]
        return _table(c, "table-deviations", "report.deviations_table",
                      [c.t("report.deviation"), c.t("report.source")], rows, (10, 5))

    def illustrative_table(c: Composer) -> Table | None:
        rows = [[shown_path(i.path), _where(i.location),
                 c.x(i.source) if isinstance(i.source, Text) else str(i.source or "")]
                for i in located]
        return _table(c, "table-illustrative", "report.illustrative_table",
                      [c.t("report.input"), c.t("report.where"), c.t("report.source")], rows,
                      (6, 5, 6))

    def amendment_table(c: Composer) -> Table | None:
        change = amendment(plan)
        if change is None or plan.agreement is None:
            return None
        numbers = {cl.id: i for i, cl in enumerate(plan.agreement.clauses, 1)}
        titles = {cl.id: c.x(cl.title) for cl in plan.agreement.clauses}
        old_titles = {cl.id: c.x(cl.title) for cl in change.in_force.clauses}
        rows = [[c.numbered("clause", numbers[x]), titles[x], c.t("report.clause_changed")]
                for x in change.changed]
        rows += [[c.numbered("clause", numbers[x]), titles[x], c.t("report.clause_added")]
                 for x in change.added]
        rows += [["", old_titles[x], c.t("report.clause_removed")] for x in change.removed]
        if change.model_changed:
            models = {m.id: c.x(m.name) for m in plan.cost_sharing.models} \
                if plan.cost_sharing else {}
            rows.append(["", c.t("report.model"), c.t(
                "report.model_changed", old=models.get(change.old_model or "", ""),
                new=models.get(change.new_model or "", ""))])
        return _table(c, "table-amendment", "report.amendment_table",
                      [c.t("report.clause"), c.t("report.title"), c.t("report.change")],
                      rows, (2, 7, 6))

    own = dict(zip(REPORT_TABLES, (findings_table, acknowledged_table, deviations_table,
                                   illustrative_table, amendment_table), strict=True))
    c = Composer(plan, lang, templates, money, today, {**TABLES, **own}, FIGURES)
    title = c.t("report.title_full")
    counts = {s: sum(1 for f in findings if f.severity == s and not f.acknowledged)
              for s in ("error", "warning", "info")}
    return c.compose("report.md.j2", f"{title} – {c.x(plan.area.name)}", c.t("report.short"),
                     {"title": title, "counts": counts,
                      "acknowledged": sum(1 for f in findings if f.acknowledged),
                      "amendment": amendment(plan),
                      "present": {"findings": any(not f.acknowledged for f in findings),
                                  "acknowledged": bool(plan.acknowledge),
                                  "deviations": bool(plan.area.deviations),
                                  "illustrative": bool(located)}}, kind="report")
