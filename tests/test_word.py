"""The Word documents a legal reviewer receives: valid OOXML by an independent validator,
built from the house template, with Word's own numbering, captions, cross-references and
document properties, and still valid after a reviewer's tracked changes."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from planbuilder.document import KEEP_WHOLE_ROWS, Document, Figure, Heading, Table
from planbuilder.render.docx import render_docx
from planbuilder.render.house import house_docx
from planbuilder.render.style import load_style
from wordcheck import audit, heading_numbering, paragraphs, part, pdf_reader

Rendered = dict[str, tuple[Document, bytes, bytes]]
TEMPLATES = ROOT / "templates"


def _replace_part(data: bytes, name: str, text: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, text.encode() if info.filename == name else src.read(info))
    return out.getvalue()


def test_every_example_docx_passes_the_ooxml_validator(examples_rendered: Rendered) -> None:
    files = {f"{key.replace('/', '_')}.docx": word
             for key, (_, word, _) in examples_rendered.items() if word}
    assert len(files) >= 8  # plan and agreement, fi and sv, of every example plan
    assert audit(files) == {name: [] for name in files}


def test_the_validator_catches_what_word_would_repair(examples_rendered: Rendered) -> None:
    """A bookmark written before the paragraph properties (the earlier renderer's defect)
    is reported: the check above can fail."""
    word = examples_rendered["porvoo/jarjestamissuunnitelma_fi"][1]
    body = part(word, "word/document.xml")
    broken = re.sub(r"<w:p><w:pPr><w:pStyle w:val=\"Heading2\"/>",
                    '<w:p><w:bookmarkStart w:id="9999" w:name="x"/><w:bookmarkEnd w:id="9999"/>'
                    '<w:pPr><w:pStyle w:val="Heading2"/>', body, count=1)
    assert broken != body
    problems = audit({"broken.docx": _replace_part(word, "word/document.xml", broken)})
    assert any("Unexpected element 'pPr'" in p for p in problems["broken.docx"])


def test_house_template_is_made_from_the_house_style() -> None:
    style = load_style(TEMPLATES)
    committed = (TEMPLATES / "house.docx").read_bytes()
    assert committed == house_docx(style), \
        "templates/house.docx is stale: run planbuilder house-template"
    assert audit({"house.docx": committed}) == {"house.docx": []}
    settings = part(committed, "word/settings.xml")
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" ' \
        'w:val="15"' in settings
    assert '<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/>' in settings
    styles = part(committed, "word/styles.xml")
    ids = re.findall(r'w:styleId="([^"]+)"', styles)
    assert len(ids) == len(set(ids)) == 37  # only the styles the documents use
    assert '<w:name w:val="Taulukon lähde"/>' in styles
    assert '<w:rFonts w:ascii="Arial" w:hAnsi="Arial"' in styles
    assert "stylesWithEffects" not in str(zipfile.ZipFile(io.BytesIO(committed)).namelist())
    numbering = part(committed, "word/numbering.xml")
    assert '<w:multiLevelType w:val="multilevel"/>' in numbering
    assert '<w:pStyle w:val="Heading1"/><w:lvlText w:val="%1"/>' in numbering


@pytest.mark.parametrize(("key", "fmt", "expected"), [
    ("porvoo/jarjestamissuunnitelma_fi", "%1", "3 Toimipisteiden määrä ja sijoittuminen"),
    ("porvoo/organiseringsplan_sv", "%1", "3 Antalet verksamhetsställen och var "
                                          "verksamhetsställena är belägna"),
    ("kuopio/yhteistoimintasopimus_fi", "%1 §", "4 § Yhteinen toimielin ja sen kokoonpano"),
    ("porvoo/samarbetsavtal_sv", "%1 §", "4 § Organets sammansättning"),
])
def test_headings_are_numbered_by_word(examples_rendered: Rendered, key: str, fmt: str,
                                       expected: str) -> None:
    doc, word, _ = examples_rendered[key]
    assert {k: v.replace("\u00a0", " ") for k, v in heading_numbering(word).items()} == \
        {"Heading1": fmt}
    body = part(word, "word/document.xml")
    _number, _, title = expected.partition(" ") if fmt == "%1" else expected.partition(" § ")
    # The number is not typed: the heading's text is the title alone.
    assert re.search(rf'<w:pStyle w:val="Heading1"/>.{{0,120}}<w:t xml:space="preserve">'
                     rf"{re.escape(title)}</w:t>", body)
    shown = [t.replace("\u00a0", " ") for style, t in paragraphs(word) if style == "Heading1"]
    assert expected in shown
    # Word's numbering gives the same numbers as the PDF shows.
    numbered = [f"{h.numbered} {h.text}" for h in doc.blocks
                if isinstance(h, Heading) and h.auto]
    assert shown == numbered


def test_captions_are_seq_fields_and_the_toc_has_page_numbers(examples_rendered: Rendered,
                                                              ) -> None:
    doc, word, _ = examples_rendered["porvoo/jarjestamissuunnitelma_fi"]
    body = part(word, "word/document.xml")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    figures = [b for b in doc.blocks if isinstance(b, Figure)]
    assert body.count(" SEQ Taulukko \\* ARABIC ") == len(tables) > 10
    assert body.count(" SEQ Kuvio \\* ARABIC ") == len(figures) >= 1
    captions = [t for s, t in paragraphs(word) if s == "Caption"]
    assert captions[:2] == ["Taulukko 1. Jäsenkunnat",
                            "Taulukko 2. Henkilöstövoimavarat ja niiden tausta"]
    assert "Taulukko 3. Talousarvio 2025" in captions
    # Each caption's label and number is a bookmark a cross-reference can point to.
    assert len(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="_Ref\d+"/>', body)) == \
        len(tables) + len(figures)
    toc = [t for s, t in paragraphs(word) if s.startswith("TOC") and s != "TOCHeading"]
    assert "1 Taloudelliset ja henkilöstövoimavarat sekä niiden kohdentuminen\t3" in toc
    assert all(re.search(r"\t\d+$", t) for t in toc)
    assert body.count(" PAGEREF _Toc") == len(toc)
    assert "w:dirty" not in body


def test_cross_references_are_ref_fields(examples_rendered: Rendered) -> None:
    _, word, _ = examples_rendered["porvoo/jarjestamissuunnitelma_fi"]
    body = part(word, "word/document.xml")
    heading = re.search(r'<w:bookmarkStart w:id="\d+" w:name="(_Toc\d+)"/><w:r><w:t '
                        r'xml:space="preserve">Toimipisteiden määrä ja sijoittuminen<', body)
    assert heading is not None
    assert f" REF {heading.group(1)} \\h " in body  # from the introduction's list
    items = [t for s, t in paragraphs(word) if s == "ListNumber"]
    assert "Toimipisteiden määrä ja sijoittuminen" in items


@pytest.mark.parametrize(("key", "props"), [
    ("porvoo/jarjestamissuunnitelma_fi", {"Tila": "Luonnos", "Versio": "0.3",
                                          "Luonnosmerkintä": "LUONNOS"}),
    ("porvoo/samarbetsavtal_sv", {"Status": "Utkast", "Version": "0.3",
                                         "Utkastmarkering": "UTKAST"}),
])
def test_status_and_version_are_document_properties(examples_rendered: Rendered, key: str,
                                                    props: dict[str, str]) -> None:
    _, word, _ = examples_rendered[key]
    custom = part(word, "docProps/custom.xml")
    found = dict(re.findall(r'name="([^"]+)"><vt:lpwstr>([^<]*)</vt:lpwstr>', custom))
    assert found == props
    names = list(props)
    headers = "".join(part(word, n) for n in zipfile.ZipFile(io.BytesIO(word)).namelist()
                      if n.startswith("word/header"))
    body = part(word, "word/document.xml")
    for name in names:
        assert f' DOCPROPERTY "{name}" \\* MERGEFORMAT ' in headers
        assert f' DOCPROPERTY "{name}" \\* MERGEFORMAT ' in body  # on the cover
    # The status and version are not typed into the header text.
    assert f"{props[names[0]]} {props[names[1]]}" not in re.sub(r"<[^>]+>", "", headers)
    core = part(word, "docProps/core.xml")
    assert f"<cp:contentStatus>{props[names[0]]}</cp:contentStatus>" in core
    app = part(word, "docProps/app.xml")
    assert "<Application>planbuilder</Application>" in app
    assert int(re.search(r"<Words>(\d+)</Words>", app).group(1)) > 500  # type: ignore[union-attr]


def test_styles_not_direct_formatting(examples_rendered: Rendered) -> None:
    for key in ("porvoo/jarjestamissuunnitelma_fi", "kuopio/yhteistoimintasopimus_fi"):
        _doc, word, pdf = examples_rendered[key]
        body = part(word, "word/document.xml")
        for direct in ("<w:sz ", "<w:color ", "<w:rFonts", 'w:type="page"', "<w:ind ",
                       "<w:spacing "):
            assert direct not in body, (key, direct)
        # No empty paragraphs for spacing (Word's own final paragraph mark aside).
        paras = paragraphs(word)
        empty = [i for i, (style, text) in enumerate(paras)
                 if not text.strip() and style not in ("CoverMark", "FigureParagraph",
                                                       "SignatureLabel")
                 and not style.startswith("Table")]  # an empty table cell has its mark, and
        # a signature line is its label style's top border (the captions head the table)
        assert empty in ([], [len(paras) - 1]), empty
        assert "<w:pageBreakBefore/>" in body
        pages = int(re.search(r"<Pages>(\d+)</Pages>",  # type: ignore[union-attr]
                              part(word, "docProps/app.xml")).group(1))
        assert pages == len(pdf_reader(pdf).pages)


def test_signatures_and_small_tables_stay_together(examples_rendered: Rendered) -> None:
    _, word, _ = examples_rendered["kuopio/yhteistoimintasopimus_fi"]
    body = part(word, "word/document.xml")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", body)
    signatures = [t for t in tables if "SignatureLabel" in t]
    assert len(signatures) == 1
    before = body[:body.index(signatures[0])]
    assert "<w:keepNext/>" in before[before.rindex("<w:p>"):]  # the clause text goes along
    rows = re.findall(r"<w:tr>.*?</w:tr>", signatures[0])
    assert len(rows) >= 8 and all("<w:cantSplit/>" in r for r in rows)
    styles = part(word, "word/styles.xml")
    for sid in ("SignatureLine", "SignatureLabel"):
        style = re.search(rf'w:styleId="{sid}">.*?</w:style>', styles)
        assert style is not None and "<w:keepNext/>" in style.group(0)
    seats = next(t for t in tables if "Toimielimen paikat" in t or "PlanTable" in t)
    seat_rows = re.findall(r"<w:tr>.*?</w:tr>", seats)
    if len(seat_rows) <= KEEP_WHOLE_ROWS:
        assert all("<w:keepNext/>" in r for r in seat_rows[:-1])


def test_a_tracked_change_still_validates_and_reads_back(examples_rendered: Rendered) -> None:
    """What a reviewer does in Word: delete a word and insert another with Track Changes."""
    _, word, _ = examples_rendered["porvoo/yhteistoimintasopimus_fi"]
    body = part(word, "word/document.xml")
    match = re.search(r'<w:p><w:r><w:t xml:space="preserve">([^<]{40,}?)</w:t></w:r></w:p>',
                      body)
    assert match is not None
    old = match.group(1)
    stamp = 'w:author="Lakimies" w:date="2025-02-03T10:00:00Z"'
    tracked = (f'<w:p><w:del w:id="9001" {stamp}><w:r><w:delText xml:space="preserve">{old}'
               f'</w:delText></w:r></w:del><w:ins w:id="9002" {stamp}><w:r><w:t '
               'xml:space="preserve">Sopijapuolet ovat muuttaneet tätä kohtaa.</w:t></w:r>'
               "</w:ins></w:p>")
    edited = _replace_part(word, "word/document.xml", body.replace(match.group(0), tracked, 1))
    assert audit({"tracked.docx": edited}) == {"tracked.docx": []}
    texts = [t for _, t in paragraphs(edited)]
    assert "Sopijapuolet ovat muuttaneet tätä kohtaa." in texts
    assert old not in texts


def test_a_municipality_template_gives_its_styles(tmp_path: Path,
                                                 examples_rendered: Rendered) -> None:
    """A clerk replaces house.docx with the municipality's own template: its styles are
    used, and styles it lacks are added so the document stays complete and valid."""
    shutil.copytree(TEMPLATES, tmp_path / "t")
    house = (tmp_path / "t" / "house.docx").read_bytes()
    styles = part(house, "word/styles.xml")
    styles = styles.replace('w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"',
                            'w:ascii="Verdana" w:hAnsi="Verdana" w:eastAsia="Verdana" '
                            'w:cs="Verdana"')
    styles = re.sub(r'<w:style w:type="paragraph" w:styleId="TableNote">.*?</w:style>', "",
                    styles)
    (tmp_path / "t" / "house.docx").write_bytes(_replace_part(house, "word/styles.xml", styles))
    doc, _, _ = examples_rendered["porvoo/jarjestamissuunnitelma_fi"]
    word = render_docx(doc, load_style(tmp_path / "t"))
    out = part(word, "word/styles.xml")
    assert 'w:ascii="Verdana"' in out and 'w:ascii="Arial"' not in out
    assert 'w:styleId="TableNote"' in out
    assert audit({"own.docx": word}) == {"own.docx": []}


def test_fuzzed_plans_render_to_valid_docx(tmp_path: Path) -> None:
    """The fuzz suite's inputs that validate are rendered and checked like the examples:
    whatever text a plan holds (control characters, markup, templates, long words), the
    DOCX stays valid."""
    import random

    from fuzz_inputs import mutate
    from planbuilder.compose import compose_plan
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.errors import PlanLoadError
    from planbuilder.findings import has_errors
    from planbuilder.load import load_plan
    from planbuilder.rules import check

    templates = TemplateSet.load()
    style = load_style(templates.folder)
    files: dict[str, bytes] = {}
    seed = 0
    while len(files) < 12 and seed < 5000:
        seed += 1
        (tmp_path / "plan.yaml").write_bytes(mutate(random.Random(seed), rounds=3))
        try:
            loaded = load_plan(tmp_path)
        except PlanLoadError:
            continue
        if has_errors(check(loaded)):
            continue
        for lang in loaded.plan.languages:
            doc = compose_plan(loaded.plan, lang, templates, None, loaded.plan.area.date)
            files[f"seed{seed}_{lang}.docx"] = render_docx(doc, style)
    assert len(files) >= 12
    assert audit(files) == {name: [] for name in files}
