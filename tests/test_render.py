"""The renderers: real Word structure and an accessible, reproducible PDF, built from the
Porvoo example; both say the same things."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from planbuilder.compose import compose_plan
from planbuilder.document import Document, headings, text_blocks
from planbuilder.load import load_plan
from planbuilder.money import compute
from planbuilder.render.docx import render_docx
from planbuilder.render.pdf import render_html, render_pdf
from planbuilder.render.style import load_style
from planbuilder.templates import TemplateSet

ROOT = Path(__file__).resolve().parent.parent


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("\u00a0", " ")).strip()


@pytest.fixture(scope="module")
def porvoo() -> dict[str, tuple[Document, bytes, bytes]]:
    plan = load_plan(ROOT / "plans" / "porvoo").plan
    templates = TemplateSet.load()
    style = load_style(templates.folder)
    money = compute(plan)
    out = {}
    for lang in ("fi", "sv"):
        doc = compose_plan(plan, lang, templates, money, dt.date(2023, 5, 31))
        out[lang] = (doc, render_docx(doc, style), render_pdf(doc, style))
    return out


def docx_xml(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def docx_text(data: bytes) -> str:
    doc = DocxDocument(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return norm("\n".join(parts))


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return norm(re.sub(r"-\n(?=\w)", "-", re.sub(r"\u2010\n(?=\w)", "", "\n".join(p.extract_text() or "" for p in reader.pages))))


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_porvoo_total_in_both_formats(porvoo: dict[str, tuple[Document, bytes, bytes]],
                                      lang: str) -> None:
    _, word, pdf = porvoo[lang]
    for figure in ("10 162 216 €", "1 088 809 €", "4 313 253 €"):
        assert figure in docx_text(word)
        assert figure in pdf_text(pdf)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_docx_and_pdf_carry_the_same_text(porvoo: dict[str, tuple[Document, bytes, bytes]],
                                          lang: str) -> None:
    doc, word, pdf = porvoo[lang]
    word_text, pdf_text_ = docx_text(word), pdf_text(pdf)
    pdf_compact = pdf_text_.replace(" ", "")
    blocks = text_blocks(doc)
    assert len(blocks) > 300
    assert [b for b in blocks if norm(b) not in word_text] == []
    assert [b for b in blocks if norm(b).replace(" ", "") not in pdf_compact] == []


def test_docx_is_a_real_word_document(porvoo: dict[str, tuple[Document, bytes, bytes]]) -> None:
    doc, word, _ = porvoo["fi"]
    d = DocxDocument(io.BytesIO(word))
    styled = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "3 Toimipisteiden määrä ja sijoittuminen") in styled
    assert len(styled) == len(headings(doc))
    body = docx_xml(word, "word/document.xml")
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    texts = [p.text for p in d.paragraphs]
    toc = texts.index("Sisällys")
    assert texts[toc + 1:toc + 3] == ["Johdanto", "Työllisyysalue ja sen jäsenkunnat"]
    assert body.count("<w:tblHeader/>") == sum(1 for b in doc.blocks
                                               if type(b).__name__ == "Table")
    assert 'descr="Pylväskuvio kuntien kustannusosuuksista mallin' in body
    assert '<w:updateFields w:val="true"/>' in docx_xml(word, "word/settings.xml")
    assert '<w:lang w:val="fi-FI"' in docx_xml(word, "word/styles.xml")
    footers = "".join(docx_xml(word, n) for n in zipfile.ZipFile(io.BytesIO(word)).namelist()
                      if n.startswith("word/footer"))
    assert " PAGE " in footers and " NUMPAGES " in footers and "sivu " in footers
    headers = "".join(docx_xml(word, n) for n in zipfile.ZipFile(io.BytesIO(word)).namelist()
                      if n.startswith("word/header"))
    assert "LUONNOS" in headers and "Porvoon työllisyysalue · Järjestämissuunnitelma" in headers
    props = d.core_properties
    assert props.title == "Suunnitelma työvoimapalvelujen järjestämiseksi – Porvoon " \
        "työllisyysalue"
    assert (props.author, props.language) == ("Porvoo", "fi-FI")
    assert props.created == dt.datetime(2023, 5, 31, tzinfo=dt.UTC)


def test_pdf_is_tagged_titled_and_bookmarked(porvoo: dict[str, tuple[Document, bytes, bytes]],
                                             ) -> None:
    doc, _, pdf = porvoo["sv"]
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata is not None
    assert reader.metadata.title == "Plan för organiseringen av arbetskraftsservicen – Borgå " \
        "sysselsättningsområde"

    def titles(outline: list[object]) -> list[str]:
        out: list[str] = []
        for item in outline:
            out.extend(titles(item) if isinstance(item, list) else [item.title])  # type: ignore[attr-defined]
        return out

    assert titles(reader.outline) == [h.text for h in headings(doc)]
    fonts = [f for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    assert all("/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()[
        "/FontDescriptor"] for f in fonts)
    assert "UTKAST" in pdf_text(pdf)
    assert "sida 2 / " in pdf_text(pdf)


def test_html_has_real_table_headers_and_alt_text(
        porvoo: dict[str, tuple[Document, bytes, bytes]]) -> None:
    doc, _, _ = porvoo["fi"]
    html, css = render_html(doc, load_style(TemplateSet.load().folder))
    assert '<html lang="fi">' in html
    assert '<th scope="col">Kunta</th>' in html
    assert '<caption>Taulukko 1. Jäsenkunnat</caption>' in html
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="Pylväskuvio', html)
    assert "hyphens: auto" in css and "counter(pages)" in css


def test_same_input_same_bytes(porvoo: dict[str, tuple[Document, bytes, bytes]]) -> None:
    doc, word, pdf = porvoo["fi"]
    style = load_style(TemplateSet.load().folder)
    assert render_docx(doc, style) == word
    assert render_pdf(doc, style) == pdf


def test_house_style_is_edited_in_templates(tmp_path: Path,
                                            porvoo: dict[str, tuple[Document, bytes, bytes]],
                                            ) -> None:
    import shutil

    shutil.copytree(TemplateSet.load().folder, tmp_path / "t")
    style_file = tmp_path / "t" / "style.yaml"
    style_file.write_text(style_file.read_text(encoding="utf-8").replace(
        'heading_colour: "#1f3d5c"', 'heading_colour: "#008000"'), encoding="utf-8")
    doc, _, _ = porvoo["fi"]
    style = load_style(tmp_path / "t")
    _, css = render_html(doc, style)
    assert "color: #008000" in css
    word = render_docx(doc, style)
    assert '<w:color w:val="008000"/>' in docx_xml(word, "word/styles.xml")
