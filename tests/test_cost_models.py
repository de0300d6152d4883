"""Cost-sharing models that cover real practice (issue 13): pools shared by their own keys,
cost causation, price x volume, direct charges that belong to a model, and a phase-in from
one model to another. Every expected figure is computed by hand in the comments.

The minimal plan's budget: personnel 600 000, purchased services 300 000, overhead 90 000
and a wage subsidy of 12 345,67 charged to Naapuri: 1 002 345,67 € in all. Testilä has
30 000 residents and a labour force of 15 000, Naapuri 12 000 and 6 000."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path

from planbuilder.compose import compose_agreement, compose_plan
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import text_blocks
from planbuilder.load import load_plan
from planbuilder.model import Lang, Plan
from planbuilder.money import compute
from planbuilder.rules import check

Writer = Callable[..., Path]
FIXTURES = Path(__file__).parent / "fixtures"
NET = D("1002345.67")
MODELS = """  models:
    - id: vaesto
      name: {fi: Asukasluku, sv: Invånarantal}
      criteria: [{statistic: population, weight: 100}]
    - id: osat
      name: {fi: Osittain, sv: Delvis}
      criteria: [{statistic: population, weight: 100}]
      pools:
        - id: koulutus
          label: {fi: Ostopalvelut, sv: Köpta tjänster}
          lines: [palvelut]
          criteria: [{statistic: labour_force, weight: 100}]
        - id: palkkatuet
          label: {fi: Palkkatuet, sv: Lönesubventioner}
          lines: [palkkatuki]
          criteria: [{statistic: population, weight: 100}]
    - id: aiheuttamis
      name: {fi: Aiheuttamisperuste, sv: Orsaksprincipen}
      criteria: [{statistic: population, weight: 100}]
      pools:
        - id: palvelut
          label: {fi: Palvelujen ostot, sv: Köp av tjänster}
          lines: [palvelut]
          by_member: {testila: 180000, naapuri: 120000}
    - id: hinta
      name: {fi: Hinta per asiakas, sv: Pris per kund}
      criteria: [{statistic: population, weight: 100}]
      pools:
        - id: asiakkaat
          label: {fi: Asiakaspalvelu, sv: Kundtjänst}
          price: 150.5
          volume: asiakkaat
"""
DECLARED = """statistics:
  - id: asiakkaat
    label: {fi: Asiakkaat, sv: Kunder}
    definition: {fi: Palvelujen asiakkaat vuoden aikana., sv: Tjänsternas kunder under året.}
