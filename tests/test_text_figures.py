"""PB-TEXT-FIGURE: figures the prose states against what the data computes. Each unit in
Finnish and Swedish warns when it disagrees; numbers that state something else (a year, a
date, a statute, a weight, one budget line, an approximation within its tolerance) never
do; a finding points at the line of the text; it can be acknowledged; and the Porvoo plan's
85 htv beside a staff table of 95 htv is found."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, PLANS
from planbuilder.findings import Finding
from planbuilder.load import load_plan
from planbuilder.load.loader import SourceMap, parse_file
from planbuilder.rules import check
from planbuilder.rules.figures import figures

Writer = Callable[..., Path]
RULE = "PB-TEXT-FIGURE"

# The minimal plan's resources text, replaced by each test's prose.
_RESOURCES = """    text: >-
      Työllisyysalueen toimintaan varataan valtiolta siirtyvä henkilöstö sekä kuntien
      lisähenkilöstö. Henkilöstö kohdennetaan asiakaspalveluun ja työnantajapalveluihin
      asiakasmäärien mukaan, ja talousarvio laaditaan vastuukunnan talousarvion yhteydessä.
"""
# Costs 20 htv x 60 000 + 300 000 + 10 % = 1 650 000 €; shares by population 30 000 : 12 000.
_MONEY = """budget:
  precision: "1"
  lines:
    - {id: henkilosto, kind: personnel, label: Henkilöstö, htv: 20, cost_per_htv: 60000}
    - {id: palvelut, kind: purchased_services, label: Ostopalvelut, amount: 300000}
    - {id: yleis, kind: overhead, label: Yleiskustannukset, rate: 10, base: [henkilosto, palvelut]}
cost_sharing:
  model: vaesto
  models:
    - id: vaesto
      name: Väestö
      criteria: [{statistic: population, weight: 100}]
