"""Document tree -> Word document for legal reviewers.

Every document starts from the house template (`templates/house.docx`, or one generated from
the house style): its styles, page set-up and settings. The body is written as WordprocessingML
in schema order, with Word's own structure rather than typed text: headings numbered by a
list definition, SEQ-field captions with bookmarks, REF cross-references, DOCPROPERTY fields
for status and version, a TOC field whose cached result already lists the entries with page
numbers, styles instead of direct formatting, and "page break before" instead of manual
breaks. The same input gives the same bytes.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import io
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import assert_never
from xml.sax.saxutils import escape, quoteattr

from docx import Document as open_docx
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu
from lxml import etree

from planbuilder.compose.record import NAME as RECORD
from planbuilder.document import (
    KEEP_WHOLE_ROWS,
    Block,
    BulletList,
    Cell,
    Cover,
    DocProperty,
    Document,
    Figure,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    SignatureBlock,
    Table,
    TableOfContents,
    page_label_parts,
    plain,
    text_blocks,
)
from planbuilder.errors import TemplateError
from planbuilder.render import house
from planbuilder.render.style import HouseStyle
from planbuilder.render.xml import clean_text
from planbuilder.sandbox import inside

_NS = nsdecls("w", "r", "wp", "a", "pic")
_W = nsdecls("w")
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# pPr children that come after numPr in the schema (CT_PPrBase order).
_AFTER_NUMPR = {qn(f"w:{n}") for n in (
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
    "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
    "cnfStyle", "rPr", "sectPr", "pPrChange")}
_CUSTOM_PART, _CUSTOM_CT, _CUSTOM_REL = house.CUSTOM_PROPERTIES
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
_SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


@dataclass(frozen=True)
class Layout:
    """Where things landed in the PDF of the same document (used for the cached TOC page
    numbers and the page count in the document statistics)."""

    pages: int = 0
    anchors: Mapping[str, int] = field(default_factory=dict)


# -- WordprocessingML snippets -------------------------------------------------------------
def _text(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def _run(text: str, *, bold: bool = False, italic: bool = False, rstyle: str = "") -> str:
    rpr = (f'<w:rStyle w:val="{rstyle}"/>' if rstyle else "") + \
        ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    head = f"<w:r><w:rPr>{rpr}</w:rPr>" if rpr else "<w:r>"
    parts = text.split("\n")
    body = "<w:br/>".join(_text(p) if p else "" for p in parts)
    return f"{head}{body}</w:r>"


def _field_ends(instruction: str, rstyle: str = "", bold: bool = False) -> tuple[str, str]:
    """The runs that open a complex field (up to its result) and the run that closes it;
    a field's result may span paragraphs (the table of contents)."""
    rpr = (f'<w:rStyle w:val="{rstyle}"/>' if rstyle else "") + ("<w:b/>" if bold else "")
    head = f"<w:r><w:rPr>{rpr}</w:rPr>" if rpr else "<w:r>"
    return (f'{head}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'{head}<w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
            f'{head}<w:fldChar w:fldCharType="separate"/></w:r>',
            f'{head}<w:fldChar w:fldCharType="end"/></w:r>')


def _field(instruction: str, result: str, *, rstyle: str = "", bold: bool = False) -> str:
    """A complex field with its current result (no 'dirty' flag: Word does not ask to
    update it on opening)."""
    begin, end = _field_ends(instruction, rstyle, bold)
    return begin + (_run(result, rstyle=rstyle, bold=bold) if result else "") + end


def _ppr(style: str = "", *, keep_next: bool = False, page_break: bool = False,
         num: tuple[int, int] | None = None, jc: str = "", whole_words: bool = False) -> str:
    parts = [f'<w:pStyle w:val="{style}"/>' if style else "",
             "<w:keepNext/>" if keep_next else "",
             "<w:pageBreakBefore/>" if page_break else "",
             f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
             if num else "",
             "<w:suppressAutoHyphens/>" if whole_words else "",
             f'<w:jc w:val="{jc}"/>' if jc else ""]
    inner = "".join(parts)
    return f"<w:pPr>{inner}</w:pPr>" if inner else ""


def _bookmark(ident: int, name: str, inner: str) -> str:
    return (f'<w:bookmarkStart w:id="{ident}" w:name="{name}"/>{inner}'
            f'<w:bookmarkEnd w:id="{ident}"/>')


