"""The neutral document tree. `compose` builds it; `render.docx` and `render.pdf` only lay it
out, so the lawyer's DOCX and the council's PDF cannot say different things.

All text here is final, localised text (numbers already formatted); renderers never format
or translate anything themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, assert_never


@dataclass(frozen=True)
class Span:
    """A run of inline text."""

    text: str
    bold: bool = False
    italic: bool = False
    ref: str = ""  # anchor of a heading or table this text refers to (a cross-reference)
    field: str = ""  # key of the document property (Meta.properties) `text` shows
    change: Literal["", "ins", "del"] = ""  # a redline: text inserted or deleted


Inline = tuple[Span, ...]


def plain(inline: Inline) -> str:
    return "".join(s.text for s in inline)


@dataclass(frozen=True)
class Heading:
    level: int  # 1..4
    text: str
    anchor: str  # stable id, used for PDF bookmarks/links and DOCX bookmarks
    numbered: str = ""  # e.g. "3" or "3 §"; shown before the text when set
    auto: bool = False  # `numbered` comes from the document's heading numbering (Meta)
    source: str = ""  # the plan text it shows, when it is the plan's own (a clause title)

    @property
    def full_text(self) -> str:
        """The heading as read: its number, if any, and its text."""
        return f"{self.numbered} {self.text}".strip()


@dataclass(frozen=True)
class Paragraph:
    content: Inline
    style: Literal["body", "lead", "note", "legal", "signature"] = "body"
    source: str = ""  # the plan text it comes from: "sections.resources.text#0" (paragraph 0)


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inline, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Cell:
    text: str
    align: Literal["left", "right", "center"] = "left"
    bold: bool = False
    old: str | None = None  # a redline: the previous text of a changed cell ("" when new)
    deleted: bool = False  # a redline: the cell of a row that is no longer there


@dataclass(frozen=True)
class Table:
    """A real table: header rows repeat on every page; numbers are right-aligned."""

    anchor: str
    caption: str  # e.g. "Taulukko 3. Talousarvio 2025"
    header: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths; empty = equal
    footer: tuple[tuple[Cell, ...], ...] = ()  # totals rows, shown bold
    note: str = ""  # source / illustrative remark under the table
    label: str = ""  # caption label ("Taulukko"): caption starts "{label} {number}. "
    number: int = 0


# A table of this many rows or fewer (headings and totals counted) stays on one page in both
# the PDF and the DOCX; a longer one may run over pages, leaving at least two rows on each
# (a long table kept whole would leave a large gap before it).
KEEP_WHOLE_ROWS = 6


@dataclass(frozen=True)
class Figure:
    """A chart drawn once by compose (SVG and a PNG fallback); both backends embed it."""

    anchor: str
    caption: str
    alt: str  # alternative text (WCAG 1.1.1)
    png: bytes
    width_cm: float = 16.0
    label: str = ""  # caption label ("Kuvio"): caption starts "{label} {number}. "
    svg: bytes = b""  # the same chart as vector graphics, when there is one
    number: int = 0


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class TableOfContents:
    title: str


@dataclass(frozen=True)
class Cover:
    title: str
    subtitle: str
    lines: tuple[tuple[str, str], ...]  # (label, value) pairs: members, host, status ...
    mark: str = ""  # "LUONNOS" / "UTKAST" when draft
    fields: tuple[str, ...] = ()  # per line: the document property its value shows, or ""


@dataclass(frozen=True)
class SignatureBlock:
    """Places for signatures: one (party, place-and-date line) per signatory."""

    parties: tuple[str, ...]
    place_date_label: str
    signature_label: str
    party_label: str = ""  # column heading for the parties


Block = (
    Heading
    | Paragraph
    | BulletList
    | Table
    | Figure
    | PageBreak
    | TableOfContents
    | Cover
    | SignatureBlock
)


@dataclass(frozen=True)
class DocProperty:
    """A document property (Word: File > Properties > Custom) shown through fields, so
    status and version are changed in one place."""

    key: Literal["status", "version", "mark"]
    name: str  # the property's name in the document's language, e.g. "Tila"
    value: str


@dataclass(frozen=True)
class Meta:
    title: str
    lang: Literal["fi", "sv"]
    author: str  # host municipality
    subject: str
    keywords: str
    header: str  # running header: area and status
    footer_page: str  # e.g. "sivu {page} / {pages}" with placeholders
    draft_mark: str  # "" unless draft
    date: str  # the document's own date, formatted
    created_iso: str  # build clock (SOURCE_DATE_EPOCH), ISO 8601
    header_lead: str = ""  # running header before status and version: area · document
    properties: tuple[DocProperty, ...] = ()
    heading_numbers: str = ""  # Word level text of auto-numbered headings: "%1", "%1 §"
    revision_date: str = ""  # a redline: when its changes were made (ISO 8601), for Word
    # Which plan the document was made from, for `planbuilder review`: the area (its
    # Finnish name), the plan's version and the document kind ("plan", "agreement").
    area: str = ""
    version: str = ""
    kind: str = ""

    def prop(self, key: str) -> DocProperty | None:
        return next((p for p in self.properties if p.key == key), None)


@dataclass(frozen=True)
class Attachment:
    """A file embedded in an archival PDF (plan YAML, computed tables, the build's record
    `planbuilder.json`)."""

    name: str
    description: str
    data: bytes
    mime: str
    relationship: str = "Source"  # PDF/A-3 AFRelationship: Source, Data, Supplement, …


@dataclass(frozen=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...]
    attachments: tuple[Attachment, ...] = field(default=())
    archival: bool = False  # the attachments are embedded (every document a build writes)


def page_label_parts(template: str) -> list[tuple[str, str]]:
    """'sivu {page} / {pages}' -> [('sivu ', 'page'), (' / ', 'pages')]: literal text and the
    page counter after it ('' for none); unknown {names} are dropped."""
    parts = []
    for literal, name in re.findall(r"([^{]*)(?:\{(\w*)\}?)?", template):
        counter = name if name in ("page", "pages") else ""
        if literal or counter:
            parts.append((literal, counter))
    return parts


def headings(doc: Document) -> list[Heading]:
    return [b for b in doc.blocks if isinstance(b, Heading)]


def text_blocks(doc: Document) -> list[str]:
    """The plain text of every block, in order: what both renderings must show."""
    out: list[str] = []
    for b in doc.blocks:
        match b:
            case Heading():
                out.append(b.full_text)
            case Paragraph():
                out.append(plain(b.content))
            case BulletList():
                out.extend(plain(i) for i in b.items)
            case Table():
                out.append(b.caption)
                for row in (*b.header, *b.rows, *b.footer):
                    out.extend(c.text for c in row if c.text)
                out.extend(b.note.split("\n"))
            case Figure():
                out.append(b.caption)
            case Cover():
                out.extend([b.title, b.subtitle])
            case SignatureBlock():
                out.extend(b.parties)
            case PageBreak() | TableOfContents():
                pass  # no text of their own (the contents repeat the headings)
            case _:
                assert_never(b)
    return [t for t in out if t.strip()]


def sourced(doc: Document) -> list[tuple[str, str]]:
    """(key path, text as shown) of every paragraph and heading that shows the plan's own
    text, in order: what a DOCX maps back to the YAML, and what `review` checks it against."""
    out: list[tuple[str, str]] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph) and b.source:
            out.append((b.source, plain(b.content)))
        elif isinstance(b, Heading) and b.source:
            out.append((b.source, b.text))
    return out


# How many characters of table text a line of the page holds (the table's own, smaller,
# type across the text width), and what a cell's padding takes of it: the unit in which
# `content_widths` shares the width out. Both renderers set tables at that size.
TABLE_ROOM = 100.0
CELL_PADDING = 2.0
HEADING_WEIGHT = 1.1  # a heading is bold: its letters are wider
_WRAPS = re.compile(r"[ \t\n]+")  # where a line may break; a no-break space is no such place


def _longest_word(text: str) -> int:
    return max((len(w) for w in _WRAPS.split(text)), default=0)


def content_widths(table: Table) -> tuple[float, ...]:
    """Relative column widths from what the columns hold. Each column is at least as wide as
    its heading's longest word (a heading is never broken) and its body's longest word (a
    figure is one: its groups and its unit are joined by no-break spaces, so it never
    wraps); the room left goes to the columns whose text would otherwise wrap, by how much
    of it there is. So text columns get the width and number columns stay narrow."""
    rows = (*table.header, *table.rows, *table.footer)
    cols = max((len(r) for r in rows), default=0)
    need = [CELL_PADDING] * cols
    want = [CELL_PADDING] * cols
    for kind, group in (("header", table.header), ("body", (*table.rows, *table.footer))):
        for row in group:
            for j, c in enumerate(row):
                text = c.text.strip()
                weight = HEADING_WEIGHT if kind == "header" else 1.0
                need[j] = max(need[j], _longest_word(text) * weight + CELL_PADDING)
                want[j] = max(want[j], len(text) * weight + CELL_PADDING)
    if not cols:
        return ()
    if sum(want) <= TABLE_ROOM:  # everything on one line: each column as wide as it wants
        return tuple(round(w, 2) for w in want)
    spare = TABLE_ROOM - sum(need)
    if spare <= 0:  # not even the words fit: as near their sizes as the page allows
        return tuple(round(n, 2) for n in need)
    wrapped = sum(w - n for w, n in zip(want, need, strict=True))
    return tuple(round(n + spare * (w - n) / wrapped, 2) for w, n in zip(want, need, strict=True))
