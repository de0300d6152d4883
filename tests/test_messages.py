"""The message catalogues: every message in fi, sv and en with the same values to fill in;
every key the code names exists; the reader's language follows --lang, PLANBUILDER_LANG
and the locale."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from planbuilder.load import load_plan
from planbuilder.messages import (
    MESSAGE_LANGS,
    CatalogueError,
    Msg,
    catalogue,
    from_environment,
    msg,
    placeholders,
)
from planbuilder.rules import check

SRC = Path(__file__).resolve().parent.parent / "src" / "planbuilder"


@pytest.mark.parametrize("lang", [lang for lang in MESSAGE_LANGS if lang != "en"])
def test_no_catalogue_lacks_a_key_or_has_one_too_many(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    assert sorted(set(english) - set(other)) == [], f"missing in {lang}"
    assert sorted(set(other) - set(english)) == [], f"only in {lang}"


@pytest.mark.parametrize("lang", [lang for lang in MESSAGE_LANGS if lang != "en"])
def test_every_translation_fills_in_the_same_values(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    differ = {k: (sorted(placeholders(v)), sorted(placeholders(other[k])))
              for k, v in english.items() if k in other
              and placeholders(v) != placeholders(other[k])}
    assert differ == {}


@pytest.mark.parametrize("lang", MESSAGE_LANGS)
def test_no_translation_is_left_empty_where_english_says_something(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    assert sorted(k for k, v in english.items() if v.strip() and not other[k].strip()) == []


def _named_keys() -> set[str]:
    """Every message key written literally in the code: the first argument of msg(), t() or
    Msg() where the module imports them from planbuilder.messages (a rule's title and
    explanation are checked by the rules' own test)."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.asname or a.name for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module == "planbuilder.messages"
                 for a in node.names} & {"msg", "t", "Msg"}
        if path.name == "messages.py":
            names = {"msg", "t", "Msg"}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id in names and node.args and \
                    isinstance(node.args[0], ast.Constant) and \
                    isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    named = _named_keys()
    assert len(named) > 100  # the scan finds the code's messages
    assert sorted(named - set(catalogue("en"))) == []