def _docproperty(prop: DocProperty, shown: str, *, rstyle: str = "",
                 bold: bool = False) -> str:
    """A DOCPROPERTY field showing a document property's current value."""
    name = '"' + prop.name.replace('"', "") + '"'
    return _field(f"DOCPROPERTY {name} \\* MERGEFORMAT", shown, rstyle=rstyle, bold=bold)


# -- the writer ----------------------------------------------------------------------------
class _Writer:
    def __init__(self, doc: Document, style: HouseStyle, layout: Layout):
        self.src = doc
        self.style = style
        self.layout = layout
        self.word: WordDocument = open_docx(_template(style))
        section = self.word.sections[0]
        width = (section.page_width or Cm(21)) - (section.left_margin or 0) - \
            (section.right_margin or 0)
        self.text_width = round(Emu(width).twips)
        self.out: list[str] = []
        self.ids = 0
        self.page_break = False
        self.restarts: list[int] = []
        self.figures = 0
        self.bookmarks = self._bookmark_names()
        # hidden bookmark -> plan text's key path, digest of its text
        self.sources: list[tuple[str, str, str]] = []

    def _source_mark(self, source: str, text: str, inner: str) -> str:
        """`inner` inside a hidden bookmark that the sources part maps to `source`, with a
        digest of the text as written, so `review` tells an edit from a plan changed since."""
        name = f"_pb{len(self.sources) + 1}"
        self.sources.append((name, source, text_digest(text)))
        return _bookmark(self._next_id(), name, inner)

    def _next_id(self) -> int:
        self.ids += 1
        return self.ids

    def _bookmark_names(self) -> dict[str, str]:
        """Hidden bookmarks (Word's own _Toc/_Ref form) for headings and captions."""
        names: dict[str, str] = {}
        for i, b in enumerate(self.src.blocks, start=1):
            if isinstance(b, Heading):
                names[b.anchor] = f"_Toc{100000000 + i}"
            elif isinstance(b, Table | Figure):
                names[b.anchor] = f"_Ref{100000000 + i}"
        return names

    # -- whole document -------------------------------------------------------------------
    def write(self) -> bytes:
        self._styles()
        self._settings()
        self._numbering_prepare()
        for block in self.src.blocks:
            self._block(block)
        if not self.out or self.out[-1].startswith("<w:tbl>"):
            self.out.append("<w:p/>")  # Word documents end with a paragraph mark
        self._numbering_finish()
        body = self.word.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        fragment = parse_xml(f"<w:body {_NS}>{''.join(self.out)}</w:body>")
        sect_pr = body.find(qn("w:sectPr"))
        for child in list(fragment):
            if sect_pr is not None:
                sect_pr.addprevious(child)
            else:
                body.append(child)
        self._header_footer()
        self._core_properties()
        buffer = io.BytesIO()
        self.word.save(buffer)
        return _finish_package(buffer.getvalue(), self.src, self.layout, self.sources)

    def _styles(self) -> None:
        styles = self.word.styles.element
        present = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
        for sid, xml in house.style_xml(self.style).items():
            if sid not in present:
                styles.append(parse_xml(xml.replace("<w:style ", f"<w:style {_W} ", 1)))
        heading = next(s for s in styles.findall(qn("w:style"))
                       if s.get(qn("w:styleId")) == "Heading1")
        ppr = heading.find(qn("w:pPr"))
        if ppr is None:
            ppr = parse_xml(f"<w:pPr {_W}/>")
            name_like = heading.find(qn("w:rPr"))
            if name_like is not None:
                name_like.addprevious(ppr)
            else:
                heading.append(ppr)
        for old in ppr.findall(qn("w:numPr")):
            ppr.remove(old)
        if self.src.meta.heading_numbers:
            num = parse_xml(f'<w:numPr {_W}><w:numId w:val="{house.NUM_HEADINGS}"/></w:numPr>')
            after = next((c for c in ppr if c.tag in _AFTER_NUMPR), None)
            if after is not None:
                after.addprevious(num)
            else:
                ppr.append(num)
        lang = house.LANGS[self.src.meta.lang]
        defaults = styles.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None \
            else None
        if rpr is not None:
            for old in rpr.findall(qn("w:lang")):
                rpr.remove(old)
            rpr.append(parse_xml(f'<w:lang {_W} w:val="{lang}" w:eastAsia="{lang}" '
                                 'w:bidi="ar-SA"/>'))

    def _settings(self) -> None:
        settings = self.word.settings.element
        for old in settings.findall(qn("w:updateFields")):
            settings.remove(old)
        for el in settings.findall(qn("w:themeFontLang")):
            el.set(qn("w:val"), house.LANGS[self.src.meta.lang])

    def _numbering_prepare(self) -> None:
        self.numbering = self.word.part.numbering_part.element
        ours = {str(n) for n in (house.NUM_HEADINGS, house.NUM_BULLETS, house.NUM_ORDERED)}
        for el in self.numbering.findall(qn("w:abstractNum")):
            if el.get(qn("w:abstractNumId")) in ours:
                self.numbering.remove(el)
        for el in self.numbering.findall(qn("w:num")):
            nid = el.get(qn("w:numId")) or "0"
            if nid in ours or int(nid) >= house.FIRST_RESTART_NUM:
                self.numbering.remove(el)

    def _numbering_finish(self) -> None:
        fmt = self.src.meta.heading_numbers or "%1"
        first_num = self.numbering.find(qn("w:num"))
        for xml in house.abstract_nums(fmt):
            el = parse_xml(xml.replace("<w:abstractNum ", f"<w:abstractNum {_W} ", 1))
            if first_num is not None:
                first_num.addprevious(el)
            else:
                self.numbering.append(el)
        nums = [house.num(n, n) for n in (house.NUM_HEADINGS, house.NUM_BULLETS,
                                          house.NUM_ORDERED)]
        nums += [house.num(n, house.NUM_ORDERED, restart=True) for n in self.restarts]
        for xml in nums:
            self.numbering.append(parse_xml(xml.replace("<w:num ", f"<w:num {_W} ", 1)))

    # -- blocks ---------------------------------------------------------------------------
    def _take_break(self) -> bool:
        brk, self.page_break = self.page_break, False
        return brk

    def _block(self, block: Block) -> None:
        match block:
            case Heading():
                self._heading(block)
            case Paragraph():
                style = {"note": "Note", "legal": "LegalReference"}.get(block.style, "")
                inner = self._inline(block.content)
                if block.source:  # a hidden bookmark says where in the YAML the text is
                    inner = self._source_mark(block.source, plain(block.content), inner)
                self.out.append(f"<w:p>{_ppr(style, page_break=self._take_break())}"
                                f"{inner}</w:p>")
            case BulletList():
                self._list(block)
            case Table():
                self._table(block)
            case Figure():
                self._figure(block)
            case PageBreak():
                self.page_break = bool(self.out)
            case TableOfContents():
                self._toc(block)
            case Cover():
                self._cover(block)
            case SignatureBlock():
                self._signatures(block)
            case _:
                assert_never(block)

    def _revision(self, kind: str, run: str) -> str:
        """A tracked change Word can accept or reject: `run` inserted or deleted by
        planbuilder at the redline's date."""
        when = f' w:date="{self.src.meta.revision_date}"' if self.src.meta.revision_date else ""
        if kind == "del":
            run = run.replace("<w:t xml:space=", "<w:delText xml:space=").replace(
                "</w:t>", "</w:delText>")
        tag = "w:del" if kind == "del" else "w:ins"
        head = f'<{tag} w:id="{self._next_id()}" w:author="planbuilder"{when}'
        return f"{head}>{run}</{tag}>" if run else f"{head}/>"  # bare: a row's mark

    def _inline(self, spans: Inline) -> str:
        out: list[str] = []
        for s in spans:
            prop = self.src.meta.prop(s.field) if s.field else None
            if s.change:
                out.append(self._revision(s.change, _run(s.text, bold=s.bold,
                                                         italic=s.italic)))
            elif prop is not None:
                out.append(_docproperty(prop, s.text, bold=s.bold))
            elif s.ref and s.ref in self.bookmarks:
                out.append(_field(f"REF {self.bookmarks[s.ref]} \\h", s.text, bold=s.bold))
            else:
                out.append(_run(s.text, bold=s.bold, italic=s.italic))
        return "".join(out)

    def _heading(self, h: Heading) -> None:
        level = min(max(h.level, 1), 4)
        auto = h.auto and level == 1 and bool(self.src.meta.heading_numbers)
        text = h.text if auto else h.full_text
        # A level-1 heading outside the numbering (introduction, appendices) has its own
        # style with the same look and outline level, not linked to the list.
        unnumbered = level == 1 and not auto and bool(self.src.meta.heading_numbers)
        style = "Heading1Unnumbered" if unnumbered else f"Heading{level}"
        inner = _bookmark(self._next_id(), self.bookmarks[h.anchor], _run(text))
        if h.source:
            inner = self._source_mark(h.source, h.text, inner)
        self.out.append(f"<w:p>{_ppr(style, page_break=self._take_break())}{inner}</w:p>")

    def _list(self, b: BulletList) -> None:
        if b.ordered:
            num = house.FIRST_RESTART_NUM + len(self.restarts)
            self.restarts.append(num)
        for item in b.items:
            spans, depth = item, 0
            if spans and spans[0].text.startswith("– "):  # nested items (see markdown.py)
                head = spans[0].text
                while head.startswith("– ") and depth < 2:
                    head, depth = head[2:], depth + 1
                spans = tuple(x for x in (dataclasses.replace(spans[0], text=head),
                                          *spans[1:]) if x.text)
            if b.ordered:
                ppr = _ppr("ListNumber", page_break=self._take_break(), num=(num, depth))
            else:
                ppr = _ppr("ListBullet", page_break=self._take_break(),
                           num=(house.NUM_BULLETS, depth) if depth else None)
            self.out.append(f"<w:p>{ppr}{self._inline(spans)}</w:p>")

    def _caption(self, label: str, number: int, caption: str, anchor: str,
                 above: bool) -> str:
        """'Taulukko {SEQ Taulukko}. Title': the label and number are bookmarked so a REF
        field can refer to them. A caption above a table keeps with it (the style's
        keep-with-next); one below a figure does not."""
        prefix = f"{label} {number}"
        ppr = _ppr("Caption", page_break=self._take_break()) if above else \
            '<w:pPr><w:pStyle w:val="Caption"/><w:keepNext w:val="0"/></w:pPr>'
        if label and number and caption.startswith(prefix):
            seq = _run(f"{label} ") + _field(f"SEQ {label} \\* ARABIC", str(number))
            inner = _bookmark(self._next_id(), self.bookmarks[anchor], seq) + \
                _run(caption[len(prefix):])
        else:
            inner = _run(caption)
        return f"<w:p>{ppr}{inner}</w:p>"

    def _widths(self, relative: tuple[float, ...], cols: int) -> list[int]:
        rel = list(relative[:cols]) + [1.0] * (cols - len(relative))
        total = sum(rel) or 1
        widths = [int(self.text_width * w / total) for w in rel]
        widths[-1] += self.text_width - sum(widths)
        return widths

    def _table(self, t: Table) -> None:
        self.out.append(self._caption(t.label, t.number, t.caption, t.anchor, True))
        rows = [*((r, "header") for r in t.header), *((r, "body") for r in t.rows),
                *((r, "total") for r in t.footer)]
        cols = max(len(r) for r, _ in rows) if rows else 1
        widths = self._widths(t.widths, cols)
        keep = len(rows) <= KEEP_WHOLE_ROWS
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        xml = [f'<w:tbl><w:tblPr><w:tblStyle w:val="PlanTable"/>'
               f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
               '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
               'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
               f"<w:tblGrid>{grid}</w:tblGrid>"]
        headings = len(t.header)
        for index, (cells, kind) in enumerate(rows):
            last = index == len(rows) - 1
            # Keep-with-next as the PDF's break rules: a short table whole; a long one keeps
            # its headings with two rows, its last two rows together, and the last row with
            # the note under the table.
            keep_next = ((not last and (keep or index <= headings or index >= len(rows) - 2))
                         or (last and bool(t.note)))
            tr_pr = "<w:cantSplit/>" + ("<w:tblHeader/>" if kind == "header" else "")
            if cells and all(c.deleted for c in cells):
                tr_pr += self._revision("del", "")
            elif cells and all(c.old == "" for c in cells):
                tr_pr += self._revision("ins", "")
            xml.append(f"<w:tr><w:trPr>{tr_pr}</w:trPr>")
            padded = list(cells) + [Cell("")] * (cols - len(cells))
            for j, (width, c) in enumerate(zip(widths, padded, strict=True)):
                shade = (f'<w:shd w:val="clear" w:color="auto" '
                         f'w:fill="{house._hex(self.style.table_header_background)}"/>'
                         if kind == "header" and index > 0 else "")
                xml.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>'
                           + self._cell(c, kind, keep_next, first=j == 0) + "</w:tc>")
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self.out.append("".join(xml))
        if t.note:
            self.out.append(f"<w:p>{_ppr('TableNote')}{_run(t.note)}</w:p>")

    def _cell(self, c: Cell, kind: str, keep_next: bool, first: bool = False) -> str:
        """A cell's paragraph; the first column's are the rows' headings (a member, a budget
        line), never hyphenated, as the column headings are not (their style)."""
        right = c.align == "right"
        if kind == "header":
            style = "TableHeadingNumber" if right else "TableHeading"
        else:
            style = "TableNumber" if right else "TableText"
        jc = "center" if c.align == "center" else ""
        strong = (kind == "total" or c.bold) and kind != "header"
        rstyle = "Strong" if strong else ""
        run = _run(c.text, rstyle=rstyle) if c.text else ""
        if c.deleted and c.text:
            run = self._revision("del", run)
        elif c.old is not None and c.old != c.text:
            run = (self._revision("del", _run(c.old, rstyle=rstyle)) if c.old else "") + \
                (self._revision("ins", run) if run else "")
        return f"<w:p>{_ppr(style, keep_next=keep_next, jc=jc, whole_words=first)}{run}</w:p>"

    def _figure(self, f: Figure) -> None:
        self.figures += 1
        width = Cm(min(f.width_cm, self.text_width / 567))
        inline = self.word.part.new_pic_inline(io.BytesIO(f.png), width, None)
        for doc_pr in inline.xpath(".//wp:docPr"):
            doc_pr.set("id", str(self.figures))
            doc_pr.set("name", f"{f.label or 'Figure'} {self.figures}")
            doc_pr.set("descr", f.alt)
            doc_pr.set("title", f.caption)
        for c_nv_pr in inline.xpath(".//pic:cNvPr"):
            c_nv_pr.set("id", "0")
            c_nv_pr.set("name", f"figure{self.figures}.png")
        if f.svg:  # Word 2016 and later show the vector chart, older ones the PNG
            svg = Part(PackURI(f"/word/media/chart{self.figures}.svg"), "image/svg+xml",
                       f.svg, self.word.part.package)
            rid = self.word.part.relate_to(svg, RT.IMAGE)
            for blip in inline.xpath(".//a:blip"):
                blip.append(parse_xml(
                    f'<a:extLst {_NS}><a:ext uri="{_SVG_EXT}"><asvg:svgBlip '
                    f'xmlns:asvg="{_SVG_NS}" r:embed="{rid}"/></a:ext></a:extLst>'))
        drawing = etree.tostring(inline, encoding="unicode")
        self.out.append(f"<w:p>{_ppr('FigureParagraph', page_break=self._take_break())}"
                        f"<w:r><w:drawing>{drawing}</w:drawing></w:r></w:p>")
        self.out.append(self._caption(f.label, f.number, f.caption, f.anchor, False))

    def _toc(self, toc: TableOfContents) -> None:
        self._take_break()  # the TOC heading style starts a page itself
        self.out.append(f"<w:p>{_ppr('TOCHeading')}{_run(toc.title)}</w:p>")
        entries = [b for b in self.src.blocks if isinstance(b, Heading) and b.level <= 3]
        begin, end = _field_ends('TOC \\o "1-3" \\h \\z \\u')
        if not entries:
            self.out.append(f"<w:p>{_ppr('TOC1')}{begin}{end}</w:p>")
        for i, h in enumerate(entries):
            mark = self.bookmarks[h.anchor]
            page = self.layout.anchors.get(h.anchor)
            text = h.full_text
            link = (f'<w:hyperlink w:anchor="{mark}" w:history="1">{_run(text)}'
                    + ("<w:r><w:tab/></w:r>" + _field(f"PAGEREF {mark} \\h", str(page))
                       if page else "")
                    + "</w:hyperlink>")
            self.out.append(f"<w:p>{_ppr(f'TOC{h.level}')}{begin if i == 0 else ''}{link}"
                            f"{end if i == len(entries) - 1 else ''}</w:p>")
        self.page_break = True

    def _cover(self, cover: Cover) -> None:
        mark = self.src.meta.prop("mark")
        mark_run = _docproperty(mark, cover.mark) \
            if mark is not None else _run(cover.mark)
        self.out.append(f"<w:p>{_ppr('CoverMark', page_break=self._take_break())}"
                        f"{mark_run}</w:p>")
        self.out.append(f"<w:p>{_ppr('Title')}{_run(cover.title)}</w:p>")
        self.out.append(f"<w:p>{_ppr('Subtitle')}{_run(cover.subtitle)}</w:p>")
        widths = self._widths((1, 2), 2)
        rows = []
        fields = cover.fields + ("",) * (len(cover.lines) - len(cover.fields))
        for (label, value), key in zip(cover.lines, fields, strict=True):
            prop = self.src.meta.prop(key) if key else None
            shown = _docproperty(prop, value) \
                if prop is not None else _run(value)
            rows.append(
                "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
                f'<w:tc><w:tcPr><w:tcW w:w="{widths[0]}" w:type="dxa"/></w:tcPr>'
                f"<w:p>{_ppr('CoverText')}{_run(label, rstyle='Strong')}</w:p></w:tc>"
                f'<w:tc><w:tcPr><w:tcW w:w="{widths[1]}" w:type="dxa"/></w:tcPr>'
                f"<w:p>{_ppr('CoverText')}{shown}</w:p></w:tc></w:tr>")
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        self.out.append(
            f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000" w:firstRow="0" '
            'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")

    def _keep_previous_with_next(self) -> None:
        """The paragraph before a block that must not split (the signatures) moves with it,
        and so the heading before that paragraph."""
        last = self.out[-1] if self.out else ""
        if not last.startswith("<w:p>") or "<w:keepNext/>" in last[:200]:
            return
        if last.startswith("<w:p><w:pPr><w:pStyle "):
            end = last.index("/>", 12) + 2
            self.out[-1] = last[:end] + "<w:keepNext/>" + last[end:]
        elif last.startswith("<w:p><w:pPr>"):
            self.out[-1] = last.replace("<w:pPr>", "<w:pPr><w:keepNext/>", 1)
        else:
            self.out[-1] = "<w:p><w:pPr><w:keepNext/></w:pPr>" + last[5:]

    def _signatures(self, s: SignatureBlock) -> None:
        self._keep_previous_with_next()
        widths = self._widths((3, 3, 4), 3)
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        # The captions once, as the heading row; each party's row has only the lines (the
        # label style's top border), so the captions do not repeat under every party.
        head = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>'
            f"<w:p>{_ppr('TableText')}{_run(label)}</w:p></w:tc>"
            for w, label in zip(widths, (s.party_label, s.place_date_label, s.signature_label),
                                strict=True))
        rows = ["<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" + head + "</w:tr>"]
        for party in s.parties:
            cells = [f"<w:p>{_ppr('SignatureLine')}{_run(party, rstyle='Strong')}</w:p>"]
            cells += [f"<w:p>{_ppr('SignatureLabel')}</w:p>"] * 2
            rows.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{c}</w:tc>'
                for w, c in zip(widths, cells, strict=True)) + "</w:tr>")
        self.out.append(
            f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000" w:firstRow="0" '
            'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")

    # -- header, footer, properties --------------------------------------------------------
    def _prop_field(self, key: str, *, rstyle: str = "") -> str:
        prop = self.src.meta.prop(key)
        if prop is None:
            return ""
        return _docproperty(prop, prop.value, rstyle=rstyle)

    def _header_footer(self) -> None:
        meta = self.src.meta
        section = self.word.sections[0]
        section.different_first_page_header_footer = True
        if meta.prop("status") is not None and meta.header_lead:
            header = (_run(f"{meta.header_lead} · ") + self._prop_field("status") + _run(" ")
                      + self._prop_field("version"))
        else:
            header = _run(meta.header)
        mark = ("<w:r><w:tab/></w:r>" + self._prop_field("mark", rstyle="DraftMark")
                if meta.prop("mark") is not None else "")
        _replace(section.header._element, f"<w:p>{_ppr('Header')}{header}{mark}</w:p>")
        _replace(section.first_page_header._element, f"<w:p>{_ppr('Header')}{mark}</w:p>")
        footer: list[str] = []
        for literal, counter in page_label_parts(meta.footer_page):
            if literal:
                footer.append(_run(literal))
            if counter:
                footer.append(_field("PAGE" if counter == "page" else "NUMPAGES",
                                     "1" if counter == "page" else str(self.layout.pages or 1)))
        _replace(section.footer._element, f"<w:p>{_ppr('Footer')}{''.join(footer)}</w:p>")
        _replace(section.first_page_footer._element, f"<w:p>{_ppr('Footer')}</w:p>")

    def _core_properties(self) -> None:
        meta = self.src.meta
        cp = self.word.core_properties
        stamp = dt.datetime.fromisoformat(meta.created_iso.replace("Z", "+00:00"))
        cp.title = meta.title
        cp.author = meta.author
        cp.subject = meta.subject
        cp.keywords = meta.keywords
        cp.language = house.LANGS[meta.lang]
        cp.created = stamp
        cp.modified = stamp
        cp.last_modified_by = meta.author
        cp.last_printed = stamp
        cp.revision = 1
        cp.comments = ""
        status, version = meta.prop("status"), meta.prop("version")
        cp.content_status = status.value if status else ""
        cp.version = version.value if version else ""
        cp.category = meta.draft_mark


def _replace(container: etree._Element, xml: str) -> None:
    for child in list(container):
        container.remove(child)
    for child in parse_xml(f"<w:hdr {_NS}>{xml}</w:hdr>"):
        container.append(child)


def _template(style: HouseStyle) -> io.BytesIO | str:
    """The house template, or one made from the house style when the folder has none."""
    path: Path = style.folder / "house.docx"
    if not path.exists() and not path.is_symlink():
        return io.BytesIO(house.house_docx(style))
    try:
        return str(inside(style.folder, path))
    except PermissionError as exc:
        raise TemplateError(str(exc)) from None


def _custom_xml(doc: Document) -> str:
    props = "".join(
        f'<property fmtid="{_FMTID}" pid="{i}" name={quoteattr(p.name)}>'
        f"<vt:lpwstr>{escape(p.value)}</vt:lpwstr></property>"
        for i, p in enumerate(doc.meta.properties, start=2))
    ns = "http://schemas.openxmlformats.org/officeDocument/2006"
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{ns}/custom-properties" xmlns:vt="{ns}/docPropsVTypes">'
            f"{props}</Properties>")


