"""`planbuilder review` (issue 10): a reviewer's tracked changes and comments in a DOCX
planbuilder wrote, reported at the YAML line the text came from, and with --apply written
back into the YAML with its comments and layout kept; an edit in a computed table is
reported, not applied. The reviewer is simulated the way Word writes: w:ins / w:del runs,
a comments part with commentRangeStart / commentReference."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT
from cpu import cpu_budget
from planbuilder.cli import main
from planbuilder.compose import compose_plan
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import Heading, sourced
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


def _porvoo_docx(folder: Path = ROOT / "plans" / "porvoo") -> bytes:
    plan = load_plan(folder).plan
    templates = TemplateSet.load()
    doc = compose_plan(plan, "fi", templates, compute(plan), plan.area.date)
    return render_docx(doc, load_style(templates.folder))


@pytest.fixture(scope="module")
def built_docx() -> bytes:
    """Porvoo's plan as planbuilder writes it."""
    return _porvoo_docx()


@pytest.fixture(scope="module")
def reviewed_docx(built_docx: bytes) -> bytes:
    """... then edited by the simulated reviewer."""
    docx = _reviewed(built_docx)
    assert audit({"reviewed.docx": docx}) == {"reviewed.docx": []}  # still valid OOXML
    return docx


def _copy_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "plans" / "porvoo", tmp_path / "plans" / "porvoo")
    return Path("plans/porvoo")


