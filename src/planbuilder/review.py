"""`planbuilder review`: a reviewer's Word edits back into the plan.

A DOCX planbuilder writes marks every paragraph and clause title of the plan's own prose
with a hidden bookmark, and a custom XML part maps each bookmark to the key path of the text
in the YAML, with a digest of the text as written, and names the plan it was made from
(area, version, document kind; `render.docx`). Word and LibreOffice keep both when they
save.

Nothing read from the DOCX is trusted beyond that. A document of another area is refused.
The plan is composed again, and only a key path this plan version shows as prose in that
document can be edited; every such paragraph is compared with what the plan says now,
whether the reviewer tracked the change or not. An edit is reported like a finding at the
`file:line:col` of its YAML; what cannot be applied safely (a computed table, a generated
sentence - with the plan key it comes from -, a split or merged paragraph, a deleted text,
a plan changed since the DOCX was made, a paragraph whose Markdown formatting the edit
would break) is reported with what to do, and left alone. `apply` writes all the edits or
none (`load.edit` changes only the edited values' characters; `render.output` swaps the
files in together).

The DOCX is read as a stream, within the limits below, so a crafted file cannot take the
machine's memory or minutes of time."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lxml import etree
from pydantic import BaseModel

from planbuilder.compose import compose_agreement, compose_plan
from planbuilder.compose.markdown import paragraph_lines, to_blocks
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import Document, Paragraph, plain, sourced
from planbuilder.errors import MoneyError, UsageError
from planbuilder.findings import Finding, KeyPath, Location
from planbuilder.load import LoadedPlan
from planbuilder.load.edit import EditError, replace_texts, text_path, wrap
from planbuilder.messages import msg, t
from planbuilder.model import Text
from planbuilder.money import compute
from planbuilder.render.docx import SOURCES_NS, text_digest
from planbuilder.render.output import replace_together
from planbuilder.render.xml import clean, clean_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Limits on what a reviewed DOCX may hold (README, Limits). A document planbuilder writes
# is far inside them: Porvoo's plan is some 400 KB of document XML and 1 500 paragraphs.
MAX_DOCX_BYTES = 50_000_000
MAX_ENTRIES = 2_000
MAX_DOCUMENT_XML = 30_000_000
MAX_PART_XML = 5_000_000  # comments, the sources part
MAX_PARAGRAPHS = 50_000
MAX_ELEMENTS = 1_000_000  # XML tags of one part
MAX_COMMENTS = 5_000
MAX_SOURCES = 50_000

_SPACE = re.compile(r"[ \t\r\n]+")  # not the no-break space: it is the plan's own character
_UNIT_SPACE = re.compile(r"(?<=\d)\u00a0(?=(?:%|§|€|htv\b|årsv\.))")  # render.xml.clean's


def _norm(text: str) -> str:
    """A text as compared: runs of spaces as one, the no-break space planbuilder puts
    between a number and its unit as the space the plan has."""
    return _UNIT_SPACE.sub(" ", _SPACE.sub(" ", text)).strip()


# -- reading the DOCX -------------------------------------------------------------------------


@dataclass(frozen=True)
class DocParagraph:
    """One paragraph of the reviewed document."""

    marks: tuple[str, ...]  # planbuilder's bookmarks (_pbN) over it, normally one
    old: str  # as planbuilder wrote it, every tracked change rejected
    new: str  # every tracked change accepted
    mark: str = ""  # the paragraph mark itself tracked: "ins" (Enter) or "del" (joined)
    comments: tuple[str, ...] = ()  # ids of comments anchored in it
    heading: bool = False


@dataclass
class Reviewed:
    """What a reviewed DOCX says: the plan it names, its sources and its paragraphs."""

    name: str  # the file, as the reader named it
    lang: str
    area: str
    version: str
    kind: str
    sources: dict[str, tuple[str, str]]  # bookmark -> (key path, digest of the text)
    paragraphs: list[DocParagraph] = field(default_factory=list)
    comments: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> author, text


def _too_big(name: str, what: str, limit: int) -> UsageError:
    return UsageError(t("review.errors.limit", file=name, what=what, limit=f"{limit:,}"
                        .replace(",", " ")))


def _part(package: zipfile.ZipFile, name: str, part: str, limit: int) -> bytes | None:
    try:
        info = package.getinfo(part)
    except KeyError:
        return None
    if info.file_size > limit:
        raise _too_big(name, part, limit)
    with package.open(info) as handle:
        data = handle.read(limit + 1)  # the size in the directory may lie
    if len(data) > limit:
        raise _too_big(name, part, limit)
    return data


def _events(data: bytes, name: str, part: str, tags: tuple[str, ...] | None = None
            ) -> Iterator[tuple[str, Any]]:
    """Start and end events of an XML part's elements (those named by `tags`); the caller
    drops what it has read, so the tree does not grow with the part. The part's tags are
    counted first, at the speed of a byte search, so no tree of millions is ever built."""
    if data.count(b"<") > MAX_ELEMENTS:
        raise _too_big(name, f"{part} (XML tags)", MAX_ELEMENTS)
    parser = etree.iterparse(io.BytesIO(data), events=("start", "end"), tag=tags,
                             resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False)
    try:
        yield from parser
    except etree.XMLSyntaxError as exc:
        raise UsageError(t("errors.not_a_docx", problem=f"{part}: {exc}")) from None


def _texts(p: Any) -> tuple[str, str]:
    """The paragraph's text with every tracked change rejected, and accepted."""
    old: list[str] = []
    new: list[str] = []
    for el in p.iter(f"{W}t", f"{W}delText", f"{W}tab", f"{W}br", f"{W}cr"):
        tracked = {a.tag for a in el.iterancestors(f"{W}ins", f"{W}del", f"{W}moveTo",
                                                    f"{W}moveFrom")}
        text = el.text or "" if el.tag in (f"{W}t", f"{W}delText") else \
            ("\t" if el.tag == f"{W}tab" else "\n")
        inserted = bool(tracked & {f"{W}ins", f"{W}moveTo"})
        deleted = el.tag == f"{W}delText" or bool(tracked & {f"{W}del", f"{W}moveFrom"})
        if not inserted:
            old.append(text)
        if not deleted:
            new.append(text)
    return "".join(old), "".join(new)


