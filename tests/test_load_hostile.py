"""Hostile YAML reaches the loader as located findings, never as a traceback: merge keys,
explicit tags with bad values, odd keys, cycles and files built to be slow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from cpu import cpu_budget
from planbuilder.errors import PlanLoadError
from planbuilder.load import MAX_DEPTH, MAX_NODES, load_plan
from planbuilder.model import Text

Writer = Callable[..., Path]

LABOUR_0 = "      labour_force: {value: 15000, date: 2023-12-31, source: Tilastokeskus}\n"
POPULATION_0 = "      population: {value: 30000, date: 2023-12-31, source: Tilastokeskus}\n"
LABOUR_1 = "      labour_force: {value: 6000, date: 2023-12-31, source: Tilastokeskus}\n"
POPULATION_1 = "      population: {value: 12000, date: 2023-12-31, source: Tilastokeskus}\n"


TOP = "; allowed here: schema_version, area, members, statistics, series, sections, budget, cost_sharing, " \
    "agreement, agreement_in_force, decision, acknowledge"
AREA = "; allowed here: name, host, joint_body, budget_year, status, version, date, " \
    "languages, contiguity, exception, introduction, deviations"


def load_errors(folder: Path) -> list[str]:
    with pytest.raises(PlanLoadError) as info:
        load_plan(folder)
    return [f.format() for f in info.value.findings]


@pytest.fixture
def end(minimal_text: str) -> int:
    """The line number of the first line appended to the minimal plan."""
    return len(minimal_text.splitlines()) + 1


def statistics_merged(minimal_text: str, population: str) -> str:
    """The minimal plan with the first member's population merged from its labour force."""
    text = minimal_text.replace(LABOUR_0, LABOUR_0.replace("labour_force: {",
                                                           "labour_force: &stat {"), 1)
    assert POPULATION_0 in text
    return text.replace(POPULATION_0, population, 1)


# --- 1. merge key with a scalar ------------------------------------------------------------

def test_merge_of_a_scalar_is_located(write_plan: Writer, minimal_text: str, end: int) -> None:
    errors = load_errors(write_plan(minimal_text + "extra:\n  <<: 5\n"))
    assert errors == [
        f"plan/plan.yaml:{end + 1}:7: error SCHEMA-TYPE: a merge (<<) takes a mapping or a list "
        "of mappings (<<: *name or <<: [*a, *b]), not the value '5'"]


def test_merge_of_a_list_holding_a_scalar_is_located(write_plan: Writer, minimal_text: str,
                                                      end: int) -> None:
    errors = load_errors(write_plan(minimal_text + "extra:\n  <<: [{a: 1}, 5]\n"))
    assert errors == [f"plan/plan.yaml:{end + 1}:16: error SCHEMA-TYPE: a merge (<<) list "
                      "holds mappings, not the value '5'"]


# --- 2. explicit core tags with values that are not of that type ---------------------------

@pytest.mark.parametrize(("value", "message"), [
    ("!!int ''", "'' is not a valid int (a whole number such as 12)"),
    ("!!int 12.5", "'12.5' is not a valid int (a whole number such as 12)"),
    ("!!int 0b_", "'0b_' is not a valid int (a whole number such as 12)"),
    ("!!bool maybe", "'maybe' is not a valid bool (true or false)"),
    ("!!bool ''", "'' is not a valid bool (true or false)"),
    ("!!timestamp notadate", "'notadate' is not a valid date (such as 2025-01-31)"),
    ("!!timestamp ''", "'' is not a valid date (such as 2025-01-31)"),
    ("!!timestamp 2024-13-01", "'2024-13-01' is not a valid value: month must be in 1..12"),
    ("!!float x", "'x' is not a valid number (such as 12.5)"),
    ("!!float ''", "'' is not a valid number (such as 12.5)"),
    ("!!float ١٢", "'١٢' is not a valid number (such as 12.5)"),
    ("!!float .nan", "'.nan' is not a finite number"),
    ("!!null foo", "'foo' is not a valid null (leave the value empty)"),
    ('!!int "1\\n2"', "'1\\n2' is not a valid int (a whole number such as 12)"),
])
def test_explicit_tag_with_a_bad_value_is_located(write_plan: Writer, minimal_text: str,
                                                  end: int, value: str, message: str) -> None:
    errors = load_errors(write_plan(f"{minimal_text}extra: {value}\n"))
    assert errors == [f"plan/plan.yaml:{end}:8: error SCHEMA-TYPE: {message}"]


