"""Document tree -> Word document (python-docx) for legal reviewers: real styles, a TOC
field Word refreshes on opening, "sivu X / Y" fields, repeating table headers, alt text,
core properties, and byte-identical output for identical input."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from planbuilder.document import (
    BulletList,
    Cell,
    Cover,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    SignatureBlock,
    Span,
    Table,
    TableOfContents,
)
from planbuilder.render.style import HouseStyle
from planbuilder.render.xml import clean_text

_LANG = {"fi": "fi-FI", "sv": "sv-FI"}
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
          "center": WD_ALIGN_PARAGRAPH.CENTER}
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _field(paragraph: object, instruction: str, placeholder: str = "") -> None:
    """Append a complex field (PAGE, NUMPAGES, TOC …) to a paragraph."""
    p = paragraph._p  # type: ignore[attr-defined]
    for kind, text in (("begin", None), (None, instruction), ("separate", None),
                       ("text", placeholder), ("end", None)):
        r = OxmlElement("w:r")
        if kind in ("begin", "separate", "end"):
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                fld.set(qn("w:dirty"), "true")
            r.append(fld)
        elif kind == "text":
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = text or ""
            r.append(t)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            r.append(instr)
        p.append(r)


def _set_lang(doc: object, lang: str) -> None:
    styles = doc.styles.element  # type: ignore[attr-defined]
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), lang)
    el.set(qn("w:bidi"), lang)
    rpr.append(el)


def _update_fields_on_open(doc: object) -> None:
    settings = doc.settings.element  # type: ignore[attr-defined]
    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    settings.append(el)


def _apply_style(doc: object, style: HouseStyle) -> None:
    styles = doc.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    normal.font.name = style.font_family
    normal.font.size = Pt(style.base_size)
    normal.font.color.rgb = _rgb(style.text_colour)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), style.font_family)
    normal.paragraph_format.space_after = Pt(style.base_size * 0.6)
    normal.paragraph_format.line_spacing = style.line_height * 0.85
    for level, size in enumerate(style.heading_sizes, start=1):
        h = styles[f"Heading {level}"]
        h.font.name = style.font_family
        h.font.size = Pt(size)
        h.font.bold = True
        h.font.italic = False
        h.font.color.rgb = _rgb(style.heading_colour)
        h.paragraph_format.keep_with_next = True
    title = styles["Title"]
    title.font.name = style.font_family
    title.font.size = Pt(24)
    title.font.color.rgb = _rgb(style.heading_colour)
    caption = styles["Caption"]
    caption.font.name = style.font_family
    caption.font.size = Pt(style.base_size * 0.9)
    caption.font.bold = True
    caption.font.italic = False
    caption.font.color.rgb = _rgb(style.caption_colour)
    caption.paragraph_format.keep_with_next = True


def _runs(paragraph: object, spans: tuple[Span, ...]) -> None:
    for span in spans:
        parts = span.text.split("\n")
        for i, part in enumerate(parts):
            run = paragraph.add_run(part)  # type: ignore[attr-defined]
            run.bold = span.bold or None
            run.italic = span.italic or None
            if i < len(parts) - 1:
                run.add_break()


def _bookmark(paragraph: object, name: str, ident: int) -> None:
    p = paragraph._p  # type: ignore[attr-defined]
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name[:40])
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ident))
    p.insert(0, start)
    p.append(end)


def _shade(cell: object, colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour.lstrip("#"))
    tc_pr.append(shd)


def _row_flags(row: object, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)
    if header:
        el = OxmlElement("w:tblHeader")
        tr_pr.append(el)


def _fill(cell: object, c: Cell, bold: bool, size: float) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = _ALIGN[c.align]
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(c.text)
    run.bold = (bold or c.bold) or None
    run.font.size = Pt(size)


class _Writer:
    def __init__(self, doc: Document, style: HouseStyle):
        self.src = doc
        self.style = style
        self.doc = new_document()
        self.bookmarks = 0
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        m = style.margins
        section.top_margin, section.bottom_margin = Cm(m.top / 10), Cm(m.bottom / 10)
        section.left_margin, section.right_margin = Cm(m.left / 10), Cm(m.right / 10)
        self.text_width_cm = 21.0 - (m.left + m.right) / 10

    def write(self) -> bytes:
        _apply_style(self.doc, self.style)
        _set_lang(self.doc, _LANG[self.src.meta.lang])
        _update_fields_on_open(self.doc)
        self._header_footer()
        body = self.doc.element.body
        first = body[0] if len(body) else None
        for block in self.src.blocks:
            self._block(block)
        if first is not None and first.tag == qn("w:p") and not first.xpath(".//w:t"):
            body.remove(first)
        self._properties()
        out = io.BytesIO()
        self.doc.save(out)
        return _normalise_zip(out.getvalue())

    def _header_footer(self) -> None:
        meta, style = self.src.meta, self.style
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        run = header.add_run(meta.header)
        run.font.size = Pt(7.5)
        if meta.draft_mark:
            header.add_run("   ")
            mark = header.add_run(meta.draft_mark)
            mark.bold = True
            mark.font.color.rgb = _rgb(style.draft_colour)
            first = section.first_page_header.paragraphs[0]
            first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            first_mark = first.add_run(meta.draft_mark)
            first_mark.bold = True
            first_mark.font.color.rgb = _rgb(style.draft_colour)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        rest = meta.footer_page
        while rest:
            head, sep, tail = rest.partition("{")
            if head:
                footer.add_run(head).font.size = Pt(8)
            if not sep:
                break
            name, _, rest = tail.partition("}")
            if name in ("page", "pages"):
                _field(footer, "PAGE" if name == "page" else "NUMPAGES", "1")

    def _properties(self) -> None:
        meta = self.src.meta
        cp = self.doc.core_properties
        stamp = dt.datetime.fromisoformat(meta.created_iso.replace("Z", "+00:00"))
        cp.title = meta.title
        cp.author = meta.author
        cp.subject = meta.subject
        cp.keywords = meta.keywords
        cp.language = _LANG[meta.lang]
        cp.created = stamp
        cp.modified = stamp
        cp.last_modified_by = meta.author
        cp.last_printed = stamp
        cp.revision = 1
        cp.comments = ""
        cp.category = meta.draft_mark

    def _block(self, block: object) -> None:
        doc = self.doc
        if isinstance(block, Heading):
            text = f"{block.numbered} {block.text}".strip()
            paragraph = doc.add_heading(text, level=min(block.level, 4))
            self.bookmarks += 1
            _bookmark(paragraph, block.anchor, self.bookmarks)
        elif isinstance(block, Paragraph):
            paragraph = doc.add_paragraph()
            _runs(paragraph, block.content)
            if block.style == "note":
                for run in paragraph.runs:
                    run.font.size = Pt(self.style.base_size * 0.9)
                paragraph.paragraph_format.left_indent = Cm(0.5)
            elif block.style == "legal":
                for run in paragraph.runs:
                    run.italic = True
        elif isinstance(block, BulletList):
            style = "List Number" if block.ordered else "List Bullet"
            for item in block.items:
                _runs(doc.add_paragraph(style=style), item)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Figure):
            self._figure(block)
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, TableOfContents):
            title = doc.add_paragraph(block.title)
            title.style = doc.styles["TOC Heading"] if "TOC Heading" in [
                s.name for s in doc.styles] else doc.styles["Heading 2"]
            self._toc()
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, Cover):
            self._cover(block)
        elif isinstance(block, SignatureBlock):
            self._signatures(block)

    def _toc(self) -> None:
        """A TOC field whose current result already lists the headings, so the document
        reads well before Word refreshes the field (page numbers come with the refresh)."""
        entries = [b for b in self.src.blocks if isinstance(b, Heading) and b.level <= 3]
        paragraphs = [self.doc.add_paragraph() for _ in entries] or [self.doc.add_paragraph()]
        first, last = paragraphs[0]._p, paragraphs[-1]._p
        for kind, instruction in (("begin", None), (None, 'TOC \\o "1-3" \\h \\z \\u'),
                                  ("separate", None)):
            r = OxmlElement("w:r")
            if kind:
                fld = OxmlElement("w:fldChar")
                fld.set(qn("w:fldCharType"), kind)
                if kind == "begin":
                    fld.set(qn("w:dirty"), "true")
                r.append(fld)
            else:
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = f" {instruction} "
                r.append(instr)
            first.append(r)
        for paragraph, heading in zip(paragraphs, entries, strict=False):
            paragraph.add_run(f"{heading.numbered} {heading.text}".strip())
            paragraph.paragraph_format.left_indent = Cm(0.6 * (heading.level - 1))
            paragraph.paragraph_format.space_after = Pt(1)
        end = OxmlElement("w:r")
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), "end")
        end.append(fld)
        last.append(end)

    def _cover(self, cover: Cover) -> None:
        doc = self.doc
        for _ in range(4):
            doc.add_paragraph()
        if cover.mark:
            run = doc.add_paragraph().add_run(cover.mark)
            run.bold = True
            run.font.size = Pt(22)
            run.font.color.rgb = _rgb(self.style.draft_colour)
        doc.add_paragraph(cover.title, style="Title")
        sub = doc.add_paragraph().add_run(cover.subtitle)
        sub.font.size = Pt(15)
        doc.add_paragraph()
        table = doc.add_table(rows=0, cols=2)
        for label, value in cover.lines:
            cells = table.add_row().cells
            cells[0].text = ""
            cells[0].paragraphs[0].add_run(label).bold = True
            cells[1].text = value
        self._widths(table, (1, 2))

    def _widths(self, table: object, relative: tuple[float, ...]) -> None:
        total = sum(relative)
        table.autofit = False  # type: ignore[attr-defined]
        for row in table.rows:  # type: ignore[attr-defined]
            for cell, w in zip(row.cells, relative, strict=False):
                cell.width = Cm(self.text_width_cm * w / total)

    def _table(self, t: Table) -> None:
        doc = self.doc
        doc.add_paragraph(t.caption, style="Caption")
        cols = max(len(r) for r in (*t.header, *t.rows, *t.footer))
        table = doc.add_table(rows=0, cols=cols)
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        size = self.style.base_size * 0.85
        for row_cells in t.header:
            row = table.add_row()
            _row_flags(row, header=True)
            for cell, c in zip(row.cells, row_cells, strict=False):
                _fill(cell, c, True, size)
                _shade(cell, self.style.table_header_background)
        for row_cells in t.rows:
            row = table.add_row()
            _row_flags(row, header=False)
            for cell, c in zip(row.cells, row_cells, strict=False):
                _fill(cell, c, False, size)
        for row_cells in t.footer:
            row = table.add_row()
            _row_flags(row, header=False)
            for cell, c in zip(row.cells, row_cells, strict=False):
                _fill(cell, c, True, size)
        self._widths(table, t.widths or tuple([1.0] * cols))
        if t.note:
            note = doc.add_paragraph()
            note.add_run(t.note).font.size = Pt(size)
        else:
            doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def _figure(self, f: Figure) -> None:
        doc = self.doc
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run()
        run.add_picture(io.BytesIO(f.png), width=Cm(min(f.width_cm, self.text_width_cm)))
        for doc_pr in run._r.xpath(".//wp:docPr"):
            doc_pr.set("descr", f.alt)
            doc_pr.set("title", f.caption)
        caption = doc.add_paragraph(f.caption, style="Caption")
        caption.paragraph_format.keep_with_next = False

    def _signatures(self, s: SignatureBlock) -> None:
        table = self.doc.add_table(rows=0, cols=3)
        for party in s.parties:
            cells = table.add_row().cells
            cells[0].paragraphs[0].add_run(party).bold = True
            for cell, label in ((cells[1], s.place_date_label), (cells[2], s.signature_label)):
                cell.paragraphs[0].add_run("\n\n_______________________")
                cell.add_paragraph().add_run(label).font.size = Pt(8)
        self._widths(table, (3, 3, 4))


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed timestamps and a stable entry order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    names = src.namelist()
    ordered = ["[Content_Types].xml", *sorted(n for n in names if n != "[Content_Types].xml")]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()


def render_docx(doc: Document, style: HouseStyle) -> bytes:
    return _Writer(clean_text(doc), style).write()
