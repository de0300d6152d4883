"""The one pipeline, one call per stage: load -> check -> compute -> compose -> render -> write.
The CLI calls these; they return results and raise named errors, never exit."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from planbuilder.compose import compose_agreement, compose_decision, compose_plan
from planbuilder.document import Attachment, Document
from planbuilder.findings import Finding, has_errors
from planbuilder.load import LoadedPlan, PlanLoadError, discover, load_plan
from planbuilder.model import Lang
from planbuilder.rules import check
from planbuilder.templates import TemplateSet


@dataclass
class Validation:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    loaded: LoadedPlan | None = None

    @property
    def io_failure(self) -> bool:
        return any(f.rule == "LOAD-IO" for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def validate(path: Path) -> Validation:
    try:
        loaded = load_plan(path)
    except PlanLoadError as exc:
        return Validation(path, exc.findings)
    return Validation(path, check(loaded), loaded)


def validate_paths(paths: list[Path]) -> list[Validation]:
    return [validate(p) for p in discover(paths)]


class UsageError(Exception):
    """The command cannot run as asked (environment, arguments); not a plan error."""


class BuildError(Exception):
    """The plan cannot be built; `findings` say why and where."""

    def __init__(self, path: Path, findings: list[Finding]):
        super().__init__(f"{path}: {len(findings)} problem(s)")
        self.path = path
        self.findings = findings


@dataclass
class Built:
    path: Path
    findings: list[Finding]
    files: list[Path]


def build_clock(plan_date: dt.date) -> dt.date:
    """One clock for the run: SOURCE_DATE_EPOCH when set, else the plan's own date, so the
    same inputs always give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return plan_date
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH={epoch[:40]!r} is not a time planbuilder can "
                         "use: give seconds since 1970-01-01 (e.g. 1700000000) or unset "
                         "it") from None


def validated(path: Path) -> tuple[LoadedPlan, list[Finding]]:
    v = validate(path)
    if v.loaded is None or has_errors(v.findings):
        raise BuildError(path, v.findings)
    return v.loaded, v.findings


def build(path: Path, output: Path, langs: list[Lang] | None = None,
          templates: TemplateSet | None = None) -> Built:
    """Validate, compute, compose and render one plan; write every file only when all of
    them rendered, each atomically."""
    from planbuilder import money as money_engine
    from planbuilder.money_report import budget_csv
    from planbuilder.render.docx import Layout, render_docx
    from planbuilder.render.output import write_set
    from planbuilder.render.pdf import render_pdf, render_pdf_pages
    from planbuilder.render.style import load_style

    loaded, findings = validated(path)
    plan = loaded.plan
    templates = templates or TemplateSet.load()
    style = load_style(templates.folder)
    today = build_clock(plan.area.date)
    money = money_engine.compute(plan) if plan.budget and plan.cost_sharing else None
    folder = output / output_name(loaded.folder)
    files: dict[Path, bytes] = {}
    csv = budget_csv(plan).encode("utf-8") if money else b""

    def both(name: str, doc: Document) -> None:
        pdf, anchors, pages = render_pdf_pages(doc, style)
        layout = Layout(pages, anchors)
        files[folder / f"{name}.pdf"] = pdf
        files[folder / f"{name}.docx"] = render_docx(doc, style, layout)

    for lang in langs or plan.languages:
        both(f"jarjestamissuunnitelma_{lang}", compose_plan(plan, lang, templates, money, today))
        if plan.agreement is not None:
            both(f"yhteistoimintasopimus_{lang}",
                 compose_agreement(plan, lang, templates, money, today))
        if plan.decision is not None:
            attachments = source_attachments(loaded, csv)
            for member in plan.members:
                if _member_reads(member.language, lang):
                    doc = compose_decision(plan, member.id, lang, templates, money, today,
                                           attachments)
                    files[folder / f"paatosesitys_{member.id}_{lang}.pdf"] = render_pdf(doc, style)
    if csv:
        files[folder / "kustannustenjako.csv"] = csv
    written = write_set(folder, {p.name: data for p, data in files.items()})
    return Built(path, findings, written)


def output_name(plan_folder: Path) -> str:
    """The plan's folder under output/: its folder name in lower case with anything but
    letters (any script), digits, '-' and '_' replaced, so names never collide by accident
    and never leave output/."""
    name = re.sub(r"[^\w-]+", "-", unicodedata.normalize("NFC", plan_folder.resolve().name)
                  .casefold()).strip("-._")
    return name or "plan"


def _member_reads(member_language: str, lang: Lang) -> bool:
    return member_language == "bilingual" or member_language == lang


def source_attachments(loaded: LoadedPlan, csv: bytes) -> list[Attachment]:
    out = [Attachment(Path(name).name, "Plan source (YAML)", data, "application/yaml")
           for name, data in sorted(loaded.files.items())]
    if csv:
        out.append(Attachment("kustannustenjako.csv", "Computed cost sharing (CSV)", csv,
                              "text/csv"))
    return out