def test_every_message_key_is_used_somewhere() -> None:
    """A message the code never names is dead text a translator would keep up for nothing.
    Keys made at run time (a rule's texts, a severity, a kind) are named by their prefix."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    dynamic = set(re.findall(r'f"([a-z_]+(?:\.[A-Za-z_{}.-]+)*?)\.?\{', source))
    unused = sorted(k for k in catalogue("en") if k not in source
                    and not k.startswith("rules.")  # rules' titles: by rule id
                    and not any(k.startswith(d.split("{")[0]) for d in dynamic if d))
    assert unused == []


@pytest.mark.parametrize(("env", "expected"), [
    ({"PLANBUILDER_LANG": "sv", "LANG": "fi_FI.UTF-8"}, "sv"),
    ({"LANG": "fi_FI.UTF-8"}, "fi"),
    ({"LC_ALL": "sv_FI.UTF-8", "LANG": "fi_FI.UTF-8"}, "sv"),
    ({"LANGUAGE": "sv:fi", "LANG": "fi_FI.UTF-8"}, "sv"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_language_follows_the_environment(env: dict[str, str], expected: str) -> None:
    assert from_environment(env) == expected


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(CatalogueError, match="unknown language 'de'"):
        from_environment({"PLANBUILDER_LANG": "de"})


def test_a_message_is_worded_in_each_language_with_amounts_as_in_finland() -> None:
    m = msg("common.did_you_mean", option="budget")
    assert m.text("en") == " (did you mean 'budget'?)"
    assert m.text("fi") == " (tarkoititko 'budget'?)"
    assert m.text("sv") == " (menade du 'budget'?)"
    assert Msg.from_data(m.as_data()) == m
    listed = msg("rules.PB-AGR-HEADINGS.missing", kinds=[
        msg("common.clause_kind_named", kind=k, name=msg(f"common.clause_kind.{k}"))
        for k in ("takeover_right", "disputes")])
    assert Msg.from_data(listed.as_data()) == listed  # as the build cache keeps it
    assert listed.text("fi").endswith("takeover_right (otto-oikeus), disputes "
                                      "(erimielisyyksien ratkaiseminen)")
    assert listed.text("sv").endswith("takeover_right (upptagningsrätt), disputes (lösning av "
                                      "tvister)")


def test_a_money_finding_with_an_amount_is_worded_in_finnish_and_swedish(
        write_plan: Callable[..., Path]) -> None:
    """A real PB-BUDGET finding: the amount, raw in English, is in euros as in Finland."""
    from planbuilder.load import load_plan
    from planbuilder.rules import check

    folder = write_plan()
    fixture = SRC.parent.parent / "tests" / "fixtures" / "money.yaml"
    text = fixture.read_text(encoding="utf-8")
    write_plan(text.replace("    - {id: palkkatuki,", "    - {id: valtio, kind: income, label: "
                            "Valtio, amount: 5000000}\n    - {id: palkkatuki,"),
               name="money.yaml")
    [found] = [f for f in check(load_plan(folder)) if f.rule == "PB-BUDGET"]
    assert found.text("en") == "the amount to share is negative (-4010000.00)"
    assert found.text("fi") == "jaettava summa on negatiivinen (\u22124\u00a0010\u00a0000\u00a0€)"
    assert found.text("sv") == \
        "beloppet som ska fördelas är negativt (\u22124\u00a0010\u00a0000\u00a0€)"


def test_a_gender_balance_finding_is_worded_in_finnish_and_swedish(
        write_plan: Callable[..., Path]) -> None:
    """L609-4A on a real plan: the group that is too few is a message of its own, worded in
    the reader's language, also after the finding has been through the build cache."""
    agreement = (Path(__file__).parent / "fixtures" / "agreement.yaml").read_text(
        encoding="utf-8").replace(
        "members: 3, chair: true, vice_chair: true}",
        "members: 3, chair: true, vice_chair: true, named: [{gender: female}, {gender: male}, "
        "{gender: male}]}").replace(
        "{appointed_by: naapuri, members: 2}",
        "{appointed_by: naapuri, members: 2, named: [{gender: male}, {gender: male}]}")
    folder = write_plan()
    write_plan(agreement, name="sopimus.yaml")
    (finding,) = [f for f in check(load_plan(folder)) if f.rule == "L609-4A"]
    assert finding.format("fi") == (
        "plan/sopimus.yaml:7:3: virhe L609-4A: naisjäsenten osuus on 20 % (1/5); vaaditaan "
        "vähintään 40 % [609/1986 4 a § 1 mom. (657/2021)]")
    assert finding.format("sv") == (
        "plan/sopimus.yaml:7:3: fel L609-4A: andelen kvinnliga ledamöter är 20 % (1 av 5); "
        "minst 40 % krävs [609/1986 4 a § 1 mom. (657/2021)]")
    cached = Msg.from_data(finding.message.as_data())
    assert cached == finding.message
    assert cached.text("sv") == "andelen kvinnliga ledamöter är 20 % (1 av 5); minst 40 % krävs"


def test_the_loaders_findings_are_worded_in_finnish_and_swedish(
        request: pytest.FixtureRequest) -> None:
    """An unknown key and a wrong type: the same findings, told in each reader's language,
    still saying what to do (the closest key; what the value should be)."""
    from planbuilder.errors import PlanLoadError
    from planbuilder.load import load_plan

    text = request.getfixturevalue("minimal_text")
    folder = request.getfixturevalue("write_plan")(
        text.replace("  budget_year: 2025", "  budget_yeer: 2025", 1)
        .replace("{value: 15000,", "{value: paljon,", 1))
    with pytest.raises(PlanLoadError) as caught:
        load_plan(folder)
    findings = {f.rule: f for f in caught.value.findings}
    unknown, wrong = findings["SCHEMA-UNKNOWN"], findings["SCHEMA-TYPE"]
    assert unknown.format("en") == ("plan/plan.yaml:8:3: error SCHEMA-UNKNOWN: unknown key "
                                    "'budget_yeer' (did you mean 'budget_year'?)")
    assert unknown.format("fi") == ("plan/plan.yaml:8:3: virhe SCHEMA-UNKNOWN: tuntematon "
                                    "avain 'budget_yeer' (tarkoititko 'budget_year'?)")
    assert unknown.format("sv") == ("plan/plan.yaml:8:3: fel SCHEMA-UNKNOWN: okänd nyckel "
                                    "'budget_yeer' (menade du 'budget_year'?)")
    assert wrong.text("en") == "value: expected a number, got 'paljon'"
    assert wrong.text("fi") == "value: arvon pitää olla luku (nyt: 'paljon')"
    assert wrong.text("sv") == "value: värdet ska vara ett tal (nu: 'paljon')"
    assert findings["SCHEMA-MISSING"].text("fi") == "lisää kohtaan 'area' avain 'budget_year'"
    assert findings["SCHEMA-MISSING"].text("sv") == \
        "lägg till nyckeln 'budget_year' under 'area'"
    # kept as key and values, a finding reads back from the build cache in any language
    assert Msg.from_data(wrong.message.as_data()).text("sv") == wrong.text("sv")