"""


def _plan(minimal_text: str, fi: str, sv: str | None = None, extra: str = "") -> str:
    """The minimal plan with a budget and cost sharing and the given resources prose (the
    Finnish text starts on line 32 of the file, or 33 with Swedish)."""
    assert _RESOURCES in minimal_text
    lines = ["    text:\n      fi: |-\n"] + [f"        {line}\n" for line in fi.split("\n")]
    if sv is not None:
        lines += ["      sv: |-\n"] + [f"        {line}\n" for line in sv.split("\n")]
    text = minimal_text.replace(_RESOURCES, "".join(lines))
    if sv is not None:
        text = text.replace("  budget_year: 2025\n", "  budget_year: 2025\n  languages: [fi, sv]\n")
    return text + _MONEY + extra


def _found(folder: Path) -> list[Finding]:
    return [f for f in check(load_plan(folder)) if f.rule == RULE]


def _messages(folder: Path, lang: str = "en") -> list[str]:
    return [f.text(lang) for f in _found(folder)]


@pytest.mark.parametrize(("prose", "message"), [
    ("Henkilöstöä on yhteensä 25 htv.",
     "the text says 25 htv; the staff table totals 20 htv"),
    ("Henkilöstön kokonaistarve on 25 henkilötyövuotta.",
     "the text says 25 henkilötyövuotta; the staff table totals 20 htv"),
    ("Henkilöstön kokonaistarve on 22–25 htv.",
     "the text says 22–25 htv; the staff table totals 20 htv"),
    ("Henkilöstön kokonaistarve on noin 25 htv.",  # 5 % of 25 is 1,25: 24–26
     "the text says noin 25 htv; the staff table totals 20 htv"),
    ("Talousarvio on yhteensä 1 700 000 €.",
     "the text says 1 700 000 €; the budget 2025 has total costs of 1\u00a0650\u00a0000\u00a0€ "
     "and net costs of 1\u00a0650\u00a0000\u00a0€"),
    ("Työllisyysalueen kustannukset ovat yhteensä 1 700 000 €.",
     "the text says 1 700 000 €; the budget 2025 has total costs of 1\u00a0650\u00a0000\u00a0€ "
     "and net costs of 1\u00a0650\u00a0000\u00a0€"),
    ("Talousarvion loppusumma on 1,8 miljoonaa euroa.",
     "the text says 1,8 miljoonaa euroa; the budget 2025 has total costs of "
     "1\u00a0650\u00a0000\u00a0€ and net costs of 1\u00a0650\u00a0000\u00a0€"),
    ("Työllisyysalueen nettomenot ovat 1,5 milj. €.",
     "the text says 1,5 milj. €; the budget 2025 has net costs of 1\u00a0650\u00a0000\u00a0€"),
    ("Yleiskustannukset ovat 12 % muista riveistä.",
     "the text says 12 %; the budget's overhead rate is 10 %"),
    ("Työllisyysalueeseen kuuluu kolme jäsenkuntaa.",
     "the text says kolme jäsenkuntaa; the plan has 2 committed member municipalities "
     "(2 with those still considering)"),
    ("Alueella on 4 toimipistettä.",
     "the text says 4 toimipistettä; the offices section lists 2 offices"),
    ("Alueen työvoima on yhteensä 25 000 henkilöä.",
     "the text says 25 000 henkilöä; the committed members' labour force totals "
     "21\u00a0000 persons"),
    ("Testilän maksuosuus on 1 000 000 €.",
     "the text says 1 000 000 €; the share of Testilä in 2025 is 1\u00a0178\u00a0571\u00a0€"),
    ("Testilän maksuosuus on 80 % nettomenoista.",
     "the text says 80 %; the share of Testilä in 2025 is 1\u00a0178\u00a0571\u00a0€, "
     "71,4 % of the net costs"),
])
def test_a_finnish_figure_that_disagrees_is_reported(write_plan: Writer, minimal_text: str,
                                                     prose: str, message: str) -> None:
    assert _messages(write_plan(_plan(minimal_text, prose))) == [message]


@pytest.mark.parametrize(("prose", "message"), [
    ("Personalen är sammanlagt 25 årsverken.",
     "the text says 25 årsverken; the staff table totals 20 htv"),
    ("Det totala personalbehovet uppskattas till 25 årsverken.",
     "the text says 25 årsverken; the staff table totals 20 htv"),
    ("Budgeten uppgår sammanlagt till 1,8 miljoner euro.",
     "the text says 1,8 miljoner euro; the budget 2025 has total costs of "
     "1\u00a0650\u00a0000\u00a0€ and net costs of 1\u00a0650\u00a0000\u00a0€"),
    ("Sysselsättningsområdet består av tre medlemskommuner.",
     "the text says tre medlemskommuner; the plan has 2 committed member municipalities "
     "(2 with those still considering)"),
    ("Området har 4 verksamhetsställen.",
     "the text says 4 verksamhetsställen; the offices section lists 2 offices"),
    ("De allmänna kostnaderna är 12 procent av de övriga raderna.",
     "the text says 12 procent; the budget's overhead rate is 10 %"),
    ("Testiläs andel är 1 000 000 €.",
     "the text says 1 000 000 €; the share of Testilä in 2025 is 1\u00a0178\u00a0571\u00a0€"),
    ("Områdets arbetskraft är sammanlagt 25 000 personer.",
     "the text says 25 000 personer; the committed members' labour force totals "
     "21\u00a0000 persons"),
])
def test_a_swedish_figure_that_disagrees_is_reported(write_plan: Writer, minimal_text: str,
                                                     prose: str, message: str) -> None:
    folder = write_plan(_plan(minimal_text, "Henkilöstöä on yhteensä 20 htv.", prose))
    assert _messages(folder) == [message]


@pytest.mark.parametrize("prose", [
    # what the data computes, as the text says it
    "Henkilöstöä on yhteensä 20 htv.",
    "Henkilöstöä on yhteensä 15 + 5 = 20 htv.",
    "Talousarvio on yhteensä 1 650 000 €, ja nettomenot ovat 1,65 milj. €.",
    "Talousarvion loppusumma on 1,7 miljoonaa euroa.",  # 1 650 000 rounds to 1,7 million
    "Työllisyysalueeseen kuuluu kaksi jäsenkuntaa, ja alueella on 2 toimipistettä.",
    "Yleiskustannukset ovat 10 % muista riveistä.",
    # approximations within their tolerance
    "Talousarvio on yhteensä noin 1,7 milj. €.",
    "Henkilöstön kokonaistarve on noin 21 htv.",
    "Henkilöstön kokonaistarve on n. 19–20 htv.",
    # bounds on the stated side
    "Henkilöstöä on yhteensä yli 15 htv ja talousarvio on yhteensä alle 2 milj. €.",
    # years, dates, statutes and sections are not figures
    "Laki 380/2023 tuli voimaan 1.1.2025, ja sen 15 § edellyttää suunnitelmaa vuodelle 2025.",
    # another year, an earlier time, a change, a goal
    "Vuonna 2019 henkilöstöä oli yhteensä 25 htv.",
    "Aiemmin henkilöstön kokonaistarve oli 25 htv.",
    "Henkilöstön kokonaismäärä kasvaa 5 htv:llä.",
    "Tavoitteena on, että henkilöstöä on yhteensä 30 htv.",
    # a part, not the total
    "Valtiolta siirtyvää henkilöstöä on yhteensä 15 htv.",
    "Talousarviossa on varattu ostopalveluihin yhteensä 300 000 €.",
    "Talousarvion ostopalvelut ovat yhteensä 350 000 €.",
    "Talousarvion henkilöstökustannukset ovat yhteensä 1 300 000 €.",
    "Palvelujen kustannukset ovat yhteensä 350 000 €.",
    # an amount per person, per month or on average
    "Talousarvio on 40 €/asukas ja keskimäärin 140 000 euroa kuukaudessa.",
    # weights of a criterion, a statistic's share, other percentages
    "Kustannuksista 45 prosenttia jaetaan väestön ja 55 prosenttia työttömien mukaan.",
    "Testilän osuus alueen väestöstä on 80 %.",
    "Testilän osuus henkilöstöstä on 60 % ja äänistä 50 %.",
    # a count of some of the members, or of members not said to be the area's all
    "Alueen kolme kuntaa ovat kaksikielisiä.",
    "Alueen kolme kuntaa harkitsevat jäsenyyttä.",
    "Testilän työpaikkaomavaraisuus on noin 90 prosenttia.",
    # the statutory threshold is not the area's labour force
    "Alueen työvoima ylittää lain edellyttämän 25 000 henkilön vähimmäismäärän.",
    # another area's, body's or time's figures
    "Hyvinvointialueella on 40 toimipistettä, ja maakunnassa on 12 kuntaa.",
    "Kuntien omaa työllisyyshenkilöstöä on yhteensä 40 htv.",
    "Alueen yritysten henkilöstö on yhteensä 88 000 henkilötyövuotta.",
    "Nykyisin TE-toimiston henkilöstöä on alueella yhteensä 60 htv.",
    "Kelan talousarvio on yhteensä 1 000 000 €.",
    # code spans and tables are not prose
    "Taulukon sarake on `yhteensä 25 htv`.\n\n"
    "| Henkilöstö | htv |\n|---|---:|\n| Henkilöstö yhteensä | 25 htv |",
])
def test_a_figure_that_states_something_else_is_not_reported(
        write_plan: Writer, minimal_text: str, prose: str) -> None:
    assert _messages(write_plan(_plan(minimal_text, prose))) == []


def test_a_finding_points_at_the_line_and_column_of_the_figure(
        write_plan: Writer, minimal_text: str) -> None:
    prose = ("Henkilöstö kohdennetaan asiakaspalveluun.\n\n"
             "Asiakasmäärien ja toimitilojen perusteella henkilöstön kokonaistarve on\n"
             "arviolta 24 henkilötyövuotta. Talousarvio on yhteensä\n"
             "1 700\n000 €.")
    found = _found(write_plan(_plan(minimal_text, prose)))
    # the text's first line is line 32 of plan.yaml, indented by 8; the second figure is
    # broken over two lines and located at its start
    assert [str(f.location) for f in found] == ["plan/plan.yaml:35:18", "plan/plan.yaml:36:9"]
    assert [f.path for f in found] == [("sections", "resources", "text", "fi")] * 2
    assert found[0].format().startswith(
        "plan/plan.yaml:35:18: warning PB-TEXT-FIGURE: the text says arviolta 24 "
        "henkilötyövuotta; the staff table totals 20 htv")


@pytest.mark.parametrize(("style", "line", "column"), [
    ("|-\n    Eka rivi.\n      Toka 85 htv.\n", 4, 12),
    (">-\n    Eka rivi\n    toka 85 htv.\n", 4, 10),
    ("Eka rivi\n    toka 85 htv\n", 3, 10),
    ("'Eka ''x''\n    toka 85 htv'\n", 3, 10),
    ('"Eka \\"x\\" \\\n    toka\\t85 htv"\n', 3, 11),
])
def test_an_offset_in_a_text_of_any_yaml_style_is_located(style: str, line: int,
                                                          column: int) -> None:
    source = SourceMap()
    data = parse_file(f"a:\n  b: {style}".encode(), "t.yaml", source, [])
    value = data["a"]["b"]
    where = source.locate_in_text(("a", "b"), value.index("85"))
    assert (where.line, where.column) == (line, column)


def test_a_text_on_one_line_is_located_at_its_key(write_plan: Writer,
                                                  minimal_text: str) -> None:
    text = _plan(minimal_text, "x").replace(
        "    text:\n      fi: |-\n        x\n",
        "    text: {fi: Henkilöstöä on yhteensä 25 htv.}\n")
    # the key 'fi' inside the flow mapping
    assert [str(f.location) for f in _found(write_plan(text))] == ["plan/plan.yaml:30:12"]


def test_both_languages_are_read_and_worded_for_the_reader(write_plan: Writer,
                                                           minimal_text: str) -> None:
    folder = write_plan(_plan(minimal_text, "Henkilöstöä on yhteensä 25 htv.",
                              "Personalen är sammanlagt 26 årsverken."))
    assert [str(f.location) for f in _found(folder)] == ["plan/plan.yaml:33:33",
                                                          "plan/plan.yaml:35:34"]
    assert _messages(folder, "fi") == [
        "tekstissä lukee 25 htv; henkilöstötaulukon summa on 20 htv",
        "tekstissä lukee 26 årsverken; henkilöstötaulukon summa on 20 htv"]
    assert _messages(folder, "sv")[1] == (
        "i texten står 26 årsverken; personaltabellens summa är 20 årsverken")


def test_the_finding_can_be_acknowledged(write_plan: Writer, minimal_text: str) -> None:
    reason = "Teksti kertoo valmisteluvaiheen arvion; taulukko on talousarvion mukainen."
    folder = write_plan(_plan(minimal_text, "Henkilöstöä on yhteensä 25 htv.", extra=(
        f"acknowledge:\n  - rule: {RULE}\n    reason: {reason}\n")))
    (finding,) = _found(folder)
    assert finding.severity == "warning" and finding.acknowledged == reason
    assert not [f for f in check(load_plan(folder)) if f.rule == "PB-ACK"]


def test_deviations_and_acknowledgements_are_not_read(write_plan: Writer,
                                                      minimal_text: str) -> None:
    text = _plan(minimal_text, "Henkilöstöä on yhteensä 20 htv.", extra=(
        "acknowledge:\n  - rule: PB-STAT-SOURCE\n"
        "    reason: Henkilöstöä on yhteensä 25 htv valmisteluaineistossa.\n")).replace(
        "  contiguity:\n", "  deviations:\n    - what: Lähteessä henkilöstöä on yhteensä 25 "
        "htv; suunnitelma noudattaa talousarviota.\n  contiguity:\n")
    assert _messages(write_plan(text)) == []


def test_the_number_formats_are_read() -> None:
    read = [(f.said, f.unit, f.low, f.high) for f in figures(
        "10 162 216 €, 10\u00a0162\u00a0216 euroa, 1,5 milj. €, 12 %, 1–1,5 htv, 85 htv:n, "
        "seitsemän kuntaa, 15 §, 380/2023, 31.5.2023, 18–64-vuotiaat, 2 %-yksikköä")]
    assert [(said, unit, str(low), str(high)) for said, unit, low, high in read] == [
        ("10 162 216 €", "euro", "10162216", "10162216"),
        ("10 162 216 euroa", "euro", "10162216", "10162216"),
        ("1,5 milj. €", "euro", "1500000.0", "1500000.0"),
        ("12 %", "percent", "12", "12"),
        ("1–1,5 htv", "htv", "1", "1.5"),
        ("85 htv:n", "htv", "85", "85"),
        ("seitsemän kuntaa", "municipalities", "7", "7"),
    ]


_PORVOO_FI = ("Henkilöstöä on talousarviossa siten yhteensä 95\n"
              "        henkilötyövuotta.")
_PORVOO_SV = "I budgeten är personalen således sammanlagt 95 årsverken."


def test_the_porvoo_plan_as_it_was_is_reported_and_as_it_is_is_clean(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Porvoo plan's resources text said the staff need is 85 htv while its staff table
    totals 71 + 24 = 95 htv (issue 24); the plan now says 95 htv."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(PLANS / "porvoo", tmp_path / "porvoo")
    assert _found(tmp_path / "porvoo") == []
    sections = tmp_path / "porvoo" / "sections.yaml"
    text = sections.read_text(encoding="utf-8")
    assert _PORVOO_FI in text and _PORVOO_SV in text
    sections.write_text(text.replace(_PORVOO_FI, _PORVOO_FI.replace("95", "85")).replace(
        _PORVOO_SV, _PORVOO_SV.replace("95", "85")), encoding="utf-8")
    assert [f.format() for f in _found(tmp_path / "porvoo")] == [
        "porvoo/sections.yaml:16:75: warning PB-TEXT-FIGURE: the text says 85 "
        "henkilötyövuotta; the staff table totals 95 htv",
        "porvoo/sections.yaml:35:74: warning PB-TEXT-FIGURE: the text says 85 årsverken; "
        "the staff table totals 95 htv"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_plan_agrees_with_its_prose(example: str) -> None:
    assert [f.format() for f in _found(PLANS / example)] == []