def _statistics(doc: Document) -> tuple[int, int, int]:
    texts = text_blocks(doc)
    words = sum(len(t.split()) for t in texts)
    characters = sum(len(t.replace(" ", "")) for t in texts)
    return words, characters, len(texts)


SOURCES_NS = "urn:planbuilder:sources"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def text_digest(text: str) -> str:
    """A short digest of a text as shown, spaces normalised (Word may split runs)."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:16]


def content_digest(sources: list[tuple[str, str, str]]) -> str:
    """The digest of a document's mapped texts: equal when the plan's prose is the same."""
    return hashlib.sha256("\n".join(f"{p}\t{d}" for _, p, d in sources).encode()
                          ).hexdigest()[:32]


def _source_parts(parts: dict[str, bytes], doc: Document,
                  sources: list[tuple[str, str, str]]) -> None:
    """A custom XML part (Word keeps it when it saves) mapping each hidden bookmark to the
    key path of the plan text its paragraph shows, for `planbuilder review`; it names the
    plan (area, version, document kind) and carries a digest of each text and of them all,
    so review can refuse another plan's document and see what changed since."""
    items = "".join(f"<pb:source bookmark={quoteattr(name)} path={quoteattr(path)} "
                    f"digest={quoteattr(digest)}/>" for name, path, digest in sources)
    meta = doc.meta
    parts["customXml/item1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pb:sources xmlns:pb="{SOURCES_NS}" lang="{meta.lang}" area={quoteattr(meta.area)} '
        f'version={quoteattr(meta.version)} kind={quoteattr(meta.kind)} '
        f'digest="{content_digest(sources)}">{items}</pb:sources>'
    ).encode()
    _custom_part(parts, 1, SOURCES_NS, doc.meta.title, "rIdPbSources")