def _read_sources(data: bytes, name: str) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    attrs: dict[str, str] = {}
    sources: dict[str, tuple[str, str]] = {}
    for event, el in _events(data, name, "customXml"):
        if event != "start":
            continue
        if el.tag == f"{{{SOURCES_NS}}}sources":
            attrs = {k: str(v) for k, v in el.attrib.items()}
        elif el.tag == f"{{{SOURCES_NS}}}source" and attrs:
            if len(sources) >= MAX_SOURCES:
                raise _too_big(name, "customXml (planbuilder sources)", MAX_SOURCES)
            sources[str(el.get("bookmark", ""))] = (str(el.get("path", "")),
                                                    str(el.get("digest", "")))
        else:
            return {}, {}  # another custom XML part
    return attrs, sources


def read_docx(data: bytes, name: str) -> Reviewed:
    """The reviewed document, read within the limits (UsageError past them)."""
    if len(data) > MAX_DOCX_BYTES:
        raise _too_big(name, "DOCX", MAX_DOCX_BYTES)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        entries = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UsageError(t("errors.not_a_docx", problem=str(exc))) from None
    if len(entries) > MAX_ENTRIES:
        raise _too_big(name, "DOCX (parts)", MAX_ENTRIES)
    try:
        return _read_package(package, entries, name)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:  # a broken entry
        raise UsageError(t("errors.not_a_docx", problem=str(exc))) from None


