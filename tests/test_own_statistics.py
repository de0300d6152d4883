"""A plan's own statistics (issue 13): declared with label, unit, definition and source,
used in a criterion like a built-in one, printed with their fi/sv labels and definitions;
a misspelt name is a located error with a suggestion."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path

import pytest

from planbuilder.compose import compose_plan
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import text_blocks
from planbuilder.load import load_plan
from planbuilder.money import compute
from planbuilder.rules import check

Writer = Callable[..., Path]
FIXTURES = Path(__file__).parent / "fixtures"
DECLARED = """statistics:
  - id: pitkaaikaistyottomat
    label: {fi: Pitkäaikaistyöttömät, sv: Långtidsarbetslösa}
    unit: {fi: henkilöä, sv: personer}
    definition:
      fi: Yhtäjaksoisesti vähintään 12 kuukautta työttömänä olleet työnhakijat kuukauden lopussa.
      sv: Arbetssökande som varit arbetslösa minst 12 månader i sträck vid månadens slut.
    source: {fi: Työnvälitystilasto, sv: Arbetsförmedlingsstatistiken}
"""
STATS = {"testila": "700", "naapuri": "300"}


def _write(write_plan: Writer, *, criterion: str = "pitkaaikaistyottomat",
           member_key: str = "pitkaaikaistyottomat", declared: str = DECLARED) -> Path:
    text = (FIXTURES / "minimal" / "plan.yaml").read_text(encoding="utf-8")
    for member, value in STATS.items():
        anchor = "      population: {value: 30000," if member == "testila" \
            else "      population: {value: 12000,"
        text = text.replace(anchor, f"      {member_key}: {{value: {value}, date: 2024-04-30, "
                            "source: Työnvälitystilasto}\n" + anchor, 1)
    folder = write_plan(text)
    money = (FIXTURES / "money.yaml").read_text(encoding="utf-8").replace(
        "criteria: [{statistic: population, weight: 100}]",
        f"criteria: [{{statistic: population, weight: 50}}, {{statistic: {criterion}, "
        "weight: 50}]")
    write_plan(money, name="talous.yaml")
    write_plan(declared, name="tilastot.yaml")
    return folder


def test_a_declared_statistic_shares_costs_to_the_cent(write_plan: Writer) -> None:
    loaded = load_plan(_write(write_plan))
    assert [f.rule for f in check(loaded) if f.severity == "error"] == []
    money = compute(loaded.plan)
    # 990 000 € shared: testilä 1/2 · 30/42 + 1/2 · 700/1000 = 99/140, naapuri 41/140
    assert {s.member: s.amount for s in money.allocation.shares} == {
        "testila": D("700071.43"), "naapuri": D("289928.57")}
    assert sum(s.amount for s in money.allocation.shares) == D("990000.00")


@pytest.mark.parametrize(("lang", "label", "definition"), [
    ("fi", "Pitkäaikaistyöttömät", "Yhtäjaksoisesti vähintään 12 kuukautta työttömänä olleet "
     "työnhakijat kuukauden lopussa."),
    ("sv", "Långtidsarbetslösa", "Arbetssökande som varit arbetslösa minst 12 månader i sträck "
     "vid månadens slut."),
])
def test_documents_name_it_and_define_it(write_plan: Writer, lang: str, label: str,
                                         definition: str) -> None:
    plan = load_plan(_write(write_plan)).plan
    doc = compose_plan(plan, lang, TemplateSet.load(), compute(plan), plan.area.date)  # type: ignore[arg-type]
    text = "\n".join(text_blocks(doc))
    assert f"{label}\n50\u00a0%" in text  # the criteria table
    assert f"{label}\n{'henkilöä' if lang == 'fi' else 'personer'}\n{definition}" in text
    assert f"Testilä\n{label}\n700" in text  # the statistics appendix


def test_a_misspelt_criterion_is_located_with_a_suggestion(write_plan: Writer) -> None:
    found = [f.format() for f in check(load_plan(_write(
        write_plan, criterion="pitkaaikaistyotomat"))) if f.severity == "error"]
    assert found == [  # one error, not one per member lacking the misspelt statistic
        "plan/talous.yaml:14:56: error PB-STAT-NAME: unknown statistic 'pitkaaikaistyotomat' "
        "(did you mean 'pitkaaikaistyottomat'?)",
    ]


def test_a_misspelt_member_statistic_and_a_redefined_builtin(write_plan: Writer) -> None:
    declared = DECLARED + """  - id: population
    label: Väestö
    definition: Asukkaat.
