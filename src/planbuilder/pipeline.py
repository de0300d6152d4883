"""The one pipeline, one call per stage: load -> check -> compute -> compose -> render -> write.
The CLI calls these; they return results and raise named errors, never exit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Collection
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from planbuilder import __version__
from planbuilder.amendment import amendment
from planbuilder.compose import compose_agreement, compose_decision, compose_plan, record
from planbuilder.compose.documents import (
    CSV_NAME,
    DOCUMENT_KINDS,
    FILE_STEMS,
    compose_amendment,
    file_stem,
)
from planbuilder.compose.preparation import Illustrative, compose_report, illustrative_inputs
from planbuilder.compose.redline import Change
from planbuilder.compose.templates import TemplateSet, default_dir
from planbuilder.document import Attachment, Cover, Document, PageBreak
from planbuilder.errors import BuildError, PlanLoadError, TemplateError, UsageError, io_failure
from planbuilder.findings import Finding, has_errors, with_names
from planbuilder.load import LoadedPlan, discover, load_plan, plan_bytes, plan_folder
from planbuilder.log import stage
from planbuilder.messages import Named, t
from planbuilder.model import Lang, Plan
from planbuilder.money import Money, compute
from planbuilder.money.report import budget_csv
from planbuilder.render import cache
from planbuilder.render.output import write_set
from planbuilder.render.style import HouseStyle, load_style
from planbuilder.render.xml import clean_text
from planbuilder.rules import check


@dataclass
class Validation:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    loaded: LoadedPlan | None = None

    @property
    def io_failure(self) -> bool:
        return io_failure(self.findings)

    def count(self, severity: str) -> int:
        """Findings of a severity, not counting the ones the plan acknowledges."""
        return sum(1 for f in self.findings if f.severity == severity and not f.acknowledged)

    @property
    def acknowledged(self) -> int:
        return sum(1 for f in self.findings if f.acknowledged)


def validate(path: Path) -> Validation:
    try:
        with stage("load", str(path)):
            loaded = load_plan(path)
    except PlanLoadError as exc:
        return Validation(path, exc.findings)
    with stage("check", str(path)):
        findings = with_names(check(loaded), member_names(loaded.plan))
    return Validation(path, findings, loaded)


def member_names(plan: Plan) -> dict[str, Named]:
    """Each member's name for a reader of each language; an English reader gets the name in
    the municipality's own language (Swedish for a Swedish-speaking one)."""
    return {m.id: Named(m.name.get("fi"), m.name.get("sv"),
                        m.name.get("sv" if m.language == "sv" else "fi"))
            for m in plan.members}


def validate_paths(paths: list[Path]) -> list[Validation]:
    return [validate(p) for p in discover(paths)]


@dataclass
class Built:
    path: Path
    findings: list[Finding]
    files: list[Path]
    unchanged: bool = False  # outputs were current: nothing rendered, nothing written
    rendered: int = 0  # documents rendered (the others kept their previous bytes)