@pytest.fixture
def reviewed(reviewed_docx: bytes, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    plan = _copy_plan(tmp_path, monkeypatch)
    (tmp_path / "reviewed.docx").write_bytes(reviewed_docx)
    return tmp_path / "reviewed.docx", plan


def _rezip(package: zipfile.ZipFile, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in package.infolist():
            data = replace[info.filename] if info.filename in replace else package.read(info)
            dst.writestr(zipfile.ZipInfo(info.filename, info.date_time), data,
                         zipfile.ZIP_DEFLATED)
        for name, data in replace.items():
            if name not in package.namelist():
                dst.writestr(name, data)
    return out.getvalue()


def _edited(docx: bytes, edits: list[tuple[str, str, str]],
            paths: dict[str, str] | None = None) -> bytes:
    """The DOCX with tracked replacements (source, old, new) and, with `paths`, the sources
    part's key paths changed as a crafted file would."""
    package = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(package.read("word/document.xml"))
    for k, (source, old, new) in enumerate(edits):
        _track(_paragraph(root, package, source), old, new, 9100 + 2 * k)
    replace = {"word/document.xml": etree.tostring(root, xml_declaration=True,
                                                   encoding="UTF-8", standalone=True)}
    if paths:
        sources = package.read("customXml/item1.xml").decode()
        for old_path, new_path in paths.items():
            sources = sources.replace(f'path="{old_path}"', f'path="{new_path}"')
        replace["customXml/item1.xml"] = sources.encode()
    return _rezip(package, replace)


def _review(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["review", *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_review_reports_each_change_at_its_yaml_line(reviewed: tuple[Path, Path],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    docx, plan = reviewed
    assert main(["--lang", "fi", "review", str(docx), str(plan)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("plans/porvoo/sections.yaml:6:7: huomio REVIEW-EDIT: "
                        "'Työllisyysalueen palvelut rahoitetaan Porvoon kaupungin taseyksikön "
                        "kautta. Kaikki palvelujen …' → 'Työllisyysalueen palvelut rahoitetaan "
                        "vastuukunnan taseyksikön kautta. Kaikki palvelujen …'")
    # a computed figure: the budget line it comes from is named, at its line
    assert lines[1] == ("plans/porvoo/money.yaml:25:7: varoitus REVIEW-UNMAPPED: muutos "
                        "tekstiin, jonka planbuilder kirjoittaa suunnitelman tiedoista (lause "
                        "tai taulukko): '3\u00a0298\u00a0868 €' → '3\u00a0300\u00a0000 €'; "
                        "muuta arvoa kohdassa budget.lines.2.amount")
    assert lines[2].startswith("plans/porvoo/sections.yaml:135:7: huomio REVIEW-COMMENT: "
                               "Lakimies: Onko Pukkilan palvelupiste mukana? (kohdassa "
                               "'Työllisyys")
    assert lines[3] == ("plans/porvoo/sections.yaml:25:7: huomio REVIEW-OTHER-LANGUAGE: vain "
                        "tekstin sections.resources.text suomenkielistä versiota muutettiin; "
                        "tarkista, että ruotsinkielinen sanoo yhä saman")
    assert lines[4] == f"{docx}: kirjoitettavia muutoksia 1, kommentteja 1, sinulle jää 1"
    assert len(lines) == 5


def test_apply_changes_exactly_that_paragraph(reviewed: tuple[Path, Path],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    docx, plan = reviewed
    before = {p.name: p.read_text(encoding="utf-8") for p in plan.iterdir()}
    # the computed figure is left to the preparer: exit 1, the paragraph is written
    assert main(["--lang", "fi", "review", str(docx), str(plan), "--apply"]) == 1
    after = {p.name: p.read_text(encoding="utf-8") for p in plan.iterdir()}
    assert [n for n in before if before[n] != after[n]] == ["sections.yaml"]
    old_lines, new_lines = before["sections.yaml"].splitlines(), \
        after["sections.yaml"].splitlines()
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert changed and min(changed) == 6 and max(changed) <= 9  # that paragraph's lines only
    assert new_lines[6].startswith("        Työllisyysalueen palvelut rahoitetaan vastuukunnan")
    assert max(len(line) for line in new_lines[6:10]) <= max(len(x) for x in old_lines[6:10])
    assert old_lines[:2] == new_lines[:2] and new_lines[0].startswith("# ")  # comments kept
    out = capsys.readouterr().out
    assert "kirjoitettu plans/porvoo/sections.yaml" in out
    assert out.splitlines()[-1] == f"{docx}: muutoksia kirjoitettu 1, kommentteja 1, " \
        "sinulle jäi 1"
    assert main(["validate", str(plan)]) == 0
    # reviewing the same document again: the plan has that text now
    capsys.readouterr()
    assert main(["--lang", "fi", "review", str(docx), str(plan), "--apply"]) == 1
    out = capsys.readouterr().out
    assert "REVIEW-EDIT" not in out and "kirjoitettu plans" not in out


@pytest.mark.parametrize("path", [
    "area.status", "area.host", "members.0.language", "area.version",  # not prose
    "members.9.name", "nonexistent.key", "members.x.name", "area.name#x",  # not in the plan
    "sections.resources.text#99", "../../etc/passwd", "sections.resources.text#0#1", "",
])
def test_a_crafted_key_path_is_never_trusted(path: str, built_docx: bytes, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    plan = _copy_plan(tmp_path, monkeypatch)
    crafted = _edited(built_docx, [("sections.resources.text#0", "Porvoon kaupungin",
                                    "approved")], {"sections.resources.text#0": path})
    (tmp_path / "crafted.docx").write_bytes(crafted)
    before = {p.name: p.read_bytes() for p in plan.iterdir()}
    code, out, err = _review(capsys, "crafted.docx", str(plan), "--apply")
    assert code == 1, err  # never an internal error (3), never applied (0)
    assert "Traceback" not in err and "internal" not in err
    unknown = [line for line in out if "REVIEW-UNKNOWN" in line]
    assert len(unknown) == 1
    assert f"the document names the text '{path}', which this plan does not show there" \
        in unknown[0]
    assert {p.name: p.read_bytes() for p in plan.iterdir()} == before


@pytest.mark.parametrize(("typed", "shown"), [
    ("**vastuukunnan**", "**vastuukunnan**"),
    ("`vastuukunnan`", "`vastuukunnan`"),
    ("[klikkaa](https://example.org)", "[klikkaa](https://example.org)"),
    ("<https://example.org>", "<https://example.org>"),
    ("a &amp; b", "a &amp; b"),
])
def test_the_reviewers_words_are_written_as_literal_text(
        typed: str, shown: str, built_docx: bytes, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _copy_plan(tmp_path, monkeypatch)
    (tmp_path / "r.docx").write_bytes(_edited(
        built_docx, [("sections.resources.text#0", "Porvoon kaupungin", typed)]))
    code, _, err = _review(capsys, "r.docx", str(plan), "--apply")
    assert code == 0, err
    doc = compose_plan(load_plan(plan).plan, "fi", TemplateSet.load(), None,
                       dt.date(2024, 1, 1))
    paragraph = dict(sourced(doc))["sections.resources.text#0"]
    assert paragraph.startswith(f"Työllisyysalueen palvelut rahoitetaan {shown} taseyksikön")
    assert not any(isinstance(b, Heading) and "vastuukunnan" in b.text for b in doc.blocks)


def test_a_leading_hash_stays_text(built_docx: bytes, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    plan = _copy_plan(tmp_path, monkeypatch)
    (tmp_path / "r.docx").write_bytes(_edited(
        built_docx, [("sections.resources.text#0", "Työllisyysalueen palvelut", "# Otsikko")]))
    assert _review(capsys, "r.docx", str(plan), "--apply")[0] == 0
    doc = compose_plan(load_plan(plan).plan, "fi", TemplateSet.load(), None,
                       dt.date(2024, 1, 1))
    assert dict(sourced(doc))["sections.resources.text#0"].startswith(
        "# Otsikko rahoitetaan Porvoon kaupungin")
    assert "Otsikko" not in [b.text for b in doc.blocks if isinstance(b, Heading)]


def test_apply_keeps_line_endings_bom_and_lists(built_docx: bytes, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    plan = _copy_plan(tmp_path, monkeypatch)
    sections = plan / "sections.yaml"
    original = b"\xef\xbb\xbf" + sections.read_bytes().replace(b"\n", b"\r\n")
    sections.write_bytes(original)
    members = (plan / "members.yaml").read_bytes()
    (tmp_path / "r.docx").write_bytes(_edited(
        built_docx, [("sections.resources.text#0", "Porvoon kaupungin", "vastuukunnan")]))
    assert _review(capsys, "r.docx", str(plan), "--apply")[0] == 0
    written = sections.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf") and b"\n" not in written.replace(b"\r\n", b"")
    old, new = original.split(b"\r\n"), written.split(b"\r\n")
    assert len(old) == len(new)
    # the paragraph's first line (the rest still fits as it was wrapped), nothing else
    assert [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b] == [6]
    assert (plan / "members.yaml").read_bytes() == members


def test_apply_keeps_a_folded_paragraph_folded(built_docx: bytes, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    plan = _copy_plan(tmp_path, monkeypatch)
    area = plan / "area.yaml"
    before = area.read_text(encoding="utf-8").splitlines()
    (tmp_path / "r.docx").write_bytes(_edited(
        built_docx, [("area.introduction#0", "Porvoon kaupunki vastuukuntana",
                      "Porvoon kaupunki työllisyysalueen vastuukuntana")]))
    assert _review(capsys, "r.docx", str(plan), "--apply")[0] == 0
    after = area.read_text(encoding="utf-8").splitlines()
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b]
    assert changed and min(changed) >= 29 and max(changed) <= 37  # the fi value's lines
    assert after[28] == "    fi: >-"
    width = max(len(line) for line in before[29:37])
    assert all(len(line) <= width for line in after[29:38])
    assert after[len(after) - (len(before) - 37):] == before[37:]  # the rest too
    intro = load_plan(plan).plan.area.introduction
    assert intro is not None and "Porvoon kaupunki työllisyysalueen vastuukuntana" in intro.fi


def test_apply_is_all_or_nothing_across_files(built_docx: bytes, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from planbuilder.render import output

    plan = _copy_plan(tmp_path, monkeypatch)
    before = {p.name: p.read_bytes() for p in plan.iterdir()}
    (tmp_path / "r.docx").write_bytes(_edited(built_docx, [
        ("area.introduction#0", "Porvoon kaupunki", "vastuukunta"),
        ("sections.resources.text#0", "Porvoon kaupungin", "vastuukunnan")]))
    swaps: list[Path] = []
    real = output._exchange

    def failing(a: Path, b: Path) -> bool:
        swaps.append(b)
        if len(swaps) == 2:
            raise OSError(28, "No space left on device", str(b))
        return real(a, b)

    monkeypatch.setattr(output, "_exchange", failing)
    code, _, err = _review(capsys, "r.docx", str(plan), "--apply")
    assert code == 2
    assert "No space left on device" in err and "nothing written" in err
    assert {p.name: p.read_bytes() for p in plan.iterdir()} == before  # the first swapped back
    assert sorted(p.name for p in plan.iterdir()) == sorted(before)  # no temporary files


def test_apply_writes_through_a_symlinked_plan_file(built_docx: bytes, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    plan = _copy_plan(tmp_path, monkeypatch)
    (plan / "real").mkdir()
    (plan / "sections.yaml").rename(plan / "real" / "sections.yaml")
    (plan / "sections.yaml").symlink_to(Path("real") / "sections.yaml")
    (tmp_path / "r.docx").write_bytes(_edited(built_docx, [
        ("area.introduction#0", "Porvoon kaupunki", "vastuukunta"),
        ("sections.resources.text#0", "Porvoon kaupungin", "vastuukunnan")]))
    code, _, err = _review(capsys, "r.docx", str(plan), "--apply")
    assert code == 0, err
    assert (plan / "sections.yaml").is_symlink()
    assert "rahoitetaan vastuukunnan" in (plan / "real" / "sections.yaml").read_text("utf-8")
    assert "miten vastuukunta vastuukuntana" in (plan / "area.yaml").read_text("utf-8")


def test_an_edit_to_a_text_changed_since_is_not_applied(built_docx: bytes, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    plan = _copy_plan(tmp_path, monkeypatch)
    sections = plan / "sections.yaml"
    sections.write_text(sections.read_text("utf-8").replace(
        "rahoitetaan Porvoon kaupungin taseyksikön", "rahoitetaan Porvoon taseyksikön"),
        "utf-8")
    changed = sections.read_bytes()
    (tmp_path / "r.docx").write_bytes(_edited(
        built_docx, [("sections.resources.text#0", "Porvoon kaupungin", "vastuukunnan")]))
    code, out, _ = _review(capsys, "r.docx", str(plan), "--apply")
    assert code == 1
    assert out[0].startswith("plans/porvoo/sections.yaml:6:7: warning REVIEW-NOT-APPLIED: the "
                             "plan's text has changed since the document was made")
    assert sections.read_bytes() == changed


def test_a_new_paragraph_and_joined_paragraphs_are_reported(built_docx: bytes, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    plan = _copy_plan(tmp_path, monkeypatch)
    package = zipfile.ZipFile(io.BytesIO(built_docx))
    root = etree.fromstring(package.read("word/document.xml"))
    first = _paragraph(root, package, "sections.resources.text#0")
    second = _paragraph(root, package, "sections.resources.text#1")
    for child in [c for c in second if c.tag != f"{W}pPr"]:
        first.append(child)  # Word's join: one paragraph with both bookmarks
    second.getparent().remove(second)  # type: ignore[union-attr]
    added = _el("p")
    insertion = _el("ins", id="9500", author="Lakimies", date="2026-11-20T10:00:00Z")
    insertion.append(_run("Uusi kappale lakimieheltä."))
    added.append(insertion)
    first.addnext(added)
    (tmp_path / "r.docx").write_bytes(_rezip(package, {"word/document.xml": etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True)}))
    code, out, _ = _review(capsys, "r.docx", str(plan), "--apply")
    assert code == 1
    text = "\n".join(out)
    assert "warning REVIEW-MERGED: paragraphs joined (sections.resources.text#0, " \
        "sections.resources.text#1)" in text
    assert "remove the empty line between the paragraphs in the YAML by hand" in text
    assert "<plan>: warning REVIEW-UNMAPPED: a new paragraph, not part of any of the plan's " \
        "texts: 'Uusi kappale lakimieheltä.'" in text


def test_past_the_limits_a_clear_error_quickly(built_docx: bytes, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    plan = _copy_plan(tmp_path, monkeypatch)
    package = zipfile.ZipFile(io.BytesIO(built_docx))
    many = (f'<w:document xmlns:w="{W_NS}"><w:body>' + "<w:p/>" * 60_000
            + "</w:body></w:document>").encode()
    (tmp_path / "many.docx").write_bytes(_rezip(package, {"word/document.xml": many}))
    bomb = b"<x>" + b" " * 40_000_000 + b"</x>"
    (tmp_path / "bomb.docx").write_bytes(_rezip(package, {"word/comments.xml": bomb}))
    runs = (f'<w:document xmlns:w="{W_NS}"><w:body><w:p>' + "<w:r/>" * 3_000_000
            + "</w:p></w:body></w:document>").encode()
    (tmp_path / "runs.docx").write_bytes(_rezip(package, {"word/document.xml": runs}))
    assert len((tmp_path / "many.docx").read_bytes()) < 200_000
    for name, what in (("many.docx", "word/document.xml (paragraphs) is over the limit of "
                        "50 000"), ("bomb.docx", "word/comments.xml is over the limit of "
                                    "5 000 000"),
                       ("runs.docx", "word/document.xml (XML tags) is over the limit of "
                        "1 000 000")):
        with cpu_budget(10):
            code, _, err = _review(capsys, name, str(plan))
        assert code == 2
        assert f"{name}: {what} (README, Limits)" in err


def test_review_limits_are_documented() -> None:
    from planbuilder import review

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for value in (review.MAX_DOCX_BYTES, review.MAX_DOCUMENT_XML, review.MAX_PARAGRAPHS,
                  review.MAX_COMMENTS, review.MAX_ENTRIES, review.MAX_ELEMENTS,
                  review.MAX_PART_XML, review.MAX_SOURCES):
        assert f"{value:,}".replace(",", " ") in readme


@pytest.mark.parametrize("typed", ["on", "Off", "NO", "9:30", "yes", "~", "null", "0x1F",
                                   "1e3", "2024-01-01", "- item", "a: b", "#x", "'q'"])
def test_yaml_misreadings_are_quoted(typed: str) -> None:
    import yaml

    from planbuilder.load.edit import replace_texts

    text = "a:\n  title: {fi: Otsikko, sv: Rubrik}\n  plain: Otsikko\n  list:\n    - Otsikko\n"
    for path in (("a", "title", "fi"), ("a", "plain"), ("a", "list", 0)):
        out = replace_texts(text, {path: typed})
        data = yaml.safe_load(out)  # YAML 1.1, as the loader reads
        node: object = data
        for k in path:
            node = node[k]  # type: ignore[index]
        assert node == typed, out
        assert sum(a != b for a, b in zip(text.splitlines(), out.splitlines(),
                                          strict=True)) == 1


def test_markdown_of_the_source_is_kept_or_the_edit_is_left(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    """A paragraph with Markdown: an edit beside the formatting keeps it; an edit across it
    is left for the preparer (never guessed), and the other edits are still written."""
    plan = _copy_plan(tmp_path, monkeypatch)
    sections = plan / "sections.yaml"
    text = sections.read_text(encoding="utf-8")
    text = text.replace("        Työllisyysalueen TE-palvelujen vakituinen palvelupiste",
                        "        **Työllisyysalueen** TE-palvelujen vakituinen palvelupiste", 1)
    text = text.replace("vastuuviranomaisia itäisellä Uudellamaalla ovat Porvoon kaupungin",
                        "vastuuviranomaisia *itäisellä Uudellamaalla* ovat Porvoon kaupungin",
                        1)
    sections.write_text(text, encoding="utf-8")
    docx = _porvoo_docx(plan)
    (tmp_path / "r.docx").write_bytes(_edited(docx, [
        ("sections.offices.text#0", "Työllisyysalueen", "Alueen"),  # the bold word
        ("sections.partners.text#0", "ovat Porvoon kaupungin", "ovat vastuukunnan"),
        ("sections.resources.text#0", "Porvoon kaupungin", "vastuukunnan")]))
    code, out, _ = _review(capsys, "r.docx", str(plan), "--apply")
    assert code == 1
    assert any(line.startswith("plans/porvoo/sections.yaml:135:7: warning REVIEW-NOT-APPLIED: "
                               "the plan's paragraph is not the one shown in Word")
               for line in out)
    written = sections.read_text(encoding="utf-8")
    assert "**Työllisyysalueen** TE-palvelujen vakituinen" in written  # left as it was
    assert "vastuuviranomaisia *itäisellä Uudellamaalla* ovat vastuukunnan" in written
    assert "rahoitetaan vastuukunnan taseyksikön" in written
    assert out[-1] == "r.docx: 2 change(s) written, 0 comment(s), 1 left for you"
