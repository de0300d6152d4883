"""Plans as areas write them (issue 27, part A): law changes with ranged effects and their
checks, statistics tables with groups and forecasts, and changes decided in principle that
are shown as planned and never computed with. Most tests edit the fictional example
plans/harjuseutu, which uses all three."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path

import pytest

from planbuilder.compose import compose_plan
from planbuilder.compose.documents import compose_decision
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import Table, text_blocks
from planbuilder.load import load_plan
from planbuilder.model import Lang, effect_total
from planbuilder.money import compute
from planbuilder.money.ledger import ledger_of
from planbuilder.rules import check

NAME = "harjuseutu"
Copy = Callable[[str], Path]


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(folder: Path, file: str, needle: str) -> int:
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def _findings(folder: Path, rule: str) -> list[str]:
    return [f.format() for f in check(load_plan(folder)) if f.rule == rule]


def _table(doc: object, anchor: str) -> Table:
    return next(b for b in doc.blocks if isinstance(b, Table) and b.anchor == anchor)  # type: ignore[attr-defined]


# --- law changes ---------------------------------------------------------------------------

def test_ranges_sum_as_ranges() -> None:
    assert effect_total([D(2), (D(1), D("1.5")), None, D("0.5")]) == (D("3.5"), D(4))
    assert effect_total([None, None]) is None


def test_the_example_validates_clean_of_the_new_rules(copy_example: Copy) -> None:
    folder = copy_example(NAME)
    found = [f for f in check(load_plan(folder))
             if f.rule in ("PB-LAW-CHANGE", "PB-SERIES", "PB-PLANNED")]
    assert found == []


def test_law_changes_table_with_range_totals_and_one_unit_per_column() -> None:
    plan = load_plan(Path("plans") / NAME).plan
    doc = compose_plan(plan, "fi", TemplateSet.load(), compute(plan), plan.area.date)
    table = _table(doc, "table-law-changes")
    assert [c.text for c in table.header[0]] == [
        "Muutos", "Säädös", "Voimaan", "Vaikutus, htv", "Vaikutus, €", "Tila", "Lähde"]
    assert [c.text for c in table.footer[0]][3:5] == ["3,5–4,0*", "180\u00a0000–210\u00a0000*"]
    rows = [[c.text for c in row] for row in table.rows]
    assert rows[1][3:7] == ["1,0–1,5*", "60\u00a0000–90\u00a0000*", "arvio", "[2]"]
    assert rows[2][5] == "katetaan sisäisin siirroin"
    assert rows[3][3:6] == ["", "", "epäselvä"]
    assert not any("€" in cell or "htv" in cell for row in rows for cell in row[3:5])
    assert "[2] Kuntaliiton arvio palkkatukiuudistuksesta (kuvitteellinen) 12.2.2026" \
        in table.note
    text = "\n".join(text_blocks(doc))
    # the table is in section 1, after the staff table and before the budget
    assert text.index("Lainsäädännön muutokset ja niiden vaikutus") in range(
        text.index("\n1 Taloudelliset"), text.index("\n2 Palvelujen"))


def test_a_reversed_range_is_an_error_where_it_is(copy_example: Copy) -> None:
    folder = copy_example(NAME)
    _edit(folder, "sections.yaml", "htv: [1, 1.5]", "htv: [1.5, 1]")
    line = _line_of(folder, "sections.yaml", "htv: [1.5, 1]")
    assert _findings(folder, "PB-LAW-CHANGE") == [
        f"plans/{NAME}/sections.yaml:{line}:9: error PB-LAW-CHANGE: law change 'Palkkatuen "
        "rahoitusvastuu siirtyy kunnille': the range 1,5–1 runs downwards: write the lower "
        "figure first"]


def test_law_change_dates_are_checked_against_the_plan(copy_example: Copy) -> None:
    folder = copy_example(NAME)
    _edit(folder, "sections.yaml", "effective: 2027-01-01\n        htv: [1, 1.5]",
          "effective: 2029-01-01\n        htv: [1, 1.5]")
    _edit(folder, "sections.yaml", "date: 2026-02-12}", "date: 2026-05-12}")
    _edit(folder, "sections.yaml", "effective: 2026-07-01", "effective: 2026-01-01")
    _edit(folder, "sections.yaml", "status: decided", "status: unclear")
    found = _findings(folder, "PB-LAW-CHANGE")
    assert [f.split(": ", 1)[1] for f in found] == [
        "warning PB-LAW-CHANGE: law change 'Kotoutumislain muutos laajentaa kotoutumisen "
        "palveluja' has been in force since 1.1.2026, before this plan (20.4.2026), yet its "
        "effect is still 'unclear': update the estimate or the status",
        "warning PB-LAW-CHANGE: law change 'Palkkatuen rahoitusvastuu siirtyy kunnille' takes "
        "effect 1.1.2029, after the years this plan's figures cover (2026–2028): its effect "
        "is in none of them",
        "error PB-LAW-CHANGE: law change 'Palkkatuen rahoitusvastuu siirtyy kunnille': its "
        "source is dated 12.5.2026, after this plan (20.4.2026)"]
    lines = [int(f.split(":")[1]) for f in found]
    assert lines == [_line_of(folder, "sections.yaml", "status: unclear"),
                     _line_of(folder, "sections.yaml", "effective: 2029-01-01"),
                     _line_of(folder, "sections.yaml", "date: 2026-05-12")]


def test_law_change_euros_are_checked_against_the_named_line(copy_example: Copy) -> None:
    folder = copy_example(NAME)
    _edit(folder, "sections.yaml", "budget_line: palkkatuki", "budget_line: palkkatuet")
    _edit(folder, "sections.yaml", "euros: 120000", "euros: 2500000")
    _edit(folder, "sections.yaml", "htv: 2\n", "htv: 41\n")
    found = [f.split(": ", 1)[1] for f in _findings(folder, "PB-LAW-CHANGE")]
    assert found == [
        "warning PB-LAW-CHANGE: law change 'Kotoutumislain muutos laajentaa kotoutumisen "
        "palveluja': its effect of 41 htv is more than budget line 'henkilosto' has (40 htv)",
        "warning PB-LAW-CHANGE: law change 'Kotoutumislain muutos laajentaa kotoutumisen "
        "palveluja': its effect of 2\u00a0500\u00a0000 € is larger than budget line "
        "'henkilosto' itself (2\u00a0440\u00a0000 €)",
        "error PB-LAW-CHANGE: law change 'Palkkatuen rahoitusvastuu siirtyy kunnille' names "
        "budget line 'palkkatuet', which is not in budget.lines (did you mean 'palkkatuki'?)"]


def test_law_change_messages_in_finnish_and_swedish(copy_example: Copy) -> None:
    folder = copy_example(NAME)
    _edit(folder, "sections.yaml", "htv: [1, 1.5]", "htv: [1.5, 1]")
    finding = next(f for f in check(load_plan(folder)) if f.rule == "PB-LAW-CHANGE")
    assert finding.text("fi") == ("lakimuutos 'Palkkatuen rahoitusvastuu siirtyy kunnille': "
                                  "vaihteluväli 1,5–1 on laskeva: kirjoita pienempi luku ensin")
    assert finding.text("sv") == ("lagändring 'Palkkatuen rahoitusvastuu siirtyy kunnille': "
                                  "intervallet 1,5–1 är fallande: skriv det lägre talet först")


# --- statistics tables ---------------------------------------------------------------------

def test_groups_by_years_with_forecast_are_one_table_with_the_unit_in_the_header() -> None:
    from planbuilder.document import Figure

    plan = load_plan(Path("plans") / NAME).plan
    doc = compose_plan(plan, "fi", TemplateSet.load(), compute(plan), plan.area.date)
    table = _table(doc, "table-series-tyottomat_ryhmittain")
    assert [c.text for c in table.header[0]] == [
        "henkilöä*", "2023", "2024", "2025", "2026 ennuste", "2027 ennuste"]
    assert [c.text for c in table.rows[1]] == ["Alle 25-vuotiaat", "360", "410", "445", "430",
                                               "400"]
    assert len(table.rows) == 5
    assert not any("henkilöä" in c.text or "*" in c.text for row in table.rows for c in row)
    assert "Ennuste: Harjuseudun työllisyysalueen oma ennuste 3/2026 (kuvitteellinen)" \
        in table.note
    figures = [b for b in doc.blocks if isinstance(b, Figure)
               and "Työttömät työnhakijat ryhmittäin" in b.caption]
    assert len(figures) == 1
    assert figures[0].alt.endswith("Luvut 2026 alkaen ovat ennusteita.")


def test_the_area_against_a_member_month_by_month() -> None:
    plan = load_plan(Path("plans") / NAME).plan
    doc = compose_plan(plan, "fi", TemplateSet.load(), compute(plan), plan.area.date)
    table = _table(doc, "table-series-tyottomyysaste")
    assert [c.text for c in table.header[0]] == ["Ajankohta*", "Harjuseutu, %", "Harjula, %"]
    assert [c.text for c in table.rows[0]] == ["4/2025", "10,1", "11,2"]
    assert len(table.rows) == 12


def test_a_series_group_names_a_member(copy_example: Copy) -> None:
    folder = copy_example(NAME)
    _edit(folder, "area.yaml", "- member: harjula", "- member: harjla")
    line = _line_of(folder, "area.yaml", "- member: harjla")
    assert _findings(folder, "PB-SERIES") == [
        f"plans/{NAME}/area.yaml:{line}:9: error PB-SERIES: series 'tyottomyysaste': group "
        "names member 'harjla', which is not a member id (did you mean 'harjula'?)"]


def test_a_forecast_is_after_the_values(copy_example: Copy) -> None:
    folder = copy_example(NAME)
    _edit(folder, "area.yaml", "forecast: {2026: 430, 2027: 400}",
          "forecast: {2025.5: 430, 2027: 400}".replace("2025.5", "2024"))
    _edit(folder, "area.yaml", "values: {2023: 360, 2024: 410, 2025: 445}",
          "values: {2023: 360, 2025: 445}")
    line = _line_of(folder, "area.yaml", "forecast: {2024: 430")
    assert _findings(folder, "PB-SERIES") == [
        f"plans/{NAME}/area.yaml:{line}:9: warning PB-SERIES: series 'tyottomat_ryhmittain': "
        "forecast for 2024, not after the last actual value (2025)"]


def test_a_one_row_series_keeps_its_unit_out_of_the_cells(write_plan: Callable[..., Path]
                                                          ) -> None:
    folder = write_plan()
    write_plan("""series:
  - id: asiakkaat
    label: Asiakkaat
    unit: henkilöä
    source: Asiakastietojärjestelmä
    section: resources
    values: {2024: 1200, 2025: 1300}
    forecast: {2026: 1350}