def _read_package(package: zipfile.ZipFile, entries: list[str], name: str) -> Reviewed:
    attrs: dict[str, str] = {}
    sources: dict[str, tuple[str, str]] = {}
    for part in entries:
        if re.fullmatch(r"customXml/item\d+\.xml", part):
            found = _part(package, name, part, MAX_PART_XML)
            if found is not None and SOURCES_NS.encode() in found[:2000]:
                attrs, sources = _read_sources(found, name)
                if attrs:
                    break
    if not attrs:
        raise UsageError(t("errors.no_sources"))
    reviewed = Reviewed(name, attrs.get("lang", ""), attrs.get("area", ""),
                        attrs.get("version", ""), attrs.get("kind", ""), sources)
    comments = _part(package, name, "word/comments.xml", MAX_PART_XML)
    if comments is not None:
        _read_comments(comments, reviewed)
    document = _part(package, name, "word/document.xml", MAX_DOCUMENT_XML)
    if document is None:
        raise UsageError(t("errors.not_a_docx", problem="word/document.xml"))
    _read_document(document, reviewed)
    return reviewed


def _read_comments(data: bytes, reviewed: Reviewed) -> None:
    for event, el in _events(data, reviewed.name, "word/comments.xml", (f"{W}comment",)):
        if event != "end":
            continue
        if len(reviewed.comments) >= MAX_COMMENTS:
            raise _too_big(reviewed.name, "word/comments.xml", MAX_COMMENTS)
        text = " ".join("".join(x.text or "" for x in p.iter(f"{W}t"))
                        for p in el.iter(f"{W}p")).strip()
        reviewed.comments[str(el.get(f"{W}id", ""))] = (str(el.get(f"{W}author", "")), text)
        el.clear()


def _read_document(data: bytes, reviewed: Reviewed) -> None:
    """Each paragraph once, as a stream: a paragraph is read when it ends and then dropped;
    planbuilder's bookmarks still open carry over (a paragraph the reviewer split)."""
    open_marks: dict[str, str] = {}  # bookmark id -> name, of planbuilder's open ones
    depth = 0
    marks = (f"{W}bookmarkStart", f"{W}bookmarkEnd")
    wanted = (f"{W}p", *marks, f"{W}tbl")
    for event, el in _events(data, reviewed.name, "word/document.xml", wanted):
        if el.tag == f"{W}p":
            if event == "start":
                depth += 1
                continue
            depth -= 1
            if depth:
                continue  # a paragraph inside a paragraph (a text box): read with it
            if len(reviewed.paragraphs) >= MAX_PARAGRAPHS:
                raise _too_big(reviewed.name, "word/document.xml (paragraphs)", MAX_PARAGRAPHS)
            reviewed.paragraphs.append(_paragraph(el, open_marks, reviewed))
            _drop(el)
        elif depth == 0 and event == "start" and el.tag in marks:  # between paragraphs
            _bookmark(el, open_marks, reviewed, set())
        elif depth == 0 and event == "end" and el.tag == f"{W}tbl":
            _drop(el)  # read: its rows and cells


def _drop(el: Any) -> None:
    """Forget an element read, and what came before it in its parent."""
    el.clear()
    parent = el.getparent()
    while parent is not None and el.getprevious() is not None:
        del parent[0]


def _bookmark(el: Any, open_marks: dict[str, str], reviewed: Reviewed, here: set[str]) -> None:
    ident = str(el.get(f"{W}id", ""))
    if el.tag == f"{W}bookmarkStart":
        name = str(el.get(f"{W}name", ""))
        if name in reviewed.sources:
            open_marks[ident] = name
            here.add(name)
    else:
        open_marks.pop(ident, None)


def _paragraph(p: Any, open_marks: dict[str, str], reviewed: Reviewed) -> DocParagraph:
    if len(p) == 0:  # an empty paragraph: nothing in it to read
        return DocParagraph(tuple(sorted(set(open_marks.values()))), "", "")
    here = set(open_marks.values())
    for el in p.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd"):
        _bookmark(el, open_marks, reviewed, here)
    old, new = _texts(p)
    mark = ""
    ppr = p.find(f"{W}pPr")
    if ppr is not None:
        rpr = ppr.find(f"{W}rPr")
        if rpr is not None:
            mark = "ins" if rpr.find(f"{W}ins") is not None else \
                "del" if rpr.find(f"{W}del") is not None else ""
        style = ppr.find(f"{W}pStyle")
        heading = style is not None and str(style.get(f"{W}val", "")).startswith("Heading")
    else:
        heading = False
    ids = [str(c.get(f"{W}id", "")) for c in p.iter(f"{W}commentRangeStart",
                                                   f"{W}commentReference")]
    order = sorted(here, key=lambda m: int(m[3:]) if m[3:].isdigit() else 0)
    return DocParagraph(tuple(order), old, new, mark, tuple(dict.fromkeys(ids)), heading)