"""
    found = [f.format() for f in check(load_plan(_write(
        write_plan, member_key="pitkaaikaistyottomatt", declared=declared)))
        if f.rule == "PB-STAT-NAME"]
    assert found == [
        "plan/plan.yaml:21:7: error PB-STAT-NAME: unknown statistic 'pitkaaikaistyottomatt' "
        "(did you mean 'pitkaaikaistyottomat'?)",
        "plan/plan.yaml:28:7: error PB-STAT-NAME: unknown statistic 'pitkaaikaistyottomatt' "
        "(did you mean 'pitkaaikaistyottomat'?)",
        "plan/tilastot.yaml:9:5: error PB-STAT-NAME: 'population' is a built-in statistic: "
        "use it without declaring it, or give yours another id",
    ]


def test_an_undeclared_name_says_how_to_declare_it(write_plan: Writer) -> None:
    found = [f.text() for f in check(load_plan(_write(
        write_plan, criterion="palkkatukikuukaudet"))) if f.rule == "PB-STAT-NAME"]
    assert found == ["unknown statistic 'palkkatukikuukaudet': declare it under 'statistics:' "
                     "(id, label, definition) or use a built-in one"]


def test_projects_and_goals_are_tables_of_their_section(write_plan: Writer) -> None:
    """Typed projects and programme goals (issue 13) print as tables in their section; a
    project's dates and its income line are checked."""
    from planbuilder.errors import TemplateError

    text = (FIXTURES / "minimal" / "plan.yaml").read_text(encoding="utf-8").replace(
        "    staff:\n", """    projects:
      - {id: polku, name: Polku-hanke, start: 2025-01-01, end: 2026-12-31, funder: ESR+,
         funding: 300000, consortium: [Testilä, Naapuri], goals: [Nuorten polut],
         income_line: hanketulo}
    goals:
      - {title: Nopea alku, indicator: Alkuhaastattelu kahdessa viikossa, unit: "%",
         baseline: 78, baseline_year: 2024, target: 95, target_year: 2027}
    staff:
""", 1)
    folder = write_plan(text)
    money = (FIXTURES / "money.yaml").read_text(encoding="utf-8").replace(
        "    - {id: palkkatuki,", "    - {id: hanketuloa, kind: income, label: Hanketulo, "
        "amount: 100000}\n    - {id: palkkatuki,", 1)
    write_plan(money, name="talous.yaml")
    found = [f.format() for f in check(load_plan(folder)) if f.severity == "error"]
    assert found == ["plan/plan.yaml:37:10: error PB-PROJECT: project 'polku' names "
                     "'hanketulo', which is not an income line of the budget (did you mean "
                     "'hanketuloa'?)"]
    write_plan(money.replace("id: hanketuloa", "id: hanketulo"), name="talous.yaml")
    plan = load_plan(folder).plan
    doc = compose_plan(plan, "fi", TemplateSet.load(), compute(plan), plan.area.date)
    body = "\n".join(text_blocks(doc))
    assert ". Hankkeet\nHanke\nKausi\nRahoittaja\nRahoitus\nToteuttajat\nTavoitteet\n" \
        "Polku-hanke\n1.1.2025–31.12.2026\nESR+\n300\u00a0000,00\u00a0€\nTestilä; Naapuri\n" \
        "Nuorten polut" in body
    assert "Nopea alku\nAlkuhaastattelu kahdessa viikossa\n78\u00a0% (2024)\n95\u00a0% (2027)" in body
    with pytest.raises(TemplateError, match="the key 'plan_title' is given twice"):
        bad = Path("templates")
        import shutil

        from planbuilder.compose.templates import default_dir
        shutil.copytree(default_dir(), bad)
        i18n = bad / "i18n" / "fi.yaml"
        i18n.write_text(i18n.read_text(encoding="utf-8").replace(
            "document:\n", "document:\n  plan_title: Kahdesti\n", 1), encoding="utf-8")
        TemplateSet.load(bad).translations  # noqa: B018