""", name="sarjat.yaml")
    plan = load_plan(folder).plan
    doc = compose_plan(plan, "fi", TemplateSet.load(), None, plan.area.date)
    table = _table(doc, "table-series-asiakkaat")
    assert [c.text for c in table.header[0]] == ["Ajankohta", "Asiakkaat, henkilöä"]
    assert [[c.text for c in row] for row in table.rows] == [
        ["2024", "1\u00a0200"], ["2025", "1\u00a0300"], ["2026 ennuste", "1\u00a0350"]]


def test_values_and_groups_are_not_both_given(write_plan: Callable[..., Path]) -> None:
    from planbuilder.errors import PlanLoadError

    folder = write_plan()
    write_plan("""series:
  - id: asiakkaat
    label: Asiakkaat
    source: Asiakastietojärjestelmä
    values: {2024: 1200}
    groups:
      - {label: Nuoret, values: {2024: 300}}
""", name="sarjat.yaml")
    with pytest.raises(PlanLoadError, match=r"sarjat\.yaml:2:5: error SCHEMA-TYPE: series\[1\]: "
                       r"give the series either values \(and forecasts\) or groups, not both$"):
        load_plan(folder)


# --- planned changes -----------------------------------------------------------------------

def _without_planned(folder: Path) -> None:
    path = folder / "money.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  planned:\n")
    end = text.index("  terms:\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")


def test_a_planned_model_is_never_in_the_ledger(copy_example: Copy) -> None:
    """The planned change is shown, but the money is the same as without it: the shares are
    the model in force's, and no ledger entry comes from the planned change."""
    folder = copy_example(NAME)
    with_plan = load_plan(folder).plan
    assert with_plan.cost_sharing is not None and with_plan.cost_sharing.planned
    ledger = ledger_of(compute(with_plan))
    _without_planned(folder)
    without = ledger_of(compute(load_plan(folder).plan))
    year = with_plan.area.budget_year
    payable = {m.id: ledger[f"payable/{year}/{m.id}"].amount for m in with_plan.members}
    assert payable == {m.id: without[f"payable/{year}/{m.id}"].amount
                       for m in with_plan.members}
    assert sum(payable.values()) == D(4219000)
    assert {k: e.amount for k, e in ledger.entries.items()} == \
        {k: e.amount for k, e in without.entries.items()}


