"""What users see: exact CLI output and exit codes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from planbuilder.cli import COMMANDS, _parser, main

Writer = Callable[..., Path]
# The minimal test plan has two members and no agreement: validate reminds of one.
REMINDER = ("plan/plan.yaml:3:1: info L380-15-1: the area has several member municipalities "
            "but no agreement on a joint body: add one (kuntalaki 51–52 §); it goes to TEM with "
            "the organising plan [380/2023 15 § 1 mom.]\n")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_clean_plan_exits_0(write_plan: Writer,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    write_plan()
    assert run(capsys, "validate", "plan") == (
        0, REMINDER + "plan: 0 errors, 0 warnings\n", "")


def test_validate_errors_exit_1_with_located_lines(write_plan: Writer,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    write_plan(replace=("  host: testila", "  host: testla"))
    code, out, _ = run(capsys, "validate", "plan")
    assert code == 1
    assert out.splitlines() == [
        REMINDER.rstrip("\n"),
        "plan/plan.yaml:5:3: error PB-REF: host 'testla' is not a member id (testila, naapuri)",
        "plan: 1 error, 0 warnings",
    ]


def test_validate_warnings_only_exit_0(write_plan: Writer,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    write_plan(replace=("{value: 12000, date: 2023-12-31, source: Tilastokeskus}",
                        "{value: 12000, date: 2023-12-31}"))
    code, out, _ = run(capsys, "validate", "plan")
    assert code == 0
    assert "warning PB-STAT-SOURCE: Naapuri: statistic 'population' has no source" in out


def test_validate_missing_path_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "validate", "nowhere") == (
        2, "nowhere:1:1: error LOAD-IO: no such file or folder\n"
        "nowhere: 1 error, 0 warnings\n", "")


def test_validate_json_for_ci(write_plan: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    write_plan(replace=("kind: staffed", "kind: stafed"))
    code, out, _ = run(capsys, "validate", "plan", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["errors"] == 1 and data["warnings"] == 0
    finding = data["plans"][0]["findings"][0]
    assert finding["rule"] == "SCHEMA-TYPE"
    assert (finding["file"], finding["line"], finding["column"]) == ("plan/plan.yaml", 49, 59)
    assert finding["path"] == "sections.offices.offices.0.kind"


def test_validate_folder_of_plans(write_plan: Writer, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    write_plan()
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 0
    assert out.endswith("plan: 0 errors, 0 warnings\n")


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate", "--format", "xml"])
    assert info.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_rules_lists_ids_citations_and_severity(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert "L380-15-4-3            error    380/2023 15 § 4 mom. 3 k." in out
    assert "KL-51                  info     410/2015 51 § 2 mom." in out
    data = json.loads(run(capsys, "rules", "--format", "json")[1])
    by_id = {r["id"]: r for r in data}
    assert by_id["L380-12-1"]["citation"] == "380/2023 12 § 1–2 mom.; 383/2023 4 § 1 mom."
    assert by_id["PB-STAT-SOURCE"]["severity"] == "warning"


def test_schema_describes_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    host = schema["$defs"]["Area"]["properties"]["host"]
    assert "host municipality" in host["description"]


def test_every_command_has_help() -> None:
    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert isinstance(sub.choices, dict)
    for name, subparser in sub.choices.items():
        assert name in COMMANDS
        assert subparser.description, name
        for action in subparser._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest}"


def test_committed_schema_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    """plan.schema.json (for editors' YAML completion) must match the model; regenerate with
    `planbuilder schema --output plan.schema.json`."""
    root = Path(__file__).resolve().parent.parent
    assert run(capsys, "schema")[1] == (root / "plan.schema.json").read_text(encoding="utf-8")


def test_verbose_logs_stage_timings_quiet_prints_only_problems(
        write_plan: Writer, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write_plan()
    code, out, err = run(capsys, "-v", "validate", "plan")
    assert code == 0 and out == REMINDER + "plan: 0 errors, 0 warnings\n"
    assert re.search(r"^planbuilder: load +\d+\.\d{3} s  plan$", err, re.MULTILINE), err
    assert re.search(r"^planbuilder: check +\d+\.\d{3} s  plan$", err, re.MULTILINE), err
    code, out, err = run(capsys, "validate", "plan")
    assert err == ""
    code, out, err = run(capsys, "-q", "init-templates", str(tmp_path / "mine"))
    assert (code, out, err) == (0, "", "")
    assert (tmp_path / "mine" / "i18n" / "sv.yaml").is_file()
    code, out, err = run(capsys, "init-templates", str(tmp_path / "mine"))
    assert code == 2 and "exists and is not an empty folder" in err


# What `new` writes as a sample for the preparer to write over (each a PB-FILL finding
# until written over), beside the prompts for prose.
SAMPLES = ("Uusi työllisyysalue", "Kunta 1", "Kunta 2", "Asiakaspalvelu", "Työnvälitys",
           "Nuoret", "Keskusta", "Hyvinvointialue", "Monialainen yhteispalvelu",
           "Kansainvälinen rekrytointi", "Rekrytointitapahtumat", "Seudullinen työnvälitys",
           "Muutosturvan toimintamalli")


def test_new_writes_a_plan_to_fill_in(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "alue"
    code, out, _ = run(capsys, "new", str(target))
    assert code == 0 and f"wrote {target / 'sections.yaml'}" in out
    assert sorted(p.name for p in target.iterdir()) == [
        "agreement.yaml", "area.yaml", "decision.yaml", "members.yaml", "money.yaml",
        "sections.yaml"]
    code, out, _ = run(capsys, "validate", str(target))
    assert code == 1  # a skeleton: every finding points at a line to fill
    rules = sorted({line.split(": ")[1].split(" ")[1] for line in out.splitlines()
                    if ": error " in line or ": warning " in line})
    assert rules == ["L380-12-1", "PB-AGR-HEADINGS", "PB-BUDGET", "PB-COST-STAT", "PB-FILL"]
    fills = [line for line in out.splitlines() if " PB-FILL: " in line]
    # six sections, the area's two texts, three clauses, the decision's two (its court comes
    # from the members' municipalities); the samples; two members' population and labour
    # force and the staff line's htv left at 0
    assert len(fills) == 11 + 2 + len(SAMPLES) + 5
    for sample in SAMPLES:
        assert sum(line.endswith(f"planbuilder new: 'TÄYTÄ: {sample}'") for line in fills) \
            == 1, sample
    assert f"{target}/sections.yaml:32:10: error PB-FILL: write this text; it is still the " \
        "prompt of planbuilder new: 'TÄYTÄ: Muutosturvan toimintamalli'" in fills
    assert f"{target}/sections.yaml:9:45: error PB-FILL: give the person-years (htv) of " \
        "'TÄYTÄ: Asiakaspalvelu': they are still 0, as planbuilder new wrote them" in fills
    assert [line.split(": error")[0] for line in fills if "is still 0" in line] == [
        f"{target}/members.yaml:{n}" for n in ("11:22", "12:20", "18:22", "19:20")]
    assert f"{target}/money.yaml:9:7: error PB-BUDGET: line 'palvelut' needs an amount" in out
    # the lines to edit: the zero labour forces, the approvals, the members' statistics
    assert f"{target}/members.yaml:11:22: error L380-12-1: committed members' labour force " \
        "is 0, below 20 000" in out
    assert "; the labour force of TÄYTÄ: Kunta 1, TÄYTÄ: Kunta 2 is still 0: give it" in out
    assert re.search(rf"^{re.escape(str(target))}/agreement.yaml:14:3: info L380-15-1: .*"
                     r"record each approval under agreement.approvals", out, re.M), out
    assert "cannot share by it: give it under members[].statistics.population for " \
        "TÄYTÄ: Kunta 1, TÄYTÄ: Kunta 2" in out
    assert run(capsys, "new", str(target))[0] == 2  # never over an existing plan


def fill_in(folder: Path) -> None:
    """Write over everything `new` asks for: the samples with a name of one's own, the
    prompts for prose with prose, the zeros and the missing amounts with figures."""
    prose = ("Jäsenkunnat järjestävät työvoimapalvelut yhdessä, ja vastuukunta huolehtii "
             "palveluista koko alueella asiakkaiden tarpeiden mukaan sovitulla tavalla "
             "yhteisen toimielimen ohjauksessa.")
    for file in folder.iterdir():
        text = re.sub(r'"(?:TÄYTÄ|FYLL I): ([^"]{1,40})"', r'"Oma \1"',
                      file.read_text(encoding="utf-8"))
        text = re.sub(r'"(?:TÄYTÄ|FYLL I): [^"]*"', f'"{prose}"', text)
        text = text.replace("labour_force: {value: 0,", "labour_force: {value: 12000,")
        text = text.replace("population: {value: 0,", "population: {value: 25000,")
        text = text.replace("htv: 0,", "htv: 20,")
        # the example's own municipalities are in no list: their court is written
        text = text.replace("  # appeal_court:", "  appeal_court:")
        text = text.replace("label: Henkilöstö}", "label: Henkilöstö, htv: 20, "
                            "cost_per_htv: 64500}")
        text = text.replace("label: Ostopalvelut}", "label: Ostopalvelut, amount: 350000}")
        file.write_text(text, encoding="utf-8")


def test_a_filled_in_skeleton_validates_and_builds(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """What `validate` points at in a new plan is all a preparer must fill: with the prompts
    and the samples written over, the statistics and the amounts given, the plan has no
    errors and builds, decision proposals included."""
    target = tmp_path / "alue"
    assert run(capsys, "new", str(target))[0] == 0
    fill_in(target)
    code, out, _ = run(capsys, "validate", str(target))
    assert code == 0, out
    assert " PB-FILL: " not in out
    # PB-AGR-HEADINGS, and KL-52-1: the one prose written everywhere says nothing of the
    # transfer of the duty to organise that the tasks clause's prompt asks for
    assert out.splitlines()[-1] == f"{target}: 0 errors, 2 warnings"
    assert " warning KL-52-1: clause 'tehtavat' says nothing of the duty to organise" in out
    code, out, err = run(capsys, "build", str(target), "--lang", "fi",
                         "--output", str(tmp_path / "output"))
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "output" / "alue").glob("*.pdf")) == [
        "jarjestamissuunnitelma_fi.pdf", "paatosesitys_kunta1_fi.pdf",
        "paatosesitys_kunta2_fi.pdf", "tarkistusraportti_fi.pdf",
        "yhteistoimintasopimus_fi.pdf"]


# -- the reader's language ---------------------------------------------------------------------

def test_help_and_argparse_words_in_the_chosen_language(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "sv", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("användning: planbuilder [-h]")
    assert "kommandon:" in out and "visa den här hjälpen och avsluta" in out
    assert "  validate         granska planer mot den lagstadgade checklistan" in out
    with pytest.raises(SystemExit):
        main(["--lang", "fi", "build", "--jobs", "0"])
    assert capsys.readouterr().err.splitlines()[-1] == (
        "planbuilder build: virhe: argumentti --jobs/-j: odotettiin rinnakkaisten töiden "
        "määrää 1–64, saatiin '0'")


def test_messages_follow_planbuilder_lang_then_the_locale(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLANBUILDER_LANG", "sv")
    assert run(capsys, "validate", "nowhere")[1].splitlines()[-1] == "nowhere: 1 fel, 0 varningar"
    for var in ("PLANBUILDER_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    code, out, _ = run(capsys, "validate", "nowhere")
    assert code == 2
    assert out.startswith("nowhere:1:1: virhe LOAD-IO: ")
    assert out.splitlines()[-1] == "nowhere: 1 virhe, 0 varoitusta"
    # --lang before the command wins over both; a command's own --lang is its documents'
    assert run(capsys, "--lang", "en", "validate", "nowhere")[1].splitlines()[-1] == \
        "nowhere: 1 error, 0 warnings"
    code, _, err = run(capsys, "build", "--lang", "sv", "nowhere")
    assert code == 2 and "nowhere:1:1: virhe LOAD-IO: " in err


def test_an_unknown_message_language_is_refused(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANBUILDER_LANG", "de")
    assert run(capsys, "rules") == (
        2, "", "planbuilder: unknown language 'de' (fi, sv or en)\n")


def test_explain_speaks_finnish_with_the_plan_own_names(
        capsys: pytest.CaptureFixture[str]) -> None:
    plans = Path(__file__).resolve().parent.parent / "plans"
    code, out, _ = run(capsys, "--lang", "fi", "explain", str(plans / "porvoo"), "askola")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "Askola: maksuosuus, Porvoon työllisyysalue 2025"
    assert lines[1] == ("Jaettava summa: 10 162 216 € (nettomenot 10 162 216 € vähennettynä suorilla "
                        "kustannuksilla 0 €)")
    assert "- 18–64-vuotiaat, paino 45 %: 2 790/56 840 = 4,9085 % -> 224 466,2595 €  [" \
        in out
    assert "Kuukausiennakot: tammikuu 36 287 € *, helmikuu–joulukuu 36 286 € *" in lines
    code, out, _ = run(capsys, "--lang", "sv", "budget", str(plans / "porvoo"))
    assert out.splitlines()[0] == "Borgå sysselsättningsområde: budget 2025"
    assert re.search(r"^avustukset +Bidrag och tjänster +Bidrag och tjänster +3 298 868 €$",
                     out, re.M)
    assert re.search(r"^medlemskommun +fördelas +direkta +totalt +förskott 1 +förskott 12$",
                     out, re.M)


def test_rules_in_swedish_quote_the_swedish_statute(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "sv", "-v", "rules")
    assert code == 0
    assert run(capsys, "--lang", "sv", "rules", "-v") == (0, out, "")  # either place
    assert "KL-51                  observation 410/2015 51 § 2 mom.\n" \
        "    Hur varje medlemskommun deltar i det gemensamma organet. " in out
    assert '410/2015 51 § 2 mom (Kommunallag): "Kommunerna kan komma överens om att en del ' \
        'av ledamöterna i det gemensamma organet utses av de andra kommunerna."' in out


@pytest.mark.parametrize("case", ["long_name", "dangling_link", "parent_is_a_file"])
def test_new_says_why_it_cannot_make_the_folder(case: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 26: these exited 3, "a bug in planbuilder"; they are the machine's refusals,
    exit 2 with the path."""
    if case == "long_name":
        target = tmp_path / ("ä" * 200)  # 400 bytes: over the 255 a name may have
    elif case == "dangling_link":
        target = tmp_path / "link"
        target.symlink_to(tmp_path / "nowhere")
    else:
        (tmp_path / "file").write_text("x", encoding="utf-8")
        target = tmp_path / "file" / "plan"
    assert main(["new", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"planbuilder: {tmp_path}")
    assert "internal" not in err and "Traceback" not in err
    assert any(reason in err for reason in ("File name too long", "File exists",
                                            "Not a directory"))
