"""The one pipeline, one call per stage: load -> check -> compute -> compose -> render -> write.
The CLI calls these; they return results and raise named errors, never exit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import pickle
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from planbuilder import __version__
from planbuilder.amendment import amendment
from planbuilder.compose import charts, compose_agreement, compose_decision, compose_plan, record
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
from planbuilder.data import SafeDumper, SafeLoader
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
    rendered: int = 0  # documents laid out (the others kept their previous bytes)
    reattached: int = 0  # documents whose kept pages got new attachments (render/laid.py)


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


@dataclass(frozen=True)
class Planned:
    """One document a plan gives, before it is composed: its kind, language and member."""

    kind: str  # a key of DOCUMENT_KINDS: plan, agreement, amendment, decision, report
    lang: Lang
    member: str | None = None

    @property
    def stem(self) -> str:
        return file_stem(self.kind, self.lang, self.member)


def planned(plan: Plan, langs: list[Lang] | None = None,
            decisions: Callable[[str, str], bool] = lambda member, lang: True,
            kinds: Collection[str] = ("plan", "agreement", "amendment", "decision", "report")
            ) -> list[Planned]:
    """Which documents the plan gives: plan and agreement per language (and, when the
    draft amends the agreement in force, the agreement's changes as an appendix), a
    decision proposal per member in each language it reads (`decisions` may pick fewer),
    and the preparation report; each kind's names and formats are in DOCUMENT_KINDS."""
    amends = amendment(plan)
    made: list[Planned] = []
    for lang in langs or plan.languages:
        if "plan" in kinds:
            made.append(Planned("plan", lang))
        if plan.agreement is not None and "agreement" in kinds:
            made.append(Planned("agreement", lang))
        if amends is not None and amends.any and "amendment" in kinds:
            made.append(Planned("amendment", lang))
        if plan.decision is not None and "decision" in kinds:
            made += [Planned("decision", lang, m.id) for m in plan.members
                     if _member_reads(m.language, lang) and decisions(m.id, lang)]
        if "report" in kinds:
            made.append(Planned("report", lang))
    return made


@dataclass
class Composing:
    """What every document of one plan is composed from (made once a plan)."""

    loaded: LoadedPlan
    templates: TemplateSet
    money: Money | None
    today: dt.date
    findings: list[Finding] | None = None  # the check's, for the report (else checked here)
    csv: bytes = field(init=False)
    sources: list[Attachment] = field(init=False)
    attachments: list[Attachment] = field(init=False)
    default: dict[str, bool] = field(init=False)

    def __post_init__(self) -> None:
        self.csv = budget_csv(self.money).encode("utf-8") if self.money is not None else b""
        self.attachments = source_attachments(self.loaded, self.csv)
        self.sources = [a for a in self.attachments if a.name != CSV_NAME]
        self.default = {kind: _default_wording(self.templates.folder, kind)
                        for kind, spec in DOCUMENT_KINDS.items() if spec.wording}

    def compose(self, item: Planned) -> Output:
        """One document composed and sealed: it carries the plan's files and its record
        (`compose.record`), for the archive and for verify."""
        plan, templates, money, today = self.loaded.plan, self.templates, self.money, self.today
        kind, lang = item.kind, item.lang
        with stage("compose", f"{kind} {item.member or ''} {lang}".replace("  ", " ")):
            if kind == "plan":
                doc = compose_plan(plan, lang, templates, money, today)
            elif kind == "agreement":
                doc = compose_agreement(plan, lang, templates, money, today)
            elif kind == "amendment":
                doc = compose_amendment(plan, lang, templates, money, today)
            elif kind == "report":
                if self.findings is None:
                    self.findings = with_names(check(self.loaded), member_names(plan))
                located = [Illustrative(p, self.loaded.source.locate(p), said)
                           for p, said in illustrative_inputs(plan)]
                doc = compose_report(plan, lang, templates, money, today, self.findings,
                                     located)
            else:
                assert item.member is not None
                doc = compose_decision(plan, item.member, lang, templates, money, today,
                                       self.attachments)
        words = templates.translations[doc.meta.lang]
        if kind != "decision":  # a decision describes its attachments itself
            doc = dataclasses.replace(doc, attachments=tuple(
                dataclasses.replace(a, description=words("decision.source_yaml",
                                                         name=a.name))
                for a in self.sources))
        data = record.record(
            clean_text(doc), kind=kind, member=item.member, stem=item.stem,
            area=plan.area.name.get(doc.meta.lang), version=plan.area.version,
            status=plan.area.status, built=today.isoformat(), planbuilder=__version__,
            templates_default=self.default[kind])
        doc = record.sealed(doc, data, t("verify.record_description", doc.meta.lang))
        return Output(item.stem, doc, DOCUMENT_KINDS[kind].formats)

    def csv_output(self) -> Output:
        stem, suffix = CSV_NAME.rsplit(".", 1)
        return Output(stem, data=self.csv, suffix=f".{suffix}")


def outputs(loaded: LoadedPlan, templates: TemplateSet, money: Money | None,
            today: dt.date, langs: list[Lang] | None = None,
            decisions: Callable[[str, str], bool] = lambda member, lang: True,
            kinds: Collection[str] = ("plan", "agreement", "amendment", "decision", "report",
                                      "csv"),
            findings: list[Finding] | None = None) -> list[Output]:
    """Which files the plan gives, composed (`planned`), and the cost sharing CSV (`kinds`
    may pick fewer)."""
    composing = Composing(loaded, templates, money, today, findings)
    made = [composing.compose(item)
            for item in planned(loaded.plan, langs, decisions, kinds)]
    if composing.csv and "csv" in kinds:
        made.append(composing.csv_output())
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
    return render_kept(output, style, keep=False)[0]


def render_kept(output: Output, style: HouseStyle, *, keep: bool = True
                ) -> tuple[dict[str, bytes], bytes]:
    """The bytes of each file of one output, by file name, and (with `keep`) its PDF as
    laid out for the next build (`render.laid`; empty for ready-made bytes)."""
    doc = output.document
    if doc is None:
        return {output.stem + output.suffix: output.data}, b""
    # The renderers (WeasyPrint, python-docx) load on the first document rendered, so that
    # validate and a build with nothing to do stay quick.
    from planbuilder.render import laid
    from planbuilder.render.docx import Layout, render_docx
    from planbuilder.render.pdf import render_pdf_pages
    from planbuilder.render.pdfa import Written

    written: list[Written] = []
    files: dict[str, bytes] = {}
    with stage("render", f"{output.stem}.pdf"):
        pdf, anchors, pages = render_pdf_pages(doc, style,
                                               keep=written.append if keep else None)
    files[f"{output.stem}.pdf"] = pdf
    if "docx" in output.formats:
        with stage("render", f"{output.stem}.docx"):
            files[f"{output.stem}.docx"] = render_docx(doc, style, Layout(pages, anchors))
    return files, laid.dump(laid.Laid(written[0], pages, anchors)) if written else b""


def reattach(output: Output, style: HouseStyle, kept: bytes) -> dict[str, bytes] | None:
    """The files of a document whose pages are the kept ones (its key without the
    attachments' content is the kept layout's): the kept PDF written again with the new
    attachments, the DOCX made with the kept page numbers. None when `kept` does not fit."""
    from planbuilder.render import laid
    from planbuilder.render.docx import Layout, render_docx

    doc = output.document
    assert doc is not None and doc.archival
    try:
        kept_layout = laid.load(kept)
    except ValueError:
        return None
    with stage("reattach", f"{output.stem}.pdf"):
        pdf = laid.reattached(kept_layout, {a.name: a.data for a in doc.attachments})
    if pdf is None:
        return None
    files = {f"{output.stem}.pdf": pdf}
    if "docx" in output.formats:
        with stage("render", f"{output.stem}.docx"):
            files[f"{output.stem}.docx"] = render_docx(
                doc, style, Layout(kept_layout.pages, kept_layout.anchors))
    return files


def prepare_workers() -> None:
    """Import what the workers render with (WeasyPrint) before they fork, so each starts
    warm and the import is paid once. matplotlib is not: a worker imports it when it draws
    a chart, and a rebuild whose charts are kept (`cache.ChartStore`) never does."""
    from planbuilder.render.pdf import load_engine

    load_engine()


@dataclass(frozen=True)
class _Job:
    """One document of a build for a worker: what to compose, from what (the plan, its
    money and the clock, pickled once for the plan), and its previous key."""

    item: Planned
    digest: str  # of `shared`
    shared: bytes  # pickled (LoadedPlan, Money | None, date, findings); empty when local
    templates: Path
    templates_key: str  # the template folder's fingerprint
    render_inputs: str
    previous: str | None  # the document key of the last build
    previous_layout: str | None = None  # its layout key (`cache.document_keys`)
    kept: Path | None = None  # its PDF as laid out (`render.laid`), and that file's sha256
    kept_hash: str | None = None
    charts: Path | None = None  # the charts the last build drew (`cache.ChartStore`)
    charts_kept: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Made:
    key: str
    layout: str
    names: list[str]
    files: dict[str, bytes] | None  # None: the key is the previous one, keep its bytes
    kept: bytes | None = None  # the PDF as laid out now; None: the previous one stands
    reattached: bool = False  # the kept pages with new attachments, not laid out again
    charts: dict[str, bytes | None] = field(default_factory=dict)  # `ChartStore.used`


@dataclass
class _Local:
    composing: Composing
    style: HouseStyle


# A worker's plan and template set: a worker builds one plan's documents after another,
# and keeps what they share (the plan unpickled, the templates and house style loaded and
# compiled, the charts drawn) for the next one; the templates for the next plans too.
_WORKER: dict[str, _Local] = {}
_WORKER_TEMPLATES: dict[str, tuple[TemplateSet, HouseStyle]] = {}


def _worker_local(job: _Job) -> _Local:
    key = f"{job.digest}/{job.templates}/{job.templates_key}"
    local = _WORKER.get(key)
    if local is None:
        folder = f"{job.templates}/{job.templates_key}"
        if folder not in _WORKER_TEMPLATES:
            templates = TemplateSet.load(job.templates)
            _WORKER_TEMPLATES.clear()
            _WORKER_TEMPLATES[folder] = (templates, load_style(templates.folder))
        templates, style = _WORKER_TEMPLATES[folder]
        loaded, money, today, findings = pickle.loads(job.shared)
        _WORKER.clear()
        local = _WORKER[key] = _Local(Composing(loaded, templates, money, today, findings), style)
    return local


def _make(job: _Job, local: _Local | None = None) -> Made:
    """Compose one document and key it; unless the key is the previous one, give it its
    new attachments on the kept pages when only they changed, else render it."""
    local = local or _worker_local(job)
    store = cache.ChartStore(job.render_inputs, job.charts, job.charts_kept)
    with charts.stored(store):
        item = local.composing.compose(job.item)
    assert item.document is not None
    key, layout = cache.document_keys(item.document, item.formats, job.render_inputs)
    if key == job.previous:
        return Made(key, layout, item.names(), None, charts=store.used)
    if layout == job.previous_layout and job.kept is not None:
        kept = cache.read_kept(job.kept, job.kept_hash)
        files = reattach(item, local.style, kept) if kept is not None else None
        if files is not None:
            return Made(key, layout, item.names(), files, reattached=True, charts=store.used)
    files, laid = render_kept(item, local.style)
    return Made(key, layout, item.names(), files, laid, charts=store.used)


@dataclass
class Started:
    """One plan's build under way: validated, computed, its documents handed to the
    workers (or to be made here, one after another); nothing written yet."""

    path: Path
    output: Path
    folder: Path
    key: str
    findings: list[Finding]
    composing: Composing
    previous: cache.Record | None
    jobs: list[_Job]
    made_each: Iterable[Made]
    here: _Local | None


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
    started = start_build(path, output, langs, templates, pool=pool, force=force)
    return started if isinstance(started, Built) else finish_build(started, progress)


def start_build(path: Path, output: Path, langs: list[Lang] | None = None,
                templates: TemplateSet | None = None, *, pool: Executor | None = None,
                force: bool = False, engine: Callable[[], None] | None = None
                ) -> Built | Started:
    """The first half of `build`: Built when the outputs are current, else the plan
    validated and computed and its documents given to the pool. A caller building many
    plans starts the next one before finishing this one, so the workers never wait for a
    plan's last document before the next plan's first. `engine` is called before any
    work, when there is some (it raises when no PDF can be made): a build with nothing to
    do never loads the PDF engine."""
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
    if engine is not None:
        engine()
    loaded, findings = validated(path)
    plan = loaded.plan
    folder = output / output_name(loaded.folder)
    key = cache.input_key(loaded.files, templates.folder, langs_key)
    with stage("money", str(path)):
        money = compute(plan) if plan.budget and plan.cost_sharing else None
    today = build_clock(plan.area.date)
    composing = Composing(loaded, templates, money, today, findings)
    render_inputs = cache.render_fingerprint(templates.folder)
    items = planned(plan, langs)
    # Each document is composed, keyed and (unless its previous bytes stand) rendered in
    # one job, in the worker processes when there is a pool: composing is a tenth of the
    # work, and the build's own process stays free. A worker receives the plan once
    # pickled and keeps it (and its charts) for the plan's other documents.
    shared = pickle.dumps((loaded, money, today, findings), protocol=5) if pool is not None else b""
    jobs = [_Job(item, hashlib.sha256(shared).hexdigest(), shared, templates.folder,
                 cache.folder_fingerprint(templates.folder), render_inputs,
                 *(previous.for_stem(output, folder.name, item.stem) if previous is not None
                   else (None, None, None, None)),
                 cache.charts_folder(output, folder.name),
                 previous.charts if previous is not None else {})
            for item in items]
    here: _Local | None = None
    if pool is not None and len(jobs) > 1:
        made_each: Iterable[Made] = pool.map(_make, jobs)
    else:
        here = _Local(composing, load_style(templates.folder))
        made_each = (_make(job, here) for job in jobs)
    return Started(path, output, folder, key, findings, composing, previous, jobs, made_each,
                   here)


def finish_build(started: Started, progress: Callable[[int, int], None] | None = None
                 ) -> Built:
    """The second half of `build`: each document's bytes as they come, then the set
    written together and the record kept."""
    s = started
    previous, folder, jobs, here = s.previous, s.folder, s.jobs, s.here
    templates = s.composing.templates
    files: dict[str, bytes] = {}
    if s.composing.csv:
        files.update({name: s.composing.csv for name in s.composing.csv_output().names()})
    keys: dict[str, str] = {}
    report = progress or (lambda done, total: None)
    report(0, len(jobs))
    rendered = reattached = 0
    layouts: dict[str, str] = {}
    laid: dict[str, bytes | None] = {}  # stem -> its new laid-out PDF, None: the kept one
    drawn: dict[str, bytes | None] = {}  # chart key -> drawn now, None: the kept one
    for done, (job, made) in enumerate(zip(jobs, s.made_each, strict=True), start=1):
        stem = job.item.stem
        kept = previous.reusable(folder, stem, made.key, made.names) \
            if previous is not None and made.files is None else None
        if made.files is None and kept is None:  # the previous bytes are gone: render
            here = here or _Local(s.composing, load_style(templates.folder))
            made = _make(dataclasses.replace(job, previous=None), here)
        keys[stem], layouts[stem], laid[stem] = made.key, made.layout, made.kept
        for chart, packed in made.charts.items():
            drawn[chart] = drawn.get(chart) or packed
        files.update(kept if kept is not None else made.files or {})
        rendered += kept is None and not made.reattached
        reattached += made.reattached
        report(done, len(jobs))
    ordered = {name: files[name] for name in sorted(files)}
    with stage("write", str(folder)):
        written = write_set(folder, ordered)
        kept_hashes = cache.write_kept(s.output, folder.name, laid,
                                       previous.kept if previous is not None else {})
        chart_hashes = cache.write_charts(s.output, folder.name, drawn,
                                          previous.charts if previous is not None else {})
    cache.write(s.output, folder.name, cache.Record(s.key, keys, cache.file_hashes(ordered),
                                                    s.findings, layouts, kept_hashes,
                                                    chart_hashes))
    return Built(s.path, s.findings, written, rendered=rendered, reattached=reattached)


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
    parsed = yaml.load(data.decode("utf-8"), Loader=SafeLoader)  # a safe loader
    return yaml.dump(parsed, Dumper=SafeDumper, allow_unicode=True, sort_keys=False,
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
