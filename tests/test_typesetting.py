"""Typesetting a Finnish printer would accept: words break only at syllable boundaries
with a hyphen, each text by its own language; small tables stay whole; source notes one
per line; empty columns are left out; table headers carry their scope; links are named."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, cast

import pytest

from planbuilder.document import Document, Heading, Table
from planbuilder.render import hyphenate as hy
from wordcheck import catalog, pdf_pages, pdf_reader

Rendered = dict[str, tuple[Document, bytes, bytes]]
FONTS = Path(__file__).resolve().parent.parent / "templates" / "fonts"
FINNISH = ("Työllisyysalueen rakennemuutostilanteissa kustannustenjakomallien "
           "valmistelukustannukset kohdennetaan asiakaspalveluun ja työnantajapalveluihin "
           "asiakasmäärien mukaan, ja talousarvio laaditaan vastuukunnan talousarvion "
           "yhteydessä. Yleiskustannukset jaetaan kuntien kesken.")


def _lines(html: str) -> list[str]:
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(FONTS)).render()
    lines: list[str] = []

    def walk(box: object) -> None:
        if type(box).__name__ == "LineBox":
            lines.append("".join(getattr(c, "text", "") for c in _leaves(box)))
            return
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return [line for line in lines if line.strip()]


def _leaves(box: object) -> list[object]:
    children = getattr(box, "children", None)
    if not children:
        return [box]
    return [leaf for child in children for leaf in _leaves(child)]


def _narrow(text: str, lang: str = "fi") -> list[str]:
    return _lines(
        "<style>@font-face { font-family: H; src: url(LiberationSans-Regular.ttf); }"
        "@page { size: 60mm 300mm; margin: 5mm; } p { font: 10pt H; hyphens: manual; "
        f"width: 32mm; }}</style><p lang='{lang}'>{hy.hyphenate(text, lang)}</p>")


def test_finnish_breaks_only_at_syllables_with_a_hyphen() -> None:
    lines = [line.replace(hy.SOFT, "") for line in _narrow(FINNISH)]
    assert len(lines) > 10
    text, breaks = "", []
    for line in lines:
        if line.endswith(("\u2010", "-")):  # broken inside a word, with a hyphen
            text += line[:-1]
            breaks.append(len(text))
        else:  # otherwise a line ends where a word ends
            text += line.rstrip() + " "
    assert text.split() == FINNISH.split()  # nothing lost, no break without a hyphen
    assert len(breaks) >= 3
    for at in breaks:
        start = text.rfind(" ", 0, at) + 1
        word = re.match(r"\w+", text[start:]).group(0)  # type: ignore[union-attr]
        # The break is one Voikko (or the Finnish syllable rules) allow.
        assert at - start in hy.finnish_points(word), (word, at - start)


def test_syllable_rule_fallback() -> None:
    assert hy.finnish_syllable_points("kustannustenjakomallien") == [3, 6, 9, 12, 14, 16, 19]
    assert hy.finnish_syllable_points("rakennemuutos") == [2, 5, 7, 10]
    assert hy.finnish_syllable_points("työllisyys") == [4, 6]
    assert hy.finnish_syllable_points("asiakas") == [1, 3, 4]
    if hy._voikko() is not None:  # the rules agree with Voikko on ordinary words
        for word in ("valmistelukustannukset", "hakuaika", "kohdentuminen"):
            assert hy.finnish_syllable_points(word) == hy.finnish_points(word), word


def test_each_text_by_its_own_language() -> None:
    assert hy.text_language("Tilastokeskus, työssäkäyntitilasto 31.12.2023", "sv") == "fi"
    assert hy.text_language("Personer med främmande modersmål", "sv") == "sv"
    sv = hy.hyphenate("sysselsättningsområde", "sv").replace(hy.SOFT, "|")
    assert sv == "sys|sel|sätt|nings|om|råde"
    fi = hy.hyphenate("Yleiskustannukset", "fi").replace(hy.SOFT, "|")
    assert fi == "Yleis|kus|tan|nuk|set"  # no single letter left behind ("Y-leis")


def test_addresses_break_at_separators_without_hyphens() -> None:
    text = hy.hyphenate("https://www.kuntaliitto.fi/asiantuntijapalvelut/talous", "fi")
    assert hy.SOFT not in text and text.count(hy.ZWSP) == 6


def _porvoo_pdf_text(examples_rendered: Rendered, lang: str = "fi") -> str:
    pdf = examples_rendered[f"porvoo/jarjestamissuunnitelma_{lang}"][2]
    return "\n".join(pdf_pages(pdf))


def test_source_notes_one_per_line_and_no_empty_columns(examples_rendered: Rendered) -> None:
    text = _porvoo_pdf_text(examples_rendered)
    for n in range(1, 6):
        assert re.search(rf"^\[{n}\] ", text, re.MULTILINE), n
    doc = examples_rendered["porvoo/jarjestamissuunnitelma_fi"][0]
    offices = next(b for b in doc.blocks if isinstance(b, Table) and b.anchor == "table-offices")
    assert [c.text for c in offices.header[0]] == ["Kunta", "Toimipiste", "Palvelumuoto"]


def test_numbers_keep_their_units(examples_rendered: Rendered) -> None:
    text = _porvoo_pdf_text(examples_rendered)
    assert not re.search(r"\d\n(%|§|€)", text)
    assert "10 162 216 €" in text.replace("\u00a0", " ")


@pytest.mark.parametrize("key", ["porvoo/jarjestamissuunnitelma_fi",
                                 "kuopio/yhteistoimintasopimus_fi"])
def test_table_headers_have_scope_and_links_are_named(examples_rendered: Rendered,
                                                      key: str) -> None:
    doc, _, pdf = examples_rendered[key]
    reader = pdf_reader(pdf)
    scopes: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object()  # type: ignore[attr-defined]
        if not isinstance(node, dict):
            return
        if node.get("/S") == "/TH":
            scopes.append(str(node.get("/A", {}).get("/Scope")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object"):
                walk(kid)

    walk(catalog(reader)["/StructTreeRoot"])
    assert scopes and set(scopes) <= {"/Column", "/Row"} and "/Column" in scopes
    toc_page = reader.pages[1]
    names = [a.get_object()["/Contents"] for a in toc_page.get("/Annots", [])]
    headings = [h.full_text for h in doc.blocks if isinstance(h, Heading) and h.level <= 3]
    assert set(names) <= set(headings) and len(set(names)) == len(headings)
    assert len(names) <= len(headings) + 3  # one link per entry (a wrapped one: one a line)


def test_a_long_table_repeats_its_caption(examples_rendered: Rendered) -> None:
    pdf = examples_rendered["porvoo/jarjestamissuunnitelma_fi"][2]
    pages = pdf_pages(pdf)
    holding = [i for i, text in enumerate(pages)
               if "Taulukko 15. Jäsenkuntien tilastotiedot ja niiden lähteet" in text]
    assert len(holding) == 2 and holding[1] == holding[0] + 1


def test_charts_are_vector_graphics_in_pdf_and_docx(examples_rendered: Rendered) -> None:
    import zipfile

    _doc, word, pdf = examples_rendered["porvoo/jarjestamissuunnitelma_fi"]
    reader = pdf_reader(pdf)
    images = [x for page in reader.pages
              for x in (cast(Any, page["/Resources"]).get("/XObject") or {}).values()
              if x.get_object().get("/Subtype") == "/Image"]
    assert images == []  # the chart is drawn, not a raster picture
    names = zipfile.ZipFile(io.BytesIO(word)).namelist()
    assert "word/media/chart1.svg" in names and any(n.endswith(".png") for n in names)
    body = zipfile.ZipFile(io.BytesIO(word)).read("word/document.xml").decode()
    assert "<asvg:svgBlip" in body and 'descr="Pylväskuvio näyttää kuntien' in body