"""


def _plan(write_plan: Writer, model: str = "vaesto", models: str = MODELS,
          errors: list[str] | None = None) -> Plan:
    text = (FIXTURES / "minimal" / "plan.yaml").read_text(encoding="utf-8")
    for anchor, clients in (("      population: {value: 30000,", 1200),
                            ("      population: {value: 12000,", 800)):
        text = text.replace(anchor, f"      asiakkaat: {{value: {clients}, date: 2023-12-31, "
                            "source: Asiakastietojärjestelmä}\n" + anchor, 1)
    folder = write_plan(text)
    money = (FIXTURES / "money.yaml").read_text(encoding="utf-8")
    start = money.index("cost_sharing:")
    end = money.index("decision:")
    money = money[:start] + f"cost_sharing:\n  model: {model}\n  baseline: vaesto\n" \
        + models + money[end:]
    write_plan(money, name="talous.yaml")
    write_plan(DECLARED, name="tilastot.yaml")
    loaded = load_plan(folder)
    assert [f.format() for f in check(loaded) if f.severity == "error"] == (errors or [])
    return loaded.plan


def _totals(plan: Plan, model: str) -> dict[str, D]:
    money = compute(plan)
    assert money.comparison is not None
    charges = next(a for a in money.comparison.models if a.model.id == model)
    totals = {m.id: charges.of(m.id) for m in plan.committed}
    assert sum(totals.values()) == NET  # every euro, in every model
    return totals


def test_the_old_key_charges_the_wage_subsidy_directly(write_plan: Writer) -> None:
    # 990 000 by population 30:12 -> 707 142,857... and 282 857,142...; + 12 345,67 direct
    assert _totals(_plan(write_plan), "vaesto") == {"testila": D("707142.86"),
                                                   "naapuri": D("295202.81")}


def test_a_pooled_model(write_plan: Writer) -> None:
    # purchased services 300 000 by labour force 15:6 -> 214 285,71 / 85 714,29;
    # the wage subsidy pooled by population -> 8 818,34 / 3 527,33 (no longer direct);
    # the rest 690 000 by population -> 492 857,14 / 197 142,86
    plan = _plan(write_plan, "osat")
    assert _totals(plan, "osat") == {"testila": D("715961.19"), "naapuri": D("286384.48")}
    money = compute(plan)
    assert [(p.pool.id, p.amount, p.charges) for p in money.charges.pools] == [
        ("koulutus", D("300000.00"), (("testila", D("214285.71")), ("naapuri", D("85714.29")))),
        ("palkkatuet", D("12345.67"), (("testila", D("8818.34")), ("naapuri", D("3527.33"))))]
    assert money.charges.direct == {}
    assert money.charges.common.amount == D("690000.00")


def test_cost_causation(write_plan: Writer) -> None:
    # services as each caused them: 180 000 / 120 000; the subsidy direct to Naapuri;
    # the rest 690 000 by population -> 492 857,14 / 197 142,86
    assert _totals(_plan(write_plan), "aiheuttamis") == {"testila": D("672857.14"),
                                                        "naapuri": D("329488.53")}


def test_price_times_volume(write_plan: Writer) -> None:
    # 150,50 € x 1 200 and 800 clients = 180 600 / 120 400; the subsidy direct;
    # the rest 1 002 345,67 - 12 345,67 - 301 000 = 689 000 by population
    # -> 492 142,857... / 196 857,142... -> 492 142,86 / 196 857,14
    assert _totals(_plan(write_plan), "hinta") == {"testila": D("672742.86"),
                                                  "naapuri": D("329602.81")}


def test_causation_must_add_up_to_its_lines(write_plan: Writer) -> None:
    models = MODELS.replace("by_member: {testila: 180000, naapuri: 120000}",
                            "by_member: {testila: 170000, naapuri: 120000}")
    _plan(write_plan, models=models, errors=[
        "plan/talous.yaml:35:11: error PB-MONEY: pool 'palvelut': the members' amounts total "
        "290000.00, its lines 300000.00"])


PHASE = """      valid_from: 2025
      phase_in:
        from_model: vaesto
        percent: {2025: 50, 2026: 75}
