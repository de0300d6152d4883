"""`planbuilder review`: a reviewer's Word edits back into the plan.

A DOCX planbuilder writes marks every paragraph of the plan's own prose with a hidden
bookmark, and a custom XML part maps each bookmark to the key path of the text in the YAML
(`render.docx`). A reviewer edits in Word with Track Changes and comments; this module reads
the edited DOCX and reports each tracked change and each comment like a finding, at the
`file:line:col` of the YAML the text came from, with the old and the proposed text. With
`apply`, the accepted text of each changed paragraph is written back into the YAML files by
a round-trip YAML editor (ruamel.yaml), so comments and layout stay; an edit that cannot be
mapped (a computed table, generated text, a paragraph whose Markdown formatting differs from
what Word shows) is reported and left alone."""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from planbuilder.errors import UsageError
from planbuilder.findings import Finding, KeyPath, Location
from planbuilder.load import LoadedPlan
from planbuilder.messages import msg, t
from planbuilder.render.docx import SOURCES_NS
from planbuilder.render.output import write_atomic

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPHS = re.compile(r"(\n[ \t]*\n)")


@dataclass(frozen=True)
class ReviewedParagraph:
    """One paragraph a reviewer changed or commented on: `source` is the key path of its
    plan text and the paragraph's index ("sections.resources.text#0"), "" when the text is
    not the plan's own prose."""

    source: str
    old: str  # the paragraph as planbuilder wrote it
    new: str  # as it reads with every tracked change accepted
    comments: tuple[tuple[str, str], ...] = ()  # (author, text)


def _text(p: Any, accepted: bool) -> str:
    out: list[str] = []
    for el in p.iter(f"{W}t", f"{W}delText", f"{W}br", f"{W}tab"):
        inserted = any(a.tag == f"{W}ins" for a in el.iterancestors())
        if el.tag == f"{W}delText":
            if not accepted:
                out.append(el.text or "")
        elif el.tag == f"{W}t":
            if accepted or not inserted:
                out.append(el.text or "")
        elif accepted or not inserted:
            out.append("\n" if el.tag == f"{W}br" else "\t")
    return "".join(out)


