"""Loading: every problem located at file:line:column, with helpful messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cpu import cpu_budget
from planbuilder.errors import PlanLoadError
from planbuilder.load import MAX_FILE_BYTES, load_plan

Writer = Callable[..., Path]


def load_errors(folder: Path) -> list[str]:
    with pytest.raises(PlanLoadError) as info:
        load_plan(folder)
    return [f.format() for f in info.value.findings]


def test_minimal_plan_loads_with_locations(write_plan: Writer) -> None:
    loaded = load_plan(write_plan())
    assert loaded.plan.area.host == "testila"
    assert loaded.plan.members[1].statistics["labour_force"].value == 6000
    assert str(loaded.source.locate(("members", 1, "statistics", "labour_force"))) == (
        "plan/plan.yaml:26:7")
    assert str(loaded.source.locate(("sections", "offices", "offices", 1))) == (
        "plan/plan.yaml:50:9")
    # deeper paths fall back to the nearest recorded key
    assert str(loaded.source.locate(("area", "joint_body", "name", "nope"))) == (
        "plan/plan.yaml:7:5")


def test_misspelt_key_is_located_with_suggestion(write_plan: Writer) -> None:
    errors = load_errors(write_plan(replace=("  budget_year: 2025", "  budget_yeer: 2025")))
    assert "plan/plan.yaml:8:3: error SCHEMA-UNKNOWN: unknown key 'budget_yeer' " \
        "(did you mean 'budget_year'?)" in errors
    assert "plan/plan.yaml:3:1: error SCHEMA-MISSING: 'area' needs the key 'budget_year'" \
        in errors


def test_misspelt_nested_key_suggests_from_the_right_model(write_plan: Writer) -> None:
    errors = load_errors(write_plan(replace=("      - {municipality: testila",
                                             "      - {municipalty: testila")))
    assert errors == [
        "plan/plan.yaml:49:9: error SCHEMA-MISSING: 'sections.offices.offices[1]' needs the key "
        "'municipality'",
        "plan/plan.yaml:49:10: error SCHEMA-UNKNOWN: unknown key 'municipalty' "
        "(did you mean 'municipality'?)"]


def test_wrong_type_says_what_was_expected(write_plan: Writer) -> None:
    errors = load_errors(write_plan(replace=("{value: 15000,", "{value: paljon,")))
    assert errors == ["plan/plan.yaml:20:22: error SCHEMA-TYPE: value: expected a number, "
                      "got 'paljon'"]


def test_wrong_choice_lists_allowed_values_and_suggests(write_plan: Writer) -> None:
    errors = load_errors(write_plan(replace=("kind: staffed", "kind: stafed")))
    assert errors == ["plan/plan.yaml:49:59: error SCHEMA-TYPE: kind: value 'stafed' is not "
                      "one of 'staffed', 'appointment' or 'service_point' "
                      "(did you mean 'staffed'?)"]


def test_unknown_statistic_name_suggests(write_plan: Writer) -> None:
    """A plan may declare statistics of its own, so a name is checked against the built-in
    and declared ones once the plan is read (PB-STAT-NAME), with the closest as a hint."""
    from planbuilder.rules import check

    loaded = load_plan(write_plan(replace=("      population: {value: 30000",
                                           "      populaton: {value: 30000")))
    assert [f.format() for f in check(loaded) if f.rule == "PB-STAT-NAME"] == [
        "plan/plan.yaml:21:7: error PB-STAT-NAME: unknown statistic 'populaton' (did you mean "
        "'population'?)"]


def test_every_problem_is_reported_not_just_the_first(write_plan: Writer) -> None:
    text = (Path(__file__).parent / "fixtures/minimal/plan.yaml").read_text()
    text = text.replace("status: draft", "status: luonnos").replace("htv: 20", "htv: -2")
    errors = load_errors(write_plan(text))
    assert [e.split(": ")[0] for e in errors] == ["plan/plan.yaml:9:3", "plan/plan.yaml:35:36"]
    assert "greater than or equal to 0" in errors[1]


def test_missing_required_key_points_at_parent(write_plan: Writer) -> None:
    errors = load_errors(write_plan(replace=("    language: fi\n", "\n")))
    assert errors[0] == ("plan/plan.yaml:16:5: error SCHEMA-MISSING: 'members[1]' needs the "
                         "key 'language'")


def test_yaml_syntax_error_is_located(write_plan: Writer) -> None:
    errors = load_errors(write_plan(replace=("  budget_year: 2025", "  budget_year: [2025")))
    assert len(errors) == 1
    assert errors[0].startswith("plan/plan.yaml:9:")
    assert "LOAD-SYNTAX" in errors[0]


def test_duplicate_key_in_mapping(write_plan: Writer) -> None:
    errors = load_errors(write_plan(replace=("  status: draft\n",
                                             "  status: draft\n  status: approved\n")))
    assert errors == ["plan/plan.yaml:10:3: error LOAD-DUPLICATE: duplicate key 'status'"]


def test_duplicate_key_from_unquoted_commas_says_what_to_do(write_plan: Writer) -> None:
    """{name: Talous (budjetti, HR), note: talous, HR)}: the comma starts a new key 'HR)' in
    both texts; the finding says to quote the text, as SCHEMA-UNKNOWN does for one."""
    errors = load_errors(write_plan(replace=(
        "  status: draft\n",
        "  status: draft\n  x: {name: Talous (budjetti, HR), note: talous, HR)}\n")))
    assert errors == ["plan/plan.yaml:10:50: error LOAD-DUPLICATE: duplicate key 'HR)' (a comma "
                      "inside { } starts a new key: put the text in quotes)"]


def test_plan_split_over_files_keeps_exact_locations(write_plan: Writer,
                                                     minimal_text: str) -> None:
    head, tail = minimal_text.split("sections:\n", 1)
    folder = write_plan(head, name="a.yaml")
    write_plan("# sections\nsections:\n" + tail.replace("kind: staffed", "kind: nope"),
               name="b.yaml")
    errors = load_errors(folder)
    assert errors[0].startswith("plan/b.yaml:23:59: error SCHEMA-TYPE: kind: value 'nope'")


def test_same_top_level_key_in_two_files(write_plan: Writer, minimal_text: str) -> None:
    folder = write_plan(minimal_text, name="a.yaml")
    write_plan("# again\nmembers: []\n", name="b.yaml")
    assert load_errors(folder) == ["plan/b.yaml:2:1: error LOAD-DUPLICATE: key 'members' is "
                                   "already given in plan/a.yaml"]


def test_non_utf8_bytes_are_located(write_plan: Writer, minimal_text: str) -> None:
    data = minimal_text.encode("utf-8").replace("Testilän keskusta".encode(),
                                                "Testil\xe4n keskusta".encode("latin-1"))
    errors = load_errors(write_plan(data=data))
    assert errors == ["plan/plan.yaml:45:73: error LOAD-ENCODING: byte 0xE4 is not UTF-8 "
                      "(save the file as UTF-8)"]


def test_escaped_control_character_is_refused(write_plan: Writer) -> None:
    errors = load_errors(write_plan(replace=("place: Testilän keskusta",
                                             'place: "Testilän\\x07 keskusta"')))
    assert errors == ["plan/plan.yaml:49:40: error LOAD-CHAR: control character U+0007 is "
                      "not allowed in text (Word and PDF documents cannot hold it)"]


def test_raw_control_character_is_refused(write_plan: Writer) -> None:
    errors = load_errors(write_plan(replace=("Testilän keskusta", "Testilän\x01 keskusta")))
    assert errors == ["plan/plan.yaml:45:75: error LOAD-CHAR: control character U+0001 is not "
                      "allowed (Word and PDF documents cannot hold it)"]


def test_alias_bomb_is_refused_quickly(write_plan: Writer) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    with cpu_budget(10):
        errors = load_errors(write_plan("\n".join(lines) + "\n"))
    assert len(errors) == 1
    assert "LOAD-LIMIT: more than 200000 YAML nodes (alias expansion or file too large)" \
        in errors[0]


def test_deep_nesting_is_refused(write_plan: Writer) -> None:
    errors = load_errors(write_plan("area: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert len(errors) == 1
    assert "nesting" in errors[0]


def test_huge_file_is_refused_without_reading_it_all(write_plan: Writer) -> None:
    errors = load_errors(write_plan(data=b"# x\n" * (MAX_FILE_BYTES // 4 + 10)))
    assert errors == [f"plan/plan.yaml:1:1: error LOAD-LIMIT: file is {MAX_FILE_BYTES + 1} "
                      f"bytes (at most {MAX_FILE_BYTES})"]


def test_top_level_must_be_a_mapping(write_plan: Writer) -> None:
    assert load_errors(write_plan("- just\n- a list\n")) == [
        "plan/plan.yaml:1:1: error SCHEMA-TYPE: a plan file must be a mapping of keys such "
        "as 'area:' and 'members:'"]


def test_python_object_tags_are_not_constructed(write_plan: Writer) -> None:
    errors = load_errors(write_plan("area: !!python/object/apply:os.system ['echo hi']\n"))
    assert "plan/plan.yaml:1:7: error SCHEMA-TYPE: the tag tag:yaml.org,2002:python/object/" \
        "apply:os.system is not allowed in plan files" in errors


def test_missing_folder_and_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_errors(Path("nope")) == ["nope:1:1: error LOAD-IO: no such file or folder"]
    Path("empty").mkdir()
    assert load_errors(Path("empty")) == ["empty:1:1: error LOAD-IO: no .yaml files in this "
                                          "folder"]


def test_impossible_date_is_located(write_plan: Writer) -> None:
    """Found by bench/fuzz.py: a calendar-impossible date crashed the YAML constructor."""
    errors = load_errors(write_plan(replace=("  date: 2024-05-31", "  date: 2024-02-30")))
    assert errors == ["plan/plan.yaml:11:9: error SCHEMA-TYPE: '2024-02-30' is not a valid "
                      "value: day is out of range for month"]