def test_explicit_tags_with_good_values_still_load(write_plan: Writer) -> None:
    loaded = load_plan(write_plan(replace=("  budget_year: 2025", "  budget_year: !!int 2025")))
    assert loaded.plan.area.budget_year == 2025
    loaded = load_plan(write_plan(replace=("  date: 2024-05-31", "  date: !!timestamp 2024-05-31")))
    assert loaded.plan.area.date == dt.date(2024, 5, 31)


def test_tags_outside_the_core_schema_are_refused(write_plan: Writer, minimal_text: str,
                                                  end: int) -> None:
    errors = load_errors(write_plan(minimal_text + "a: !!binary aGk=\nb: !local x\n"
                                    "c: !!merge <<\n"))
    assert errors == [
        f"plan/plan.yaml:{end}:4: error SCHEMA-TYPE: the tag tag:yaml.org,2002:binary is not "
        "allowed in plan files",
        f"plan/plan.yaml:{end + 1}:4: error SCHEMA-TYPE: the tag !local is not allowed in plan "
        "files",
        f"plan/plan.yaml:{end + 2}:4: error SCHEMA-TYPE: the tag tag:yaml.org,2002:merge is not "
        "allowed in plan files"]


# --- 3. merges per YAML 1.1: explicit keys override, merged mappings fill in ----------------

def test_explicit_key_overrides_a_merged_one(write_plan: Writer, minimal_text: str) -> None:
    text = statistics_merged(minimal_text, "      population:\n        <<: *stat\n"
                                           "        value: 30000\n")
    loaded = load_plan(write_plan(text))
    stats = loaded.plan.members[0].statistics
    assert stats["population"].value == Decimal(30000)
    assert stats["population"].date == dt.date(2023, 12, 31)
    assert stats["population"].source == Text(fi="Tilastokeskus")
    assert stats["labour_force"].value == Decimal(15000)  # the merged mapping is unchanged
    at = ("members", 0, "statistics", "population")
    assert str(loaded.source.locate((*at, "value"))) == "plan/plan.yaml:23:9"
    # a merged key is located where its value is written
    assert str(loaded.source.locate((*at, "date"))) == "plan/plan.yaml:20:42"


def test_merge_of_several_mappings_first_one_wins(write_plan: Writer,
                                                  minimal_text: str) -> None:
    text = minimal_text.replace(LABOUR_1, LABOUR_1.replace("labour_force: {",
                                                           "labour_force: &lf {"), 1)
    text = text.replace(POPULATION_1, "      population: {<<: [{value: 12000}, *lf]}\n", 1)
    stats = load_plan(write_plan(text)).plan.members[1].statistics
    assert stats["population"].value == Decimal(12000)
    assert stats["population"].source == Text(fi="Tilastokeskus")
    assert stats["labour_force"].value == Decimal(6000)


def test_merge_into_an_anchor_shared_by_aliases(write_plan: Writer, minimal_text: str) -> None:
    text = statistics_merged(minimal_text, "      population: &pop\n        <<: *stat\n"
                                           "        value: 30000\n")
    text = text.replace(POPULATION_1, "      population: *pop\n", 1)
    stats = load_plan(write_plan(text)).plan.members
    assert stats[0].statistics["population"] == stats[1].statistics["population"]
    assert stats[1].statistics["population"].value == Decimal(30000)


def test_real_duplicate_next_to_a_merge_is_still_an_error(write_plan: Writer,
                                                          minimal_text: str) -> None:
    text = statistics_merged(minimal_text, "      population:\n        <<: *stat\n"
                                           "        value: 30000\n        value: 31000\n")
    assert load_errors(write_plan(text)) == [
        "plan/plan.yaml:24:9: error LOAD-DUPLICATE: duplicate key 'value'"]


def test_two_merge_keys_in_one_mapping_are_a_duplicate(write_plan: Writer,
                                                       minimal_text: str) -> None:
    text = statistics_merged(minimal_text, "      population:\n        <<: *stat\n"
                                           "        <<: {value: 1}\n")
    assert load_errors(write_plan(text)) == [
        "plan/plan.yaml:23:9: error LOAD-DUPLICATE: duplicate key '<<' (merge several mappings "
        "with <<: [*a, *b])"]


