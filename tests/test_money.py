"""Money: budgets, shares, comparison, scenarios, advances and settlement, to the cent."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest

from planbuilder.cli import main
from planbuilder.errors import MoneyError, PlanLoadError
from planbuilder.load import load_plan
from planbuilder.model import Plan, Settlement
from planbuilder.money import advances, allocate, compute, largest_remainder
from planbuilder.money.report import budget_csv, budget_json, explain_text
from planbuilder.rules import check

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def porvoo() -> Plan:
    return load_plan(ROOT / "plans" / "porvoo").plan


@pytest.fixture(scope="module")
def small() -> Plan:
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp())
    shutil.copy(FIXTURES / "minimal" / "plan.yaml", folder)
    shutil.copy(FIXTURES / "money.yaml", folder)
    return load_plan(folder).plan


def test_porvoo_budget_as_the_council_saw_it(porvoo: Plan) -> None:
    money = compute(porvoo)
    lines = {r.line.id: r.amount for r in money.budget.lines}
    assert lines == {"siirtyva": D("4313253"), "lisahenkilosto": D("1461286"),
                     "avustukset": D("3298868"), "yleiskustannukset": D("1088809")}
    assert money.budget.net == D("10162216")
    assert sum(s.total for s in money.summaries) == D("10162216.00")


def test_porvoo_shares_45_45_10(porvoo: Plan) -> None:
    money = compute(porvoo)
    shares = {s.member: s.total for s in money.summaries}
    # exact shares 5 633 282,85 and 2 052 493,12 €; the plan keeps whole euros (precision
    # "1"), so they are rounded by largest remainder to whole euros that still foot
    assert shares["porvoo"] == D("5633283")
    assert shares["sipoo"] == D("2052493")
    assert sum(shares.values()) == D("10162216")
    porvoo_share = next(s for s in money.summaries if s.member == "porvoo")
    assert porvoo_share.advances == (D("469441"),) * 3 + (D("469440"),) * 9
    assert all(a == a.to_integral_value() for s in money.summaries for a in s.advances)


def test_small_plan_by_hand(small: Plan) -> None:
    money = compute(small)
    b = money.budget
    assert [r.amount for r in b.lines] == [D("600000.00"), D("300000.00"), D("90000.00"),
                                           D("12345.67")]
    assert (b.costs, b.net, b.shared) == (D("1002345.67"), D("1002345.67"), D("990000.00"))
    # 990 000 x 30 000 / 42 000 = 707 142.857... ; 990 000 x 12 000 / 42 000 = 282 857.142...
    assert [(s.member, s.shared, s.direct, s.total) for s in money.summaries] == [
        ("testila", D("707142.86"), D("0.00"), D("707142.86")),
        ("naapuri", D("282857.14"), D("12345.67"), D("295202.81"))]
    assert money.summaries[1].advances == (D("24600.24"),) * 5 + (D("24600.23"),) * 7


def test_largest_remainder_ties_go_to_the_first() -> None:
    assert largest_remainder(D("1.00"), [Fraction(1)] * 3) == [D("0.34"), D("0.33"),
                                                               D("0.33")]
    assert largest_remainder(D("0.05"), [Fraction(1), Fraction(1)]) == [D("0.03"), D("0.02")]


def test_advances_sum_to_the_share() -> None:
    assert advances(D("100.05")) == [D("8.34")] * 9 + [D("8.33")] * 3
    assert sum(advances(D("100.05"))) == D("100.05")


def test_comparison_against_baseline(porvoo: Plan) -> None:
    cmp = compute(porvoo).comparison
    assert cmp is not None and cmp.baseline == "asukasluku"
    diff, pct = cmp.difference("porvoo_45_45_10", "askola")
    assert (diff, pct) == (D("-54961"), D("-11.2"))


def test_kuopio_scenarios_and_direct_costs() -> None:
    money = compute(load_plan(ROOT / "plans" / "kuopio").plan)
    # committed only, each optional member joining alone, all three joining
    assert [s.joining for s in money.scenarios] == [
        (), ("leppavirta",), ("keitele",), ("rautavaara",),
        ("leppavirta", "keitele", "rautavaara")]
    committed, leppavirta, keitele, _, everyone = (s.allocation for s in money.scenarios)
    assert {s.member for s in committed.shares} == {
        "kuopio", "lapinlahti", "siilinjarvi", "suonenjoki", "tuusniemi", "kaavi",
        "rautalampi", "tervo", "vesanto"}
    assert len(leppavirta.shares) == 10 and len(everyone.shares) == 12
    for a in (committed, leppavirta, keitele, everyone):
        assert sum(s.amount for s in a.shares) == money.budget.shared
    assert money.direct == {"kuopio": D("1250000"), "siilinjarvi": D("120000")}
    kuopio = money.member_summary("kuopio")
    assert kuopio is not None and kuopio.total == kuopio.shared + D("1250000")
    # an optional member's own figure is its share if it alone joins, not if all join
    optional = money.member_summary("keitele")
    assert optional is not None and optional.total == keitele.of("keitele") == D("125372")
    assert everyone.of("keitele") < keitele.of("keitele")
    # and a committed member's share falls when others join
    assert everyone.of("tervo") < committed.of("tervo")


def test_settlement_balances(porvoo: Plan) -> None:
    s = compute(porvoo).settlement
    assert s is not None
    assert s.surplus == D("287716")  # budgeted 10 162 216 - actual 9 874 500
    assert sum(r.balance for r in s.rows) == D("-287716.00")
    assert {r.member: r.balance for r in s.rows}["porvoo"] == D("-196366")


def test_the_settlement_differences_are_signed_and_explained(porvoo: Plan) -> None:
    """Porvoo plan: each member's difference carries its sign (Loviisa paid less than its
    share: +10 746 €, Porvoo more: −196 366 €), the note says what + and − mean, and the
    preparation costs' division cites the source document that agrees it."""
    from planbuilder.compose import compose_plan
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import Table, text_blocks

    for lang, head, sign, source in (
            ("fi", "Erotus (+/−)", "Plusmerkkinen erotus (+) tarkoittaa, että kunta maksoi "
             "ennakkoina osuuttaan vähemmän, miinusmerkkinen (−), että se maksoi osuuttaan "
             "enemmän.", "Lähde: Porvoon työllisyysalueen TE-palvelujen "
             "järjestämissuunnitelman valmisteluaineisto 31.5.2023, kohta 2d"),
            ("sv", "Skillnad (+/−)", "En positiv skillnad (+) betyder att kommunen i förskott "
             "betalade mindre än sin andel, en negativ (−) att den betalade mer.",
             "Källa: Beredningsmaterialet för organiseringsplanen för TE-tjänsterna i Borgå "
             "sysselsättningsområde 31.5.2023, punkt 2d")):
        doc = compose_plan(porvoo, lang, TemplateSet.load(), compute(porvoo),  # type: ignore[arg-type]
                           porvoo.area.date)
        table = next(b for b in doc.blocks if isinstance(b, Table)
                     and b.anchor == "table-settlement")
        assert table.header[0][3].text == head
        balance = {r[0].text: r[3].text for r in table.rows}
        assert balance["Loviisa" if lang == "fi" else "Lovisa"] == "+10\u00a0746\u00a0€*"
        assert balance["Porvoo" if lang == "fi" else "Borgå"] == "−196\u00a0366\u00a0€*"
        assert sign in table.note
        assert source in " ".join(text_blocks(doc))