def test_a_planned_sharing_change_in_the_budget_year_is_reported(copy_example: Copy) -> None:
    folder = copy_example(NAME)
    _edit(folder, "money.yaml", "    - change: Siirrytään aiheuttamisperusteiseen "
          "kustannustenjakoon vuodesta 2027.\n      effective: 2027-01-01",
          "    - change: Siirrytään aiheuttamisperusteiseen kustannustenjakoon.\n"
          "      effective: 2026-07-01")
    _edit(folder, "sections.yaml", "decided: 2026-03-10", "decided: 2026-05-10")
    found = _findings(folder, "PB-PLANNED")
    assert [f.split(": ", 1)[1] for f in found] == [
        "warning PB-PLANNED: planned change 'Siirrytään aiheuttamisperusteiseen "
        "kustannustenjakoon.' would apply from 1.7.2026, in the budget year 2026, but it has "
        "no model: the shares are computed with the model in force 'vaesto_tyottomyys'; "
        "write its model under cost_sharing.models once it is prepared",
        "error PB-PLANNED: planned change 'Peltomäen, Ruskolan ja Salmelan palvelupäivät "
        "korvataan…': its decision in principle is dated 10.5.2026, after this "
        "plan (20.4.2026)"]
    assert int(found[0].split(":")[1]) == _line_of(folder, "money.yaml", "effective: 2026-07-01")