def test_mapping_merged_into_itself_adds_nothing(write_plan: Writer, minimal_text: str,
                                                 end: int) -> None:
    errors = load_errors(write_plan(minimal_text + "extra: &self\n  a: 1\n  <<: *self\n"))
    assert errors == [f"plan/plan.yaml:{end}:1: error SCHEMA-UNKNOWN: unknown key 'extra'" + TOP]


def test_merge_cycle_through_a_value_is_too_deep(write_plan: Writer, minimal_text: str,
                                                 end: int) -> None:
    errors = load_errors(write_plan(minimal_text + "extra: &a {b: 1, c: {<<: *a}}\n"))
    assert len(errors) == 1
    assert errors[0].startswith(f"plan/plan.yaml:{end}:")
    assert f"LOAD-LIMIT: nesting deeper than {MAX_DEPTH} levels" in errors[0]


def test_merge_bomb_is_refused_quickly(write_plan: Writer) -> None:
    """Each level merges the one before nine times: 9**9 pairs if expanded naively (PyYAML's
    flatten_mapping never finished)."""
    lines = ["a0: &a0 {" + ", ".join(f"k{i}: 1" for i in range(9)) + "}"]
    lines += [f"a{i}: &a{i} {{<<: [" + ", ".join([f"*a{i - 1}"] * 9) + "]}"
              for i in range(1, 10)]
    with cpu_budget(10):
        errors = load_errors(write_plan("\n".join(lines) + "\n"))
    assert len(errors) == 1
    assert errors[0].startswith("plan/plan.yaml:")
    assert f"LOAD-LIMIT: more than {MAX_NODES} YAML nodes" in errors[0]


# --- 4. size: linear in the number of keys -------------------------------------------------

@pytest.mark.parametrize("indent", ["", "  "])
def test_forty_thousand_keys_are_refused_quickly(write_plan: Writer, indent: str) -> None:
    """40 000 keys in one mapping (389 KB) took 209 s: each top-level key scanned every
    recorded location."""
    head = "area:\n" if indent else ""
    text = head + "".join(f"{indent}k{i}: {i}\n" for i in range(40_000))
    folder = write_plan(text)
    # a guard against a hang (it was 209 s); it takes about 1 s
    with cpu_budget(10), pytest.raises(PlanLoadError) as info:
        load_plan(folder)
    unknown = [f for f in info.value.findings if f.rule == "SCHEMA-UNKNOWN"]
    assert len(unknown) == 40_000
    first = 2 if indent else 1
    assert unknown[0].format() == (f"plan/plan.yaml:{first}:{len(indent) + 1}: error "
                                   "SCHEMA-UNKNOWN: unknown key 'k0'" + (AREA if indent else TOP))
    assert str(unknown[-1].location) == f"plan/plan.yaml:{first + 39_999}:{len(indent) + 1}"


def test_forty_thousand_duplicate_keys_are_located(write_plan: Writer) -> None:
    text = "".join(f"k{i % 20_000}: 1\n" for i in range(40_000))
    with cpu_budget(10):
        errors = load_errors(write_plan(text))
    assert len(errors) == 20_000
    assert errors[0] == "plan/plan.yaml:20001:1: error LOAD-DUPLICATE: duplicate key 'k0'"


# --- 5. other hostile shapes ---------------------------------------------------------------

@pytest.mark.parametrize(("lines", "message"), [
    ("? {a: 1}\n: x\n", "3: error SCHEMA-TYPE: keys must be plain words or years, not a "
                        "mapping"),
    ("? [a, b]\n: x\n", "3: error SCHEMA-TYPE: keys must be plain words or years, not a list"),
    ("? &k [*k]\n: x\n", "3: error SCHEMA-TYPE: keys must be plain words or years, not a list"),
    (".nan: x\n", "1: error SCHEMA-TYPE: '.nan' is not a finite number"),
    ("-.inf: x\n", "1: error SCHEMA-TYPE: '-.inf' is not a finite number"),
    ("1.5: x\n", "1: error SCHEMA-TYPE: keys must be plain words or years, not a decimal "
                 "number ('1.5')"),
    ("~: x\n", "1: error SCHEMA-TYPE: keys must be plain words or years, not empty ('~')"),
    ("true: x\n", "1: error SCHEMA-TYPE: keys must be plain words or years, not true/false "
                  "('true')"),
    ("2024-01-01: x\n", "1: error SCHEMA-TYPE: keys must be plain words or years, not a date "
                        "('2024-01-01')"),
    ("!!bool maybe : x\n", "1: error SCHEMA-TYPE: 'maybe' is not a valid bool (true or false)"),
])
def test_odd_keys_are_located(write_plan: Writer, minimal_text: str, end: int, lines: str,
                              message: str) -> None:
    errors = load_errors(write_plan(f"{minimal_text}{lines}"))
    assert errors == [f"plan/plan.yaml:{end}:{message}"]


