"""planbuilder installed from its wheel, away from the checkout, builds a plan: the default
templates, fonts and house DOCX travel inside the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel_build(tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "--no-build-isolation", "-w", str(out), str(ROOT)], check=True,
                          capture_output=True, cwd=out, text=True)
    (found,) = out.glob("planbuilder-*.whl")
    return found, done


@pytest.fixture(scope="module")
def wheel(wheel_build: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    return wheel_build[0]


def test_the_wheel_builds_without_setuptools_warnings(
        wheel_build: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """Every template folder is declared package data: no "Package would be ignored"."""
    said = wheel_build[1].stdout + wheel_build[1].stderr
    assert "would be ignored" not in said and "SetuptoolsDeprecationWarning" not in said


def test_wheel_carries_the_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("planbuilder/templates/documents/plan.md.j2",
                 "planbuilder/templates/documents/decision.md.j2",
                 "planbuilder/templates/html/document.html.j2",
                 "planbuilder/templates/css/print.css.j2",
                 "planbuilder/templates/i18n/fi.yaml", "planbuilder/templates/i18n/sv.yaml",
                 "planbuilder/templates/style.yaml", "planbuilder/templates/house.docx",
                 "planbuilder/templates/fonts/LiberationSans-Regular.ttf",
                 "planbuilder/templates/fonts/LiberationSans-LICENSE.txt",
                 "planbuilder/compose/tables.py", "planbuilder/__main__.py",
                 "planbuilder/rules/statutes.yaml", "planbuilder/templates/new/fi/area.yaml",
                 "planbuilder/templates/new/sv/area.yaml",
                 "planbuilder/templates/repo/github-workflow.yaml",
                 "planbuilder/templates/repo/vscode-settings.json",
                 "planbuilder/templates/i18n/messages/sv/doctor.yaml"):
        assert name in names, name
    assert not any(n.startswith(("tests/", "plans/", "bench/")) for n in names)


def test_installed_wheel_builds_a_plan_outside_the_checkout(wheel: Path,
                                                            tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
                    "--target", str(site), str(wheel)], check=True, capture_output=True)
    work = tmp_path / "work"
    shutil.copytree(ROOT / "plans" / "espoo-kauniainen", work / "area")  # the smallest example
    # The installed copy comes first on the path; the checkout is nowhere in sight.
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONSAFEPATH": "1"}
    where = subprocess.run(
        [sys.executable, "-c", "import planbuilder, planbuilder.compose.templates as t; "
         "print(planbuilder.__file__); print(t.default_dir())"],
        cwd=work, env=env, check=True, capture_output=True, text=True).stdout.split()
    assert all(Path(p).is_relative_to(site) for p in where), where
    run = subprocess.run([sys.executable, "-m", "planbuilder", "build", "area", "--lang",
                          "fi", "--output", "out"], cwd=work, env=env, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    built = sorted(p.name for p in (work / "out" / "area").iterdir())
    assert "jarjestamissuunnitelma_fi.pdf" in built
    assert "jarjestamissuunnitelma_fi.docx" in built
    assert (work / "out" / "area" / "jarjestamissuunnitelma_fi.pdf").read_bytes()[:5] == \
        b"%PDF-"
    init = subprocess.run([sys.executable, "-m", "planbuilder", "init-templates", "mine"],
                          cwd=work, env=env, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    assert (work / "mine" / "documents" / "plan.md.j2").is_file()
    assert not (work / "mine" / "__init__.py").exists()
