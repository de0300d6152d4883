"""The install is quiet (issue 28): every folder of templates/ is declared in pyproject.toml
as (data-only) package, so setuptools installs it as package data without a warning; the
wheel test checks the build's output itself."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_template_folder_is_a_declared_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {p for p in config["tool"]["setuptools"]["packages"]
                if p.startswith("planbuilder.templates")}
    folders = {"planbuilder.templates" + "".join(f".{part}" for part in
                                                 p.relative_to(ROOT / "templates").parts)
               for p in [ROOT / "templates", *(ROOT / "templates").rglob("*")]
               if p.is_dir() and p.name != "__pycache__"}
    assert declared == folders


def test_run_says_what_it_installs_and_why() -> None:
    """./run prints a line before each install (the first one takes minutes)."""
    script = (ROOT / "run").read_text(encoding="utf-8")
    assert 'say "installing planbuilder and its development tools into .venv' in script
    assert 'apt_install "Finnish hyphenation, faster PDF fonts" libvoikko1 voikko-fi' in script


def test_a_failed_apt_install_says_what_failed(tmp_path: Path) -> None:
    """./run's apt_install, run with an apt-get that cannot find the package: a line says
    what it installs and why, then apt's own reason, and the script carries on."""
    script = (ROOT / "run").read_text(encoding="utf-8")
    start = script.index("say() {")
    end = script.index("\n}\n", script.index("apt_install() {")) + 3
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "apt-get").write_text("#!/bin/sh\necho 'E: Unable to locate package voikko-fi' >&2"
                                  "\nexit 100\n", encoding="utf-8")
    (fake / "apt-get").chmod(0o755)
    done = subprocess.run(
        ["bash", "-c", script[start:end] + "\napt_install 'Finnish hyphenation' voikko-fi"
         "\necho carried on"], capture_output=True, text=True, check=False, timeout=60,
        env={**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"})
    assert done.stdout == "carried on\n"
    assert done.stderr.splitlines() == [
        "run: installing from Debian: voikko-fi (Finnish hyphenation)",
        "run: apt-get could not install voikko-fi: E: Unable to locate package voikko-fi ",
        "run: without them: see README (Set-up); planbuilder doctor says what is missing"]
