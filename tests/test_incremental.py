"""Fast builds (issue 16): a build with nothing changed renders and writes nothing; a
change re-renders only the documents whose content changed; a removed member's decision
goes with the old set; documents rendered in parallel are the bytes a serial build makes."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planbuilder import pipeline
from planbuilder.cli import main
from planbuilder.compose import charts
from planbuilder.compose.templates import TemplateSet, default_dir
from planbuilder.pipeline import build
from planbuilder.render import cache

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
THIRD = """  - id: kolmas
    name: Kolmas
    language: fi
    statistics:
      labour_force: {value: 2000, date: 2023-12-31, source: Tilastokeskus}
      population: {value: 4000, date: 2023-12-31, source: Tilastokeskus}
"""


def _plan(root: Path, *, third: bool = False, labour_force: str = "6000",
          money: bool = True) -> Path:
    folder = root / "plans" / "testila"
    folder.mkdir(parents=True, exist_ok=True)
    text = (FIXTURES / "minimal" / "plan.yaml").read_text(encoding="utf-8")
    text = text.replace("labour_force: {value: 6000,", f"labour_force: {{value: {labour_force},")
    if third:
        text = text.replace("sections:\n", THIRD + "sections:\n", 1)
    if money:  # with money: the CSV and a decision proposal per member too
        text += (FIXTURES / "money.yaml").read_text(encoding="utf-8")
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    return folder


def _must_not_run(path: Path) -> None:
    raise AssertionError(f"{path} was loaded and checked again")


def _state(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_ino, p.read_bytes())
            for p in sorted(folder.iterdir())}


def test_nothing_changed_nothing_written(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    plan = _plan(tmp_path, money=False)
    out = tmp_path / "output"
    first = build(plan, out)
    # the plan and the preparation report (PDF and DOCX)
    assert not first.unchanged and first.rendered == 2
    assert [f.rule for f in first.findings if f.severity == "info"] == ["L380-15-1"]
    before = _state(out / "testila")
    # Nothing changed: the plan is not even parsed again; what validation said is replayed.
    with monkeypatch.context() as m:
        m.setattr(pipeline, "validated", _must_not_run)
        again = build(plan, out)
    assert again.unchanged and again.files == [] and again.rendered == 0
    assert again.findings == first.findings
    assert _state(out / "testila") == before  # same files, same inodes, same mtimes
    assert main(["build", str(plan), "--output", str(out)]) == 0
    assert f"{plan}: up to date, nothing written" in capsys.readouterr().out
    # --force renders everything again, to the same bytes
    forced = build(plan, out, force=True)
    assert forced.rendered == 2
    assert {k: v[2] for k, v in _state(out / "testila").items()} == \
        {k: v[2] for k, v in before.items()}


def _imported(plan: Path, out: Path) -> tuple[str, set[str]]:
    """A build from the command line (its workers too): what it printed, and the top-level
    packages it imported, as `python -X importtime` tells them."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "planbuilder", "build",
                           str(plan), "--output", str(out), "--jobs", "2"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:")}
    assert "planbuilder.pipeline" in imported  # what -X importtime says is what was loaded
    return done.stdout, {name.split(".")[0] for name in imported}


def test_a_build_with_nothing_to_do_loads_no_renderer(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    out = tmp_path / "output"
    build(plan, out)
    said, imported = _imported(plan, out)
    assert said == f"{plan}: up to date, nothing written, 0 warnings\n"
    assert not imported & {"weasyprint", "matplotlib", "docx"}
    # the text edited, the figures not: the documents are made, the chart is the kept one
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    (plan / "plan.yaml").write_text(text.replace("Kunnat muodostavat", "Kunnat ovat", 1),
                                    encoding="utf-8")
    said, imported = _imported(plan, out)
    assert "(1 document rendered, 3 with only new attachments" in said
    assert {"weasyprint", "docx"} <= imported and "matplotlib" not in imported


def test_a_change_rerenders_only_what_shows_it(tmp_path: Path) -> None:
    out = tmp_path / "output"
    plan = _plan(tmp_path)
    shutil.copy(FIXTURES / "agreement.yaml", plan)
    assert build(plan, out).rendered == 5  # plan, agreement, two decisions, the report
    before = _state(out / "testila")
    # The labour force shows in the plan's member table; every document carries the plan's
    # source files (for the archive and for verify), so they all change: the plan is laid
    # out again, the others' pages are kept and get the new files (render/laid.py).
    _plan(tmp_path, labour_force="6100")
    again = build(plan, out)
    assert (again.rendered, again.reattached) == (1, 4)
    after = _state(out / "testila")
    changed = {name for name in after if after[name][2] != before[name][2]}
    assert changed == {"jarjestamissuunnitelma_fi.pdf", "jarjestamissuunnitelma_fi.docx",
                       "yhteistoimintasopimus_fi.pdf", "yhteistoimintasopimus_fi.docx",
                       "paatosesitys_testila_fi.pdf", "paatosesitys_naapuri_fi.pdf",
                       "tarkistusraportti_fi.pdf", "tarkistusraportti_fi.docx"}
    # a change to the plan's template reaches the plan only
    templates = tmp_path / "templates"
    shutil.copytree(default_dir(), templates)
    build(plan, out, templates=TemplateSet.load(templates))  # same templates, new folder
    template = templates / "documents" / "plan.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "{{ prose(area.introduction, 1) }}", "{{ prose(area.introduction, 1) }}\n\nLisäys.", 1),
        encoding="utf-8")
    rebuilt = build(plan, out, templates=TemplateSet.load(templates))
    assert rebuilt.rendered == 1


