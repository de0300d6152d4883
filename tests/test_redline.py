"""`planbuilder redline` (issue 10): two versions of the Porvoo plan, with a sentence, a
budget amount and an agreement clause changed. The redline marks exactly those changes (and
the figures that follow from the amount) as Word's tracked changes, valid OOXML, and as
marked text in an archival, accessible PDF; the summary lists them old -> new."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from planbuilder.cli import main
from planbuilder.document import BulletList, Paragraph, Table
from planbuilder.pipeline import Redlined, redline_plans
from test_pdf_standards import failures
from wordcheck import audit, pdf_pages

PORVOO = ROOT / "plans" / "porvoo"
EDITS = (
    ("sections.yaml", "Työllisyysalueen palvelut rahoitetaan Porvoon kaupungin taseyksikön",
     "Työllisyysalueen palvelut rahoitetaan vastuukunnan taseyksikön"),
    ("money.yaml", "      amount: 3298868", "      amount: 3398868"),
    ("agreement.yaml", "Erimielisyydet pyritään ratkaisemaan neuvottelemalla.",
     "Erimielisyydet pyritään ratkaisemaan ensisijaisesti neuvottelemalla."),
)


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("redline")
    old, new = root / "old" / "porvoo", root / "new" / "porvoo"
    shutil.copytree(PORVOO, old)
    shutil.copytree(PORVOO, new)
    for name, before, after in EDITS:
        text = (new / name).read_text(encoding="utf-8")
        assert before in text
        (new / name).write_text(text.replace(before, after, 1), encoding="utf-8")
    return old, new


def _text_changes(blocks: tuple[object, ...]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for b in blocks:
        spans = list(b.content) if isinstance(b, Paragraph) else \
            [s for i in b.items for s in i] if isinstance(b, BulletList) else []
        out += [(s.change, s.text) for s in spans if s.change]
    return out


def _cell_changes(blocks: tuple[object, ...], anchor: str) -> list[tuple[str, str]]:
    table = next(b for b in blocks if isinstance(b, Table) and b.anchor == anchor)
    return [(c.old or "", c.text) for r in (*table.rows, *table.footer) for c in r
            if c.old is not None]


@pytest.fixture(scope="module")
def redlined(versions: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[Redlined, Path]:
    old, new = versions
    out = tmp_path_factory.mktemp("redlines")
    return redline_plans(old, new, out, langs=["fi"]), out


def test_redline_marks_exactly_the_changes(redlined: tuple[Redlined, Path]) -> None:
    done, _ = redlined
    assert sorted(p.name for p in done.files) == [
        f"muutokset_{kind}_fi.{ext}" for kind in ("jarjestamissuunnitelma",
                                                  "yhteistoimintasopimus")
        for ext in ("docx", "pdf")]
    plan = done.documents["muutokset_jarjestamissuunnitelma_fi"]
    assert _text_changes(plan.blocks) == [
        ("del", "Porvoon kaupungin"), ("ins", "vastuukunnan"),
        # the settlement's surplus follows from the budget: 10 274 216 - 9 874 500
        ("del", "287\u00a0716\u00a0€"), ("ins", "399\u00a0716\u00a0€")]
    assert _cell_changes(plan.blocks, "table-budget") == [
        ("3\u00a0298\u00a0868\u00a0€", "3\u00a0398\u00a0868\u00a0€"),
        ("1\u00a0088\u00a0809\u00a0€", "1\u00a0100\u00a0809\u00a0€"),  # 12 % overhead
        ("10\u00a0162\u00a0216\u00a0€", "10\u00a0274\u00a0216\u00a0€")]
    shares = _cell_changes(plan.blocks, "table-shares")
    assert ("5\u00a0633\u00a0283\u00a0€*", "5\u00a0695\u00a0368\u00a0€*") in shares  # Porvoo
    changed = {b.anchor for b in plan.blocks if isinstance(b, Table)
               and any(c.old is not None for r in (*b.rows, *b.footer) for c in r)}
    assert {"table-members", "table-staff", "table-criteria"}.isdisjoint(changed)
    agreement = done.documents["muutokset_yhteistoimintasopimus_fi"]
    assert _text_changes(agreement.blocks) == [("ins", " ensisijaisesti")]
    # the summary: the section, the two lines, the seven shares, the clause
    summary = next(b for b in plan.blocks if isinstance(b, Table)
                   and b.anchor == "table-redline-summary")
    rows = [tuple(c.text for c in r) for r in summary.rows]
    assert rows[0] == ("Suunnitelman osio",
                       "Taloudelliset ja henkilöstövoimavarat sekä niiden kohdentuminen", "",
                       "muutettu", "")
    assert rows[1] == ("Talousarvio", "Avustukset ja palvelut", "3\u00a0298\u00a0868\u00a0€",
                       "3\u00a0398\u00a0868\u00a0€", "+100\u00a0000\u00a0€")
    assert rows[3] == ("Maksuosuus", "Porvoo", "5\u00a0633\u00a0283\u00a0€",
                       "5\u00a0695\u00a0368\u00a0€", "+62\u00a0085\u00a0€ (+1,1\u00a0%)")
    assert rows[-1] == ("Sopimuksen pykälä", "Erimielisyyksien ratkaiseminen", "",
                        "muutettu", "")
    assert len(rows) == 1 + 2 + 7 + 1


def test_word_tracks_the_changes_and_the_files_validate(redlined: tuple[Redlined, Path]
                                                        ) -> None:
    done, tmp_path = redlined
    word = {p.name: p.read_bytes() for p in done.files if p.suffix == ".docx"}
    assert audit(word) == {name: [] for name in word}
    xml = zipfile.ZipFile(io.BytesIO(word["muutokset_yhteistoimintasopimus_fi.docx"])).read(
        "word/document.xml").decode()
    inserted = re.findall(r'<w:ins w:id="\d+" w:author="planbuilder" w:date="[0-9TZ:-]+">'
                          r"<w:r><w:t[^>]*>([^<]*)</w:t></w:r></w:ins>", xml)
    assert " ensisijaisesti" in inserted
    plan_xml = zipfile.ZipFile(io.BytesIO(word["muutokset_jarjestamissuunnitelma_fi.docx"])
                               ).read("word/document.xml").decode()
    assert re.search(r"<w:del [^>]*><w:r><w:delText[^>]*>Porvoon kaupungin</w:delText>",
                     plan_xml)
    for pdf in (p for p in done.files if p.suffix == ".pdf"):
        data = pdf.read_bytes()
        assert failures(data, "pdfa-3a") == [] and failures(data, "pdfua-1") == []
    text = subprocess.run(["pdftotext", str(tmp_path / "porvoo" /
                                            "muutokset_jarjestamissuunnitelma_fi.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Muutosyhteenveto" in text and "vastuukunnan" in text


def test_redline_from_the_command_line_and_git(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """OLD as a git revision of NEW's folder: commit a small plan, edit it, compare."""
    folder = tmp_path / "repo" / "plans" / "testila"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text((ROOT / "tests" / "fixtures" / "minimal" / "plan.yaml")
                                      .read_text(encoding="utf-8"), encoding="utf-8")
    money = (ROOT / "tests" / "fixtures" / "money.yaml").read_text(encoding="utf-8")
    (folder / "money.yaml").write_text(money, encoding="utf-8")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(folder.parent.parent), "-c", "user.name=t", "-c",
                        "user.email=t@example.invalid", *args], check=True,
                       capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "v1")
    (folder / "money.yaml").write_text(money.replace("amount: 300000}", "amount: 330000}"),
                                       encoding="utf-8")
    out = tmp_path / "out"
    assert main(["redline", "HEAD", str(folder), "--output", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Talousarvio: Palvelujen ostot: 300\u00a0000,00\u00a0€ → " \
        "330\u00a0000,00\u00a0€, +30\u00a0000,00\u00a0€"
    assert sorted(p.name for p in (out / "testila").iterdir()) == [
        "muutokset_jarjestamissuunnitelma_fi.docx", "muutokset_jarjestamissuunnitelma_fi.pdf"]
    assert lines[-1] == f"wrote {out / 'testila' / 'muutokset_jarjestamissuunnitelma_fi.pdf'}"
    assert main(["redline", "no-such-revision", str(folder)]) == 2
    assert "git: fatal" in capsys.readouterr().err


def test_the_summary_as_json(redlined: tuple[Redlined, Path]) -> None:
    """`--format json` prints these records: kind, what (an id), old, new, delta, percent."""
    import dataclasses

    done, _ = redlined
    records = json.loads(json.dumps([dataclasses.asdict(c) for c in done.changes], default=str))
    assert records[1] == {"kind": "budget", "what": "avustukset", "old": "3298868",
                          "new": "3398868", "delta": "100000", "percent": None}
    assert records[3]["what"] == "porvoo" and records[3]["percent"] == "1.1"


def test_the_swedish_summary_names_in_swedish(redlined: tuple[Redlined, Path],
                                              versions: tuple[Path, Path]) -> None:
    from planbuilder.compose.composer import Composer
    from planbuilder.compose.summary import summary_rows
    from planbuilder.compose.tables import FIGURES, TABLES
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.load import load_plan

    done, _ = redlined
    old, new = (load_plan(p).plan for p in versions)
    c = Composer(new, "sv", TemplateSet.load(), None, new.area.date, TABLES, FIGURES)
    rows = summary_rows(c, old, done.changes)
    assert rows[0][:2] == ("Planens avsnitt", "De ekonomiska resurser och personalresurser som "
                           "reserveras för uppgifterna och hur resurserna ska riktas")
    assert rows[-1] == ("Avtalets paragraf", "Lösning av tvister", "", "ändrad", "")


def test_no_blank_page_no_lock_file_and_the_contents_list_has_pages(
        redlined: tuple[Redlined, Path]) -> None:
    """Issue 26: the summary's own page break and the cover's made a blank page 3; the DOCX
    contents list had no page numbers (nor the dot leaders that come with them); a lock
    file stayed beside the output folder."""
    done, out = redlined
    assert sorted(p.name for p in out.iterdir()) == ["porvoo"]
    for name in ("muutokset_jarjestamissuunnitelma_fi", "muutokset_yhteistoimintasopimus_fi"):
        for number, page in enumerate(pdf_pages((out / "porvoo" / f"{name}.pdf").read_bytes()),
                                      start=1):
            body = [line for line in page.splitlines() if line.strip()
                    and " · " not in line and not re.fullmatch(r"sivu \d+ / \d+", line)]
            assert body, f"{name}.pdf: page {number} is blank"
        xml = zipfile.ZipFile(out / "porvoo" / f"{name}.docx").read(
            "word/document.xml").decode()
        entries = re.findall(r'<w:p><w:pPr><w:pStyle w:val="TOC\d"/>.*?</w:p>', xml)
        assert len(entries) > 3
        pages = [re.search(r"<w:tab/></w:r>.*?PAGEREF (_Toc\d+) \\h.*?<w:t[^>]*>(\d+)</w:t>",
                           e) for e in entries]
        assert all(pages), f"{name}.docx: a contents entry without its page number"
        numbers = [int(m[2]) for m in pages if m]
        assert numbers == sorted(numbers) and numbers[0] >= 2
    assert audit({p.name: p.read_bytes() for p in done.files if p.suffix == ".docx"}) == {
        p.name: [] for p in done.files if p.suffix == ".docx"}


def test_redline_of_a_plan_at_the_repository_top_with_any_file_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 26: `HEAD:.` is no revision path, and `git ls-tree` without -z quotes a name
    with 'ä' so it was left out: a budget change reported "no changes"."""
    folder = tmp_path / "testilä"
    folder.mkdir()
    (folder / "plan.yaml").write_text((ROOT / "tests" / "fixtures" / "minimal" / "plan.yaml")
                                      .read_text(encoding="utf-8"), encoding="utf-8")
    money = (ROOT / "tests" / "fixtures" / "money.yaml").read_text(encoding="utf-8")
    named = folder / "talousarvio – ä.yaml"
    named.write_text(money, encoding="utf-8")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(folder), "-c", "user.name=t", "-c",
                        "user.email=t@example.invalid", *args], check=True,
                       capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "v1")
    named.write_text(money.replace("amount: 300000}", "amount: 330000}"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["redline", "HEAD", str(folder), "--output", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Talousarvio: Palvelujen ostot: 300\u00a0000,00\u00a0€ → " \
        "330\u00a0000,00\u00a0€, +30\u00a0000,00\u00a0€"
    assert sorted(p.name for p in out.iterdir()) == ["testilä"]
