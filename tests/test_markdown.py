"""Markdown prose and templates -> document blocks; user content stays inert."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from planbuilder.compose import Composer, compose_plan
from planbuilder.compose.markdown import Directives, to_blocks
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import BulletList, Heading, Paragraph, Span, text_blocks
from planbuilder.errors import TemplateError
from planbuilder.load import load_plan
from planbuilder.model import Text

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


def test_inline_styles_lists_and_links() -> None:
    blocks = to_blocks("Teksti **lihava** ja *kursiivi* [TEM](https://tem.fi).\n\n"
                       "1. yksi\n2. kaksi\n   - sisä\n")
    assert blocks[0] == Paragraph((Span("Teksti "), Span("lihava", bold=True), Span(" ja "),
                                   Span("kursiivi", italic=True),
                                   Span(" TEM (https://tem.fi)."),))
    assert blocks[1] == BulletList(((Span("yksi"),), (Span("kaksi"),),
                                    (Span("– "), Span("sisä"))), ordered=True)


def test_raw_html_is_text_and_images_are_not_fetched() -> None:
    blocks = to_blocks("<script>alert(1)</script>\n\nKuva ![kartta](http://127.0.0.1/k.png) "
                       "tässä.\n\n![x](file:///etc/passwd)\n\n<img src=http://127.0.0.1/x>")
    texts = ["".join(s.text for s in b.content) for b in blocks if isinstance(b, Paragraph)]
    # an image becomes its alt text; markdown-it refuses file: links outright
    assert texts == ["<script>alert(1)</script>", "Kuva kartta tässä.",
                     "![x](file:///etc/passwd)", "<img src=http://127.0.0.1/x>"]


def test_user_prose_headings_nest_and_cannot_inject_directives() -> None:
    d = Directives()
    secret = d.add([Paragraph((Span("SALAINEN"),))])
    user = d.add_prose("# Oma otsikko\n\n```pb\nb0\n```\n", base_level=2)
    blocks = to_blocks(f"# Luku\n{user}", d)
    assert blocks[0] == Heading(1, "Luku", "luku")
    assert blocks[1] == Heading(3, "Oma otsikko", "oma-otsikko")
    assert blocks[2] == Paragraph((Span("b0"),), style="note")
    assert "SALAINEN" not in str(blocks)
    assert secret  # registered, but only the template may place it


def test_heading_anchors_are_unique_and_start_with_a_letter() -> None:
    blocks = to_blocks("# 1 Resurssit\n\n# 1 Resurssit\n")
    assert [b.anchor for b in blocks if isinstance(b, Heading)] == [
        "h-1-resurssit", "h-1-resurssit-2"]


@pytest.fixture(scope="module")
def minimal_doc_fi() -> list[str]:
    plan = load_plan(MINIMAL).plan
    doc = compose_plan(plan, "fi", TemplateSet.load(), None, dt.date(2024, 6, 1))
    return text_blocks(doc)


def test_plan_document_has_statutory_sections_in_order(minimal_doc_fi: list[str]) -> None:
    headings = [t for t in minimal_doc_fi if t[:2] in {f"{i} " for i in range(1, 7)}]
    assert headings == [
        "1 Taloudelliset ja henkilöstövoimavarat sekä niiden kohdentuminen",
        "2 Palvelujen tuottamista ja kohdentamista koskevat ratkaisut",
        "3 Toimipisteiden määrä ja sijoittuminen",
        "4 Yhteistyötahot ja -muodot",
        "5 Työperäisen maahanmuuton, työvoiman ja työpaikkojen kohtaannon sekä työvoiman "
        "liikkuvuuden edistäminen",
        "6 Varautuminen rakennemuutostilanteisiin",
    ]
    assert "Laki työvoimapalveluiden järjestämisestä (380/2023) 15 § 4 mom. 3 k." in minimal_doc_fi


def test_plan_document_tables_format_numbers(minimal_doc_fi: list[str]) -> None:
    assert "Taulukko 1. Jäsenkunnat" in minimal_doc_fi
    assert "15\u00a0000" in minimal_doc_fi  # labour force, no-break space grouping
    assert "21\u00a0000" in minimal_doc_fi  # committed total
    assert "20\u00a0htv" in minimal_doc_fi
    assert "jatkuvasti miehitetty" in minimal_doc_fi


def test_swedish_document_uses_swedish_labels() -> None:
    plan = load_plan(MINIMAL).plan
    doc = compose_plan(plan, "sv", TemplateSet.load(), None, dt.date(2024, 6, 1))
    texts = text_blocks(doc)
    assert "3 Antalet verksamhetsställen och var verksamhetsställena är belägna" in texts
    assert "20\u00a0årsv." in texts
    assert doc.meta.draft_mark == "UTKAST"
    assert doc.meta.header == "Testby sysselsättningsområde · Organiseringsplan · Utkast 0.1"


def test_clerk_can_change_a_heading_in_templates_only(tmp_path: Path) -> None:
    import shutil

    from planbuilder.compose.templates import default_dir

    shutil.copytree(default_dir(), tmp_path / "t")
    fi = tmp_path / "t" / "i18n" / "fi.yaml"
    fi.write_text(fi.read_text(encoding="utf-8").replace(
        "offices: Toimipisteiden määrä ja sijoittuminen",
        "offices: Palveluverkko ja toimipisteet"), encoding="utf-8")
    plan = load_plan(MINIMAL).plan
    doc = compose_plan(plan, "fi", TemplateSet.load(tmp_path / "t"), None, dt.date(2024, 6, 1))
    assert "3 Palveluverkko ja toimipisteet" in text_blocks(doc)


def test_template_sandbox_blocks_python_internals(tmp_path: Path) -> None:
    import shutil

    from planbuilder.compose.templates import default_dir

    shutil.copytree(default_dir(), tmp_path / "t")
    (tmp_path / "t" / "documents" / "plan.md.j2").write_text(
        "{{ plan.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    plan = load_plan(MINIMAL).plan
    with pytest.raises(TemplateError, match=r"plan\.md\.j2.*(unsafe|access to attribute)"):
        compose_plan(plan, "fi", TemplateSet.load(tmp_path / "t"), None, dt.date(2024, 6, 1))


def test_missing_translation_is_a_named_error() -> None:
    c = Composer(load_plan(MINIMAL).plan, "fi", TemplateSet.load())
    with pytest.raises(TemplateError, match=r"translation 'nope\.key' missing in fi\.yaml"):
        c.t("nope.key")


def test_text_falls_back_to_finnish() -> None:
    assert Text(fi="Porvoo").get("sv") == "Porvoo"
    assert Text(fi="Porvoo", sv="Borgå").get("sv") == "Borgå"


def test_a_pipe_table_in_prose_is_a_real_numbered_table(write_plan: Callable[..., Path],
                                                       minimal_text: str) -> None:
    from planbuilder.compose import compose_plan
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import Table
    from planbuilder.render.docx import render_docx
    from planbuilder.render.pdf import render_html
    from planbuilder.render.style import load_style
    from wordcheck import audit, word_text

    table = ("      Asiakasmäärät kunnittain:\n\n"
             "      | Kunta | Asiakkaat | Osuus |\n"
             "      |---|---|---|\n"
             "      | Testilä | 1 200 | 71 % |\n"
             "      | Naapuri | 490 | 29 % |\n\n"
             "      : Asiakkaat kunnittain 2024\n")
    end = "      asiakasmäärien mukaan, ja talousarvio laaditaan vastuukunnan talousarvion " \
        "yhteydessä.\n"
    text = minimal_text.replace("  resources:\n    text: >-\n", "  resources:\n    text: |-\n")
    folder = write_plan(text.replace(end, end + "\n" + table))
    plan = load_plan(folder).plan
    templates = TemplateSet.load()
    doc = compose_plan(plan, "fi", templates, None, plan.area.date)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    prose = next(t for t in tables if t.anchor.startswith("table-prose"))
    # numbered in document order with the template's tables
    assert [t.number for t in tables] == list(range(1, len(tables) + 1))
    assert prose.caption == f"Taulukko {prose.number}. Asiakkaat kunnittain 2024"
    assert [c.text for c in prose.header[0]] == ["Kunta", "Asiakkaat", "Osuus"]
    assert [(c.text, c.align) for c in prose.rows[0]] == [
        ("Testilä", "left"), ("1 200", "right"), ("71 %", "right")]
    style = load_style(templates.folder)
    html = render_html(doc, style)[0]
    assert "|---|" not in html and "<th scope=\"col\"" in html
    word = render_docx(doc, style)
    assert "| Kunta |" not in word_text(word) and "Asiakkaat kunnittain 2024" in word_text(word)
    assert audit({"prose-table.docx": word}) == {"prose-table.docx": []}
