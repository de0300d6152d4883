"""`planbuilder import agreement`: an agreement in Word becomes the plan's agreement and its
agreement in force; every paragraph is imported or reported with its place."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from planbuilder.amendment import amendment
from planbuilder.cli import main
from planbuilder.compose import compose_agreement
from planbuilder.compose.templates import TemplateSet
from planbuilder.importing import import_agreement, read_agreement, recognise
from planbuilder.load import load_plan
from planbuilder.load.docxread import read_items
from planbuilder.money import compute
from planbuilder.render.docx import render_docx
from planbuilder.render.style import load_style

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "import"


def _clauses(plan_folder: Path, key: str = "agreement") -> list[tuple[str, str, str, str | None,
                                                                      str | None, str | None]]:
    plan = load_plan(plan_folder).plan
    holder = getattr(plan, key)
    return [(c.id, c.kind, c.title.fi, c.title.sv, c.text.fi if c.text else None,
             c.text.sv if c.text else None) for c in holder.clauses]


def _copy(src: Path, tmp_path: Path) -> Path:
    """A copy of an example plan without an agreement of its own (Järvilaakso's agreement
    and the agreement in force are left out: the import writes them)."""
    target = tmp_path / "plan"
    shutil.copytree(src, target, ignore=shutil.ignore_patterns("agreement*.yaml")
                    if src.name == "jarvilaakso" else None)
    return target


def test_porvoo_saved_by_libreoffice_imports_back_to_its_clauses(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The Finnish agreement planbuilder built from porvoo_plan/, saved by LibreOffice
    Writer, imports back to the same clauses: numbers (order), ids, kinds, titles, texts; the
    text the plan writes itself (parties list, seats table, cost-sharing tables, validity
    sentence, signature table) is recognised and not imported as clause text."""
    plan = _copy(FIXTURES / "porvoo_plan", tmp_path)
    before = _clauses(plan)
    code = main(["--lang", "en", "import", "agreement", str(FIXTURES / "porvoo_fi_lo.docx"),
                 str(plan), "--force"])
    out = capsys.readouterr().out
    assert code == 0, out
    after = _clauses(plan)
    assert [c[:3] + c[4:5] for c in after] == [c[:3] + c[4:5] for c in before]
    assert [c[:3] + c[4:5] for c in _clauses(plan, "agreement_in_force")] == \
        [c[:3] + c[4:5] for c in before]
    assert "1 § Sopijaosapuolet → parties (sure: a customary heading) [paragraph 28]" in out
    assert "22 § Allekirjoitukset → signatures (sure: a customary heading)" in out
    assert "paragraphs 5–27: the table of contents, not imported" in out
    assert "paragraph 1: before the first clause, not imported: 'LUONNOS'" in out
    assert ("  table at paragraph 44 (4 §): written by the plan from its data, not imported "
            "as text: 'Valitsija | Jäseniä | Varajäseniä | Tehtävät") in out
    assert ("validity as the text states it: starts 2025-01-01, notice period 12 months, "
            "earliest end 2027-12-31") in out
    loaded = load_plan(plan).plan
    found = amendment(loaded)
    assert found is not None and not found.any  # the draft is the agreement in force
    assert loaded.agreement_in_force is not None
    assert loaded.agreement_in_force.model == "porvoo_45_45_10"
    assert loaded.agreement_in_force.date == dt.date(2023, 5, 31)
    assert (plan / "agreement_in_force.yaml").read_text(encoding="utf-8").startswith(
        "# Imported from porvoo_fi_lo.docx")
    # the other top-level key of agreement.yaml keeps its bytes
    old = (FIXTURES / "porvoo_plan" / "agreement.yaml").read_text(encoding="utf-8")
    new = (plan / "agreement.yaml").read_text(encoding="utf-8")
    assert new[new.index("\ndecision:"):] == old[old.index("\ndecision:"):]