def test_carry_forward_is_the_agreements_term(porvoo: Plan) -> None:
    """Porvoo's agreement carries a surplus forward (seed 2d item 5); the plan says so with
    the amount instead of billing or refunding each member's difference."""
    from planbuilder.compose import compose_plan
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import text_blocks

    assert porvoo.cost_sharing is not None
    s = compute(porvoo).settlement
    assert s is not None and s.carry_forward and s.surplus == D("287716")
    text = " ".join(text_blocks(compose_plan(porvoo, "fi", TemplateSet.load(), compute(porvoo),
                                             porvoo.area.date)))
    # one rule with the agreement: billed or paid back unless carried forward by joint decision
    assert "Plusmerkkinen erotus laskutetaan kunnalta ja miinusmerkkinen palautetaan kunnalle, " \
        "jolleivat kunnat sopimuksen mukaisesti yhteisellä päätöksellä siirrä ylijäämää " \
        "287\u00a0716\u00a0€* seuraaville vuosille; silloin erotuksia ei laskuteta eikä " \
        "palauteta." in text
    assert "ylijäämä siirretään" not in text.lower()
    terms = porvoo.cost_sharing.terms.model_copy(update={"carry_forward": False})
    paying = porvoo.model_copy(update={"cost_sharing": porvoo.cost_sharing.model_copy(
        update={"terms": terms})})
    settled = compute(paying).settlement
    assert settled is not None and not settled.carry_forward
    text = " ".join(text_blocks(compose_plan(paying, "fi", TemplateSet.load(), compute(paying),
                                             paying.area.date)))
    assert "Plusmerkkinen erotus laskutetaan kunnalta ja miinusmerkkinen palautetaan kunnalle. " \
        "Vuoden 2025 tasaus tehdään viimeistään 31.3.2026." in text
    assert "Ylijäämä" not in text


