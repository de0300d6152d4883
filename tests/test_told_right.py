"""What validate tells a preparer, and what the documents say, where a new user of the
format was told wrong or not told (issue 27): the decision block, the staff total, the budget
year, the parties clause's own text and the illustrative seats in the decision items."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from planbuilder.compose.documents import compose_decision
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import text_blocks
from planbuilder.load import load_plan
from planbuilder.money import compute
from planbuilder.rules import check

Writer = Callable[..., Path]
FIXTURES = Path(__file__).parent / "fixtures"
AGREEMENT = (FIXTURES / "agreement.yaml").read_text(encoding="utf-8")
MONEY = (FIXTURES / "money.yaml").read_text(encoding="utf-8")


def found(write_plan: Writer, rule: str, *, plan: tuple[str, str] | None = None,
          agreement: str | None = AGREEMENT, money: str = MONEY) -> list[str]:
    folder = write_plan(replace=plan)
    if agreement is not None:
        write_plan(agreement, name="sopimus.yaml")
    else:
        (folder / "sopimus.yaml").unlink(missing_ok=True)
    write_plan(money, name="talous.yaml")
    return [f.format() for f in check(load_plan(folder)) if f.rule == rule]


def _without_decision(money: str) -> str:
    return money[:money.index("decision:")]


def test_an_agreement_without_a_decision_block_is_asked_for_one(write_plan: Writer) -> None:
    assert found(write_plan, "PB-DECISION", money=_without_decision(MONEY)) == [
        "plan/plan.yaml:1:1: warning PB-DECISION: no decision: block, so no council decision "
        "proposals are built: add one (body, matter, background, appeal_court, members; "
        "`planbuilder new` writes a skeleton)"]
    assert found(write_plan, "PB-DECISION") == []
    # a draft plan without an agreement is not yet going to the councils
    assert found(write_plan, "PB-DECISION", agreement=None, money=_without_decision(MONEY)) == []


def test_the_staff_list_and_the_personnel_lines_count_the_same_htv(write_plan: Writer) -> None:
    assert found(write_plan, "PB-STAFF-HTV") == []  # 20 and 20
    assert found(write_plan, "PB-STAFF-HTV", plan=("htv: 20", "htv: 20.5")) == [
        "plan/plan.yaml:34:5: warning PB-STAFF-HTV: the staff list totals 20,5 htv but the "
        "budget's personnel lines henkilosto 20 htv: make them agree"]
    # a personnel line given as an amount says no person-years: nothing to compare
    money = MONEY.replace("htv: 20, cost_per_htv: 30000}", "amount: 600000}")
    assert found(write_plan, "PB-STAFF-HTV", plan=("htv: 20", "htv: 20.5"), money=money) == []


def test_the_budget_year_fits_the_date_and_the_agreement(write_plan: Writer) -> None:
    assert found(write_plan, "PB-BUDGET-YEAR") == []
    assert found(write_plan, "PB-BUDGET-YEAR", plan=("budget_year: 2025", "budget_year: 2023")) \
        == ["plan/plan.yaml:8:3: warning PB-BUDGET-YEAR: the budget year 2023 is before the "
            "plan's date 31.5.2024: is area.budget_year the year the budget is for?",
            "plan/plan.yaml:8:3: warning PB-BUDGET-YEAR: the budget year 2023 is before the "
            "agreement takes effect on 1.1.2025: the joint body has no budget for 2023"]


def test_an_own_text_naming_the_parties_is_warned_of(write_plan: Writer) -> None:
    naming = AGREEMENT.replace("text: Sopimuksen osapuolina ovat seuraavat kunnat.}",
                               "text: Sopijaosapuolina ovat Testilä ja Naapuri.}")
    assert found(write_plan, "PB-AGR-ONCE", agreement=naming) == [
        "plan/sopimus.yaml:12:62: warning PB-AGR-ONCE: clause 'osapuolet' names the parties "
        "(testila, naapuri) that planbuilder lists after its text: write only an introduction "
        "to the list, or leave the text out"]
    # an introduction to the list, or what the list does not say, is no repeat
    assert found(write_plan, "PB-AGR-ONCE") == []
    own = AGREEMENT.replace("text: Sopimuksen osapuolina ovat seuraavat kunnat.}",
                            "text: Muut kunnat voivat liittyä myöhemmin.}")
    assert found(write_plan, "PB-AGR-ONCE", agreement=own) == []


def test_illustrative_seats_are_marked_in_the_decision_items(write_plan: Writer) -> None:
    folder = write_plan()
    write_plan(AGREEMENT.replace("{appointed_by: naapuri, members: 2}",
                                 "{appointed_by: naapuri, members: 2, illustrative: true}"),
               name="sopimus.yaml")
    write_plan(MONEY, name="talous.yaml")
    plan = load_plan(folder).plan
    money = compute(plan)
    text = "\n".join(text_blocks(compose_decision(plan, "naapuri", "fi", TemplateSet.load(),
                                                  money, plan.area.date, [])))
    assert "valitsee yhteiseen toimielimeen 2* jäsentä ja kullekin henkilökohtaisen " \
        "varajäsenen." in text
    assert "* Havainnollistava: ei vielä sovittu; lopullinen tieto päätetään valmistelussa." \
        in text
    host = "\n".join(text_blocks(compose_decision(plan, "testila", "fi", TemplateSet.load(),
                                                  money, plan.area.date, [])))
    assert "jäsentä ja kullekin" in host and "* Havainnollistava: ei vielä sovittu" not in host
