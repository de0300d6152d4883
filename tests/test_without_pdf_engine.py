"""A machine without the PDF engine (issue 28): everything that needs no PDF works, `build`
says what to install and exits 2 before any work, `serve` shows the HTML preview, `doctor`
names what is missing.

How the engine is taken away: each command runs as a real `python -m planbuilder` process
with a `sitecustomize` module on PYTHONPATH that puts an import blocker first on
`sys.meta_path`. It refuses `weasyprint` either as not installed (ModuleNotFoundError, as
on a laptop where pip could not install it) or as WeasyPrint does when Pango is missing
(OSError "cannot load library 'libgobject-2.0-0'", as on Windows without GTK). A blocker
rather than a second venv without WeasyPrint: it needs no network or package index, takes
no minutes to set up on a busy machine, and tests both failures with the same installed
code; the process itself is as real as a preparer's."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from planbuilder.compose import compose_plan
from planbuilder.compose.templates import TemplateSet
from planbuilder.load import load_plan
from planbuilder.money import compute
from planbuilder.render.docx import render_docx
from planbuilder.render.style import load_style

ROOT = Path(__file__).resolve().parent.parent
BLOCKER = '''
import os, sys

class _NoWeasyPrint:
    """planbuilder's test: this machine has no PDF engine."""

    def find_spec(self, name, path=None, target=None):
        if name != "weasyprint" and not name.startswith("weasyprint."):
            return None
        if os.environ.get("PB_TEST_NO_ENGINE") == "package":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        raise OSError("cannot load library 'libgobject-2.0-0': libgobject-2.0-0: cannot "
                      "open shared object file: No such file or directory")

sys.meta_path.insert(0, _NoWeasyPrint())
'''
APT = "sudo apt install python3-pip libpango-1.0-0 libpangoft2-1.0-0"


@pytest.fixture(scope="module")
def machine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder with the example Porvoo plan, an edited copy of it and a DOCX for
    review; the blocker in site/."""
    root = tmp_path_factory.mktemp("no-engine")
    (root / "site").mkdir()
    (root / "site" / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    shutil.copytree(ROOT / "plans" / "porvoo", root / "plans" / "porvoo")
    shutil.copytree(ROOT / "plans" / "porvoo", root / "edited" / "porvoo")
    agreement = root / "edited" / "porvoo" / "agreement.yaml"
    text = agreement.read_text(encoding="utf-8")
    before = "Erimielisyydet pyritään ratkaisemaan neuvottelemalla."
    assert before in text
    agreement.write_text(text.replace(before, "Erimielisyydet pyritään ratkaisemaan "
                                      "ensisijaisesti neuvottelemalla."), encoding="utf-8")
    plan = load_plan(ROOT / "plans" / "porvoo").plan
    templates = TemplateSet.load()
    doc = compose_plan(plan, "fi", templates, compute(plan), plan.area.date)
    (root / "plan.docx").write_bytes(render_docx(doc, load_style(templates.folder)))
    return root


def _env(machine: Path, mode: str) -> dict[str, str]:
    env = dict(os.environ, PLANBUILDER_LANG="en", PB_TEST_NO_ENGINE=mode,
               PYTHONPATH=str(machine / "site"))
    env.pop("PLANBUILDER_JOBS", None)
    return env


def planbuilder(machine: Path, *args: str, mode: str = "library"
                ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planbuilder", *args], cwd=machine,
                          env=_env(machine, mode), capture_output=True, text=True,
                          timeout=300, check=False)


def test_the_blocker_really_blocks(machine: Path) -> None:
    probe = subprocess.run([sys.executable, "-c", "import weasyprint"], cwd=machine,
                           env=_env(machine, "library"), capture_output=True, text=True,
                           check=False)
    assert probe.returncode == 1 and "cannot load library 'libgobject-2.0-0'" in probe.stderr


@pytest.mark.parametrize(("args", "expected"), [
    (("validate", "plans/porvoo"), "plans/porvoo: 0 errors, 0 warnings, 4 acknowledged"),
    (("budget", "plans/porvoo"), "10 162 216"),
    (("explain", "plans/porvoo", "porvoo"), "Porvoo"),
    (("rules",), "L380-15-4-1"),
    (("new", "uusi"), "next: edit the files"),
    (("review", "plan.docx", "plans/porvoo"), ""),
])
def test_commands_that_need_no_pdf_work(machine: Path, args: tuple[str, ...],
                                        expected: str) -> None:
    done = planbuilder(machine, *args)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout.replace("\u00a0", " ")
    assert "Traceback" not in done.stderr and "WeasyPrint could not" not in done.stdout


def test_schema_needs_no_pdf_engine(machine: Path) -> None:
    done = planbuilder(machine, "schema", mode="package")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "planbuilder plan file"


@pytest.mark.parametrize("mode", ["library", "package"])
def test_build_exits_2_with_the_install_line_before_any_work(machine: Path,
                                                             mode: str) -> None:
    done = planbuilder(machine, "build", "plans/porvoo", "--output", "out", mode=mode)
    assert done.returncode == 2
    assert done.stdout == ""  # no banner, no progress: nothing was started
    assert done.stderr.startswith("planbuilder: cannot make PDFs on this machine: ")
    if mode == "library":
        assert "cannot load library 'libgobject-2.0-0'" in done.stderr
    else:
        assert "No module named 'weasyprint'" in done.stderr
        assert "reinstall planbuilder (pip install planbuilder)" in done.stderr
    assert f"install the PDF engine's libraries (Debian): {APT}" in done.stderr
    assert not (machine / "out").exists()


def test_redline_prints_the_summary_and_writes_the_docx(machine: Path) -> None:
    done = planbuilder(machine, "redline", "plans/porvoo", "edited/porvoo", "--output",
                       "changes")
    assert done.returncode == 2
    assert done.stdout.startswith("Sopimuksen pykälä: Erimielisyyksien ratkaiseminen: muutettu\n")
    written = sorted(p.name for p in (machine / "changes" / "porvoo").iterdir())
    assert written and all(name.endswith(".docx") for name in written)
    assert "cannot make PDFs on this machine" in done.stderr and APT in done.stderr


def test_doctor_reports_the_missing_engine(machine: Path) -> None:
    done = planbuilder(machine, "doctor")
    assert done.returncode == 2
    lines = done.stdout.splitlines()
    assert "missing  WeasyPrint and Pango (the PDF engine): cannot load library " \
        "'libgobject-2.0-0'" in lines[2]
    assert lines[3].strip().startswith("without it: no PDFs: build and redline")
    assert lines[4].strip() == f"to install: install the PDF engine's libraries (Debian): {APT}"
    assert re.search(r"^ok +Python 3\.11 or later", done.stdout, re.MULTILINE)
    assert lines[-1] == "cannot build the documents yet: WeasyPrint and Pango (the PDF " \
        "engine) missing"


def test_serve_answers_with_the_html_preview(machine: Path) -> None:
    with subprocess.Popen(
            [sys.executable, "-m", "planbuilder", "serve", "plans/porvoo", "--port", "0"],
            cwd=machine, env=_env(machine, "library"), stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True) as server:
        try:
            assert server.stdout is not None
            started = server.stdout.readline()
            found = re.search(r"http://127\.0\.0\.1:\d+/", started)
            assert found, started
            with urllib.request.urlopen(found.group(0), timeout=60) as reply:
                assert reply.status == 200
                page = reply.read().decode("utf-8")
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert "Porvoon työllisyysalue" in page and '<main id="pb-page"' in page