def test_the_plan_shows_the_planned_change_as_not_in_force() -> None:
    plan = load_plan(Path("plans") / NAME).plan
    doc = compose_plan(plan, "fi", TemplateSet.load(), compute(plan), plan.area.date)
    text = " ".join(text_blocks(doc))
    assert ("Suunniteltu muutos, ei voimassa: Siirrytään aiheuttamisperusteiseen "
            "kustannustenjakoon vuodesta 2027. Muutoksen on määrä tulla voimaan 1.1.2027; "
            "Kuntajohtajien kokous on tehnyt siitä periaatepäätöksen 10.3.2026. "
            "Yksityiskohdat ovat valmisteilla. Muutoksen luvut esitetään myöhemmin. Kunnat "
            "maksaisivat palkkatukensa ja koulutuspalvelunsa käytön mukaan. Tämän "
            "suunnitelman maksuosuudet on laskettu voimassa olevan mallin ”Asukasluku ja "
            "laaja työttömyys 50/50” mukaan.") in text
    assert "Suunniteltu muutos, ei voimassa: Peltomäen, Ruskolan ja Salmelan palvelupäivät" \
        in text


PLANNED = """  planned:
    - change: {fi: Siirrytään aiheuttamisperusteiseen kustannustenjakoon vuodesta 2027.,
               sv: Övergång till kostnadsfördelning enligt orsaksprincipen från 2027.}
      effective: 2027-01-01
      decided: 2024-05-02
"""


@pytest.mark.parametrize(("lang", "expected"), [
    ("fi", "Suunniteltu muutos, ei voimassa: Siirrytään aiheuttamisperusteiseen "
           "kustannustenjakoon vuodesta 2027. Muutoksen on määrä tulla voimaan 1.1.2027; siitä "
           "on tehty periaatepäätös 2.5.2024. Yksityiskohdat ovat valmisteilla. Muutoksen "
           "luvut esitetään myöhemmin. Tämän esityksen maksuosuudet on laskettu voimassa "
           "olevan mallin ”{model}” mukaan."),
    ("sv", "Planerad ändring, ännu inte i kraft: Övergång till kostnadsfördelning enligt "
           "orsaksprincipen från 2027. Ändringen avses träda i kraft 1.1.2027; ett "
           "principbeslut fattades 2.5.2024. Detaljerna bereds. Ändringens siffror läggs fram "
           "senare. Andelarna i detta förslag har beräknats enligt den gällande modellen "
           "”{model}”."),
])
def test_proposals_print_the_planned_change(copy_example: Copy, lang: Lang,
                                            expected: str) -> None:
    folder = copy_example("porvoo")
    money = folder / "money.yaml"
    text = money.read_text(encoding="utf-8")
    assert "\ncost_sharing:\n" in text
    money.write_text(text.replace("\ncost_sharing:\n", "\ncost_sharing:\n" + PLANNED, 1),
                     encoding="utf-8")
    plan = load_plan(folder).plan
    assert plan.cost_sharing is not None and plan.cost_sharing.planned
    model = next(m for m in plan.cost_sharing.models if m.id == plan.cost_sharing.model)
    doc = compose_decision(plan, plan.members[0].id, lang, TemplateSet.load(), compute(plan),
                           plan.area.date, [])
    said = " ".join(text_blocks(doc))
    assert expected.format(model=model.name.get(lang)) in said