def test_the_current_porvoo_agreement_imports_back_in_both_languages() -> None:
    """Built fresh from plans/porvoo (as the agreement reads today), both languages."""
    loaded = load_plan(ROOT / "plans" / "porvoo").plan
    templates = TemplateSet.load()
    style = load_style(templates.folder)
    money = compute(loaded)
    docs = {lang: render_docx(compose_agreement(loaded, lang, templates, money,
                                                loaded.area.date), style)
            for lang in ("fi", "sv")}
    imported = import_agreement(read_items(docs["fi"]), read_items(docs["sv"]), loaded)
    assert loaded.agreement is not None
    expected = [{"id": c.id, "kind": c.kind, "title": c.title.model_dump(),
                 "text": c.text.model_dump() if c.text else None}
                for c in loaded.agreement.clauses]
    got = [{"id": c["id"], "kind": c["kind"], "title": c["title"], "text": c.get("text")}
           for c in imported.agreement["clauses"]]
    assert got == expected
    assert imported.parties == [m.id for m in loaded.members]


def test_an_agreement_of_another_shape_accounts_for_every_paragraph(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Written in LibreOffice: clauses as numbered paragraphs, a bullet and a numbered
    list, emphasis, a table, a Swedish version; into a plan that has no agreement yet."""
    fi_items = read_items((FIXTURES / "other_fi_lo.docx").read_bytes())
    sv_items = read_items((FIXTURES / "other_sv_lo.docx").read_bytes())
    for items, lang in ((fi_items, "fi"), (sv_items, "sv")):
        read = read_agreement(items, lang)  # type: ignore[arg-type]
        accounted = {read.title_place, *(i.place for i in read.front),
                     *(i.place for i in read.toc), *(c.place for c in read.clauses),
                     *(i.place for c in read.clauses for i in (*c.items, *c.generated))}
        assert {i.place for i in items if i.text or i.kind == "table"} == accounted
        assert read.empty == sum(1 for i in items if i.kind == "paragraph" and not i.text)
    plan = _copy(ROOT / "plans" / "jarvilaakso", tmp_path)
    code = main(["--lang", "en", "import", "agreement", str(FIXTURES / "other_fi_lo.docx"),
                 str(plan), "--sv", str(FIXTURES / "other_sv_lo.docx")])
    out = capsys.readouterr()
    assert code == 1  # written, but the plan lacks what the document does not say
    assert "the document does not give agreement.seats: fill it in agreement.yaml" in out.out
    assert "paragraph 3: before the first clause, not imported: 'Tällä sopimuksella" in out.out
    assert ("6 § Sopimuksen voimaantulo ja irtisanominen → validity (uncertain: "
            "'voimaantul'; could also be withdrawal)") in out.out
    assert "7 § Muut ehdot → other (not recognised: kind 'other', choose the kind)" in out.out
    assert "2 empty paragraph(s) skipped" in out.out
    data = yaml.safe_load((plan / "agreement.yaml").read_text(encoding="utf-8"))["agreement"]
    assert data["date"] == dt.date(2024, 6, 14)
    assert data["validity"] == {"start": dt.date(2025, 1, 1), "notice_months": 12,
                                "earliest_termination": dt.date(2027, 12, 31)}
    clauses = {c["id"]: c for c in data["clauses"]}
    assert [c["kind"] for c in data["clauses"]] == [
        "parties", "background", "tasks", "composition", "finances", "validity", "other",
        "signatures"]
    assert clauses["sopimuksen-tarkoitus"]["text"]["fi"] == (
        "Sopimuksen tarkoituksena on järjestää julkiset työvoimapalvelut **yhdenvertaisesti** "
        "koko alueella.")
    assert clauses["toimielimen-tehtavat"]["text"]["fi"] == (
        "Yhteinen toimielin vastaa erityisesti seuraavista tehtävistä:\n\n"
        "- työnhakijoiden palvelujen järjestäminen;\n"
        "- työnantajapalvelut ja *osaamisen kehittäminen*;\n"
        "- palvelujen seuranta ja raportointi.")
    finances = clauses["talous-ja-kustannustenjako"]["text"]
    assert finances["fi"] == (
        "Kustannukset jaetaan seuraavin perustein:\n\n"
        "| Jakoperuste | Paino |\n| --- | --- |\n| Asukasluku | 50 % |\n"
        "| Työttömät työnhakijat | 50 % |\n\n"
        "Maksuosuudet maksetaan seuraavasti:\n\n"
        "1. ennakot maksetaan kuukausittain;\n"
        "2. vuoden kustannukset tasataan seuraavan vuoden maaliskuussa.")
    assert finances["sv"].startswith("Kostnaderna fördelas enligt följande grunder:\n\n"
                                     "| Fördelningsgrund | Vikt |")
    assert clauses["sopijapuolet"]["title"] == {"fi": "Sopijapuolet", "sv": "Avtalsparter"}
    in_force = yaml.safe_load((plan / "agreement_in_force.yaml").read_text(
        encoding="utf-8"))["agreement_in_force"]
    assert in_force["clauses"] == data["clauses"]
    assert in_force["decisions"] == []


def test_an_existing_agreement_is_not_replaced_without_force(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _copy(FIXTURES / "porvoo_plan", tmp_path)
    before = {f.name: f.read_bytes() for f in plan.iterdir()}
    code = main(["--lang", "en", "import", "agreement", str(FIXTURES / "porvoo_fi_lo.docx"),
                 str(plan)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{plan / 'agreement.yaml'} already has 'agreement:'; nothing written" in err
    assert {f.name: f.read_bytes() for f in plan.iterdir()} == before


def test_a_failed_write_leaves_nothing_half_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """agreement_in_force.yaml is new, agreement.yaml replaced: when replacing fails, the new
    file is removed again and the old one keeps its bytes."""
    import planbuilder.render.output as output

    plan = _copy(FIXTURES / "porvoo_plan", tmp_path)
    before = {f.name: f.read_bytes() for f in plan.iterdir()}

    def refuse(files: dict[Path, bytes]) -> None:
        raise OSError(28, "No space left on device", str(next(iter(files))))

    monkeypatch.setattr(output, "replace_together", refuse)
    code = main(["--lang", "en", "import", "agreement", str(FIXTURES / "porvoo_fi_lo.docx"),
                 str(plan), "--force"])
    assert code == 2
    assert "No space left on device" in capsys.readouterr().err
    assert {f.name: f.read_bytes() for f in plan.iterdir()} == before


def test_not_a_word_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "sopimus.docx"
    bad.write_text("not a document", encoding="utf-8")
    plan = _copy(ROOT / "plans" / "jarvilaakso", tmp_path)
    assert main(["--lang", "en", "import", "agreement", str(bad), str(plan)]) == 2
    assert f"{bad} is not a Word document (.docx)" in capsys.readouterr().err
    assert not (plan / "agreement.yaml").exists()


@pytest.mark.parametrize(("heading", "lang", "kind", "certainty"), [
    ("Sopijaosapuolet", "fi", "parties", "sure"),
    ("Otto-oikeus", "fi", "takeover_right", "sure"),
    ("Rätt att överta ärenden", "sv", "takeover_right", "sure"),
    ("Kuntien maksuosuudet", "fi", "finances", "likely"),
    ("Tvister mellan parterna", "sv", "disputes", "uncertain"),
    ("Sekalaiset määräykset", "fi", "other", "unknown"),
])
def test_clause_kinds_from_customary_headings(heading: str, lang: str, kind: str,
                                              certainty: str) -> None:
    found = recognise(heading, lang)  # type: ignore[arg-type]
    assert (found.kind, found.certainty) == (kind, certainty)


def test_a_member_the_parties_clause_does_not_name_is_reported() -> None:
    plan = load_plan(FIXTURES / "porvoo_plan").plan
    extra = plan.members[1].model_copy(update={
        "id": "pornainen", "code": "611", "formal_name": None,
        "name": plan.members[1].name.model_copy(update={"fi": "Pornainen", "sv": "Borgnäs"})})
    plan = plan.model_copy(update={"members": [*plan.members, extra]})
    imported = import_agreement(read_items((FIXTURES / "porvoo_fi_lo.docx").read_bytes()),
                                None, plan, generated=lambda p, lang: None)
    assert imported.parties == ["porvoo", "askola", "lapinjarvi", "loviisa", "myrskyla",
                                "pukkila", "sipoo"]
    assert imported.unnamed == ["pornainen"]
    from planbuilder.importing import report
    said = [m.text("en") for m in report(imported, {"fi": "sopimus.docx"})]
    assert ("the parties clause does not name these members of the plan: pornainen; check "
            "the members or the agreement") in said