def test_numbers_written_as_in_finnish_text_get_a_hint(write_plan: Callable[..., Path]) -> None:
    """A preparer writes "64 500", "8,5" and "100 %" as in a letter; each is refused with
    what to write instead, at its line."""
    from planbuilder.errors import PlanLoadError

    folder = write_plan()
    money = (Path(__file__).parent / "fixtures" / "money.yaml").read_text(encoding="utf-8")
    write_plan(money.replace("rate: 10, base", "rate: 8,5, base")
               .replace("cost_per_htv: 30000}", 'cost_per_htv: "64 500"}')
               .replace('precision: "0.01"', "precision: 1")
               .replace("weight: 100}", "weight: 100 %}"), name="money.yaml")
    with pytest.raises(PlanLoadError) as info:
        load_plan(folder)
    found = [f.format("en") for f in info.value.findings]
    assert found == [
        "plan/money.yaml:3:3: error SCHEMA-TYPE: precision: value 1 is not one of '1' or "
        "'0.01' (write it in quotes: '1')",
        "plan/money.yaml:5:89: error SCHEMA-TYPE: cost_per_htv: expected a number, got "
        "'64 500' (write a number without spaces, % or €, and decimals with a point: 64500.5)",
        "plan/money.yaml:7:99: error SCHEMA-TYPE: lines[3]: 5 stands where a key should be: "
        "inside { } a comma starts a new key; write a decimal number with a point (8.5) and put "
        "a text that has a comma in quotes",
        "plan/money.yaml:14:42: error SCHEMA-TYPE: weight: expected a number, got '100 %' "
        "(write a number without spaces, % or €, and decimals with a point: 64500.5)"]
    assert info.value.findings[1].text("fi") == (
        "cost_per_htv: arvon pitää olla luku (nyt: '64 500') (kirjoita luku ilman "
        "välilyöntejä, %- tai €-merkkiä ja desimaalit pisteellä: 64500.5)")


@pytest.mark.parametrize(("edit", "expected"), [
    ("\n budget_year: 2025", "8:2: error LOAD-SYNTAX: expected <block end>, but found "
     "'<block mapping start>' while parsing a block mapping; check the indentation: the keys "
     "of one mapping start in the same column, and so do the items of a list"),
    ("\n  budget_year: 2025\n  introduction: Huom: tämä", "9:21: error LOAD-SYNTAX: mapping "
     "values are not allowed here; a text with ': ' in it goes in quotes"),
    ("\n\tbudget_year: 2025", "8:1: error LOAD-SYNTAX: found character '\\t' that cannot "
     "start any token while scanning for the next token; indent with spaces, not tabs"),
])
def test_a_yaml_syntax_error_says_what_it_usually_means(write_plan: Callable[..., Path],
                                                       edit: str, expected: str) -> None:
    from planbuilder.errors import PlanLoadError

    folder = write_plan(replace=("\n  budget_year: 2025", edit))
    with pytest.raises(PlanLoadError) as info:
        load_plan(folder)
    [found] = info.value.findings
    assert found.format("en") == "plan/plan.yaml:" + expected
    assert "; " in found.text("fi") and "YAML-virhe: " in found.text("fi")
