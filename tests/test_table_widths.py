"""Tables that fit their content: columns as wide as what they hold (text wide, figures
narrow and right-aligned), pipe tables and generated tables alike, in the PDF's HTML and the
DOCX; a column heading is never hyphenated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planbuilder.compose.documents import compose_plan
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import (
    CELL_PADDING,
    Cell,
    Document,
    Table,
    content_widths,
)
from planbuilder.load import load_plan
from planbuilder.money import compute
from planbuilder.render.docx import render_docx
from planbuilder.render.pdf import render_html
from planbuilder.render.style import load_style
from wordcheck import part

PLANS = Path(__file__).resolve().parent.parent / "plans"
SOFT_HYPHEN = "\u00ad"
FIGURE = "10\u00a0162\u00a0216\u00a0€"  # as fmt.euros writes it: one word


def _table(header: tuple[str, ...], *rows: tuple[str, ...], right: tuple[int, ...] = ()
           ) -> Table:
    def row(texts: tuple[str, ...]) -> tuple[Cell, ...]:
        return tuple(Cell(x, "right" if j in right else "left") for j, x in enumerate(texts))
    return Table("t", "", (row(header),), tuple(row(r) for r in rows))


def test_text_columns_get_the_room_and_figures_stay_narrow() -> None:
    t = _table(("Kunta", "Työvoiman ulkopuolella", "Henkilöä"),
               ("Rautavaara", "Opiskelijat, eläkeläiset ja muut työvoiman ulkopuolella olevat "
                "henkilöt, joiden määrä on kasvanut viime vuosina selvästi", FIGURE),
               ("Kuopio", "Opiskelijat", "1\u00a0234\u00a0€"), right=(2,))
    widths = content_widths(t)
    assert widths[1] > widths[0] and widths[1] > widths[2]
    share = [w / sum(widths) for w in widths]
    # a heading's longest word fits whole ('ulkopuolella', bold); the figure never wraps
    assert share[1] * 100 >= len("ulkopuolella") * 1.1 + CELL_PADDING
    assert share[2] * 100 >= len(FIGURE) + CELL_PADDING
    assert share[0] * 100 >= len("Rautavaara") + CELL_PADDING


def test_short_tables_are_laid_out_as_their_text_is_long() -> None:
    widths = content_widths(_table(("Vuosi", "Kuvaus"), ("2024", "Kolme sanaa tässä"),
                                   right=(0,)))
    assert widths == (len("Vuosi") * 1.1 + CELL_PADDING, len("Kolme sanaa tässä") + CELL_PADDING)


def test_a_pipe_table_in_the_prose_gets_widths_from_its_content() -> None:
    plan = load_plan(PLANS / "jarvilaakso").plan
    doc = compose_plan(plan, "fi", TemplateSet.load(), compute(plan), plan.area.date)
    prose = next(b for b in doc.blocks if isinstance(b, Table) and b.anchor.startswith(
        "table-prose") and b.header[0][0].text == "Tehtävä")
    first, *figures = prose.widths
    assert prose.widths and all(first > w for w in figures)  # 'Työnantajapalvelut' is long
    assert [c.align for c in prose.rows[0]] == ["left", "right", "right"]


@pytest.fixture(scope="module")
def kuopio() -> Document:
    plan = load_plan(PLANS / "kuopio").plan
    return compose_plan(plan, "fi", TemplateSet.load(), compute(plan), plan.area.date)


def test_generated_tables_get_widths_from_their_content(kuopio: Document) -> None:
    tables = [b for b in kuopio.blocks if isinstance(b, Table)]
    assert all(t.widths for t in tables)
    budget = next(t for t in tables if t.anchor == "table-budget")
    line, _kind, basis, amount = budget.widths
    assert line > amount and basis > amount  # the line names and the bases are text


def test_no_column_heading_is_hyphenated_in_the_pdf(kuopio: Document) -> None:
    html, css = render_html(kuopio, load_style(TemplateSet.load().folder))
    heads = re.findall(r"<th[^>]*scope=\"col\"[^>]*>(.*?)</th>", html, re.S)
    assert heads and not [h for h in heads if SOFT_HYPHEN in h or "&shy;" in h]
    assert re.search(r"thead th \{[^}]*hyphens: none", css)
    # nor a row's heading, the first column ("Rautavaara (harkitsee)")
    firsts = re.findall(r"<tr><td[^>]*>(.*?)</td>", html, re.S)
    assert "Rautavaara (harkitsee)" in firsts and not [f for f in firsts if SOFT_HYPHEN in f]
    # body text still hyphenates (the soft hyphens are there), figures never
    body = re.findall(r"<td>(.*?)</td>", html, re.S)
    assert any(SOFT_HYPHEN in b for b in body)
    assert "<col style=\"width:" in html


def test_no_column_heading_is_hyphenated_in_word(kuopio: Document) -> None:
    word = render_docx(kuopio, load_style(TemplateSet.load().folder))
    styles = part(word, "word/styles.xml")
    heading = re.search(r'<w:style [^>]*w:styleId="TableHeading".*?</w:style>', styles, re.S)
    assert heading is not None and "<w:suppressAutoHyphens/>" in heading.group(0)
    body = part(word, "word/document.xml")
    first = re.findall(r"<w:tr>(?:(?!</w:tr>).)*?<w:tc>.*?</w:tc>", body, re.S)
    assert first and all("<w:suppressAutoHyphens/>" in f for f in first
                         if 'w:val="TableText"' in f)
    grids = re.findall(r"<w:tblGrid>(.*?)</w:tblGrid>", body)
    # not every table's columns are equal any more
    assert any(len(set(re.findall(r'w:w="(\d+)"', g))) > 1 for g in grids)

