"""One set of figures: the ledger, its rounding policy, and every output reading it.

Every example plan is recomputed by tests/recompute.py, which does not import planbuilder;
every figure of the CSV, the JSON, `budget`, `explain` and the rendered documents (PDF and
DOCX text) is reconciled with the ledger."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from docx import Document as Docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planbuilder.cli import main
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import Document, Table, text_blocks
from planbuilder.load import load_plan
from planbuilder.model import Plan
from planbuilder.money import compute
from planbuilder.money.engine import Money
from planbuilder.money.ledger import ledger_of, parts_of, scenario_key
from planbuilder.money.report import budget_csv, budget_json, explain_text
from planbuilder.money.rounding import controlled
from recompute import recompute
from wordcheck import pdf_pages

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"
EXAMPLES = sorted(p.name for p in PLANS.iterdir() if p.is_dir())
NBSP = "\u00a0"
SCHEMA = json.loads((ROOT / "docs" / "money.schema.json").read_text(encoding="utf-8"))


def _money(name: str) -> Money:
    return compute(load_plan(PLANS / name).plan)


# --- the ledger's own invariants -------------------------------------------------------------


def assert_foots(money: Money) -> None:
    """Every figure within one unit of its exact value; every view foots."""
    ledger = ledger_of(money)
    for e in ledger.entries.values():
        assert abs(e.exact - Fraction(e.amount)) < Fraction(e.unit), e
    committed = [s.member for s in money.summaries]
    for y in money.years:
        models = y.comparison.models if y.comparison else (y.charges,)
        for ch in models:
            assert ch is not None
            key = f"model/{ch.model.id}/{y.year}"
            parts = parts_of(ch)
            for part in [*parts, "total"]:
                assert sum(ledger.amount(f"{key}/{m}/{part}") for m in committed) == \
                    ledger.amount(f"{key}/all/{part}"), (key, part)
            for m in committed:
                assert sum(ledger.amount(f"{key}/{m}/{p}") for p in parts) == \
                    ledger.amount(f"{key}/{m}/total"), (key, m)
            assert ledger.amount(f"{key}/all/total") == ledger.amount(f"budget/{y.year}/net") \
                - sum((v for k, v in money.direct.items() if k not in committed), D(0))
        assert sum(ledger.amount(f"payable/{y.year}/{m}") for m in committed) == \
            ledger.amount(f"payable/{y.year}/all")
        assert sum(ledger.amount(f"percent/{y.year}/{m}") for m in committed) == D(100)
    year = money.plan.area.budget_year
    for m in committed:
        assert sum(ledger.amount(f"advance/{m}/{n}") for n in range(1, 13)) == \
            ledger.amount(f"payable/{year}/{m}")
    for sc in money.scenarios:
        key = f"scenario/{scenario_key(sc.joining)}"
        members = [s.member for s in sc.charges.common.shares]
        assert sum(ledger.amount(f"{key}/{m}") for m in members) == ledger.amount(f"{key}/all")


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_foots_and_is_within_a_unit(name: str) -> None:
    assert_foots(_money(name))


def test_controlled_rounding_foots_both_ways_where_rounding_each_cell_does_not() -> None:
    # three members x three parts, each cell x,5 or so: rounded one by one the rows give
    # 4 (1+1+2 ...) where the exact rows sum to 3,5
    cells = [[Fraction(1, 2), Fraction(1, 2), Fraction(5, 2)],
             [Fraction(1, 2), Fraction(3, 2), Fraction(1)],
             [Fraction(1), Fraction(0), Fraction(1, 2)]]
    columns = [D(2), D(2), D(4)]
    totals, rounded = controlled(cells, columns, D(1))
    assert [sum(col) for col in zip(*rounded, strict=True)] == columns
    assert [sum(row) for row in rounded] == totals
    assert sum(totals) == D(8)
    for row, exact in zip(rounded, cells, strict=True):
        for cell, e in zip(row, exact, strict=True):
            assert abs(Fraction(cell) - e) < 1


# --- an independent recomputation ------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_an_outside_recomputation_agrees_with_the_csv(name: str) -> None:
    money = _money(name)
    rows = list(csv.DictReader(io.StringIO(budget_csv(money))))
    printed = {(int(r["year"]), r["member"], r["model"], r["part"]): r for r in rows}
    payable = {(int(r["year"]), r["member"]): D(r["amount"]) for r in rows
               if r["payable"] == "yes" and r["part"] == "total"}
    unit = Fraction(money.unit)
    checked = 0
    for year, member, model, part, exact in recompute(PLANS / name):
        if model == "payable":
            assert abs(Fraction(payable[year, member]) - exact) < unit, (year, member)
            checked += 1
            continue
        row = printed.get((year, member, model, part))
        if row is None:  # the CSV lists the comparison's models; one model: only that one
            assert money.comparison is None and model != money.charges.model.id
            continue
        assert abs(Fraction(D(row["exact"])) - exact) < Fraction(1, 10**6), (year, member,
                                                                                model, part)
        assert abs(Fraction(D(row["amount"])) - exact) < unit
        checked += 1
    assert checked >= len(money.summaries) * len(money.years)


# --- what the issue found, one test each ----------------------------------------------------


def test_the_archived_csv_states_the_payable_share_the_decision_states() -> None:
    money = _money("jarvilaakso")
    rows = list(csv.DictReader(io.StringIO(budget_csv(money))))
    payable = [r for r in rows if r["member"] == "mantyla" and r["year"] == "2027"
               and r["payable"] == "yes"]
    total = next(r for r in payable if r["part"] == "total")
    assert (total["model"], total["amount"]) == ("payable", "316833")
    advances = [D(r["amount"]) for r in payable if r["part"].startswith("advance_")]
    assert len(advances) == 12 and sum(advances) == D(316833)
    # the model as such is there too, not marked payable
    model = next(r for r in rows if r["member"] == "mantyla" and r["year"] == "2027"
                 and r["model"] == "aiheuttamis" and r["part"] == "total")
    assert (model["amount"], model["payable"]) == ("314082", "no")
    # what the member is charged for its own use (cost causation) has its own row
    own = next(r for r in rows if r["member"] == "mantyla" and r["year"] == "2027"
               and r["model"] == "aiheuttamis" and r["part"] == "palkkatuet")
    assert own["amount"] == "60000"


def test_json_comparison_counts_every_euro_and_validates() -> None:
    data = budget_json(_money("jarvilaakso"))
    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(json.dumps(data)))
    for model, shares in data["comparison"]["models"].items():
        assert sum(D(v) for v in shares.values()) == D(5454000), model


@pytest.mark.parametrize("name", EXAMPLES)
def test_cli_json_of_every_example_validates(name: str, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    assert main(["budget", str(PLANS / name), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    ids = {f["id"] for f in data["figures"]}
    year = data["budget_year"]
    assert all(f"payable/{year}/{m['id']}" in ids for m in data["members"])


def test_explain_shows_every_part_that_makes_the_total() -> None:
    money = _money("jarvilaakso")
    text = explain_text(money, "kallioranta")
    for part in ("Palkkatuet", "Koulutus ja valmennukset (Koulutus- ja valmennuspalvelujen "
                 "asiakkaat 100 %", "Criteria share of the rest", "Costs charged directly"):
        assert part in text, part
    assert "Total under model aiheuttamis: 1 066 369 € * (exact 1 066 368,9022 €)" in text
    assert "Total under model vanha: 963 034 € * (exact 963 034,3170 €)" in text
    assert "The blend, payable: 1 014 702 € * (exact 1 014 701,6096 €)" in text
    assert "Annual total: 1 014 702 € *" in text
    # the parts shown add up to the model's total
    ledger = ledger_of(money)
    key = "model/aiheuttamis/2027/kallioranta"
    assert sum(ledger.amount(f"{key}/{p}") for p in
               ("palkkatuet", "koulutus", "criteria", "direct")) == D(1066369)


def test_scenarios_include_every_part_and_say_the_budget_is_unchanged() -> None:
    money = _money("kuopio")
    ledger = ledger_of(money)
    year = money.plan.area.budget_year
    for s in money.summaries:
        assert ledger.amount(f"scenario/committed/{s.member}") == \
            ledger.amount(f"payable/{year}/{s.member}")
    for sc in money.scenarios:
        assert ledger.amount(f"scenario/{scenario_key(sc.joining)}/all") == money.budget.net
    doc = _plan_doc("kuopio")
    table = _table(doc, "table-scenarios")
    assert table.footer[0][1].text.startswith(f"15{NBSP}826{NBSP}250")
    assert "talousarvio ei muutu" in (table.note or "")


def test_phase_tables_are_labelled_so_a_reader_sees_why_they_differ() -> None:
    doc = _plan_doc("jarvilaakso")
    phase = _table(doc, "table-phase-in")
    heads = [cell.text for cell in phase.header[0]]
    assert f"75{NBSP}% uutta mallia (vuoden 2028 osuus)" in heads
    assert "Maksuosuudet kunkin vuoden omilla taloussuunnitelman luvuilla (2028) ovat " \
        "taulukossa kuntien maksuosuuksista vuosittain" in (phase.note or "")
    pools = _table(doc, "table-pools")
    assert "Taulukko näyttää mallin sellaisenaan" in (pools.note or "")
    years = _table(doc, "table-plan-years-shares")
    assert "Aiheuttamisperusteella jaettavat erät (Palkkatuet) on taloussuunnitelmavuosina " \
        "jaettu kunnille vuoden 2027 talousarvion kuntakohtaisten määrien suhteessa" in \
        (years.note or "")


def test_a_plan_year_comparison_total_is_rounded_from_its_exact_value() -> None:
    doc = _plan_doc("jarvilaakso")
    table = _table(doc, "table-comparison-2028")
    mantyla = next(r for r in table.rows if r[0].text == "Mäntylä")
    assert mantyla[2].text.startswith(f"326{NBSP}273{NBSP}€")  # exact 326 273,07 €


def test_totals_rows_and_the_members_table_carry_the_mark() -> None:
    # Järvilaakso's budget is illustrative: the total of the shares rests on it
    shares = _table(_plan_doc("jarvilaakso"), "table-shares")
    assert shares.footer[0][3].text.endswith("*")
    # Porvoo's budget is not: its shares rest on illustrative statistics, their sum does not
    doc = _plan_doc("porvoo")
    shares = _table(doc, "table-shares")
    assert shares.rows[0][3].text.endswith("*") and not shares.footer[0][3].text.endswith("*")
    members = _table(doc, "table-members")
    assert members.footer[0][3].text.endswith("*")
    assert any(r[3].text.endswith("*") for r in members.rows)


def test_the_terminal_names_illustrative_inputs_in_the_readers_words(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "fi", "budget", str(PLANS / "porvoo")]) == 0
    out = capsys.readouterr().out
    note = out[out.index("* havainnollistava"):]
    assert "members.0" not in note
    assert "Porvoo" in note and "18–64-vuotiaat" in note


# --- every output reads the ledger ------------------------------------------------------------

EURO = re.compile(r"(?<![\d,])[−-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:,\d{2,4})?[ \u00a0]€")


def _norm(text: str) -> str:
    return text.replace(NBSP, " ").replace("\u202f", " ").replace("−", "-")


def _euros_in(text: str) -> list[str]:
    return [_norm(x) for x in EURO.findall(_norm(text))]


def _money_tables(doc: Document) -> list[Table]:
    money = {"table-shares", "table-pools", "table-phase-in", "table-plan-years-shares",
             "table-scenarios", "table-advances", "table-preparation", "table-settlement",
             "table-member-share", "table-member-scenarios", "table-member-advances"}
    return [b for b in doc.blocks if isinstance(b, Table) and (
        b.anchor in money or b.anchor.startswith("table-comparison"))]


def test_every_figure_of_every_document_is_a_ledger_figure_and_is_printed(
        examples_rendered: dict[str, tuple[Document, bytes, bytes]]) -> None:
    monies = {name: _money(name) for name in EXAMPLES}
    checked = 0
    for key, (doc, docx, pdf) in examples_rendered.items():
        if doc.meta.kind == "amendment":
            # the changes appendix shows the agreement in force's figures as deleted text
            # (Word's w:delText), which no DOCX table text reads; its figures are those of
            # the agreement composed from the ledger, checked as the agreement itself
            continue
        name = key.split("/")[0]
        money = monies[name]
        known = {_norm(_fmt(e.amount, money)) for e in ledger_of(money).entries.values()
                 if e.kind == "eur"} | {_norm(_fmt(e.amount, money, False))
                                        for e in ledger_of(money).entries.values()
                                        if e.kind == "eur"}
        tables = _money_tables(doc)
        figures = [x for t in tables for row in (*t.rows, *t.footer) for cell in row
                   for x in _euros_in(cell.text)]
        unknown = sorted({x for x in figures if x not in known})
        assert not unknown, (key, unknown[:5])
        if not figures:  # no money table (a report): nothing to find in its pages
            continue
        pdf_text = _norm(" ".join(pdf_pages(pdf)))
        pdf_figures = _euros_in(pdf_text)
        _subsequence(figures, pdf_figures, key + ".pdf")
        if docx:
            d = Docx(io.BytesIO(docx))
            words = " ".join(cell.text for t in d.tables for row in t.rows for cell in row.cells)
            _subsequence(figures, _euros_in(words), key + ".docx")
        checked += len(figures)
    assert checked > 500


def _fmt(value: D, money: Money, cents: bool = True) -> str:
    from planbuilder import fmt

    whole = money.unit == D(1) or not cents
    return fmt.euros(value, "fi", not whole)


def _subsequence(wanted: list[str], found: list[str], where: str) -> None:
    i = 0
    for x in wanted:
        try:
            i = found.index(x, i) + 1
        except ValueError:
            pytest.fail(f"{where}: {x} not printed where the document tree has it")


# --- a property test over generated plans -----------------------------------------------------

STATS = ["population", "population_18_64", "broad_unemployment", "foreign_language"]


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    base = yaml.safe_load((ROOT / "tests" / "fixtures" / "minimal" / "plan.yaml")
                          .read_text(encoding="utf-8"))
    n = draw(st.integers(min_value=2, max_value=6))
    members = []
    for i in range(n):
        members.append({"id": f"k{i}", "name": f"Kunta {i}", "language": "fi",
                        "membership": "committed" if i < 2 or not draw(st.booleans())
                        else "optional",
                        "statistics": {s: {"value": draw(st.integers(
                                           1, 3_000 if s == "foreign_language" else 90_000))}
                                       for s in ["labour_force", *STATS]}})
    committed = [m["id"] for m in members if m["membership"] == "committed"]
    unit = draw(st.sampled_from(["0.01", "1"]))
    years = draw(st.sampled_from([[], [2026], [2026, 2027]]))

    def amount() -> int:
        return draw(st.integers(10_000, 5_000_000))

    def yearly() -> dict[int, int]:
        return {y: amount() for y in years}

    lines: list[dict[str, Any]] = [
        {"id": "staff", "kind": "personnel", "label": "Henkilöstö", "htv": draw(
            st.integers(1, 80)), "cost_per_htv": draw(st.integers(40_000, 80_000)),
         "years": yearly()},
        {"id": "buy", "kind": "purchased_services", "label": "Ostot",
         "amount": amount() + 1_000_000, "years": {y: amount() + 1_000_000 for y in years}},
        {"id": "over", "kind": "overhead", "label": "Yleis", "rate": draw(st.integers(1, 15)),
         "base": ["staff", "buy"]},
        {"id": "own", "kind": "grants", "label": "Palkkatuet", "amount": 0,
         "years": yearly()},
    ]
    if draw(st.booleans()):
        lines.append({"id": "direct", "kind": "grants", "label": "Suora", "amount": amount(),
                      "charged_to": committed[0], "years": yearly()})
    if draw(st.booleans()):
        lines.append({"id": "esr", "kind": "income", "label": "ESR", "amount": draw(
            st.integers(0, 10_000)), "years": {y: 5_000 for y in years}})
    split = [draw(st.integers(0, 100_000)) for _ in committed]
    lines[3]["amount"] = sum(split)
    for line in lines:
        if not years:
            line.pop("years", None)
    weight = draw(st.integers(1, 99))
    old: dict[str, Any] = {"id": "old", "name": "Vanha", "criteria": [
        {"statistic": "population", "weight": weight},
        {"statistic": "broad_unemployment", "weight": 100 - weight}]}
    new: dict[str, Any] = {"id": "new", "name": "Uusi", "criteria": [{"statistic": "broad_unemployment",
                                                      "weight": 100}],
           "pools": [{"id": "own", "label": "Palkkatuet", "lines": ["own"],
                      "by_member": dict(zip(committed, split, strict=True))},
                     {"id": "buy", "label": "Ostot", "lines": ["buy"], "criteria": [
                         {"statistic": "foreign_language", "weight": 100}]},
                     {"id": "price", "label": "Hinta", "price": draw(st.decimals(
                         "0.01", "40", places=2)), "volume": "foreign_language"}]}
    if not any(split):
        new["pools"] = new["pools"][1:]
    if draw(st.booleans()):
        new["phase_in"] = {"from_model": "old", "percent": {
            2025: draw(st.integers(1, 99)), **{y: draw(st.integers(1, 99)) for y in years}}}
    base.update({"members": members,
                 "budget": {"precision": unit, "lines": lines},
                 "cost_sharing": {"model": draw(st.sampled_from(["old", "new"])),
                                  "models": [old, new], "baseline": "old"}})
    return Plan.model_validate(base)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plans())
def test_every_view_of_any_plan_foots_and_is_within_a_unit(plan: Plan) -> None:
    from planbuilder.errors import MoneyError

    try:
        money = compute(plan)
    except MoneyError:  # e.g. a price pool that costs more than the budget: a located error
        return
    assert_foots(money)


# --- helpers ----------------------------------------------------------------------------------


def _plan_doc(name: str) -> Document:
    from planbuilder.compose.documents import compose_plan

    plan = load_plan(PLANS / name).plan
    return compose_plan(plan, "fi", TemplateSet.load(), compute(plan), plan.area.date)


def _table(doc: Document, anchor: str) -> Table:
    return next(b for b in doc.blocks if isinstance(b, Table) and b.anchor == anchor)


def test_text_blocks_of_the_plan_carry_the_ledgers_shares() -> None:
    doc = _plan_doc("porvoo")
    text = _norm(" ".join(text_blocks(doc)))
    money = _money("porvoo")
    year = money.plan.area.budget_year
    for s in money.summaries:
        assert _norm(_fmt(ledger_of(money).amount(f"payable/{year}/{s.member}"), money)) in text


@pytest.mark.parametrize("name", EXAMPLES)
def test_budget_and_explain_print_only_ledger_figures(
        name: str, capsys: pytest.CaptureFixture[str]) -> None:
    money = _money(name)
    known = {_norm(_fmt(e.amount, money)) for e in ledger_of(money).entries.values()} | {
        _norm(_fmt(abs(e.amount), money)) for e in ledger_of(money).entries.values()}
    given = {_norm(_fmt(r.line.cost_per_htv, money)) for r in money.budget.lines
             if r.line.cost_per_htv} | {_norm(_fmt(p.pool.price, money))
                                         for p in money.charges.pools if p.pool.price}
    assert main(["budget", str(PLANS / name)]) == 0
    out = capsys.readouterr().out
    assert not sorted(set(_euros_in(out)) - known - given)
    member = money.summaries[-1].member
    assert main(["explain", str(PLANS / name), member]) == 0
    out = capsys.readouterr().out
    # explain shows each criterion's exact euros too; every rounded figure is the ledger's
    rounded = [x for x in _euros_in(out) if not re.search(r",\d{4} €$", x)]
    assert not sorted(set(rounded) - known - given), member