def test_a_removed_member_takes_its_decision_with_it(tmp_path: Path) -> None:
    out = tmp_path / "output"
    build(_plan(tmp_path, third=True), out)
    assert (out / "testila" / "paatosesitys_kolmas_fi.pdf").exists()
    build(_plan(tmp_path), out)
    names = sorted(p.name for p in (out / "testila").iterdir())
    assert names == ["jarjestamissuunnitelma_fi.docx", "jarjestamissuunnitelma_fi.pdf",
                     "kustannustenjako.csv", "paatosesitys_naapuri_fi.pdf",
                     "paatosesitys_testila_fi.pdf", "tarkistusraportti_fi.docx",
                     "tarkistusraportti_fi.pdf"]


def test_a_damaged_output_is_rebuilt(tmp_path: Path) -> None:
    plan = _plan(tmp_path, money=False)
    out = tmp_path / "output"
    build(plan, out)
    target = out / "testila" / "jarjestamissuunnitelma_fi.pdf"
    good = target.read_bytes()
    target.write_bytes(b"damaged")
    rebuilt = build(plan, out)
    # the damaged plan only, written again from its kept pages (nothing is laid out)
    assert not rebuilt.unchanged and (rebuilt.rendered, rebuilt.reattached) == (0, 1)
    assert target.read_bytes() == good
    # without its kept pages as well, it is laid out again
    target.write_bytes(b"damaged")
    for kept in (out / ".planbuilder-cache" / "testila.laid").iterdir():
        kept.write_bytes(b"damaged too")
    rebuilt = build(plan, out)
    assert (rebuilt.rendered, rebuilt.reattached) == (1, 0)
    assert target.read_bytes() == good


def _charts(out: Path) -> dict[str, bytes]:
    folder = out / ".planbuilder-cache" / "testila.charts"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def test_charts_are_drawn_once_for_the_builds_after(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "output"
    plan = _plan(tmp_path)
    build(plan, out)
    drawn = _charts(out)
    assert len(drawn) == 1  # the plan's members' shares
    # the text edited, the shares not: no chart is drawn (matplotlib is not even needed)
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    (plan / "plan.yaml").write_text(text.replace("Kunnat muodostavat",
                                                 "Kunnat muodostavat nyt", 1),
                                    encoding="utf-8")

    def not_drawn(*args: object) -> charts.Chart:
        raise AssertionError("a chart was drawn again")

    with monkeypatch.context() as m:
        for name in ("_bar_chart", "_change_chart", "_line_chart"):
            m.setattr(charts, name, not_drawn)
        assert build(plan, out).rendered == 1
    assert _charts(out) == drawn
    # the shares changed: the new chart is drawn and kept, the old one removed
    _plan(tmp_path, third=True)
    build(plan, out)
    again = _charts(out)
    assert len(again) == 1 and again.keys() != drawn.keys()


def test_a_kept_chart_is_trusted_only_with_its_recorded_bytes(tmp_path: Path) -> None:
    store = cache.ChartStore("salt", tmp_path, {})
    assert store.get("bar") is None and store.used == {}
    store.put("bar", b"drawn")
    (key, packed), = store.used.items()
    assert packed == b"drawn" and key == cache.ChartStore("salt")._key("bar")
    assert cache.ChartStore("other salt")._key("bar") != key  # other code or fonts
    hashes = cache.write_charts(tmp_path, "testila", store.used, {})
    folder = cache.charts_folder(tmp_path, "testila")
    assert hashes == {key: hashlib.sha256(b"drawn").hexdigest()}
    kept = cache.ChartStore("salt", folder, hashes)
    assert kept.get("bar") == b"drawn" and kept.used == {key: None}
    (folder / key).write_bytes(b"damaged")
    assert cache.ChartStore("salt", folder, hashes).get("bar") is None
    # a build that used no chart keeps none
    assert cache.write_charts(tmp_path, "testila", {}, hashes) == {}
    assert list(folder.iterdir()) == []


@pytest.mark.slow
def test_parallel_build_gives_the_serial_bytes(tmp_path: Path) -> None:
    plan = _plan(tmp_path, third=True)  # plan, three decisions, report, CSV
    assert main(["-q", "build", str(plan), "--jobs", "1", "--output",
                 str(tmp_path / "serial")]) == 0
    assert main(["-q", "build", str(plan), "--jobs", "2", "--output",
                 str(tmp_path / "parallel")]) == 0
    serial = {p.name: p.read_bytes() for p in (tmp_path / "serial" / "testila").iterdir()}
    parallel = {p.name: p.read_bytes() for p in (tmp_path / "parallel" / "testila").iterdir()}
    assert len(serial) == 8 and serial == parallel


def test_jobs_must_be_a_sensible_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--jobs", "0"])
    assert exit_.value.code == 2
    assert "expected a number of jobs from 1 to 64, got '0'" in capsys.readouterr().err


def test_a_bad_jobs_setting_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANBUILDER_JOBS", "many")
    assert main(["build", str(_plan(tmp_path)), "--output", str(tmp_path / "out")]) == 2
    assert "PLANBUILDER_JOBS: expected a number of jobs from 1 to 64, got 'many'" in \
        capsys.readouterr().err