# -- what the reviewer did, against the plan as it is ---------------------------------------


@dataclass(frozen=True)
class Edit:
    """A change to apply: the text at `keys` (paragraph `index`, or the whole text when
    None: a title), from `current` (as the plan shows it now) to `new` ("" deletes that
    paragraph of a text of several)."""

    source: str
    keys: KeyPath
    index: int | None
    current: str
    new: str
    where: Location | None


@dataclass
class Review:
    findings: list[Finding] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    comments: int = 0
    left: int = 0  # edits reported but not applicable: the preparer's to do

    def leave(self, finding: Finding) -> None:
        self.findings.append(finding)
        self.left += 1


_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+")


def parse_source(source: str) -> tuple[KeyPath, int | None] | None:
    """A key path as the DOCX names it ("sections.resources.text#0"), None when it is not
    one planbuilder writes."""
    path, hashed, paragraph = source.partition("#")
    parts = path.split(".")
    if not path or not all(_KEY.fullmatch(p) for p in parts) or \
            (hashed and not paragraph.isdigit()) or len(parts) > 12:
        return None
    keys: KeyPath = tuple(int(k) if k.isdigit() else k for k in parts)
    return keys, (int(paragraph) if hashed else None)


def compose_current(loaded: LoadedPlan, kind: str, lang: str,
                    templates: TemplateSet | None = None) -> Document | None:
    """The document of that kind and language as the plan gives it now."""
    plan = loaded.plan
    if lang not in ("fi", "sv") or kind not in ("plan", "agreement"):
        return None
    if kind == "agreement" and plan.agreement is None:
        return None
    templates = templates or TemplateSet.load()
    try:
        money = compute(plan) if plan.budget and plan.cost_sharing else None
    except MoneyError:  # the plan's errors say why; its prose is composed all the same
        money = None
    composer = compose_plan if kind == "plan" else compose_agreement
    return clean_text(composer(plan, lang, templates, money, plan.area.date))  # type: ignore[arg-type]


def _where(loaded: LoadedPlan, keys: KeyPath, lang: str) -> Location:
    located = loaded.source.locations
    return located.get((*keys, lang)) or loaded.source.locate(keys)