def read_changes(docx: bytes) -> tuple[str, list[ReviewedParagraph]]:
    """The document's language and its changed or commented paragraphs, in order."""
    try:
        package = zipfile.ZipFile(io.BytesIO(docx))
        document = etree.fromstring(package.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise UsageError(t("errors.not_a_docx", problem=str(exc))) from None
    sources: dict[str, str] = {}
    lang = ""
    for name in package.namelist():
        if name.startswith("customXml/item") and not name.startswith("customXml/itemProps"):
            root = etree.fromstring(package.read(name))
            if root.tag == f"{{{SOURCES_NS}}}sources":
                lang = root.get("lang", "")
                sources = {str(s.get("bookmark")): str(s.get("path")) for s in root}
    if not sources:
        raise UsageError(t("errors.no_sources"))
    comments: dict[str, tuple[str, str]] = {}
    if "word/comments.xml" in package.namelist():
        for c in etree.fromstring(package.read("word/comments.xml")).iter(f"{W}comment"):
            text = " ".join("".join(t.text or "" for t in p.iter(f"{W}t"))
                            for p in c.iter(f"{W}p")).strip()
            comments[c.get(f"{W}id", "")] = (c.get(f"{W}author", ""), text)
    out: list[ReviewedParagraph] = []
    for p in document.iter(f"{W}p"):
        marks = [b.get(f"{W}name") for b in p.iter(f"{W}bookmarkStart")]
        source = next((sources[m] for m in marks if m in sources), "")
        said = tuple(comments[str(c.get(f"{W}id"))] for c in p.iter(f"{W}commentRangeStart")
                     if str(c.get(f"{W}id")) in comments)
        tracked = next(p.iter(f"{W}ins", f"{W}del"), None) is not None
        if tracked or said:
            out.append(ReviewedParagraph(source, _text(p, False), _text(p, True), said))
    return lang, out


def _keypath(source: str) -> tuple[KeyPath, int]:
    path, _, paragraph = source.partition("#")
    keys: KeyPath = tuple(int(k) if k.isdigit() else k for k in path.split("."))
    return keys, int(paragraph or 0)


def _short(text: str, limit: int = 160) -> str:
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()  # no-break spaces stay
    return text if len(text) <= limit else text[:limit - 1] + "…"


def findings(loaded: LoadedPlan, lang: str, changes: list[ReviewedParagraph]) -> list[Finding]:
    """Each change and comment as a finding at the YAML the text came from (in the
    document's language's value of the text, when the plan gives it in both)."""
    out: list[Finding] = []
    for ch in changes:
        where: Location | None = None
        if ch.source:
            keys, _ = _keypath(ch.source)
            where = loaded.source.locate((*keys, lang)) if (*keys, lang) in \
                loaded.source.locations else loaded.source.locate(keys)
        if ch.old != ch.new:
            if ch.source:
                out.append(Finding("REVIEW-EDIT", "info", msg(
                    "review.edit", old=_short(ch.old), new=_short(ch.new)), where))
            else:
                out.append(Finding("REVIEW-UNMAPPED", "warning", msg(
                    "review.unmapped", old=_short(ch.old), new=_short(ch.new)), where))
        for author, text in ch.comments:
            out.append(Finding("REVIEW-COMMENT", "info", msg(
                "review.comment", author=author or "?", text=_short(text),
                at=_short(ch.old, 60)), where))
    return out


def _rewrap(old: str, new: str) -> str:
    """`new` wrapped like `old` was: at its longest line when it was hard-wrapped."""
    lines = old.split("\n")
    if len(lines) < 2:
        return new
    return textwrap.fill(new, width=max(len(line) for line in lines),
                         break_long_words=False, break_on_hyphens=False)


def apply(loaded: LoadedPlan, lang: str, changes: list[ReviewedParagraph]) -> tuple[list[Path],
                                                                          list[Finding]]:
    """Write each mapped paragraph's accepted text into its YAML file (comments and layout
    kept); the files changed and what could not be applied."""
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import ScalarString

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    documents: dict[str, Any] = {}
    changed: set[str] = set()
    refused: list[Finding] = []
    for ch in changes:
        if ch.old == ch.new or not ch.source:
            continue
        keys, index = _keypath(ch.source)
        where = loaded.source.locate(keys)
        if where.file not in documents:
            documents[where.file] = yaml.load(Path(where.file).read_text(encoding="utf-8"))
        parent: Any = documents[where.file]
        for k in keys[:-1]:
            parent = parent[k]
        last: Any = keys[-1]
        node = parent[last]
        if isinstance(node, dict):
            parent, last = node, lang
            node = node.get(lang)
        elif lang != "fi":
            node = None  # a plain string is the Finnish text, shown in place of a Swedish one
        if not isinstance(node, str):
            refused.append(Finding("REVIEW-NOT-APPLIED", "warning", msg("review.no_text"),
                                   where))
            continue
        parts = _PARAGRAPHS.split(str(node))
        texts = parts[::2]
        if index >= len(texts) or " ".join(texts[index].split()) != " ".join(ch.old.split()):
            refused.append(Finding("REVIEW-NOT-APPLIED", "warning", msg(
                "review.not_same", new=_short(ch.new)), where))
            continue
        parts[2 * index] = _rewrap(texts[index], " ".join(ch.new.split()))
        value = "".join(parts)
        parent[last] = type(node)(value) if isinstance(node, ScalarString) else value
        changed.add(where.file)
    written = []
    for name, data in documents.items():
        if name not in changed:
            continue  # read, but nothing applied: left exactly as it was
        buffer = io.StringIO()
        yaml.dump(data, buffer)
        write_atomic(Path(name), buffer.getvalue().encode("utf-8"))  # whole file or none
        written.append(Path(name))
    return written, refused