def _custom_part(parts: dict[str, bytes], n: int, namespace: str, title: str,
                 rel_id: str) -> None:
    """The properties, relationships and content types of custom XML part `n` (its item
    already in `parts`), as Word writes them."""
    guid = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, namespace + title)).upper() + "}"
    parts[f"customXml/itemProps{n}.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ds:datastoreItem ds:itemID="{guid}" xmlns:ds="{_DS}"><ds:schemaRefs>'
        f'<ds:schemaRef ds:uri="{namespace}"/></ds:schemaRefs></ds:datastoreItem>').encode()
    parts[f"customXml/_rels/item{n}.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/customXmlProps" Target="itemProps{n}.xml"/>'
        "</Relationships>").encode()
    types = parts["[Content_Types].xml"].decode()
    if f"/customXml/itemProps{n}.xml" not in types:
        types = types.replace("</Types>", f'<Override PartName="/customXml/itemProps{n}.xml" '
                              'ContentType="application/vnd.openxmlformats-officedocument.'
                              'customXmlProperties+xml"/></Types>')
    if 'Extension="xml"' not in types:
        types = types.replace("</Types>", '<Default Extension="xml" '
                              'ContentType="application/xml"/></Types>')
    parts["[Content_Types].xml"] = types.encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    if f"customXml/item{n}.xml" not in rels:
        rels = rels.replace("</Relationships>", f'<Relationship Id="{rel_id}" '
                            f'Type="{_REL}/customXml" Target="../customXml/item{n}.xml"/>'
                            "</Relationships>")
    parts["word/_rels/document.xml.rels"] = rels.encode()


