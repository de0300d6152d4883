"""Official data with sources (issue 25): the municipalities' language status under the
decree for 2023–2032, city or municipality, the administrative courts and their circuits;
the example plans agree with them, and the rules built on them fire where a plan does not."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from planbuilder import official
from planbuilder.findings import Finding
from planbuilder.load import load_plan
from planbuilder.model import Member
from planbuilder.rules import check

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ("porvoo", "kuopio", "espoo-kauniainen", "jarvilaakso")


def _member(name: str, language: str = "fi", **extra: object) -> Member:
    return Member.model_validate({"id": "m", "name": name, "language": language, **extra})


def test_every_data_file_says_where_it_comes_from_and_when() -> None:
    for name in ("languages.yaml", "municipalities.yaml", "courts.yaml"):
        data = yaml.safe_load(files("planbuilder.data").joinpath(name).read_text("utf-8"))
        dated = data.get("retrieved") or data["source"]["retrieved"]
        assert str(dated) == "2026-12-02", name
    assert all(c.source for c in official.courts())
    source = official.languages()["source"]
    assert source["title_fi"] == \
        "Valtioneuvoston asetus kuntien kielellisestä asemasta vuosina 2023–2032"
    assert "Kielisuhde 2023" in source["verified_against"]


def test_the_decree_lists_33_bilingual_municipalities_and_no_swedish_one_on_the_mainland(
        ) -> None:
    data = official.languages()
    finnish, swedish = data["bilingual_finnish_majority"], data["bilingual_swedish_majority"]
    assert (len(finnish), len(swedish), data["swedish"]) == (18, 15, [])
    known = official.municipalities()
    assert all(name in known for name in finnish + swedish)
    assert len(known) == 309
    assert sum(m.kind == "kaupunki" for m in known.values()) == 107


@pytest.mark.parametrize(("name", "status"), [
    ("Myrskylä", "bilingual"),  # the issue doubted it: bilingual, Finnish majority
    ("Lapinjärvi", "bilingual"), ("Sipoo", "bilingual"), ("Närpiö", "bilingual"),
    ("Askola", "fi"), ("Kuopio", "fi"),
    ("Maarianhamina", "sv"),  # Åland: outside the decree, Swedish-speaking
    ("Järvilaakso", None),  # fictional: no official data
])
def test_language_status(name: str, status: str | None) -> None:
    assert official.language_status(_member(name)) == status


def test_every_example_member_s_language_is_the_decree_s() -> None:
    checked = 0
    for example in EXAMPLES:
        for m in load_plan(ROOT / "plans" / example).plan.members:
            status = official.language_status(m)
            if status is not None:
                assert m.language == status, (example, m.id)
                checked += 1
    assert checked == 21  # every real member of the three real examples


@pytest.mark.parametrize(("name", "court"), [
    ("Porvoo", "helsinki"), ("Espoo", "helsinki"), ("Myrskylä", "helsinki"),
    ("Kuopio", "ita-suomi"), ("Leppävirta", "ita-suomi"), ("Kotka", "ita-suomi"),
    ("Jyväskylä", "hameenlinna"), ("Tampere", "hameenlinna"), ("Pori", "turku"),
    ("Kokkola", "vaasa"), ("Rovaniemi", "pohjois-suomi"), ("Maarianhamina", "aland"),
])
def test_circuit_court(name: str, court: str) -> None:
    found = official.circuit_court(_member(name))
    assert found is not None and found.id == court


def test_every_region_is_in_one_circuit_and_every_example_member_has_a_court() -> None:
    regions = {m.region for m in official.municipalities().values()}
    for region in regions:
        assert sum(region in c.regions for c in official.courts()) == 1, region
    for example in ("porvoo", "kuopio", "espoo-kauniainen"):
        for m in load_plan(ROOT / "plans" / example).plan.members:
            assert official.circuit_court(m) is not None, m.id


def test_court_contact_details_as_published() -> None:
    helsinki = official.court_named("Helsingfors förvaltningsdomstol")
    assert helsinki is not None
    assert official.court_lines(helsinki, "fi") == {
        "name": "Helsingin hallinto-oikeus",
        "postal_address": "Radanrakentajantie 5, 00520 Helsinki",
        "visiting_address": "", "email": "helsinki.hao@oikeus.fi",
        "hours": "asiakaspalvelu ja kirjaamo ma–pe klo 8.00–16.15"}
    east = official.court_named(" itä-suomen HALLINTO-OIKEUS ")
    assert east is not None and official.court_lines(east, "sv")["postal_address"] == \
        "PB 1744, 70101 Kuopio"
    assert official.court_named("Helsingin käräjäoikeus") is None


def _edited(copy: Callable[[str], Path], example: str, file: str, old: str, new: str,
            rule: str) -> tuple[list[Finding], str]:
    """The example with `old` replaced in `file`: the rule's findings and the file's text
    before the edit."""
    folder = copy(example)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")
    return [f for f in check(load_plan(folder)) if f.rule == rule], text


@pytest.mark.parametrize(("name", "stated", "kind"), [
    ("Loviisa", None, "kaupunki"), ("Sipoo", None, "kunta"),
    ("Kangasala", None, "kaupunki"),  # a city since 1.1.2018 (the list's correction)
    ("Järvilaakso", None, "kunta"),  # unknown: kunta unless the plan says otherwise
    ("Järvilaakso", "kaupunki", "kaupunki"),
])
def test_kind(name: str, stated: str | None, kind: str) -> None:
    assert official.kind(_member(name, kind=stated)) == kind


def test_a_member_language_that_differs_from_the_decree_is_an_error_at_its_line(
        copy_example: Callable[[str], Path]) -> None:
    old = "    formal_name: {fi: Myrskylän kunta, sv: Mörskom kommun}\n    language: bilingual\n"
    found, text = _edited(copy_example, "porvoo", "members.yaml", old,
                          old.replace("bilingual", "fi"), "L423-5")
    line = text[:text.index(old)].count("\n") + 2
    assert [(f.severity, f.location.line if f.location else None) for f in found] == \
        [("error", line)]
    assert found[0].text("fi") == (
        "Myrskylä: suunnitelmassa language: fi, mutta asetuksen kuntien kielellisestä "
        "asemasta vuosina 2023–2032 mukaan bilingual; korjaa language")


def test_the_examples_pass_the_new_rules() -> None:
    for example in EXAMPLES:
        found = [f for f in check(load_plan(ROOT / "plans" / example))
                 if f.rule in ("L423-5", "PB-MUNI-KIND", "PB-DECISION-APPEAL")]
        assert found == [], (example, [f.text("en") for f in found])


def test_a_board_named_for_the_other_kind_is_warned(
        copy_example: Callable[[str], Path]) -> None:
    """Suonenjoki is a city: a common 'Kunnanhallitus' proposer would name its board wrong."""
    old = "    suonenjoki:\n      presenter: kaupunginjohtaja\n"
    found = [f.text("en") for f in _edited(copy_example, "kuopio", "agreement.yaml", old,
                                           old.replace("kaupungin", "kunnan"),
                                           "PB-MUNI-KIND")[0]]
    assert found == ["Suonenjoki is a city, but the name 'kunnanjohtaja' says otherwise; "
                     "correct the name or kind"]


@pytest.mark.parametrize(("court", "expected"), [
    ("Vaasan hallinto-oikeus", "member kuopio is in the circuit of Itä-Suomen hallinto-oikeus,"
     " but the appeal instructions would name Vaasan hallinto-oikeus; correct appeal_court or "
     "set it per member"),
    ("Kuopion käräjäoikeus", "'Kuopion käräjäoikeus' is not an administrative court (member "
     "kuopio); write the court's name, e.g. 'Helsingin hallinto-oikeus'"),
])
def test_a_court_that_is_not_the_member_s_own_is_an_error(
        copy_example: Callable[[str], Path], court: str, expected: str) -> None:
    old = "    kuopio:\n      presenter: kaupunginjohtaja\n"
    found, _ = _edited(copy_example, "kuopio", "agreement.yaml", old,
                       old + f"      appeal_court: {court}\n", "PB-DECISION-APPEAL")
    assert [(f.severity, f.text("en")) for f in found] == [("error", expected)]