"""


def test_a_phase_in_over_two_years(write_plan: Writer) -> None:
    """2025: half of the rest as cost causation shares it (672 857,14 / 317 142,86), half as
    the population key does (707 142,86 / 282 857,14 beyond Naapuri's direct subsidy):
    690 000,00 and 300 000,00 + 12 345,67. 2026 at 75 %: 681 428,57 and 320 917,10."""
    plan = _plan(write_plan, "aiheuttamis", MODELS.replace(
        "          by_member: {testila: 180000, naapuri: 120000}\n",
        "          by_member: {testila: 180000, naapuri: 120000}\n" + PHASE))
    money = compute(plan)
    assert money.phase is not None
    assert [(y, p, t) for y, p, t in money.phase.years] == [
        (2025, D("50"), (D("690000.00"), D("312345.67"))),
        (2026, D("75"), (D("681428.57"), D("320917.10")))]
    assert [(s.member, s.total, s.direct) for s in money.summaries] == [
        ("testila", D("690000.00"), D("0")), ("naapuri", D("312345.67"), D("12345.67"))]
    text = "\n".join(text_blocks(compose_plan(plan, "fi", TemplateSet.load(), money,
                                              plan.area.date)))
    assert "Siirtymä mallista ”Asukasluku” malliin ”Aiheuttamisperuste” (vuoden 2025 " \
        "talousarviolla)" in text
    assert "Testilä\n707\u00a0142,86\u00a0€\n690\u00a0000,00\u00a0€\n681\u00a0428,57\u00a0€\n" \
        "672\u00a0857,14\u00a0€" in text
    assert "Vuonna 2025 maksuosuudet jaetaan siirtymän mukaan: 50\u00a0% mallin " \
        "”Aiheuttamisperuste” ja muilta osin mallin ”Asukasluku” mukaan." in text
    from planbuilder.compose import compose_decision

    proposal = "\n".join(text_blocks(compose_decision(plan, "naapuri", "fi", TemplateSet.load(),
                                                      money, plan.area.date, [])))
    assert "Kunnan arvioitu vuotuinen maksuosuus vuonna 2025 on 312\u00a0345,67\u00a0€" in proposal
    assert "Vuonna 2025 maksuosuudet jaetaan siirtymän mukaan: 50\u00a0% mallin " \
        "”Aiheuttamisperuste”" in proposal


def test_the_documents_show_the_pools(write_plan: Writer) -> None:
    write_plan((FIXTURES / "agreement.yaml").read_text(encoding="utf-8"), name="sopimus.yaml")
    plan = _plan(write_plan, "osat")
    money = compute(plan)
    assert plan.agreement is not None
    langs: tuple[Lang, ...] = ("fi", "sv")
    for lang, head in zip(langs, ("Kustannusten jako osittain, malli: Osittain",
                                  "Kostnadernas fördelning i delar, modell: Delvis"),
                          strict=True):
        assert head in "\n".join(text_blocks(compose_plan(plan, lang, TemplateSet.load(),
                                                          money, plan.area.date)))
        # the agreement states the rule, each part's key in words, not the year's table
        agreement = "\n".join(text_blocks(compose_agreement(
            plan, lang, TemplateSet.load(), money, plan.area.date)))
        assert head not in agreement
    text = "\n".join(text_blocks(compose_plan(plan, "fi", TemplateSet.load(), money,
                                              plan.area.date)))
    assert "Testilä\n214\u00a0285,71\u00a0€\n8\u00a0818,34\u00a0€\n492\u00a0857,14\u00a0€\n" \
        "0,00\u00a0€\n715\u00a0961,19\u00a0€" in text
    assert "Ostopalvelut: Työvoima 100\u00a0%" in text
    from planbuilder.compose import compose_decision

    proposal = "\n".join(text_blocks(compose_decision(plan, "testila", "fi", TemplateSet.load(),
                                                      money, plan.area.date, [])))
    assert "Menoerä\nEuroa\nOstopalvelut\n214\u00a0285,71\u00a0€\nPalkkatuet\n" \
        "8\u00a0818,34\u00a0€\nJakoperusteilla\n492\u00a0857,14\u00a0€\nSuorat kustannukset\n" \
        "0,00\u00a0€\nVuosiosuus\n715\u00a0961,19\u00a0€" in proposal


def test_an_economic_plan_year_by_year(write_plan: Writer) -> None:
    """Plan years 2026-2027 with their own line amounts (overhead 10 % of its base lines):
    net 1 035 000 and 1 068 500. Cost causation keeps the budget year's proportions
    (180:120); the phase-in is at 75 % in 2026 and complete in 2027.
    2026: new 695 285,71 / 339 714,29, old 730 714,29 / 304 285,71 -> rest 1 023 000 shared
    0,75 x 695 285,71 + 0,25 x 730 714,29 = 704 142,855 and 318 857,145 -> a tie of half
    cents goes to the first member: 704 142,86 and 318 857,14 + 12 000.
    2027: 192 000 + 525 714,29 and 128 000 + 210 285,71 + 12 500."""
    folder = write_plan()
    money_text = (FIXTURES / "money.yaml").read_text(encoding="utf-8")
    for old, new in (("htv: 20, cost_per_htv: 30000}", "htv: 20, cost_per_htv: 30000, "
                      "years: {2026: 620000, 2027: 640000}}"),
                     ("amount: 300000}", "amount: 300000, years: {2026: 310000, 2027: 320000}}"),
                     ("charged_to: naapuri}", "charged_to: naapuri, years: {2026: 12000, "
                      "2027: 12500}}")):
        assert old in money_text
        money_text = money_text.replace(old, new)
    start, end = money_text.index("cost_sharing:"), money_text.index("decision:")
    models = MODELS.replace("          by_member: {testila: 180000, naapuri: 120000}\n",
                            "          by_member: {testila: 180000, naapuri: 120000}\n"
                            + PHASE)
    write_plan(money_text[:start] + "cost_sharing:\n  model: aiheuttamis\n  baseline: vaesto\n"
               + models + money_text[end:], name="talous.yaml")
    text = (FIXTURES / "minimal" / "plan.yaml").read_text(encoding="utf-8")
    for anchor, clients in (("      population: {value: 30000,", 1200),
                            ("      population: {value: 12000,", 800)):
        text = text.replace(anchor, f"      asiakkaat: {{value: {clients}}}\n" + anchor, 1)
    write_plan(text)
    write_plan(DECLARED, name="tilastot.yaml")
    loaded = load_plan(folder)
    assert [f.format() for f in check(loaded) if f.severity == "error"] == []
    plan = loaded.plan
    money = compute(plan)
    assert [(y.year, y.budget.net, y.totals) for y in money.years] == [
        (2025, NET, (D("690000.00"), D("312345.67"))),
        (2026, D("1035000.00"), (D("704142.86"), D("330857.14"))),
        (2027, D("1068500.00"), (D("717714.29"), D("350785.71")))]
    # the comparison per year, on that year's budget. 2026, pooled: services 310 000 by
    # labour force 221 428,57 / 88 571,43; subsidy 12 000 by population 8 571,43 / 3 428,57;
    # the rest 713 000 by population 509 285,71 / 203 714,29
    comparison = money.years[1].comparison
    assert comparison is not None
    assert [(a.model.id, a.of("testila"), a.of("naapuri")) for a in comparison.models][:3] == [
        ("vaesto", D("730714.29"), D("304285.71")),
        ("osat", D("739285.71"), D("295714.29")),
        ("aiheuttamis", D("695285.71"), D("339714.29"))]
    text = "\n".join(text_blocks(compose_plan(plan, "fi", TemplateSet.load(), money,
                                              plan.area.date)))
    assert "Kustannustenjakomallien vertailu vuoden 2027 taloussuunnitelman luvuilla " \
        "(vertailumalli: Asukasluku)" in text
    assert "Talousarvio 2025 ja taloussuunnitelma 2026–2027" in text
    assert "Yleiskustannukset\n90\u00a0000,00\u00a0€\n93\u00a0000,00\u00a0€\n96\u00a0000,00\u00a0€" \
        in text
    assert "Naapuri\n312\u00a0345,67\u00a0€\n330\u00a0857,14\u00a0€\n350\u00a0785,71\u00a0€" in text
    from planbuilder.compose import compose_decision

    decision = "\n".join(text_blocks(compose_decision(plan, "naapuri", "fi", TemplateSet.load(),
                                                      money, plan.area.date, [])))
    assert "Taloussuunnitelman mukaan kunnan maksuosuus on vuonna 2026 330\u00a0857,14\u00a0€ ja " \
        "vuonna 2027 350\u00a0785,71\u00a0€. Nämä ovat suunnitelmalukuja" in decision


def test_a_plan_year_missing_from_a_line_is_located(write_plan: Writer) -> None:
    folder = write_plan()
    money_text = (FIXTURES / "money.yaml").read_text(encoding="utf-8").replace(
        "amount: 300000}", "amount: 300000, years: {2026: 310000}}")
    write_plan(money_text, name="talous.yaml")
    found = [f.format() for f in check(load_plan(folder)) if f.severity == "error"]
    assert found == ["plan/talous.yaml:5:7: error PB-BUDGET: line 'henkilosto' has no amount "
                     "for plan year(s) 2026 (years: {year: amount})",
                     "plan/talous.yaml:8:7: error PB-BUDGET: line 'palkkatuki' has no amount "
                     "for plan year(s) 2026 (years: {year: amount})"]


def test_the_comparison_figure_shows_each_members_change(write_plan: Writer) -> None:
    """Moving from the population key to the pooled model: Testilä +8 818,33 € (+1,2 %),
    Naapuri −8 818,33 € (−3,0 %), every euro in (the subsidy counted in both)."""
    from planbuilder.document import Figure

    plan = _plan(write_plan, "osat")
    doc = compose_plan(plan, "fi", TemplateSet.load(), compute(plan), plan.area.date)
    alts = [b.alt for b in doc.blocks if isinstance(b, Figure) and "muuttuvat" in b.alt]
    assert alts == ["Pylväskaavio näyttää, miten kuntien maksuosuudet muuttuvat, kun malli "
                    "”Asukasluku” vaihtuu malliin ”Osittain”. Maksuosuus kasvaa kunnissa "
                    "Testilä (+8\u00a0818\u00a0€, +1,2\u00a0%). Maksuosuus pienenee kunnissa "
                    "Naapuri (\u22128\u00a0818\u00a0€, \u22123,0\u00a0%)."]
