"""`planbuilder review` of documents a real word processor edited (issue 26): LibreOffice
Writer, driven over UNO by tests/fixtures/lo/make_fixtures.py, edited the Porvoo agreement
planbuilder built and saved it as Word 2007-365 .docx. The suite reviews the saved files
and needs no LibreOffice. What the lawyer did (Track Changes on unless said):

- replaced "Porvoon kaupunki" by "Porvoo" (clause 2), deleted the last sentence of clause 3,
  inserted a sentence in clause 5, wrote **neuvottelemalla** with asterisks (clause 14);
- a comment over a range (clause 8) and a comment at a point (clause 9);
- pressed Enter inside clause 11's paragraph, deleted the whole text of clause 12;
- changed clause 13's title, and the generated sentence "Irtisanomisaika on 12 kuukautta";
- untracked: "Kukin kunta" -> "Jokainen kunta" (clause 4), in a document of its own;
- Swedish, tracked: "gällande" inserted in clause 5, in a document of its own;
- and one document only opened and saved."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from planbuilder.cli import main
from planbuilder.load import load_plan

LO = ROOT / "tests" / "fixtures" / "lo"


@pytest.fixture
def porvoo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "plans" / "porvoo", tmp_path / "plans" / "porvoo")
    return Path("plans/porvoo")


def _review(capsys: pytest.CaptureFixture[str], name: str, plan: Path, *extra: str
            ) -> tuple[int, list[str], str]:
    code = main(["review", str(LO / name), str(plan), *extra])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_the_fixtures_were_made_by_libreoffice() -> None:
    assert (LO / "versions.txt").read_text(encoding="utf-8").startswith("LibreOffice 7.")
    for name in ("agreement_fi_tracked", "agreement_fi_untracked", "agreement_sv_tracked",
                 "agreement_fi_unedited"):
        data = (LO / f"{name}.docx").read_bytes()
        assert b"docProps/app.xml" in data
        app = zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml")
        assert b"LibreOffice" in app


def test_opened_and_saved_unchanged_gives_nothing(porvoo: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _review(capsys, "agreement_fi_unedited.docx", porvoo)
    assert code == 0
    assert out == [f"{LO / 'agreement_fi_unedited.docx'}: no changes and no comments"]


def test_each_edit_comes_back_to_its_key(porvoo: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _review(capsys, "agreement_fi_tracked.docx", porvoo)
    assert code == 1  # an error: a whole text deleted
    text = "\n".join(out)
    assert ("plans/porvoo/agreement.yaml:29:9: info REVIEW-EDIT: '… muodostavat yhdessä "
            "työllisyysalueen, jossa Porvoon kaupunki toimii vastuukuntana. Sopimuksen "
            "tarkoituksena …' → '… muodostavat yhdessä työllisyysalueen, jossa Porvoo toimii "
            "vastuukuntana. Sopimuksen tarkoituksena …'") in out
    # a deletion at the end of a long paragraph shows what went, not two equal beginnings
    assert ("plans/porvoo/agreement.yaml:35:9: info REVIEW-EDIT: '… viranomaiselle kuuluvan "
            "toimivallan käyttämisestä. TE-jaosto ohjaa ja valvoo palvelujen järjestämistä ja "
            "seuraa taloutta.' → '… viranomaiselle kuuluvan toimivallan käyttämisestä.'") in out
    assert "Jaosto kokoontuu tarvittaessa." in text
    # the clause title is plan data: mapped to its key
    assert "plans/porvoo/agreement.yaml:83:15: info REVIEW-EDIT: 'Vahingonkorvausvastuu' → " \
        "'Vastuu vahingoista'" in out


def test_both_kinds_of_comment_are_reported(porvoo: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _review(capsys, "agreement_fi_tracked.docx", porvoo)
    comments = [line for line in out if "REVIEW-COMMENT" in line]
    assert comments == [
        "plans/porvoo/agreement.yaml:62:14: info REVIEW-COMMENT: Lakimies: Tarkista "
        "eläkevastuut. (at 'Valtiolta siirtyvä henkilöstö siirtyy Porvoon kaupungin pal…')",
        # a point comment: LibreOffice writes only w:commentReference
        "plans/porvoo/agreement.yaml:66:14: info REVIEW-COMMENT: Lakimies: Kuka on "
        "arkistonmuodostaja? (at 'Työllisyysalueen asiakirjat hallinnoidaan ja arkistoidaan "
        "P…')"]


def test_a_split_paragraph_loses_nothing(porvoo: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _review(capsys, "agreement_fi_tracked.docx", porvoo)
    split = [line for line in out if "REVIEW-SPLIT" in line]
    assert len(split) == 1
    assert split[0].startswith("plans/porvoo/agreement.yaml:75:9: warning REVIEW-SPLIT: the "
                               "paragraph was divided into 2: Porvoo perustaa taseyksikön")
    assert "| Investoinnit rahoitetaan samoilla periaatteilla" in split[0]  # the second half
    assert split[0].endswith("separate the paragraphs in the YAML with an empty line by hand")
    assert "Markdown" not in split[0]


def test_a_deleted_whole_text_is_an_error_never_empty(porvoo: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    code, out, _ = _review(capsys, "agreement_fi_tracked.docx", porvoo, "--apply")
    assert code == 1
    assert ("plans/porvoo/agreement.yaml:80:14: error REVIEW-EMPTIED: the whole text of "
            "agreement.clauses.11.text was deleted; not applied (an empty text is not a "
            "text): delete the text, or the clause, in the YAML by hand if that is meant"
            ) in out
    clause = load_plan(porvoo).plan.agreement.clauses[11]  # type: ignore[union-attr]
    assert clause.text is not None
    assert clause.text.fi.startswith("Sisäinen valvonta ja riskienhallinta järjestetään")
    assert "fi: ''" not in (porvoo / "agreement.yaml").read_text(encoding="utf-8")


def test_generated_sentence_names_its_key(porvoo: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _review(capsys, "agreement_fi_tracked.docx", porvoo)
    generated = [line for line in out if "REVIEW-UNMAPPED" in line]
    assert len(generated) == 1
    assert generated[0].startswith("plans/porvoo/agreement.yaml:19:33: warning "
                                   "REVIEW-UNMAPPED: a change to text planbuilder writes from "
                                   "the plan's data (a sentence or a table): '… voimaan "
                                   "1.1.2025. Irtisanomisaika on 12 kuukautta.")
    assert "change the value at agreement.validity.notice_months" in generated[0]


def test_apply_writes_the_edits_exactly_and_exits_1_for_what_is_left(
        porvoo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p.name: p.read_bytes() for p in porvoo.iterdir()}
    code, out, _ = _review(capsys, "agreement_fi_tracked.docx", porvoo, "--apply")
    assert code == 1  # the split, the deleted text and the generated sentence are left
    assert out[-1] == (f"{LO / 'agreement_fi_tracked.docx'}: 5 change(s) written, "
                       "2 comment(s), 3 left for you")
    after = {p.name: p.read_bytes() for p in porvoo.iterdir()}
    assert [n for n in before if before[n] != after[n]] == ["agreement.yaml"]
    old = before["agreement.yaml"].decode().splitlines()
    new = after["agreement.yaml"].decode().splitlines()
    changed = [i + 1 for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    assert changed == [29, 35, 47, 83, 88]  # those values' lines, nothing else
    assert "jossa Porvoo toimii vastuukuntana." in new[28]
    assert new[34].endswith("viranomaiselle kuuluvan toimivallan käyttämisestä.")
    assert new[82] == "      title: {fi: Vastuu vahingoista, sv: Skadeståndsansvar}"
    # the asterisks the lawyer typed are text, not bold, in the next build
    assert "ratkaisemaan \\*\\*neuvottelemalla\\*\\*." in new[87]
    assert main(["validate", str(porvoo)]) == 0


def test_untracked_edit_is_reported_and_applied(porvoo: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _review(capsys, "agreement_fi_untracked.docx", porvoo)
    assert code == 0
    assert out[0] == ("plans/porvoo/agreement.yaml:41:9: warning REVIEW-UNTRACKED: changed "
                      "with Track Changes off: '… on jokaisen sopijakunnan edustus. Kukin "
                      "kunta valitsee jäsenensä ja …' → '… on jokaisen sopijakunnan edustus. "
                      "Jokainen kunta valitsee jäsenensä ja …'; check the change, it is "
                      "applied like the tracked ones")
    code, out, _ = _review(capsys, "agreement_fi_untracked.docx", porvoo, "--apply")
    assert code == 0
    assert "Jokainen kunta valitsee" in (porvoo / "agreement.yaml").read_text(encoding="utf-8")


def test_swedish_edit_and_the_reminder_for_finnish(porvoo: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _review(capsys, "agreement_sv_tracked.docx", porvoo, "--apply")
    assert code == 0
    assert out[0] == ("plans/porvoo/agreement.yaml:48:9: info REVIEW-EDIT: '… "
                      "beslutsfattande iakttas Borgå stads förvaltningsstadga. Borgå ordnar "
                      "de …' → '… beslutsfattande iakttas Borgå stads gällande "
                      "förvaltningsstadga. Borgå ordnar de …'")
    assert out[1] == ("plans/porvoo/agreement.yaml:47:9: info REVIEW-OTHER-LANGUAGE: only "
                      "the Swedish text of agreement.clauses.4.text was changed; check that "
                      "the Finnish text still says the same")
    text = (porvoo / "agreement.yaml").read_text(encoding="utf-8")
    assert "iakttas Borgå stads gällande förvaltningsstadga." in text
    assert "noudatetaan Porvoon kaupungin hallintosääntöä. Porvoo" in text  # fi untouched


def test_summary_in_the_readers_language(porvoo: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--lang", "fi", "review", str(LO / "agreement_fi_tracked.docx"),
                 str(porvoo)])
    assert code == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{LO / 'agreement_fi_tracked.docx'}: kirjoitettavia muutoksia 5, kommentteja 2, "
        "sinulle jää 3")
    main(["--lang", "sv", "review", str(LO / "agreement_fi_unedited.docx"), str(porvoo)])
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{LO / 'agreement_fi_unedited.docx'}: inga ändringar och inga kommentarer")


def test_another_plans_document_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "plans" / "kuopio", tmp_path / "kuopio")
    before = {p.name: p.read_bytes() for p in (tmp_path / "kuopio").iterdir()}
    code = main(["review", str(LO / "agreement_fi_tracked.docx"), "kuopio", "--apply"])
    assert code == 2
    captured = capsys.readouterr()
    assert "REVIEW-" not in captured.out  # no findings at Kuopio's lines
    assert "was made from the plan of 'Porvoon työllisyysalue', not " in captured.err
    assert {p.name: p.read_bytes() for p in (tmp_path / "kuopio").iterdir()} == before


def test_the_fixture_script_is_runnable_python() -> None:
    """The script that made the fixtures stays in the repository, compilable."""
    script = LO / "make_fixtures.py"
    code = compile(script.read_text(encoding="utf-8"), str(script), "exec")
    assert "_lawyer_fi" in code.co_names or "_lawyer_fi" in script.read_text(encoding="utf-8")