def test_reports(small: Plan) -> None:
    money = compute(small)
    data = budget_json(money)
    assert data["budget"]["net"] == "1002345.67"
    assert data["members"][1]["total"] == "295202.81"
    rows = budget_csv(money).splitlines()
    assert rows[:7] == [
        "year,member,model,part,amount,exact,payable,illustrative",
        "2025,testila,vaesto,criteria,707142.86,707142.857143,no,no",
        "2025,testila,vaesto,direct,0.00,0.000000,no,no",
        "2025,testila,vaesto,total,707142.86,707142.857143,yes,no",
        "2025,testila,payable,advance_01,58928.58,58928.571667,yes,no",
        "2025,testila,payable,advance_02,58928.58,58928.571667,yes,no",
        "2025,testila,payable,advance_03,58928.57,58928.571667,yes,no",
    ]
    assert "2025,naapuri,vaesto,direct,12345.67,12345.670000,no,no" in rows
    assert "2025,naapuri,vaesto,total,295202.81,295202.812857,yes,no" in rows
    assert "2025,naapuri,payable,advance_12,24600.23,24600.234167,yes,no" in rows
    text = explain_text(money, "naapuri")
    assert "- population weight 100 %: 12 000 of 42 000 = 28,5714 % -> 282 857,1429 €  " \
        "[31.12.2023; Tilastokeskus]" in text
    assert "- Costs charged directly to the member: 12 345,67 € (exact 12 345,6700 €)" in text
    assert "Annual total: 295 202,81 €" in text


