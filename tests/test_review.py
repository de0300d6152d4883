"""`planbuilder review` (issue 10): a reviewer's tracked changes and comments in a DOCX
planbuilder wrote, reported at the YAML line the text came from, and with --apply written
back into the YAML with its comments and layout kept; an edit in a computed table is
reported, not applied. The reviewer is simulated the way Word writes: w:ins / w:del runs,
a comments part with commentRangeStart / commentReference."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT
from planbuilder.cli import main
from planbuilder.compose import compose_plan
from planbuilder.compose.templates import TemplateSet
from planbuilder.load import load_plan
from planbuilder.money import compute
from planbuilder.render.docx import render_docx
from planbuilder.render.style import load_style
from wordcheck import audit

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _el(tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.Element(f"{W}{tag}", {f"{W}{k}": v for k, v in attrs.items()})
    if text is not None:
        el.text = text
        el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return el


def _run(text: str, deleted: bool = False) -> etree._Element:
    r = _el("r")
    r.append(_el("delText" if deleted else "t", text))
    return r


def _paragraph(root: etree._Element, package: zipfile.ZipFile, source: str) -> etree._Element:
    sources = etree.fromstring(package.read("customXml/item1.xml"))
    name = next(s.get("bookmark") for s in sources if s.get("path") == source)
    mark = next(b for b in root.iter(f"{W}bookmarkStart") if b.get(f"{W}name") == name)
    return next(a for a in mark.iterancestors() if a.tag == f"{W}p")


def _track(p: etree._Element, old: str, new: str, ident: int) -> None:
    """Replace `old` by `new` inside the paragraph's run as Word's Track Changes does."""
    run = next(r for r in p.iter(f"{W}r") if old in "".join(t.text or "" for t in r.iter(f"{W}t")))
    found, parent = run.find(f"{W}t"), run.getparent()
    assert found is not None and parent is not None
    before, after = (found.text or "").split(old, 1)
    at = parent.index(run)
    parent.remove(run)
    deletion = _el("del", id=str(ident), author="Lakimies", date="2026-11-20T10:00:00Z")
    deletion.append(_run(old, deleted=True))
    insertion = _el("ins", id=str(ident + 1), author="Lakimies", date="2026-11-20T10:00:00Z")
    insertion.append(_run(new))
    for k, el in enumerate([_run(before), deletion, insertion, _run(after)]):
        parent.insert(at + k, el)


def _reviewed(docx: bytes) -> bytes:
    package = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(package.read("word/document.xml"))
    _track(_paragraph(root, package, "sections.resources.text#0"),
           "Porvoon kaupungin", "vastuukunnan", 9001)
    commented = _paragraph(root, package, "sections.offices.text#0")
    commented.insert(1, _el("commentRangeStart", id="0"))
    commented.append(_el("commentRangeEnd", id="0"))
    reference = _el("r")
    reference.append(_el("commentReference", id="0"))
    commented.append(reference)
    budget = next(t for t in root.iter(f"{W}t") if t.text == "3\u00a0298\u00a0868\u00a0€")
    _track(next(a for a in budget.iterancestors() if a.tag == f"{W}p"),
           "3\u00a0298\u00a0868\u00a0€", "3\u00a0300\u00a0000\u00a0€", 9003)
    comments = (f'<w:comments xmlns:w="{W_NS}"><w:comment w:id="0" w:author="Lakimies" '
                'w:date="2026-11-20T10:05:00Z" w:initials="L"><w:p><w:r><w:t>Onko Pukkilan '
                "palvelupiste mukana?</w:t></w:r></w:p></w:comment></w:comments>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in package.infolist():
            data = package.read(info)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/comments.xml" '
                                    b'ContentType="application/vnd.openxmlformats-'
                                    b'officedocument.wordprocessingml.comments+xml"/></Types>')
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", f'<Relationship Id="rIdComments" '
                                    f'Type="{REL}/comments" Target="comments.xml"/>'
                                    "</Relationships>".encode())
            dst.writestr(info, data)
        dst.writestr("word/comments.xml", comments)
    return out.getvalue()


@pytest.fixture(scope="module")
def reviewed_docx() -> bytes:
    """Porvoo's plan as planbuilder writes it, then edited by the simulated reviewer."""
    plan = load_plan(ROOT / "plans" / "porvoo").plan
    templates = TemplateSet.load()
    doc = compose_plan(plan, "fi", templates, compute(plan), plan.area.date)
    docx = _reviewed(render_docx(doc, load_style(templates.folder)))
    assert audit({"reviewed.docx": docx}) == {"reviewed.docx": []}  # still valid OOXML
    return docx


@pytest.fixture
def reviewed(reviewed_docx: bytes, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "plans" / "porvoo", tmp_path / "plans" / "porvoo")
    (tmp_path / "reviewed.docx").write_bytes(reviewed_docx)
    return tmp_path / "reviewed.docx", Path("plans/porvoo")


def test_review_reports_each_change_at_its_yaml_line(reviewed: tuple[Path, Path],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    docx, plan = reviewed
    assert main(["--lang", "fi", "review", str(docx), str(plan)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("plans/porvoo/sections.yaml:6:7: huomio REVIEW-EDIT: "
                               "'Työllisyysalueen palvelut rahoitetaan Porvoon kaupungin "
                               "taseyksikön kautta.")
    assert "→ 'Työllisyysalueen palvelut rahoitetaan vastuukunnan taseyksikön kautta." \
        in lines[0]
    assert lines[1] == ("<plan>: varoitus REVIEW-UNMAPPED: muutos tekstiin, joka ei ole "
                        "suunnitelman omaa tekstiä (laskettu taulukko tai planbuilderin kirjoittama teksti): "
                        "'3\u00a0298\u00a0868\u00a0€' → '3\u00a0300\u00a0000\u00a0€'; tee "
                        "muutos suunnitelman tietoihin tai asiakirjapohjiin")
    assert lines[2].startswith("plans/porvoo/sections.yaml:135:7: huomio REVIEW-COMMENT: "
                               "Lakimies: Onko Pukkilan palvelupiste mukana? (kohdassa "
                               "'Työllisyys")
    assert len(lines) == 3


def test_apply_changes_exactly_that_paragraph(reviewed: tuple[Path, Path],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    docx, plan = reviewed
    before = {p.name: p.read_text(encoding="utf-8") for p in plan.iterdir()}
    assert main(["--lang", "fi", "review", str(docx), str(plan), "--apply"]) == 0
    after = {p.name: p.read_text(encoding="utf-8") for p in plan.iterdir()}
    assert [n for n in before if before[n] != after[n]] == ["sections.yaml"]
    old_lines, new_lines = before["sections.yaml"].splitlines(), \
        after["sections.yaml"].splitlines()
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert changed and min(changed) == 6 and max(changed) <= 9  # that paragraph's lines only
    assert new_lines[6].startswith("        Työllisyysalueen palvelut rahoitetaan vastuukunnan")
    assert old_lines[:2] == new_lines[:2] and new_lines[0].startswith("# ")  # comments kept
    assert "kirjoitettu plans/porvoo/sections.yaml" in capsys.readouterr().out
    assert main(["validate", str(plan)]) == 0
    # reviewing the same document again: the paragraph is no longer what Word shows
    assert main(["--lang", "fi", "review", str(docx), str(plan), "--apply"]) == 1
    assert "varoitus REVIEW-NOT-APPLIED: suunnitelman kappale ei ole sama kuin Wordissa " \
        "näkyvä" in capsys.readouterr().out
