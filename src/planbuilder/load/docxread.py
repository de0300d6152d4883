"""A Word document's body as the importer reads it: each paragraph and table in order, with
its place (paragraph number), style, heading level, list numbering and its text as Markdown
(bold and italic kept). python-docx reads the package; what it leaves to the caller (the
numbering definitions, runs inside hyperlinks and tracked insertions, content controls) is
read from the XML here."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

ORDERED_FORMATS = frozenset({"decimal", "lowerLetter", "upperLetter", "lowerRoman",
                             "upperRoman", "decimalZero", "ordinal"})
_HEADING_STYLE = re.compile(r"^(heading|otsikko|rubrik|überschrift)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = frozenset({"title", "otsikko", "rubrik", "titel", "subtitle", "alaotsikko",
                           "underrubrik"})
_TOC_STYLE = re.compile(r"^(toc|sisällys|innehåll|contents)\b|^(toc heading)$", re.IGNORECASE)
_CAPTION_STYLES = frozenset({"caption", "kuvaoteksti", "beskrivning", "bildtext"})


class NotADocx(Exception):
    """The file is not a Word (.docx) document python-docx can read."""


@dataclass(frozen=True)
class Item:
    """One paragraph or table of the document body."""

    place: int  # paragraph number (1-based; a table counts as one)
    kind: Literal["paragraph", "table"]
    text: str  # plain text, spaces collapsed
    markdown: str = ""
    style: str = ""
    heading: int = 0  # heading level from the style or outline level, 0 for body text
    title: bool = False  # the document's title (Title or Subtitle style)
    toc: bool = False  # a table of contents entry
    caption: bool = False
    list_level: int = -1  # -1: not a list item
    ordered: bool = False
    number_format: str = ""  # the numbering's lvlText, e.g. "%1 §" or "%1."
    bold: bool = False  # every character of the paragraph is bold
    rows: tuple[tuple[str, ...], ...] = field(default=())  # a table's cell texts


def plain(text: str) -> str:
    """Text compared without its spacing: no-break and narrow spaces are spaces."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


def _style_chain(style: Any) -> Iterator[Any]:
    seen = 0
    while style is not None and seen < 20:
        yield style
        style = style.base_style
        seen += 1