def test_budget_and_explain_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["budget", str(ROOT / "plans" / "porvoo")]) == 0
    out = capsys.readouterr().out
    assert "yleiskustannukset  Yleiskustannukset" in out and "1 088 809 €" in out
    assert "10 162 216 €" in out
    assert "5 633 283 € *" in out  # a share resting on illustrative statistics is marked
    assert "* illustrative: the figure rests on inputs that are not from their source" in out
    assert main(["explain", str(ROOT / "plans" / "kuopio"), "Siilinjärvi"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Siilinjärvi: share of Kuopion työllisyysalue 2025")
    assert "- Costs charged directly to the member: 120 000 € (exact 120 000,0000 €)" in out
    # an optional member: its share if it joins, and its share in every scenario
    assert main(["explain", str(ROOT / "plans" / "kuopio"), "leppavirta"]) == 0
    out = capsys.readouterr().out
    assert "Leppävirta is an optional member" in out
    assert "- committed only: not a member" in out
    assert "- + Leppävirta: 575 527 € *" in out
    assert "Monthly advances: January–July 47 961 € *, August–December 47 960 € *" in out
    assert main(["explain", str(ROOT / "plans" / "kuopio"), "Helsinki"]) == 2
    assert "no member 'Helsinki'" in capsys.readouterr().err


# --- rules and located errors -----------------------------------------------------------


@pytest.fixture
def money_plan(write_plan: Callable[..., Path]) -> Callable[[str, str], list[str]]:
    def run(old: str, new: str) -> list[str]:
        folder = write_plan()
        text = (FIXTURES / "money.yaml").read_text(encoding="utf-8")
        assert old in text
        write_plan(text.replace(old, new), name="money.yaml")
        try:
            loaded = load_plan(folder)
        except PlanLoadError as exc:
            return [f.format() for f in exc.findings]
        return [f.format() for f in check(loaded) if f.severity == "error"]

    return run


def test_weights_not_100(money_plan: Callable[[str, str], list[str]]) -> None:
    assert money_plan("{statistic: population, weight: 100}",
                      "{statistic: population, weight: 90}") == [
        "plan/money.yaml:14:7: error PB-COST-WEIGHTS: weights of cost-sharing model 'vaesto' "
        "total 90 %, not 100 %"]


def test_kuopio_seed_kombi4_totals_90(copy_example: Callable[[str], Path]) -> None:
    folder = copy_example("kuopio")
    money = folder / "money.yaml"
    money.write_text(money.read_text(encoding="utf-8").replace(
        "        - {statistic: population_18_64, weight: 10}\n  preparation:",
        "  preparation:"), encoding="utf-8")
    errors = [f.format() for f in check(load_plan(folder)) if f.rule == "PB-COST-WEIGHTS"]
    assert errors == ["plans/kuopio/money.yaml:50:7: error PB-COST-WEIGHTS: weights of "
                      "cost-sharing model 'kombi4' total 90 %, not 100 %"]


def test_statistic_missing(money_plan: Callable[[str, str], list[str]]) -> None:
    assert money_plan("{statistic: population, weight: 100}",
                      "{statistic: foreign_language, weight: 100}") == [
        "plan/money.yaml:14:19: error PB-COST-STAT: model 'vaesto' shares by "
        "'foreign_language', which member(s) testila, naapuri lack"]


def test_negative_amount_is_located(money_plan: Callable[[str, str], list[str]]) -> None:
    assert money_plan("amount: 300000}", "amount: -300000}") == [
        "plan/money.yaml:6:100: error SCHEMA-TYPE: amount: input should be greater than or "
        "equal to 0 (got -300000)"]


def test_income_larger_than_costs(money_plan: Callable[[str, str], list[str]]) -> None:
    errors = money_plan("    - {id: palkkatuki,", "    - {id: valtio, kind: income, label: "
                        "Valtio, amount: 5000000}\n    - {id: palkkatuki,")
    assert errors == ["plan/money.yaml:4:3: error PB-BUDGET: the amount to share is negative "
                      "(-4010000.00)"]


def test_line_lacking_amount_and_bad_refs(money_plan: Callable[[str, str], list[str]]) -> None:
    assert money_plan("htv: 20, cost_per_htv: 30000}", "htv: 20}") == [
        "plan/money.yaml:5:7: error PB-BUDGET: line 'henkilosto' needs an amount or htv and "
        "cost_per_htv"]
    assert money_plan("charged_to: naapuri}", "charged_to: kaukola}") == [
        "plan/money.yaml:8:101: error PB-BUDGET: line 'palkkatuki' is charged to 'kaukola', "
        "which is not a member"]
    assert money_plan("  model: vaesto", "  model: vaesto2") == [
        "plan/money.yaml:10:3: error PB-COST-MODEL: model 'vaesto2' is not one of the models "
        "(vaesto)"]


def test_money_error_is_named_not_a_traceback(small: Plan) -> None:
    assert small.cost_sharing is not None
    model = small.cost_sharing.models[0]
    with pytest.raises(MoneyError, match=r"shares by 'jobs', which member\(s\) testila, naapuri lack"):
        allocate(model.model_copy(update={"criteria": [
            model.criteria[0].model_copy(update={"statistic": "jobs"})]}),
            D(100), small.members)


def test_settlement_reports_forecast_fallbacks_and_budgeted_direct_costs(
        porvoo: Plan) -> None:
    from planbuilder.rules.money import settlement_actuals

    assert [v.message.text() for v in settlement_actuals(porvoo)] == [
        "actual statistics for 3 of 7 members; askola, lapinjarvi, myrskyla, pukkila are "
        "settled on forecast figures"]
    kuopio = load_plan(ROOT / "plans" / "kuopio").plan
    assert kuopio.cost_sharing is not None
    settled = kuopio.model_copy(update={"cost_sharing": kuopio.cost_sharing.model_copy(update={
        "settlement": Settlement(actual_costs=D("15000000"))})})
    assert [v.message.text() for v in settlement_actuals(settled)] == [
        "directly charged costs of kuopio, siilinjarvi are settled as budgeted; record "
        "actual_direct"]
    # with actual direct costs, the settlement charges them as they were
    s = settled.cost_sharing
    assert s is not None and s.settlement is not None
    actual = settled.model_copy(update={"cost_sharing": s.model_copy(update={
        "settlement": s.settlement.model_copy(update={
            "actual_direct": {"kuopio": D("1300000"), "siilinjarvi": D("100000")}})})})
    result = compute(actual).settlement
    assert result is not None
    assert sum(r.actual for r in result.rows) == D("15000000")
    assert list(settlement_actuals(actual)) == []