def build_clock(plan_date: dt.date) -> dt.date:
    """One clock for the run: SOURCE_DATE_EPOCH when set, else the plan's own date, so the
    same inputs always give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return plan_date
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise UsageError(t("errors.source_date_epoch", value=repr(epoch[:40]))) from None


def validated(path: Path) -> tuple[LoadedPlan, list[Finding]]:
    v = validate(path)
    if v.loaded is None or has_errors(v.findings):
        raise BuildError(path, v.findings)
    return v.loaded, v.findings


@dataclass(frozen=True)
class Output:
    """One file a build writes: a document in one or more formats, or ready-made bytes."""

    stem: str
    document: Document | None = None
    formats: tuple[str, ...] = ("pdf", "docx")
    data: bytes = b""
    suffix: str = ""  # for `data`, e.g. ".csv"

    def names(self) -> list[str]:
        if self.document is None:
            return [self.stem + self.suffix]
        return [f"{self.stem}.{f}" for f in self.formats]


def outputs(loaded: LoadedPlan, templates: TemplateSet, money: Money | None,
            today: dt.date, langs: list[Lang] | None = None,
            decisions: Callable[[str, str], bool] = lambda member, lang: True,
            kinds: Collection[str] = ("plan", "agreement", "amendment", "decision", "report",
                                      "csv"),
            findings: list[Finding] | None = None) -> list[Output]:
    """Which files the plan gives, composed: plan and agreement per language (and, when the
    draft amends the agreement in force, the agreement's changes as an appendix), a decision
    proposal per member in each language it reads (`decisions` may pick fewer), the
    preparation report, and the cost sharing CSV (`kinds` may pick fewer); each kind's
    names and formats come from DOCUMENT_KINDS. Every document carries the plan's files and
    its record (`compose.record`), for the archive and for verify."""
    plan = loaded.plan
    csv = budget_csv(money).encode("utf-8") if money is not None else b""
    sources = source_attachments(loaded, b"")
    default = {kind: _default_wording(templates.folder, kind)
               for kind, spec in DOCUMENT_KINDS.items() if spec.wording}

    def sealed(doc: Document, kind: str, stem: str, member: str | None = None) -> Output:
        words = templates.translations[doc.meta.lang]
        if kind != "decision":  # a decision describes its attachments itself
            doc = dataclasses.replace(doc, attachments=tuple(
                dataclasses.replace(a, description=words("decision.source_yaml",
                                                         name=a.name))
                for a in sources))
        data = record.record(
            clean_text(doc), kind=kind, member=member, stem=stem,
            area=plan.area.name.get(doc.meta.lang), version=plan.area.version,
            status=plan.area.status, built=today.isoformat(), planbuilder=__version__,
            templates_default=default[kind])
        doc = record.sealed(doc, data, t("verify.record_description", doc.meta.lang))
        return Output(stem, doc, DOCUMENT_KINDS[kind].formats)

    amends = amendment(plan)
    made: list[Output] = []
    for lang in langs or plan.languages:
        if "plan" in kinds:
            with stage("compose", f"plan {lang}"):
                made.append(sealed(compose_plan(plan, lang, templates, money, today), "plan",
                                   file_stem("plan", lang)))
        if plan.agreement is not None and "agreement" in kinds:
            with stage("compose", f"agreement {lang}"):
                made.append(sealed(compose_agreement(plan, lang, templates, money, today),
                                   "agreement", file_stem("agreement", lang)))
        if amends is not None and amends.any and "amendment" in kinds:
            with stage("compose", f"amendment {lang}"):
                made.append(sealed(compose_amendment(plan, lang, templates, money, today),
                                   "amendment", file_stem("amendment", lang)))
        if plan.decision is not None and "decision" in kinds:
            attachments = source_attachments(loaded, csv)
            for member in plan.members:
                if _member_reads(member.language, lang) and decisions(member.id, lang):
                    with stage("compose", f"decision {member.id} {lang}"):
                        doc = compose_decision(plan, member.id, lang, templates, money, today,
                                               attachments)
                    made.append(sealed(doc, "decision", file_stem("decision", lang, member.id),
                                       member.id))
        if "report" in kinds:
            if findings is None:
                findings = with_names(check(loaded), member_names(plan))
            located = [Illustrative(p, loaded.source.locate(p), said)
                       for p, said in illustrative_inputs(plan)]
            with stage("compose", f"report {lang}"):
                made.append(sealed(compose_report(plan, lang, templates, money, today,
                                                  findings, located),
                                   "report", file_stem("report", lang)))
    if csv and "csv" in kinds:
        stem, suffix = CSV_NAME.rsplit(".", 1)
        made.append(Output(stem, data=csv, suffix=f".{suffix}"))
    return made


def _default_wording(folder: Path, kind: str) -> bool:
    """Whether a document kind is composed from the default templates: its document
    template(s) and the translations have the bytes of those installed with planbuilder
    (a copy of them is the defaults; an edited one is not)."""
    try:
        defaults = default_dir()
    except TemplateError:
        return False
    names = sorted({str(p.relative_to(base))
                    for pattern in (*DOCUMENT_KINDS[kind].wording, "i18n/fi.yaml", "i18n/sv.yaml")
                    for base in (defaults, folder) for p in base.glob(pattern)})
    try:
        return all((defaults / n).read_bytes() == (folder / n).read_bytes() for n in names)
    except (OSError, ValueError):
        return False


def render(output: Output, style: HouseStyle) -> dict[str, bytes]:
    """The bytes of each file of one output, by file name."""
    doc = output.document
    if doc is None:
        return {output.stem + output.suffix: output.data}
    # The renderers (WeasyPrint, python-docx) load on the first document rendered, so that
    # validate and a build with nothing to do stay quick.
    from planbuilder.render.docx import Layout, render_docx
    from planbuilder.render.pdf import render_pdf_pages

    files: dict[str, bytes] = {}
    with stage("render", f"{output.stem}.pdf"):
        pdf, anchors, pages = render_pdf_pages(doc, style)
    files[f"{output.stem}.pdf"] = pdf
    if "docx" in output.formats:
        with stage("render", f"{output.stem}.docx"):
            files[f"{output.stem}.docx"] = render_docx(doc, style, Layout(pages, anchors))
    return files


def build(path: Path, output: Path, langs: list[Lang] | None = None,
          templates: TemplateSet | None = None, *, pool: Executor | None = None,
          force: bool = False, progress: Callable[[int, int], None] | None = None) -> Built:
    """Validate, compute, compose and render one plan; write every file only when all of
    them rendered, together (the previous set survives any failure). Nothing is rendered
    or written when nothing the outputs depend on changed since the last build, and a
    document whose content did not change keeps its previous bytes (`render.cache`);
    `force` renders everything. With a `pool`, documents render in parallel; the bytes are
    the same as a serial build's. `progress(done, total)` hears of each document rendered.
    """
    templates = templates or TemplateSet.load()
    langs_key = list(langs) if langs else None
    name = output_name(plan_folder(path))
    previous = None if force else cache.read(output, name)
    if previous is not None:
        # Nothing changed since the last build: its outputs are current, and so is what
        # validation said then (the key covers the plan, the templates and the code).
        raw = plan_bytes(path)
        if raw is not None and previous.key == cache.input_key(raw, templates.folder,
                                                               langs_key) \
                and previous.current(output / name):
            return Built(path, previous.findings, [], unchanged=True)
    loaded, findings = validated(path)
    plan = loaded.plan
    folder = output / output_name(loaded.folder)
    key = cache.input_key(loaded.files, templates.folder, langs_key)
    style = load_style(templates.folder)
    with stage("money", str(path)):
        money = compute(plan) if plan.budget and plan.cost_sharing else None
    files: dict[str, bytes] = {}
    keys: dict[str, str] = {}
    render_inputs = cache.render_fingerprint(templates.folder)
    todo: list[Output] = []
    for item in outputs(loaded, templates, money, build_clock(plan.area.date), langs,
                        findings=findings):
        if item.document is None:
            files.update(render(item, style))
            continue
        keys[item.stem] = cache.document_key(item.document, item.formats, render_inputs)
        kept = previous.reusable(folder, item.stem, keys[item.stem], item.names()) \
            if previous is not None else None
        if kept is None:
            todo.append(item)
        else:
            files.update(kept)
    report = progress or (lambda done, total: None)
    report(0, len(todo))
    if pool is not None and len(todo) > 1:
        made_each = pool.map(render, todo, [style] * len(todo))
    else:
        made_each = (render(item, style) for item in todo)
    for done, made in enumerate(made_each, start=1):  # in order, as each one is ready
        files.update(made)
        report(done, len(todo))
    ordered = {name: files[name] for name in sorted(files)}
    with stage("write", str(folder)):
        written = write_set(folder, ordered)
    cache.write(output, folder.name, cache.Record(key, keys, cache.file_hashes(ordered),
                                                  findings))
    return Built(path, findings, written, rendered=len(todo))


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
    """The plan's source files and the computed cost sharing, for the archival PDF. The YAML
    is written again from its data, so drafting comments never become public record."""
    out = [Attachment(Path(name).name, "Plan source (YAML)", _without_comments(data),
                      record.PLAN_MIME)
           for name, data in sorted(loaded.files.items())]
    if csv:
        out.append(Attachment(CSV_NAME, "Computed cost sharing (CSV)", csv,
                              "text/csv"))
    return out


def _without_comments(data: bytes) -> bytes:
    parsed = yaml.safe_load(data.decode("utf-8"))
    return yaml.safe_dump(parsed, allow_unicode=True, sort_keys=False,
                          width=100).encode("utf-8")


@dataclass
class Redlined:
    changes: list[Change]
    files: list[Path]
    documents: dict[str, Document]  # file stem -> the redline document
    old: Plan
    new: Plan


def redline_plans(old: Path, new: Path, output: Path, templates: TemplateSet | None = None,
                  *, when: dt.datetime | None = None,
                  langs: list[Lang] | None = None, pdf: bool = True) -> Redlined:
    """The redlines of `new` against `old` (two versions of one plan): per document and
    language a DOCX with Word's tracked changes and (unless `pdf` is False: no PDF engine
    here) a PDF with them marked, each opening with the change summary; written together
    into `output`."""
    from planbuilder.compose.redline import has_changes, redline, summary
    from planbuilder.compose.summary import summary_blocks
    from planbuilder.render.docx import Layout, render_docx

    templates = templates or TemplateSet.load()
    style = load_style(templates.folder)
    a, _ = validated(old)
    b, _ = validated(new)
    a_money = compute(a.plan) if a.plan.budget and a.plan.cost_sharing else None
    b_money = compute(b.plan) if b.plan.budget and b.plan.cost_sharing else None
    changes = summary(a.plan, b.plan, a_money, b_money)
    stamp = (when or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    today = build_clock(b.plan.area.date)
    files: dict[str, bytes] = {}
    documents: dict[str, Document] = {}
    for lang in langs or b.plan.languages:
        pairs = [(FILE_STEMS["plan"][lang], compose_plan(a.plan, lang, templates, a_money,
                                                         today),
                  compose_plan(b.plan, lang, templates, b_money, today))]
        if a.plan.agreement is not None and b.plan.agreement is not None:
            pairs.append((FILE_STEMS["agreement"][lang],
                          compose_agreement(a.plan, lang, templates, a_money, today),
                          compose_agreement(b.plan, lang, templates, b_money, today)))
        for stem, old_doc, new_doc in pairs:
            marked = redline(old_doc, new_doc, stamp)
            if not has_changes(marked) and not changes:
                continue
            intro = summary_blocks(b.plan, a.plan, lang, templates, b_money, today, changes)
            at = 1 if marked.blocks and isinstance(marked.blocks[0], Cover) else 0
            rest = marked.blocks[at:]
            if intro and isinstance(intro[-1], PageBreak) and rest and \
                    isinstance(rest[0], PageBreak):
                intro = intro[:-1]  # the cover's own page break follows: no blank page
            marked = dataclasses.replace(marked, blocks=(*marked.blocks[:at], *intro, *rest))
            name = f"{FILE_STEMS['redline'][lang]}_{stem}_{lang}"
            documents[name] = marked
            layout = None
            if pdf:  # without the PDF engine: the DOCX alone, its contents list unpaged
                from planbuilder.render.pdf import render_pdf_pages

                with stage("render", f"{name}.pdf"):
                    made, anchors, pages = render_pdf_pages(marked, style)
                    files[f"{name}.pdf"] = made
                layout = Layout(pages, anchors)
            with stage("render", f"{name}.docx"):  # its contents list shows the PDF's pages
                files[f"{name}.docx"] = render_docx(marked, style, layout)
    folder = output / output_name(b.folder)
    written = write_set(folder, dict(sorted(files.items()))) if files else []
    return Redlined(changes, written, documents, a.plan, b.plan)