def test_huge_numbers_are_refused_before_they_are_printed(write_plan: Writer) -> None:
    """A 5000-digit integer crashed the error report (Python refuses to print it)."""
    errors = load_errors(write_plan(replace=("  budget_year: 2025",
                                             "  budget_year: 0x" + "f" * 5000)))
    assert errors == ["plan/plan.yaml:8:16: error LOAD-LIMIT: a number of 5002 characters "
                      "(at most 100)"]
    errors = load_errors(write_plan(replace=("htv: 20", "htv: 1." + "5" * 200)))
    assert errors == ["plan/plan.yaml:35:41: error LOAD-LIMIT: a number of 202 characters "
                      "(at most 100)"]


def test_escape_beyond_unicode_is_located(write_plan: Writer) -> None:
    errors = load_errors(write_plan(replace=("place: Testilän keskusta",
                                             'place: "Testilä\\U00110000n"')))
    assert errors == ["plan/plan.yaml:49:50: error LOAD-SYNTAX: an escape names no Unicode "
                      "character (the largest is \\U0010FFFF)"]


@pytest.mark.parametrize("text", [
    "area: &a [*a]\n",
    "area: &a {b: *a}\n",
    "area: &a {b: [{c: *a}]}\n",
])
def test_recursive_aliases_are_too_deep(write_plan: Writer, text: str) -> None:
    errors = load_errors(write_plan(text))
    assert len(errors) == 1
    assert errors[0].startswith("plan/plan.yaml:1:")
    assert f"LOAD-LIMIT: nesting deeper than {MAX_DEPTH} levels" in errors[0]


def test_aliases_of_aliases_are_expanded(write_plan: Writer, minimal_text: str) -> None:
    head, tail = minimal_text.split("members:\n", 1)
    text = (head + "x-stat: &stat {value: 6000, date: 2023-12-31, source: Tilastokeskus}\n"
            "x-stats: &stats {labour_force: *stat, population: *stat}\n" + "members:\n" + tail)
    text = text.replace("    statistics:\n" + LABOUR_1 + POPULATION_1, "    statistics: *stats\n")
    errors = load_errors(write_plan(text))
    # the aliases resolve; only the made-up top-level keys are refused
    assert errors == ["plan/plan.yaml:15:1: error SCHEMA-UNKNOWN: unknown key 'x-stat'" + TOP,
                      "plan/plan.yaml:16:1: error SCHEMA-UNKNOWN: unknown key 'x-stats'" + TOP]


def test_value_reached_twice_is_reported_once(write_plan: Writer, minimal_text: str,
                                              end: int) -> None:
    errors = load_errors(write_plan(minimal_text + 'a: &a {k: "\\x07"}\nb: {<<: *a}\nc: *a\n'))
    assert errors == [f"plan/plan.yaml:{end}:11: error LOAD-CHAR: control character U+0007 is "
                      "not allowed in text (Word and PDF documents cannot hold it)"]


def test_messages_hold_no_line_breaks(write_plan: Writer, minimal_text: str) -> None:
    errors = load_errors(write_plan(minimal_text + '"a\\nb": 1\n'))
    assert errors == [f"plan/plan.yaml:{len(minimal_text.splitlines()) + 1}:1: error "
                      "SCHEMA-UNKNOWN: unknown key 'a\\nb'" + TOP]


@pytest.mark.parametrize(("lines", "where", "message"), [
    ("a: &a 1\nb: &b *a\n", ":1:7", "LOAD-SYNTAX: expected <block end>, but found '<alias>'"),
    ("a: &a 1\nb: *b\n", ":1:4", "LOAD-SYNTAX: found undefined alias 'b'"),
])
def test_anchored_or_undefined_alias_is_a_located_syntax_error(
        write_plan: Writer, minimal_text: str, end: int, lines: str, where: str,
        message: str) -> None:
    errors = load_errors(write_plan(minimal_text + lines))
    assert len(errors) == 1
    line, column = where.split(":")[1:]
    assert errors[0].startswith(f"plan/plan.yaml:{end + int(line)}:{column}: error {message}")
