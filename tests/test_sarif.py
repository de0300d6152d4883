"""`validate --format sarif` (issue 14): findings as a SARIF 2.1.0 log for code-scanning
annotations, each at its file, line and column; acknowledged findings suppressed with the
plan's reason; every result's rule described in the log."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from planbuilder.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_sarif_log(write_plan: Callable[..., Path], capsys: pytest.CaptureFixture[str],
                   monkeypatch: pytest.MonkeyPatch) -> None:
    broken = write_plan(replace=("  budget_year: 2025\n", "  budget_year: 2025\n  extra: 1\n"))
    monkeypatch.chdir(ROOT)
    assert main(["validate", "plans/porvoo", str(broken), "--format", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    described = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {"SCHEMA-UNKNOWN", "L380-12-1", "PB-STAT-DATE"} <= described
    results = run["results"]
    assert {r["ruleId"] for r in results} <= described
    unknown = next(r for r in results if r["ruleId"] == "SCHEMA-UNKNOWN")
    assert unknown["level"] == "error"
    assert unknown["message"]["text"].startswith("unknown key 'extra'")
    assert unknown["locations"][0]["physicalLocation"] == {
        # outside the repository: an absolute URI, no base
        "artifactLocation": {"uri": (broken / "plan.yaml").resolve().as_uri()},
        "region": {"startLine": 9, "startColumn": 3}}
    acknowledged = [r for r in results if r["ruleId"] == "PB-STAT-DATE"]
    assert len(acknowledged) == 3 and all(r["level"] == "warning" for r in acknowledged)
    assert acknowledged[0]["suppressions"] == [{
        "kind": "inSource", "justification": "Esimerkin tilastot ovat havainnollistavia "
        "31.12.2023 tilanteen lukuja; talousarviota 2025 vahvistettaessa ne päivitetään "
        "31.12.2024 tilanteeseen."}]
    assert acknowledged[0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "plans/porvoo/money.yaml", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": ROOT.as_uri() + "/"}}
    info = next(r for r in results if r["ruleId"] == "PB-DECISION-MEETING")
    assert info["level"] == "note"


def test_sarif_paths_are_the_repository_s_whichever_folder_it_runs_in(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from plans/, a finding in porvoo/money.yaml is still plans/porvoo/money.yaml
    from the repository root (%SRCROOT%), where code scanning anchors it."""
    monkeypatch.chdir(ROOT / "plans")
    assert main(["validate", "porvoo", "--format", "sarif"]) == 0
    run = json.loads(capsys.readouterr().out)["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"] if r.get("locations")}
    assert "plans/porvoo/money.yaml" in uris and all(u.startswith("plans/porvoo/") for u in uris)
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"]
            for r in run["results"] if r.get("locations")} == {"%SRCROOT%"}


def test_gitlab_code_quality_report(write_plan: Callable[..., Path],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """`validate --format gitlab`: GitLab's code-quality report, one issue a finding, at
    its path and line, severity mapped, a stable fingerprint; exit code as for text."""
    broken = write_plan(replace=("  budget_year: 2025\n", "  budget_year: 2025\n  extra: 1\n"))
    assert main(["validate", str(broken), "--format", "gitlab"]) == 1
    first = json.loads(capsys.readouterr().out)
    unknown = next(i for i in first if i["check_name"] == "SCHEMA-UNKNOWN")
    assert unknown["severity"] == "major"
    assert unknown["description"].startswith("unknown key 'extra'")
    assert unknown["location"] == {"path": "plan/plan.yaml", "lines": {"begin": 9}}
    assert len(unknown["fingerprint"]) == 64
    assert {i["severity"] for i in first} <= {"info", "minor", "major"}
    assert len({i["fingerprint"] for i in first}) == len(first)
    assert main(["validate", str(broken), "--format", "gitlab"]) == 1
    assert json.loads(capsys.readouterr().out) == first  # the same findings, the same prints


def test_the_pre_commit_hook_validates_the_plans(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The hook's command is a planbuilder command that passes on the examples, and it
    runs for plan files only."""
    import re

    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    command = hook["entry"].split()
    assert command[:2] == ["planbuilder", "validate"] and not hook["pass_filenames"]
    monkeypatch.chdir(ROOT)
    assert main(command[1:]) == 0
    assert "plans/jarvilaakso: 0 errors" in capsys.readouterr().out
    files = re.compile(hook["files"])
    assert files.search("plans/porvoo/area.yaml") and not files.search("README.md")


def test_sarif_log_in_finnish(write_plan: Callable[..., Path],
                              capsys: pytest.CaptureFixture[str]) -> None:
    """An area's CI sets PLANBUILDER_LANG=fi: the annotations and rule texts are Finnish, and
    every rule is described once."""
    broken = write_plan(replace=("  budget_year: 2025\n", "  budget_year: 2025\n  extra: 1\n"))
    assert main(["--lang", "fi", "validate", str(broken), "--format", "sarif"]) == 1
    run = json.loads(capsys.readouterr().out)["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids))
    unknown = next(r for r in run["results"] if r["ruleId"] == "SCHEMA-UNKNOWN")
    assert unknown["message"]["text"].startswith("tuntematon avain 'extra'")
    described = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert described["SCHEMA-UNKNOWN"]["shortDescription"]["text"] == "Tuntematon avain"
