"""`planbuilder new --repo` (issue 28): an area's own repository, ready for its editor and CI.
A test commits it in a fresh git repository and lets pre-commit (from PyPI, offline: the
hook is a `repo: local` hook that runs the installed planbuilder) refuse a commit with a
plan error; the CI files are checked against the GitHub Actions and GitLab CI schemas that
check-jsonschema carries with it (`--builtin-schema`, no network)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from planbuilder.cli import main

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REPO_FILES = [".gitignore", ".pre-commit-config.yaml", ".github/workflows/plans.yml",
              ".gitlab-ci.yml", ".vscode/settings.json", ".vscode/extensions.json",
              "plan.schema.json"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> Path:
    monkeypatch.chdir(tmp_path)
    assert main(["--lang", "fi", "new", "testila", "--repo"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == [
        "seuraavaksi: täytä tiedostot ja aja sitten: planbuilder validate testila/plans/testila",
        "sitten kansiossa testila: git init, git add ., pre-commit install (docs/ci.md)"]
    assert "kirjoitettu testila/.github/workflows/plans.yml" in out
    return tmp_path / "testila"


def test_new_repo_writes_the_plan_and_the_repository_files(repo: Path) -> None:
    assert sorted(p.name for p in (repo / "plans" / "testila").iterdir()) == [
        "agreement.yaml", "area.yaml", "decision.yaml", "members.yaml", "money.yaml",
        "sections.yaml"]
    for name in REPO_FILES:
        assert (repo / name).is_file(), name
    assert "output/" in (repo / ".gitignore").read_text(encoding="utf-8").splitlines()
    settings = json.loads((repo / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings == {"yaml.schemas": {"./plan.schema.json": ["plans/**/*.yaml"]}}
    extensions = json.loads((repo / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert extensions == {"recommendations": ["redhat.vscode-yaml"]}
    schema = json.loads((repo / "plan.schema.json").read_text(encoding="utf-8"))
    # in the preparer's language (--lang fi), as docs/format.fi.md
    assert schema["$defs"]["Statistic"]["properties"]["value"]["description"] == \
        "Luku (henkilöä; voi olla kuukausikeskiarvo)."
    hook = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hook["repos"][0]["repo"] == "local"
    assert hook["repos"][0]["hooks"][0]["entry"] == "planbuilder validate plans"


def test_the_workflows_run_once_per_change_and_install_voikko(repo: Path) -> None:
    github = yaml.safe_load((repo / ".github" / "workflows" / "plans.yml")
                            .read_text(encoding="utf-8"))
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on"
    assert github[True] == {"pull_request": None, "push": {"branches": ["main"]}}
    steps = github["jobs"]["plans"]["steps"]
    assert any("voikko-fi" in step.get("run", "") for step in steps)
    assert any(step.get("run") == "planbuilder validate plans" for step in steps)
    gitlab = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["workflow"]["rules"] == [
        {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'},
        {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    job = gitlab["plans"]
    assert any("voikko-fi" in line for line in job["before_script"])
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert "planbuilder validate plans --format gitlab > gl-code-quality-report.json || true" \
        in job["script"]


@pytest.mark.parametrize(("file", "schema"), [
    (".github/workflows/plans.yml", "vendor.github-workflows"),
    (".gitlab-ci.yml", "vendor.gitlab-ci"),
])
def test_the_workflows_are_valid_against_their_schemas(repo: Path, file: str,
                                                       schema: str) -> None:
    done = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", schema,
                           str(repo / file)], capture_output=True, text=True, check=False,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


def _git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=False, timeout=300)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_blocks_a_commit_with_a_plan_error(repo: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
               PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PLANBUILDER_LANG="en",
               GIT_AUTHOR_NAME="Valmistelija", GIT_AUTHOR_EMAIL="valmistelija@example.org",
               GIT_COMMITTER_NAME="Valmistelija",
               GIT_COMMITTER_EMAIL="valmistelija@example.org",
               GIT_CONFIG_GLOBAL=str(tmp_path / "gitconfig"), GIT_CONFIG_NOSYSTEM="1")
    plan = repo / "plans" / "testila"
    for file in plan.iterdir():  # the skeleton still has its prompts: fill it with a plan
        file.unlink()
    shutil.copy(ROOT / "tests" / "fixtures" / "minimal" / "plan.yaml", plan / "plan.yaml")
    assert _git(repo, "init", "-q", "-b", "main", env=env).returncode == 0
    installed = subprocess.run([str(BIN / "pre-commit"), "install"], cwd=repo, env=env,
                               capture_output=True, text=True, check=False, timeout=300)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert _git(repo, "add", ".", env=env).returncode == 0
    first = _git(repo, "commit", "-q", "-m", "Testilän suunnitelma", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "planbuilder validate" in first.stdout + first.stderr  # the hook ran, passed

    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    (plan / "plan.yaml").write_text(text.replace("  budget_year: 2025\n",
                                                 "  budget_year: 2025\n  budjet: 1\n", 1),
                                    encoding="utf-8")
    assert _git(repo, "add", ".", env=env).returncode == 0
    refused = _git(repo, "commit", "-q", "-m", "kirjoitusvirhe", env=env)
    assert refused.returncode != 0
    said = refused.stdout + refused.stderr
    assert "plans/testila/plan.yaml:9:3: error SCHEMA-UNKNOWN: unknown key 'budjet'" in said
    assert "Failed" in said
    log = _git(repo, "log", "--format=%s", env=env).stdout.splitlines()
    assert log == ["Testilän suunnitelma"]  # the broken plan was not committed


def test_new_repo_refuses_a_folder_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "alue").mkdir()
    (tmp_path / "alue" / "README.md").write_text("x", encoding="utf-8")
    assert main(["new", "alue", "--repo"]) == 2
    assert "exists and is not an empty folder" in capsys.readouterr().err
