"""The renderers: real Word structure and an accessible, reproducible PDF, built from the
Porvoo example; both say the same things."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any, cast

import pytest

from planbuilder.cli import main
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import Document, headings, text_blocks
from planbuilder.render.docx import Layout, render_docx
from planbuilder.render.pdf import render_html, render_pdf_pages
from planbuilder.render.style import load_style
from wordcheck import catalog, paragraphs, part, pdf_pages, pdf_reader, pdf_text, word_text

ROOT = Path(__file__).resolve().parent.parent


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("\u00a0", " ")).strip()


@pytest.fixture(scope="module")
def porvoo(examples_rendered: dict[str, tuple[Document, bytes, bytes]],
           ) -> dict[str, tuple[Document, bytes, bytes]]:
    return {lang: examples_rendered[f"porvoo/{stem}_{lang}"]
            for lang, stem in (("fi", "jarjestamissuunnitelma"), ("sv", "organiseringsplan"))}


docx_xml = part
docx_text = word_text


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
    paras = paragraphs(word)
    styled = [(style, text) for style, text in paras if style.startswith("Heading")]
    assert ("Heading1", "3 Toimipisteiden määrä ja sijoittuminen") in styled
    assert len(styled) == len(headings(doc))
    body = docx_xml(word, "word/document.xml")
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    texts = [t for _, t in paras]
    toc = texts.index("Sisällys")
    # The cached TOC lists the entries with the page numbers of the PDF layout.
    assert texts[toc + 1:toc + 3] == ["Johdanto\t3", "Työllisyysalue ja sen jäsenkunnat\t3"]
    assert body.count("<w:tblHeader/>") == sum(1 for b in doc.blocks
                                               if type(b).__name__ == "Table")
    assert 'descr="Pylväskuvio näyttää kuntien kustannusosuudet mallin' in body
    settings = docx_xml(word, "word/settings.xml")
    assert "updateFields" not in settings and 'w:dirty' not in body
    assert '<w:lang w:val="fi-FI"' in docx_xml(word, "word/styles.xml")
    footers = "".join(docx_xml(word, n) for n in zipfile.ZipFile(io.BytesIO(word)).namelist()
                      if n.startswith("word/footer"))
    assert " PAGE " in footers and " NUMPAGES " in footers and "sivu " in footers
    headers = "".join(docx_xml(word, n) for n in zipfile.ZipFile(io.BytesIO(word)).namelist()
                      if n.startswith("word/header"))
    assert "LUONNOS" in headers and "Porvoon työllisyysalue · Järjestämissuunnitelma" in headers
    from docx import Document as DocxDocument

    props = DocxDocument(io.BytesIO(word)).core_properties
    assert props.title == "Suunnitelma työvoimapalvelujen järjestämiseksi – Porvoon " \
        "työllisyysalue"
    assert (props.author, props.language) == ("Porvoo", "fi-FI")
    assert props.created == dt.datetime(2023, 5, 31, tzinfo=dt.UTC)


def test_pdf_is_tagged_titled_and_bookmarked(porvoo: dict[str, tuple[Document, bytes, bytes]],
                                             ) -> None:
    doc, _, pdf = porvoo["sv"]
    reader = pdf_reader(pdf)
    root = catalog(reader)
    assert root["/Lang"] == "sv"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata is not None
    assert reader.metadata.title == "Plan för hur arbetskraftsservicen ordnas – Borgå " \
        "sysselsättningsområde"

    def titles(outline: Any) -> list[str]:
        out: list[str] = []
        for item in outline:
            out.extend(titles(item) if isinstance(item, list) else [item.title])
        return out

    assert titles(reader.outline) == [h.full_text for h in headings(doc)]
    fonts = [f for page in reader.pages for f in cast(Any, page["/Resources"])["/Font"].values()]
    assert all("/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()[
        "/FontDescriptor"] for f in fonts)
    assert "UTKAST" in pdf_text(pdf)
    assert "sida 2 / " in pdf_pages(pdf)[1]


def test_html_has_real_table_headers_and_alt_text(
        porvoo: dict[str, tuple[Document, bytes, bytes]]) -> None:
    doc, _, _ = porvoo["fi"]
    html, css = render_html(doc, load_style(TemplateSet.load().folder))
    assert '<html lang="fi">' in html
    assert '<th scope="col">Kunta</th>' in html
    # A short table has a caption; a longer one repeats its caption as a header row (the PDF
    # finisher makes it the table's Caption and its repeats artifacts).
    assert '<caption>Taulukko 2. Henkilöstövoimavarat ja niiden tausta</caption>' in html
    assert '<th class="caption" colspan="4" scope="colgroup">Taulukko 1. Jäsenkunnat</th>' \
        in html
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="Pylväskuvio', html)
    assert "hyphens: manual" in css and "counter(pages)" in css
    assert "\u00ad" in html  # hyphenated before layout, by language


def test_same_input_same_bytes(porvoo: dict[str, tuple[Document, bytes, bytes]]) -> None:
    doc, word, pdf = porvoo["fi"]
    style = load_style(TemplateSet.load().folder)
    again, anchors, pages = render_pdf_pages(doc, style)
    assert again == pdf
    assert render_docx(doc, style, Layout(pages, anchors)) == word


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
    # The Word documents take their styles from the house template made from style.yaml.
    (tmp_path / "t" / "house.docx").unlink()
    word = render_docx(doc, style)
    assert '<w:color w:val="1F3D5C"/>' not in docx_xml(word, "word/styles.xml")
    assert '<w:color w:val="008000"/>' in docx_xml(word, "word/styles.xml")
    assert main(["house-template", "--templates", str(tmp_path / "t")]) == 0
    assert '<w:color w:val="008000"/>' in docx_xml(
        (tmp_path / "t" / "house.docx").read_bytes(), "word/styles.xml")