def _same_ends(a: list[str], b: list[str]) -> tuple[int, int]:
    """How many words two texts share at their start, and then at their end."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start, end


def _context(old: str, new: str, words: int = 4) -> tuple[str, str]:
    """The changed words of each text with a few words around them ('…' where cut)."""
    a, b = old.split(" "), new.split(" ")
    start, end = _same_ends(a, b)
    lo = max(0, start - words)

    def cut(w: list[str]) -> str:
        hi = min(len(w), len(w) - end + words)
        return ("… " if lo else "") + " ".join(w[lo:hi]) + (" …" if hi < len(w) else "")

    return cut(a), cut(b)


def _edit_finding(rule: str, severity: str, key: str, old: str, new: str,
                  where: Location | None, **extra: object) -> Finding:
    before, after = _context(old, new)
    return Finding(rule, severity, msg(key, old=before, new=after, **extra),  # type: ignore[arg-type]
                   where)


def review(loaded: LoadedPlan, reviewed: Reviewed, templates: TemplateSet | None = None
           ) -> Review:
    """Every edit and comment of the reviewed document, checked against the plan."""
    plan = loaded.plan
    if reviewed.area != plan.area.name.fi:
        raise UsageError(t("review.errors.other_plan", file=reviewed.name,
                           area=reviewed.area or "?", plan=plan.area.name.fi))
    doc = compose_current(loaded, reviewed.kind, reviewed.lang, templates)
    if doc is None:
        raise UsageError(t("review.errors.kind", file=reviewed.name,
                           kind=reviewed.kind or "?", lang=reviewed.lang or "?"))
    out = Review()
    lang = reviewed.lang
    if reviewed.version != plan.area.version:
        out.findings.append(Finding("REVIEW-VERSION", "info", msg(
            "review.version", docx=reviewed.version or "?", plan=plan.area.version),
            loaded.source.locate(("area", "version"))))
    current = dict(sourced(doc))
    counts: dict[KeyPath, int] = {}
    for source in current:
        parsed = parse_source(source)
        if parsed is not None:
            counts[parsed[0]] = counts.get(parsed[0], 0) + 1
    groups: dict[str, list[DocParagraph]] = {}
    for p in reviewed.paragraphs:
        for m in p.marks:
            groups.setdefault(m, []).append(p)
    emptied: dict[KeyPath, list[tuple[Finding, Edit]]] = {}
    said: set[str] = set()
    for p in reviewed.paragraphs:  # reading order, for the comments and unmapped edits
        where: Location | None = None
        if p.marks:
            first = reviewed.sources[p.marks[0]][0]
            parsed = parse_source(first)
            if parsed is not None and first in current:
                where = _where(loaded, parsed[0], lang)
            if p is groups[p.marks[0]][0] and len(p.marks) == 1:
                _mapped(out, loaded, reviewed, p.marks[0], groups[p.marks[0]], current,
                        counts, emptied)
            elif len(p.marks) > 1 and p is groups[p.marks[0]][0]:
                paths = [reviewed.sources[m][0] for m in p.marks]
                if _norm(p.new) != _norm(" ".join(current.get(s, "") for s in paths)):
                    out.leave(_edit_finding("REVIEW-MERGED", "warning", "review.merged",
                                            _norm(p.old), _norm(p.new), where,
                                            keys=", ".join(paths)))
        elif _norm(p.old) != _norm(p.new):
            _unmapped(out, loaded, reviewed, p)
        if p.marks and p.mark == "del" and _norm(p.new):  # its end deleted: joined to the next
            out.leave(_edit_finding("REVIEW-MERGED", "warning", "review.merged", _norm(p.old),
                                    _norm(p.new), where,
                                    keys=reviewed.sources[p.marks[0]][0]))
        for ident in p.comments:
            if ident in said or ident not in reviewed.comments:
                continue
            said.add(ident)
            author, text = reviewed.comments[ident]
            at = _norm(p.old)
            out.comments += 1
            out.findings.append(Finding("REVIEW-COMMENT", "info", msg(
                "review.comment", author=author or "?", text=text,
                at=at if len(at) <= 60 else at[:59] + "…"), where))
    for keys, deleted in emptied.items():
        if len(deleted) == counts.get(keys, 0):  # every paragraph of the text deleted
            out.edits = [e for e in out.edits if e.keys != keys]
            out.leave(Finding("REVIEW-EMPTIED", "error", msg(
                "review.emptied", path=".".join(map(str, keys))), _where(loaded, keys, lang)))
        else:  # a paragraph of several: it goes
            for found, edit in deleted:
                out.findings.append(found)
                out.edits.append(edit)
    _reminders(out, loaded, lang)
    return out


def _mapped(out: Review, loaded: LoadedPlan, reviewed: Reviewed, mark: str,
            parts: list[DocParagraph], current: dict[str, str], counts: dict[KeyPath, int],
            emptied: dict[KeyPath, list[tuple[Finding, Edit]]]) -> None:
    """One of the plan's texts as the reviewer left it, compared with the plan's."""
    source, digest = reviewed.sources[mark]
    lang = reviewed.lang
    old = _norm(" ".join(p.old for p in parts))
    new = _norm(" ".join(p.new for p in parts))
    parsed = parse_source(source)
    if parsed is None or source not in current:
        if old != new or len(parts) > 1:  # a key this plan does not show (any more)
            where = loaded.source.locate(parsed[0]) if parsed else loaded.source.root
            out.leave(_edit_finding("REVIEW-UNKNOWN", "warning", "review.unknown", old, new,
                                    where, path=source))
        return
    keys, index = parsed
    where = _where(loaded, keys, lang)
    now = _norm(current[source])
    texts = [_norm(p.new) for p in parts if _norm(p.new)]
    if len(texts) > 1:  # Enter inside the paragraph
        out.leave(Finding("REVIEW-SPLIT", "warning", msg(
            "review.split", count=len(texts), parts=" | ".join(_short(x) for x in texts)),
            where))
        return
    if new == now:
        return
    untracked = text_digest(old) != digest and old != now
    changed_since = digest != text_digest(now)
    if changed_since and text_digest(old) == digest:
        out.leave(_edit_finding("REVIEW-NOT-APPLIED", "warning", "review.changed_since", old,
                                new, where))
        return
    rule, severity, key = ("REVIEW-UNTRACKED", "warning", "review.untracked") if untracked \
        else ("REVIEW-EDIT", "info", "review.edit")
    found = _edit_finding(rule, severity, key, now, new, where)
    edit = Edit(source, keys, index, now, new, where)
    if not new:  # reported once it is known whether the whole text went
        emptied.setdefault(keys, []).append((found, edit))
        return
    out.findings.append(found)
    out.edits.append(edit)


def _short(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _unmapped(out: Review, loaded: LoadedPlan, reviewed: Reviewed, p: DocParagraph) -> None:
    old, new = _norm(p.old), _norm(p.new)
    if not old:
        out.leave(Finding("REVIEW-UNMAPPED", "warning", msg("review.new_paragraph",
                                                            new=_short(new, 300))))
        return
    hints = data_keys(loaded, old, new, reviewed.kind, reviewed.lang)
    if hints:
        out.leave(_edit_finding("REVIEW-UNMAPPED", "warning", "review.generated", old, new,
                                hints[0][1], keys=", ".join(k for k, _ in hints)))
    elif p.heading:
        out.leave(_edit_finding("REVIEW-UNMAPPED", "warning", "review.template_heading", old,
                                new, None))
    else:
        out.leave(_edit_finding("REVIEW-UNMAPPED", "warning", "review.unmapped", old, new,
                                None))


_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?![\d])|"
                     r"(?<![\d,.])\d+(?:,\d+)?(?![\d])")


def _scalars(node: object, path: KeyPath = ()) -> Iterator[tuple[KeyPath, object]]:
    if isinstance(node, BaseModel):
        for k in type(node).model_fields:
            yield from _scalars(getattr(node, k), (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _scalars(v, (*path, i))
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _scalars(v, (*path, str(k)))
    elif node is not None and not isinstance(node, bool):
        yield path, node


def data_keys(loaded: LoadedPlan, old: str, new: str, kind: str, lang: str
              ) -> list[tuple[str, Location]]:
    """The plan keys whose values a generated sentence or a computed table shows in the
    words the reviewer changed ('12' in "Irtisanomisaika on 12 kuukautta" is
    agreement.validity.notice_months), the document's own part of the plan first."""
    a, b = old.split(" "), new.split(" ")
    start, end = _same_ends(a, b)
    lo = len(" ".join(a[:start])) + (1 if start else 0)
    hi = len(old) - len(" ".join(a[len(a) - end:])) - (1 if end else 0)
    dates: set[dt.date] = set()
    numbers: set[Decimal] = set()
    for m in _DATE.finditer(old):
        if m.end() > lo and m.start() < hi:
            with contextlib.suppress(ValueError):
                dates.add(dt.date(int(m[3]), int(m[2]), int(m[1])))
    for m in _NUMBER.finditer(_DATE.sub(lambda d: " " * len(d[0]), old)):
        if m.end() > lo and m.start() < hi:
            with contextlib.suppress(InvalidOperation):
                numbers.add(Decimal(re.sub(r"[ \u00a0\u202f]", "", m[0]).replace(",", ".")))
    changed = old[lo:hi]
    found: list[KeyPath] = []
    for path, value in _scalars(loaded.plan):
        if (isinstance(value, dt.date) and value in dates) or \
                (isinstance(value, int | Decimal) and Decimal(value) in numbers) or \
                (isinstance(value, str) and len(value) >= 3 and path[-1] != "text" and
                 changed.strip() != "" and value in old and
                 (value in changed or changed in value)):
            if isinstance(value, str) and path[-1] in ("fi", "sv") and path[-1] != lang:
                continue
            found.append(path)
    own = "agreement" if kind == "agreement" else "sections"
    found.sort(key=lambda p: (p[0] != own, p[0] == "members", len(p)))
    return [(".".join(map(str, p)), _where(loaded, p, lang)) for p in found[:3]]