class _Numbering:
    """The numbering definitions: (numId, ilvl) -> (numFmt, lvlText)."""

    def __init__(self, doc: Any):
        self.levels: dict[tuple[str, int], tuple[str, str]] = {}
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            # python-docx raises NotImplementedError for a document without a numbering
            # part (it cannot create one): such a document simply numbers nothing
            return
        abstract: dict[str, dict[int, tuple[str, str]]] = {}
        for a in root.findall(qn("w:abstractNum")):
            lvls: dict[int, tuple[str, str]] = {}
            for lvl in a.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                lvls[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    fmt.get(qn("w:val"), "") if fmt is not None else "",
                    text.get(qn("w:val"), "") if text is not None else "")
            abstract[a.get(qn("w:abstractNumId"), "")] = lvls
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            for ilvl, value in abstract.get(ref.get(qn("w:val"), ""), {}).items():
                self.levels[(num.get(qn("w:numId"), ""), ilvl)] = value

    def of(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        return self.levels.get((num_id, ilvl))


def _num_pr(ppr: Any) -> tuple[str | None, int | None]:
    if ppr is None:
        return None, None
    num_pr = ppr.find(qn("w:numPr"))
    if num_pr is None:
        return None, None
    num_id = num_pr.find(qn("w:numId"))
    ilvl = num_pr.find(qn("w:ilvl"))
    return (num_id.get(qn("w:val")) if num_id is not None else None,
            int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else None)


def _outline(ppr: Any) -> int | None:
    if ppr is None:
        return None
    level = ppr.find(qn("w:outlineLvl"))
    if level is None:
        return None
    value = int(level.get(qn("w:val"), "9"))
    return value + 1 if value < 9 else None


def _runs(p: Paragraph) -> Iterator[Run]:
    """Every run of the paragraph's text, inside hyperlinks, tracked insertions and smart
    tags too (python-docx's `runs` skips those); deleted text is not read."""
    for r in p._p.iter(qn("w:r")):
        parent = r.getparent()
        if parent is not None and parent.tag in (qn("w:del"), qn("w:moveFrom")):
            continue
        yield Run(cast(Any, r), p)


def _run_text(run: Run) -> str:
    return run.text.replace("\t", " ").replace("\n", " ").replace("\u00ad", "")


def _char_bold(run: Run) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    style = run.style
    return style is not None and style.name != "Default Paragraph Font" and \
        bool(style.font.bold)


def _char_italic(run: Run) -> bool:
    if run.italic is not None:
        return bool(run.italic)
    style = run.style
    return style is not None and style.name != "Default Paragraph Font" and \
        bool(style.font.italic)


def _inline_markdown(runs: list[tuple[str, bool, bool]]) -> str:
    """Runs as Markdown: bold as **…**, italic as *…*, spaces outside the markers."""
    merged: list[list[Any]] = []
    for text, bold, italic in runs:
        if not text:
            continue
        if merged and merged[-1][1] == bold and merged[-1][2] == italic:
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic])
    out: list[str] = []
    for text, bold, italic in merged:
        core = text.strip()
        if not core:
            out.append(text)
            continue
        mark = ("**" if bold else "") + ("*" if italic else "")
        lead = text[:len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        out.append(f"{lead}{mark}{_escape(core)}{mark[::-1]}{trail}")
    # the typesetting's no-break spaces (before §, € and %) and soft hyphens are not the
    # text's own: the documents set them again
    joined = "".join(out).replace("\u00a0", " ").replace("\u202f", " ").replace("\u00ad", "")
    return re.sub(r" {2,}", " ", joined).strip()


def _paragraph(p: Paragraph, place: int, numbering: _Numbering) -> Item:
    style = p.style
    names = [s.name or "" for s in _style_chain(style)]
    name = names[0] if names else ""
    heading = 0
    for n in names:
        m = _HEADING_STYLE.match(n.strip())
        if m:
            heading = int(m[2])
            break
    ppr = p._p.pPr
    if not heading:
        heading = _outline(ppr) or next(
            (lvl for s in _style_chain(style) if (lvl := _outline(s.element.pPr))), 0)
    num_id, ilvl = _num_pr(ppr)
    if num_id is None:
        for s in _style_chain(style):
            num_id, style_ilvl = _num_pr(s.element.pPr)
            if num_id is not None:
                ilvl = ilvl if ilvl is not None else style_ilvl
                break
    fmt, lvl_text = ("", "")
    list_level = -1
    if num_id not in (None, "0"):
        found = numbering.of(num_id or "", ilvl or 0)
        if found is not None and found[0] != "none":
            fmt, lvl_text = found
            list_level = ilvl or 0
    lowered = [n.lower() for n in names]
    if list_level < 0 and any(("list bullet" in n or "list number" in n or "luettelo" in n)
                              for n in lowered):
        list_level = 0
        fmt = "decimal" if any("number" in n or "numero" in n for n in lowered) else "bullet"
    runs = [(_run_text(r), _char_bold(r), _char_italic(r)) for r in _runs(p)]
    text = plain("".join(t for t, _, _ in runs))
    style_bold = any(bool(s.font.bold) for s in _style_chain(style)
                     if s.font.bold is not None)
    all_bold = bool(text) and all(b or style_bold for t, b, _ in runs if t.strip())
    # emphasis the paragraph's style gives every character is not the text's own
    marked = [(t, b and not style_bold and not heading, i) for t, b, i in runs]
    return Item(place=place, kind="paragraph", text=text, markdown=_inline_markdown(marked),
                style=name, heading=heading if list_level < 0 or heading else 0,
                title=name.strip().lower() in _TITLE_STYLES and not heading,
                toc=bool(_TOC_STYLE.match(name.strip())),
                caption=name.strip().lower() in _CAPTION_STYLES,
                list_level=list_level, ordered=fmt in ORDERED_FORMATS,
                number_format=lvl_text, bold=all_bold)


def _cell_text(cell: Any) -> str:
    return plain(" ".join(p.text for p in cell.paragraphs))


def _table(t: Table, place: int) -> Item:
    rows: list[tuple[str, ...]] = []
    for row in t.rows:
        cells: list[str] = []
        last: Any = None
        for cell in row.cells:
            if cell._tc is last:  # a merged cell repeats: once
                continue
            last = cell._tc
            cells.append(_cell_text(cell))
        rows.append(tuple(cells))
    width = max((len(r) for r in rows), default=0)
    rows = [r + ("",) * (width - len(r)) for r in rows]
    text = " | ".join(c for r in rows for c in r if c)
    return Item(place=place, kind="table", text=text, markdown=pipe_table(rows),
                rows=tuple(rows))


def pipe_table(rows: list[tuple[str, ...]]) -> str:
    if not rows:
        return ""

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(_escape(c).replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(rows[0]), "| " + " | ".join("---" for _ in rows[0]) + " |",
                      *(line(r) for r in rows[1:])])


def _body(element: Any) -> Iterator[Any]:
    """The body's paragraphs and tables in order, inside content controls too."""
    for child in element.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body(content)


def read_items(data: bytes) -> list[Item]:
    """Every paragraph and table of the document's body, in order."""
    try:
        doc = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise NotADocx(str(exc)) from None
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and others
        if type(exc).__name__ in ("PackageNotFoundError", "InvalidXmlError", "XMLSyntaxError"):
            raise NotADocx(str(exc)) from None
        raise
    numbering = _Numbering(doc)
    items: list[Item] = []
    for place, element in enumerate(_body(doc.element.body), start=1):
        if element.tag == qn("w:p"):
            items.append(_paragraph(Paragraph(element, doc), place, numbering))
        else:
            items.append(_table(Table(element, doc), place))
    return items
