"""Every kind of document block reaches every output: a document with one block of each
kind (taken from the `Block` union itself, so a new kind joins this test by existing) is
rendered to text, HTML and DOCX, and each block's text is found in each."""

from __future__ import annotations

import dataclasses
import io
import typing

import pytest
from PIL import Image

from planbuilder.compose.templates import TemplateSet
from planbuilder.document import (
    Block,
    BulletList,
    Cell,
    Cover,
    Document,
    Figure,
    Heading,
    Meta,
    PageBreak,
    Paragraph,
    SignatureBlock,
    Span,
    Table,
    TableOfContents,
    text_blocks,
)
from planbuilder.errors import TemplateError
from planbuilder.render.docx import render_docx
from planbuilder.render.pdf import render_html
from planbuilder.render.style import HouseStyle, load_style
from wordcheck import audit, word_text


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()

# One example of each kind with the text it must show.
EXAMPLES: dict[type, tuple[Block, str]] = {
    Heading: (Heading(1, "Otsikko yksi", "h-1"), "Otsikko yksi"),
    Paragraph: (Paragraph((Span("Kappaleen teksti"),)), "Kappaleen teksti"),
    BulletList: (BulletList(((Span("Luettelon kohta"),),)), "Luettelon kohta"),
    Table: (Table("t-1", "Taulukko 1. Kokeilu", ((Cell("Sarake"),),), ((Cell("Solu 42"),),),
                  label="Taulukko", number=1), "Solu 42"),
    Figure: (Figure("f-1", "Kuvio 1. Kaavio", "Vaihtoehtoinen teksti", PNG, label="Kuvio",
                    number=1), "Kuvio 1. Kaavio"),
    PageBreak: (PageBreak(), ""),
    TableOfContents: (TableOfContents("Sisällys"), "Sisällys"),
    Cover: (Cover("Kansilehden otsikko", "Alaotsikko", (("Tila", "luonnos"),)),
            "Kansilehden otsikko"),
    SignatureBlock: (SignatureBlock(("Testilän kunta",), "Paikka ja aika", "Allekirjoitus"),
                     "Testilän kunta"),
}


def _document() -> Document:
    meta = Meta("Kokeilu", "fi", "Testilä", "aihe", "avainsanat", "ylätunniste",
                "sivu {page} / {pages}", "", "1.1.2025", "2025-01-01T00:00:00Z")
    return Document(meta, tuple(block for block, _ in EXAMPLES.values()))


@pytest.fixture(scope="module")
def style() -> HouseStyle:
    return load_style(TemplateSet.load().folder)


def test_the_examples_cover_every_block_kind() -> None:
    assert set(EXAMPLES) == set(typing.get_args(Block))


def test_every_kind_reaches_text_html_and_word(style: HouseStyle) -> None:
    doc = _document()
    html = render_html(doc, style)[0].replace("\u00ad", "")  # hyphenation points
    docx = render_docx(doc, style)
    text = " ".join(text_blocks(doc))
    word = word_text(docx)
    for kind, (_, shown) in EXAMPLES.items():
        if shown and kind is not TableOfContents:
            assert shown in text, kind.__name__
        if shown:
            assert shown in html, kind.__name__
            assert shown in word, kind.__name__
    assert audit({"blocks.docx": docx}) == {"blocks.docx": []}


def test_an_unknown_kind_is_an_error_not_a_silent_gap(style: HouseStyle) -> None:
    @dataclasses.dataclass(frozen=True)
    class Sidebar:
        text: str

    doc = dataclasses.replace(_document(), blocks=(Sidebar("reunahuomautus"),))  # type: ignore[arg-type]
    with pytest.raises(TemplateError, match="no branch for the block kind 'Sidebar'"):
        render_html(doc, style)
    with pytest.raises(AssertionError):
        text_blocks(doc)
    with pytest.raises(AssertionError):
        render_docx(doc, style)