def _reminders(out: Review, loaded: LoadedPlan, lang: str) -> None:
    """An edit of a text the plan has in both languages: the other one may now differ."""
    other = "sv" if lang == "fi" else "fi"
    seen: set[KeyPath] = set()
    for e in out.edits:
        if e.keys in seen:
            continue
        seen.add(e.keys)
        text = _text_at(loaded.plan, e.keys)
        if text is not None and text.sv is not None:
            out.findings.append(Finding("REVIEW-OTHER-LANGUAGE", "info", msg(
                f"review.other_language_{other}", path=".".join(map(str, e.keys))),
                _where(loaded, e.keys, other)))


def _text_at(node: object, keys: KeyPath) -> Text | None:
    for k in keys:
        if isinstance(node, BaseModel) and isinstance(k, str) and k in type(node).model_fields:
            node = getattr(node, k)
        elif isinstance(node, list) and isinstance(k, int) and 0 <= k < len(node):
            node = node[k]
        elif isinstance(node, dict) and str(k) in node:
            node = node[str(k)]
        else:
            return None
    return node if isinstance(node, Text) else None


# -- writing the edits -------------------------------------------------------------------------


_ESCAPE = re.compile(r"([\\`*_\[\]<>&|~])")
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|[-+*>=](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))")


def markdown_literal(text: str, at_start: bool) -> str:
    """The reviewer's words as literal Markdown text: what Word shows is what the next
    build prints (no bold, code, link or heading made by accident)."""
    escaped = _ESCAPE.sub(r"\\\1", text)
    if at_start:
        escaped = _BLOCK_START.sub(lambda m: m[0][:-1] + "\\" + m[0][-1] if m[0][-1].isdigit()
                                   else "\\" + m[0], escaped)
        number = re.match(r"^(\d{1,9})([.)])", escaped)
        if number:
            escaped = number[1] + "\\" + escaped[len(number[1]):]
    return escaped


