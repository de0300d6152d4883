"""`planbuilder stats update`: the members' statistics from StatFin (recorded answers here;
the tests never reach the network), old → new and the effect on each share printed first,
then written with date and source into the YAML, comments and layout kept."""

from __future__ import annotations

import json
import re
import shutil
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from planbuilder.cli import main
from planbuilder.load import load_plan
from planbuilder.statfin import fetch, specs

ROOT = Path(__file__).resolve().parents[1]
STATFIN = ROOT / "tests" / "fixtures" / "statfin"
FILES = ["statfin_vaerak_pxt_11ra.json", "statfin_vaerak_pxt_11re.json",
         "statfin_vaerak_pxt_11rl.json"]
EPOCH = "1764633600"  # 2.12.2025


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a test reached for the network")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _porvoo(tmp_path: Path) -> Path:
    target = tmp_path / "porvoo"
    shutil.copytree(ROOT / "plans" / "porvoo", target)
    return target


def _froms(files: list[Path | str]) -> list[str]:
    return [a for f in files for a in ("--from", str(f))]


def test_update_prints_the_effect_a_following_budget_shows(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _porvoo(tmp_path)
    original = (plan / "members.yaml").read_text(encoding="utf-8")
    code = main(["--lang", "en", "stats", "update", str(plan),
                 *_froms([STATFIN / f for f in FILES])])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Porvoo:\n  population_18_64: 29 700 → 29 912 (2024-12-31)\n" in out
    assert "  foreign_language: 4 300 → 4 470 (2024-12-31)\n" in out
    assert ("not taken from StatFin here: unemployed_and_in_services, labour_force") in out
    effects: dict[str, str] = {}
    member = ""
    for line in out.splitlines():
        if not line.startswith(" ") and line.endswith(":"):
            member = line[:-1]
        elif line.startswith("  share 2025: "):
            shares = line.removeprefix("  share 2025: ").split(" (")[0]
            effects[member] = shares.split(" → ")[1].removesuffix(" *")
    assert set(effects) == {"Porvoo", "Askola", "Lapinjärvi", "Loviisa", "Myrskylä",
                            "Pukkila", "Sipoo"}
    assert effects["Porvoo"] == "5 623 040 €"
    assert main(["--lang", "en", "budget", str(plan)]) == 0
    budget = capsys.readouterr().out
    shown = {}
    for line in budget.split("Comparison")[0].splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if cells and cells[0] in effects:
            shown[cells[0]] = cells[3].removesuffix(" *")
    assert shown == effects
    # written with date and source, the illustrative mark gone; the comments kept
    text = (plan / "members.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[:3] == original.splitlines()[:3]
    updated = load_plan(plan).plan
    s = updated.members[0].statistics["population_18_64"]
    assert (s.value, str(s.date), s.illustrative) == (Decimal(29912), "2024-12-31", False)
    assert s.source is not None and s.source.fi == (
        "Tilastokeskus, StatFin-taulukko 11re: Väestö iän (1-v.) ja sukupuolen mukaan "
        "alueittain, 1972-2024 (https://pxdata.stat.fi/PxWeb/api/v1/fi/StatFin/vaerak/"
        "statfin_vaerak_pxt_11re.px, haettu 2.12.2025)")
    assert s.source.sv is not None and s.source.sv.startswith(
        "Statistikcentralen, StatFin-tabell 11re:")
    # the statistics not fetched keep their bytes
    line = next(li for li in original.splitlines() if "unemployed_and_in_services" in li)
    assert line in text


def _edited(tmp_path: Path, name: str, change: Any) -> Path:
    data = json.loads((STATFIN / name).read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _without_sipoo(data: dict[str, Any]) -> None:
    area = data["dimension"]["Alue"]["category"]
    del area["index"]["KU753"], area["label"]["KU753"]
    data["size"][0] -= 1
    data["value"] = data["value"][:-1]  # Alue is the first dimension, Sipoo its last code


def _year_2023(data: dict[str, Any]) -> None:
    year = data["dimension"]["Vuosi"]["category"]
    year["index"], year["label"] = {"2023": 0}, {"2023": "2023"}


def _another_dimension(data: dict[str, Any]) -> None:
    data["id"].insert(1, "Sukupuoli")
    data["size"].insert(1, 1)
    data["dimension"]["Sukupuoli"] = {"label": "Sukupuoli", "category": {
        "index": {"SSS": 0}, "label": {"SSS": "Yhteensä"}}}


@pytest.mark.parametrize(("change", "said"), [
    (_without_sipoo, "table 11ra has no municipality 753 (member sipoo); nothing written"),
    (_year_2023, "table 11ra has no figures for 2024 yet; nothing written"),
    (_another_dimension, "table 11ra has the dimensions Alue, Sukupuoli, Tiedot, Vuosi, not "
                         "Alue, Tiedot, Vuosi: the table has changed"),
])
def test_a_table_that_does_not_fit_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, said: str) -> None:
    plan = _porvoo(tmp_path)
    before = {f.name: f.read_bytes() for f in plan.iterdir()}
    broken = _edited(tmp_path, FILES[0], change)
    code = main(["--lang", "en", "stats", "update", str(plan),
                 *_froms([broken, *(STATFIN / f for f in FILES[1:])])])
    assert code == 2
    assert said in capsys.readouterr().err
    assert {f.name: f.read_bytes() for f in plan.iterdir()} == before


def test_a_network_failure_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    asked: list[str] = []

    def offline(request: urllib.request.Request, timeout: float = 0) -> Any:
        asked.append(request.full_url)
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    plan = _porvoo(tmp_path)
    before = (plan / "members.yaml").read_bytes()
    assert main(["--lang", "en", "stats", "update", str(plan)]) == 2
    err = capsys.readouterr().err
    assert ("https://pxdata.stat.fi/PxWeb/api/v1/fi/StatFin/vaerak/statfin_vaerak_pxt_11re.px:"
            " StatFin cannot be reached (Name or service not known); nothing written") in err
    assert asked[0].endswith("statfin_vaerak_pxt_11re.px")
    assert (plan / "members.yaml").read_bytes() == before


def test_the_query_asks_for_the_members_and_the_reference_year() -> None:
    """What is POSTed to PxWeb: the members' area codes, the year, the summed categories;
    the answer (a recorded one) is read like a saved file."""
    sent: list[dict[str, Any]] = []

    class Answer:
        def __enter__(self) -> Answer:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def read(self, limit: int) -> bytes:
            return (STATFIN / FILES[1]).read_bytes()

    def opener(request: urllib.request.Request, timeout: float) -> Answer:
        assert isinstance(request.data, bytes)
        sent.append(json.loads(request.data))
        return Answer()

    spec = specs()["population_18_64"]
    found = fetch(spec, ["638", "018"], ["2024"], opener)
    query = {q["code"]: q["selection"]["values"] for q in sent[0]["query"]}
    assert query["Alue"] == ["KU638", "KU018"]
    assert query["Vuosi"] == ["2024"]
    assert query["Ikä"][0] == "018" and query["Ikä"][-1] == "064" and len(query["Ikä"]) == 47
    assert sent[0]["response"] == {"format": "json-stat2"}
    assert found.table == "11re"


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _porvoo(tmp_path)
    before = (plan / "members.yaml").read_bytes()
    assert main(["--lang", "en", "stats", "update", str(plan), "--dry-run",
                 *_froms([STATFIN / FILES[0]])]) == 0
    out = capsys.readouterr().out
    assert "  population: 51 700 → 52 010 (2024-12-31)" in out
    assert "nothing written (--dry-run)" in out
    assert (plan / "members.yaml").read_bytes() == before


def test_a_csv_saved_from_statfin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """PxWeb's CSV: the area and a column per year."""
    plan = _porvoo(tmp_path)
    csv_file = tmp_path / "statfin_vaerak_pxt_11ra.csv"
    csv_file.write_text('"Tunnuslukuja väestöstä alueittain"\n'
                        '"Alue","2024 Väkiluku"\n"KU638 Porvoo",52010\n"Askola",4851\n'
                        '"407 Lapinjärvi",2531\n"Loviisa",14389\n"Myrskylä",1790\n'
                        '"Pukkila",1890\n"Sipoo",22390\n', encoding="utf-8")
    assert main(["--lang", "en", "stats", "update", str(plan), *_froms([csv_file])]) == 0
    assert "  population: 2 550 → 2 531 (2024-12-31)" in capsys.readouterr().out
    data = yaml.safe_load((plan / "members.yaml").read_text(encoding="utf-8"))
    assert data["members"][1]["statistics"]["population"]["value"] == 4851


def test_member_codes_are_checked_against_the_classification(tmp_path: Path) -> None:
    from planbuilder.pipeline import validate

    plan = _porvoo(tmp_path)
    text = (plan / "members.yaml").read_text(encoding="utf-8")
    text = text.replace('code: "018"', 'code: "019"').replace('code: "753"', 'code: "999"')
    (plan / "members.yaml").write_text(text, encoding="utf-8")
    found = [f for f in validate(plan).findings if f.rule == "PB-MEMBER-CODE"]
    said = sorted((f.location.line if f.location else 0, f.message.text("en")) for f in found)
    lines = text.splitlines()
    assert said == [
        (lines.index('    code: "019"') + 1,
         "code '019' is Aura / Aura in Statistics Finland's classification of municipalities "
         "2025, not 'Askola': check the code or the name"),
        (lines.index('    code: "999"') + 1,
         "code '999' is not a municipality in Statistics Finland's classification of "
         "municipalities 2025 (the classification gives the member's name the code '753')"),
    ]
