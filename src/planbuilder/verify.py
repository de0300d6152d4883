"""`planbuilder verify`: is this PDF or DOCX what planbuilder makes of the plan it carries?

Every document a build writes carries the plan's files and the build's record
`planbuilder.json` (`compose.record`): as PDF/A-3 attachments in the PDF, in a custom XML
part (`urn:planbuilder:plan`) in the DOCX. Verify reads them and checks, in turn:

1. that there is a record at all (else: not a document planbuilder made, exit 2);
2. that the attached files are those the record lists (SHA-256 of each, and the content
   hash over the plan files): otherwise they were altered after the document was made;
3. the figures: the attached plan is loaded and the same document (kind, member, language,
   build date) composed again with the installed planbuilder, and each figure compared
   with the recorded one, place by place;
4. the visible text: the figures the document shows (the PDF's page text, the DOCX's
   paragraphs and table cells) against the record, in reading order, so a figure edited on
   the page is caught too.

Without a signature this detects changes to the plan data and to the printed figures, not
a forger who rewrites the plan, the record and the text consistently."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import difflib
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal, cast

from planbuilder import __version__
from planbuilder.compose import record as rec
from planbuilder.compose.templates import TemplateSet
from planbuilder.errors import MoneyError, NotMadeByPlanbuilder, PlanLoadError, UsageError
from planbuilder.load import load_plan
from planbuilder.messages import Msg, msg
from planbuilder.model import Lang
from planbuilder.money import compute
from planbuilder.pipeline import outputs
from planbuilder.render.cache import folder_fingerprint

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PLAN = "{urn:planbuilder:plan}"
_KINDS = ("plan", "agreement", "amendment", "decision", "report")
_MAX_PART = 100_000_000  # a custom XML part larger than this is not one planbuilder wrote


@dataclass(frozen=True)
class Carried:
    """What a document carries (its attached files by name) and what it shows (its text,
    one piece per text run of a PDF page, one per paragraph or cell of a DOCX)."""

    format: Literal["pdf", "docx"]
    files: dict[str, bytes]
    visible: list[str]


@dataclass(frozen=True)
class Difference:
    """A figure the document prints that differs from the recomputation: `printed` is what
    the reader sees ("" when it is not in the text), `computed` what planbuilder gives now
    ("" when it gives no such figure)."""

    where: str
    printed: str
    computed: str


@dataclass
class Report:
    file: str
    record: dict[str, Any]
    format: str
    altered: list[Msg] = field(default_factory=list)  # the attachments since the build
    differences: list[Difference] = field(default_factory=list)
    problems: list[Msg] = field(default_factory=list)  # the plan could not be recomputed
    notes: list[Msg] = field(default_factory=list)  # worth knowing, not a difference
    figures: int = 0  # figures compared

    @property
    def ok(self) -> bool:
        return not (self.altered or self.differences or self.problems)

    def data(self) -> dict[str, Any]:
        r = self.record
        return {
            "file": self.file, "format": self.format, "result": "ok" if self.ok else "differs",
            "planbuilder": r.get("planbuilder"), "document": r.get("document"),
            "plan": r.get("plan"), "built": r.get("built"),
            "content_hash": r.get("content_hash"), "figures": self.figures,
            "altered": [m.text() for m in self.altered],
            "differences": [{"where": d.where, "printed": d.printed, "computed": d.computed}
                            for d in self.differences],
            "problems": [m.text() for m in self.problems],
            "notes": [m.text() for m in self.notes],
        }


# -- reading a document ----------------------------------------------------------------------
def read(data: bytes) -> Carried:
    """The files and text a PDF or DOCX carries; NotMadeByPlanbuilder when it is neither,
    cannot be read, or carries no record."""
    if data.startswith(b"%PDF-"):
        carried = _read_pdf(data)
    elif data.startswith(b"PK"):
        carried = _read_docx(data)
    else:
        raise NotMadeByPlanbuilder(msg("verify.not_a_document"))
    if rec.NAME not in carried.files:
        raise NotMadeByPlanbuilder(msg("verify.no_record"))
    return carried


def _read_pdf(data: bytes) -> Carried:
    # PDFium (pypdfium2) reads the attachments and the page text, a few tens of times
    # faster than a pure-Python reader: verify reads every page of every document.
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise NotMadeByPlanbuilder(msg("verify.unreadable", problem=str(exc)[:200])) from None
    try:
        files: dict[str, bytes] = {}
        for index in range(document.count_attachments()):
            attachment = document.get_attachment(index)
            files.setdefault(attachment.get_name(), bytes(attachment.get_data()))
        visible: list[str] = []
        for number in range(len(document)):
            page = document[number]
            text = page.get_textpage()
            # each text object's text, in the content's (the reading) order
            for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_TEXT],
                                        textpage=text):
                assert isinstance(obj, pdfium.PdfTextObj)
                run = obj.extract()
                if run.strip():
                    visible.append(run)
            text.close()
            page.close()
    except (pdfium.PdfiumError, ValueError, KeyError, OSError) as exc:
        raise NotMadeByPlanbuilder(msg("verify.unreadable", problem=str(exc)[:200])) from None
    finally:
        document.close()
    return Carried("pdf", files, visible)


def _read_docx(data: bytes) -> Carried:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = package.namelist()
        files: dict[str, bytes] = {}
        for name in sorted(n for n in names if n.startswith("customXml/")
                           and n.endswith(".xml") and "/_rels/" not in n):
            if package.getinfo(name).file_size > _MAX_PART:
                continue
            root = etree.fromstring(package.read(name), parser)
            if root.tag != f"{_PLAN}plan":
                continue
            for item in root.iter(f"{_PLAN}file"):
                try:
                    files[str(item.get("name"))] = base64.b64decode(item.text or "",
                                                                    validate=True)
                except binascii.Error:
                    files[str(item.get("name"))] = b""
        body = etree.fromstring(package.read("word/document.xml"), parser)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError, OSError) as exc:
        raise NotMadeByPlanbuilder(msg("verify.unreadable", problem=str(exc)[:200])) from None
    # a tracked deletion (a changes appendix) is shown to the reader struck through, as the
    # PDF prints it: its text is what the document shows too
    visible = ["".join(t.text or "" if t.tag in (f"{_W}t", f"{_W}delText") else "\n"
                       for t in p.iter(f"{_W}t", f"{_W}delText", f"{_W}br", f"{_W}cr",
                                       f"{_W}tab"))
               for p in body.iter(f"{_W}p")]
    return Carried("docx", files, [v for v in visible if v.strip()])


# -- checking --------------------------------------------------------------------------------
def verify(data: bytes, file: str, templates: Path | None = None) -> Report:
    """Check one document (its bytes); `file` names it in the report."""
    carried = read(data)
    try:
        record = json.loads(carried.files[rec.NAME].decode("utf-8"))
        if not isinstance(record, dict) or record.get("format") != rec.FORMAT:
            raise ValueError("format")
        document = record["document"]
        kind, lang, stem = document["kind"], document["lang"], document["file"]
        if kind not in _KINDS or lang not in ("fi", "sv"):
            raise ValueError("kind")
        recorded = [(str(f["where"]), str(f["printed"])) for f in record["figures"]]
        built = dt.date.fromisoformat(record["built"])
        if not all(isinstance(f, dict) and isinstance(f.get("name"), str)
                   and isinstance(f.get("sha256"), str) for f in record["files"]) \
                or not all(isinstance(record["plan"].get(k), str)
                           for k in ("area", "version")) \
                or not isinstance(record["content_hash"], str) \
                or not isinstance(record.get("templates", {}), dict):
            raise ValueError("shape")
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise NotMadeByPlanbuilder(msg("verify.bad_record")) from None
    report = Report(file, record, carried.format)
    if record.get("planbuilder") != __version__:
        report.notes.append(msg("verify.other_version", made=record.get("planbuilder"),
                                installed=__version__))
    _check_files(report, carried, record)
    computed = _recompute(report, carried, record, kind, document.get("member"), lang, stem,
                          built, templates)
    _compare(report, recorded, _visible_figures(recorded, carried.visible), computed)
    return report


def _check_files(report: Report, carried: Carried, record: dict[str, Any]) -> None:
    listed = {str(f["name"]): f for f in record.get("files", [])}
    for name, entry in listed.items():
        data = carried.files.get(name)
        if data is None:
            report.altered.append(msg("verify.missing_file", name=name))
        elif hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            report.altered.append(msg("verify.altered_file", name=name))
    for name in sorted(set(carried.files) - set(listed) - {rec.NAME}):
        report.altered.append(msg("verify.extra_file", name=name))
    plan_files = [(n, carried.files[n]) for n, f in listed.items()
                  if f.get("role") == "plan" and n in carried.files]
    got = rec.content_hash(plan_files)
    if got != record.get("content_hash"):
        report.altered.append(msg("verify.altered_hash", got=got[:12],
                                  recorded=str(record.get("content_hash"))[:12]))


# The figures of recent recompositions, by what they depend on: the PDF and the DOCX of one
# document, checked in one run, are composed once.
_RECOMPOSED: dict[tuple[str, ...], tuple[list[tuple[str, str]] | None, list[Msg]]] = {}


def _recompute(report: Report, carried: Carried, record: dict[str, Any], kind: str,
               member: str | None, lang: str, stem: str, built: dt.date,
               templates: Path | None) -> list[tuple[str, str]] | None:
    """The figures the attached plan gives now, place by place; None (with the problem in
    the report) when it cannot be composed."""
    used = record.get("templates") or {}
    template_set = TemplateSet.load(templates)
    if templates is None and not used.get("default", False):
        report.notes.append(msg("verify.own_templates"))
    files = {n: hashlib.sha256(d).hexdigest() for n, d in sorted(carried.files.items())
             if n != rec.NAME}
    key = (json.dumps(files), json.dumps(record.get("files")), kind, str(member), lang, stem,
           built.isoformat(), str(template_set.folder),
           folder_fingerprint(template_set.folder))
    if key not in _RECOMPOSED:
        problems: list[Msg] = []
        figures = _compose_again(problems, carried, record, kind, member, lang, stem,
                                 built, template_set)
        if len(_RECOMPOSED) >= 8:
            _RECOMPOSED.pop(next(iter(_RECOMPOSED)))
        _RECOMPOSED[key] = (figures, problems)
    figures, problems = _RECOMPOSED[key]
    report.problems += problems
    return figures


def _compose_again(problems: list[Msg], carried: Carried, record: dict[str, Any], kind: str,
                   member: str | None, lang: str, stem: str, built: dt.date,
                   template_set: TemplateSet) -> list[tuple[str, str]] | None:
    plan_files = {name: carried.files[name] for name, f in
                  ((str(f["name"]), f) for f in record.get("files", []))
                  if f.get("role") == "plan" and name in carried.files}
    with tempfile.TemporaryDirectory(prefix="planbuilder-verify-") as scratch:
        folder = Path(scratch) / "plan"
        folder.mkdir()
        for name, data in plan_files.items():
            safe = PurePosixPath(name).name
            if safe != name or not safe.endswith((".yaml", ".yml")) or safe.startswith("."):
                problems.append(msg("verify.bad_file_name", name=name))
                return None
            (folder / safe).write_bytes(data)
        try:
            loaded = load_plan(folder)
        except PlanLoadError as exc:
            first = exc.findings[0].message.text() if exc.findings else ""
            problems.append(msg("verify.plan_does_not_load", problem=first))
            return None
    plan = loaded.plan
    try:
        money = compute(plan) if plan.budget and plan.cost_sharing else None
    except MoneyError as exc:
        problems.append(msg("verify.plan_does_not_load", problem=str(exc)))
        return None
    wanted: Callable[[str, str], bool] = lambda m, language: m == member  # noqa: E731
    try:
        made = outputs(loaded, template_set, money, built, [cast(Lang, lang)],
                       decisions=wanted, kinds=(kind,))
    except (UsageError, MoneyError, AssertionError) as exc:
        problems.append(msg("verify.not_composed", problem=str(exc)))
        return None
    again = next((o.document for o in made if o.stem == stem and o.document is not None),
                 None)
    attached = next((a.data for a in again.attachments if a.name == rec.NAME), None) \
        if again is not None else None
    if attached is None:
        problems.append(msg("verify.not_composed", problem=stem))
        return None
    figures = json.loads(attached)["figures"]
    return [(str(f["where"]), str(f["printed"])) for f in figures]


def _norm(text: str) -> str:
    return text.replace("\u202f", "\u00a0").replace("\u00ad", "").strip()


def _shape(figure: str) -> str:
    """What kind of figure: its unit, or '' for a number alone."""
    found = rec.FIGURE.fullmatch(figure)
    return figure.rstrip("*")[-1] if found else ""


def _visible_figures(recorded: list[tuple[str, str]], visible: list[str]
                     ) -> dict[str, str]:
    """Where each recorded figure is on the page: the text printed at its place in reading
    order (absent when the text has nothing there)."""
    shown: list[str] = []
    for piece in (line for text in visible for line in text.split("\n")):
        piece = _norm(piece)
        shown += [piece] if rec.ALONE.fullmatch(piece) else rec.in_text(piece)
    ours = [_norm(p) for _, p in recorded]
    found: dict[str, str] = {}
    matcher = difflib.SequenceMatcher(None, ours, shown, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                found[recorded[i1 + k][0]] = shown[j1 + k]
        elif op == "replace":
            # pair each figure with the next one of its kind printed in its place
            j = j1
            for i in range(i1, i2):
                while j < j2 and _shape(shown[j]) != _shape(ours[i]):
                    j += 1
                if j < j2:
                    found[recorded[i][0]] = shown[j]
                    j += 1
    return found


def _compare(report: Report, recorded: list[tuple[str, str]], visible: dict[str, str],
             computed: list[tuple[str, str]] | None) -> None:
    now = dict(computed) if computed is not None else None
    report.figures = len(recorded)
    for where, printed in recorded:
        shown = visible.get(where, "")
        if now is None:  # nothing to compare with but the record
            if _norm(shown) != _norm(printed):
                report.differences.append(Difference(where, shown, printed))
            continue
        expected = now.get(where, "")
        if _norm(shown) != _norm(expected) or _norm(printed) != _norm(expected):
            if _norm(shown) == _norm(expected):  # the page is right, the record is not
                report.altered.append(msg("verify.record_altered", where=where,
                                          recorded=printed, printed=shown))
            else:
                report.differences.append(Difference(where, shown, expected))
    if computed is not None:
        known = {w for w, _ in recorded}
        report.differences += [Difference(w, "", p) for w, p in computed if w not in known]