PLAN_NS = "urn:planbuilder:plan"


def _plan_part(parts: dict[str, bytes], doc: Document) -> None:
    """A custom XML part of its own (Word keeps it when it saves) with the files the PDF
    carries as attachments: the plan's files and the build's record `planbuilder.json`,
    each base64 so that its bytes (and so its hash) survive any XML rewriting."""
    files = "".join(f"<pb:file name={quoteattr(a.name)} type={quoteattr(a.mime)}>"
                    f"{base64.b64encode(a.data).decode()}</pb:file>"
                    for a in doc.attachments)
    parts["customXml/item2.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pb:plan xmlns:pb="{PLAN_NS}">{files}</pb:plan>').encode()
    _custom_part(parts, 2, PLAN_NS, doc.meta.title, "rIdPbPlan")


def _finish_package(data: bytes, doc: Document, layout: Layout,
                    sources: list[tuple[str, str, str]] | None = None) -> bytes:
    """Custom and extended properties, the sources of the plan's texts, fixed timestamps
    and a stable entry order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: src.read(name) for name in src.namelist()}
    if sources:
        _source_parts(parts, doc, sources)
    if any(a.name == RECORD for a in doc.attachments):
        _plan_part(parts, doc)
    words, characters, paragraphs = _statistics(doc)
    parts["docProps/app.xml"] = house.app_part(layout.pages or 1, words, characters,
                                               paragraphs, doc.meta.author).encode()
    if doc.meta.properties:
        parts["docProps/custom.xml"] = _custom_xml(doc).encode()
        types = parts["[Content_Types].xml"].decode()
        if _CUSTOM_PART not in types:
            types = types.replace("</Types>", f'<Override PartName="{_CUSTOM_PART}" '
                                  f'ContentType="{_CUSTOM_CT}"/></Types>')
        parts["[Content_Types].xml"] = types.encode()
        rels = parts["_rels/.rels"].decode()
        if _CUSTOM_REL not in rels:
            rels = rels.replace("</Relationships>", f'<Relationship Id="rIdCustom" '
                                f'Type="{_CUSTOM_REL}" Target="docProps/custom.xml"/>'
                                "</Relationships>")
        parts["_rels/.rels"] = rels.encode()
    out = io.BytesIO()
    ordered = ["[Content_Types].xml", *sorted(n for n in parts if n != "[Content_Types].xml")]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, parts[name])
    return out.getvalue()


def render_docx(doc: Document, style: HouseStyle, layout: Layout | None = None) -> bytes:
    return _Writer(clean_text(doc), style, layout or Layout()).write()