def _paragraphs(markdown: str) -> list[str]:
    return [_norm(clean(plain(b.content))) for b in to_blocks(markdown)
            if isinstance(b, Paragraph)]


def _changed_paragraph(source: str, current: str, new: str) -> str | None:
    """The Markdown of one paragraph with the reviewer's change made: the words around the
    change keep their Markdown, the changed words are written as literal text; None when
    the change cannot be placed exactly."""
    if re.search(r"(  |\\)\n", source):
        return None  # a hard line break Word shows as a space
    text = _norm(source)
    a, b = current.split(" "), new.split(" ")
    start, end = _same_ends(a, b)
    if text == current:  # no Markdown in it: the change goes where it is
        head = " ".join(a[:start])
        tail = " ".join(a[len(a) - end:])
        words = markdown_literal(" ".join(b[start:len(b) - end]), at_start=not head)
        return " ".join(w for w in (head, words, tail) if w)
    # Markdown in the paragraph: the changed words, with a word of context each side that
    # must occur exactly once in the source
    lo, hi = max(0, start - 1), min(len(a), len(a) - end + 1)
    before = " ".join(a[lo:hi])
    after = " ".join(b[lo:len(b) - (len(a) - hi)])
    if not before or text.count(before) != 1:
        return None
    edge = text.index(before)
    return text[:edge] + markdown_literal(after, at_start=edge == 0) + \
        text[edge + len(before):]


def _rewrapped(old_chunk: str, new: str) -> str:
    lines = old_chunk.split("\n")
    if len(lines) < 2:
        return new
    width = max(len(line) for line in lines)
    return "\n".join(wrap(new.split(" "), width, width))