SERIES = """series:
  - id: tyottomyysaste
    label: {fi: Työttömyysaste, sv: Arbetslöshetsgrad}
    unit: "%"
    source: TEM
    section: resources
    values: {"2026-04": 10.3, "2026-05": 9.9, "2026-06": 10.2}
  - id: pitkaaikaiset
    label: {fi: Pitkäaikaistyöttömät, sv: Långtidsarbetslösa}
    source: TEM
    values: {2024: 1695, 2025: 1760}
"""


def test_area_series_by_month_and_year(write_plan: Writer) -> None:
    """Area-level figures over time (issue 13): a monthly one in its section with a chart,
    a yearly one in the appendix (two values: a table, no chart)."""
    from planbuilder.document import Figure

    folder = write_plan()
    write_plan(SERIES, name="sarjat.yaml")
    plan = load_plan(folder).plan
    doc = compose_plan(plan, "sv", TemplateSet.load(), None, plan.area.date)
    text = "\n".join(text_blocks(doc))
    resources = text.index("\n1 De ekonomiska resurser")
    production = text.index("\n2 Lösningarna för hur servicen")
    # the unit is in the header, once, not in every cell (issue 27)
    assert text.index(". Arbetslöshetsgrad\nPeriod\nArbetslöshetsgrad, %\n4/2026\n10,3\n"
                      "5/2026\n9,9\n6/2026\n10,2\n") in range(resources, production)
    assert "Statistik om verksamhetsmiljön\nTabell" in text
    assert "Långtidsarbetslösa\nPeriod\nLångtidsarbetslösa\n2024\n1\u00a0695\n2025\n1\u00a0760" \
        in text
    figures = [b for b in doc.blocks if isinstance(b, Figure)]
    assert [f.alt for f in figures if "Arbetslöshetsgrad" in f.alt] == [
        "Linjediagrammet visar serien ”Arbetslöshetsgrad” för perioden 4/2026–6/2026. Värdet "
        "är 10,3\u00a0% i början och 10,2\u00a0% i slutet, som lägst 9,9\u00a0% och som högst "
        "10,3\u00a0%."]
    assert not [f for f in figures if "Långtidsarbetslösa" in f.alt]


def test_a_series_is_by_year_or_by_month(write_plan: Writer) -> None:
    from planbuilder.errors import PlanLoadError

    folder = write_plan()
    write_plan(SERIES.replace('{2024: 1695, 2025: 1760}', '{2024: 1695, "2025-01": 1760}'),
               name="sarjat.yaml")
    with pytest.raises(PlanLoadError, match=r"sarjat\.yaml:8:5: error SCHEMA-TYPE: series\[2\]: "
                       r"give the values by year \(2024\) or by month \(\"2024-05\"\), not both$"):
        load_plan(folder)


def test_a_series_names_a_statutory_section() -> None:
    """The series' `section` choices are exactly the six statutory sections."""
    from typing import get_args

    from planbuilder.model import STATUTORY_SECTIONS, SectionKey, Sections

    assert list(get_args(SectionKey)) == [s.key for s in STATUTORY_SECTIONS] \
        == list(Sections.model_fields)