def changed_text(value: str, edits: list[Edit]) -> str | None:
    """The plan text `value` (Markdown) with the paragraph edits made, or None when the
    result would not show exactly what the reviewer left."""
    if any(e.index is None for e in edits):  # a title: plain text, written as it reads
        return edits[-1].new
    lines = value.split("\n")
    spans = paragraph_lines(value)
    expected = _paragraphs(value)
    if len(spans) != len(expected):
        return None
    removed: list[int] = []
    for e in sorted(edits, key=lambda e: -(e.index or 0)):
        i = e.index or 0
        if i >= len(spans) or spans[i] is None or expected[i] != e.current:
            return None
        start, stop = spans[i]  # type: ignore[misc]
        chunk = "\n".join(lines[start:stop])
        if not e.new:
            while stop < len(lines) and not lines[stop].strip():
                stop += 1
            lines[start:stop] = []
            removed.append(i)
            continue
        made = _changed_paragraph(chunk, e.current, e.new)
        if made is None:
            return None
        lines[start:stop] = _rewrapped(chunk, made).split("\n")
        expected[i] = e.new
    result = "\n".join(lines).rstrip("\n") + ("\n" if value.endswith("\n") else "")
    wanted = [x for k, x in enumerate(expected) if k not in removed]
    return result if _paragraphs(result) == wanted else None


def apply(loaded: LoadedPlan, lang: str, edits: list[Edit]) -> tuple[list[Path], list[Finding]]:
    """Write the edits into their YAML files, all files or none; an edit that cannot be
    written exactly is left (and said), the others are written. The files written and
    what was left."""
    refused: list[Finding] = []
    by_key: dict[KeyPath, list[Edit]] = {}
    for e in edits:
        by_key.setdefault(e.keys, []).append(e)
    per_file: dict[str, dict[KeyPath, str]] = {}
    for keys, group in by_key.items():
        where = _where(loaded, keys, lang)
        shown = _text_at(loaded.plan, keys)
        if shown is None or (lang == "sv" and shown.sv is None):
            refused.append(Finding("REVIEW-NOT-APPLIED", "warning", msg("review.no_text"),
                                   where))
            continue
        value = shown.sv if lang == "sv" and shown.sv is not None else shown.fi
        made = changed_text(value, group)
        if made is None:
            refused.append(Finding("REVIEW-NOT-APPLIED", "warning", msg(
                "review.not_same", new=" | ".join(_short(e.new, 200) for e in group)), where))
            continue
        file = loaded.source.locate(keys[:1]).file
        raw = loaded.files.get(file)
        if raw is None:
            refused.append(Finding("REVIEW-NOT-APPLIED", "warning", msg("review.no_text"),
                                   where))
            continue
        decoded = raw.decode("utf-8").removeprefix("\ufeff")
        at = text_path(decoded, keys, lang)
        if at is None:
            refused.append(Finding("REVIEW-NOT-APPLIED", "warning", msg("review.no_text"),
                                   where))
            continue
        per_file.setdefault(file, {})[at] = made
    contents: dict[Path, bytes] = {}
    for file, changes in per_file.items():
        original = loaded.files[file]
        bom = "\ufeff" if original.startswith(b"\xef\xbb\xbf") else ""
        while changes:
            try:
                edited = replace_texts(original.decode("utf-8").removeprefix("\ufeff"),
                                       changes)
            except EditError as exc:  # that value is left; the file's others are written
                refused.append(Finding("REVIEW-NOT-APPLIED", "warning", msg(
                    "review.unwritable", path=".".join(map(str, exc.path))),
                    loaded.source.locate(exc.path)))
                changes = {k: v for k, v in changes.items() if k != exc.path}
                continue
            contents[Path(file)] = (bom + edited).encode("utf-8")
            break
    for target in contents:
        try:
            with open(target, "rb") as handle:
                on_disk = handle.read()
        except OSError as exc:
            raise UsageError(f"{target}: {exc.strerror or exc}") from None
        if on_disk != loaded.files[str(target)]:
            raise UsageError(t("review.errors.changed_on_disk", file=str(target)))
    try:
        replace_together(contents)
    except OSError as exc:
        raise UsageError(t("review.errors.write", file=exc.filename or "?",
                           problem=exc.strerror or str(exc))) from None
    return list(contents), refused


def read_file(path: Path) -> bytes:
    """The reviewed DOCX's bytes, at most the limit."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_DOCX_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    return data
