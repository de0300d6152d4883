"""A build's render workers end with the build (issue 26): `build --jobs 2` killed with
SIGTERM or SIGKILL left both workers running, about 140 MB each, for as long as watched."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_workers_end_with_a_killed_build(sig: signal.Signals, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans" / "porvoo", tmp_path / "porvoo")
    env = {**os.environ, "PLANBUILDER_JOBS": "2"}
    build = subprocess.Popen([sys.executable, "-m", "planbuilder", "build", "porvoo",
                              "--jobs", "2", "--output", "out"], cwd=tmp_path, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        workers: set[int] = set()
        while len(workers) < 2:
            assert build.poll() is None, "the build ended before its workers started"
            assert time.monotonic() < deadline, "no workers started"
            workers = {p for p in _children(build.pid) if _alive(p)}
            time.sleep(0.2)
        build.send_signal(sig)
        build.wait(60)
        deadline = time.monotonic() + 20
        while any(_alive(p) for p in workers):
            assert time.monotonic() < deadline, "workers still running after the build ended"
            time.sleep(0.2)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert not (tmp_path / "out" / "porvoo").exists() or \
        sorted(p.name for p in (tmp_path / "out" / "porvoo").iterdir())  # never half a set


# -- compose in the workers, the same bytes (issue 29) -----------------------------------------

FIXTURES = ROOT / "tests" / "fixtures"


def _small_plan(root: Path) -> Path:
    """The minimal plan with money: the plan, a decision proposal per member and the CSV."""
    folder = root / "plans" / "testila"
    folder.mkdir(parents=True)
    text = (FIXTURES / "minimal" / "plan.yaml").read_text(encoding="utf-8") \
        + (FIXTURES / "money.yaml").read_text(encoding="utf-8")
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.slow
def test_workers_compose_and_give_the_serial_bytes(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """With a pool, the documents are composed in the worker processes (the build's own
    process only loads, checks and computes), and the bytes are a serial build's."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from planbuilder import pipeline

    plan = _small_plan(tmp_path)
    pids = tmp_path / "pids"
    compose = pipeline.Composing.compose

    def noted(self: pipeline.Composing, item: pipeline.Planned) -> pipeline.Output:
        with pids.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {item.stem}\n")
        return compose(self, item)

    monkeypatch.setattr(pipeline.Composing, "compose", noted)
    serial = pipeline.build(plan, tmp_path / "serial")
    assert {line.split()[0] for line in pids.read_text().splitlines()} == {str(os.getpid())}
    pids.unlink()
    pipeline.prepare_workers()
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        parallel = pipeline.build(plan, tmp_path / "parallel", pool=pool)
    composed = [line.split() for line in pids.read_text().splitlines()]
    assert sorted(stem for _, stem in composed) == [
        "jarjestamissuunnitelma_fi", "paatosesitys_naapuri_fi", "paatosesitys_testila_fi",
        "tarkistusraportti_fi"]
    assert str(os.getpid()) not in {pid for pid, _ in composed}
    assert serial.rendered == parallel.rendered == 4
    made = _files(tmp_path / "serial" / "testila")
    assert len(made) == 7 and made == _files(tmp_path / "parallel" / "testila")


@pytest.mark.slow
def test_an_attachment_only_change_gives_a_fresh_builds_bytes(tmp_path: Path) -> None:
    """A section's text edited: the plan shows it, and every decision proposal carries it in
    its attached YAML. The rebuilt set (some documents kept, others made again) has the bytes
    of a fresh build of the edited plan."""
    from planbuilder.pipeline import build

    plan = _small_plan(tmp_path)
    before = build(plan, tmp_path / "out")
    assert before.rendered == 4
    old = _files(tmp_path / "out" / "testila")
    source = plan / "plan.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "hankitaan ostopalveluina.", "hankitaan ostopalveluina ja kumppaneilta.", 1),
        encoding="utf-8")
    again = build(plan, tmp_path / "out")
    fresh = build(plan, tmp_path / "fresh", force=True)
    rebuilt = _files(tmp_path / "out" / "testila")
    # only the plan is laid out again: the proposals and the report keep their pages and
    # get the new files (render/laid.py); a fresh build lays out all four
    assert (again.rendered, again.reattached) == (1, 3) and fresh.rendered == 4
    assert rebuilt == _files(tmp_path / "fresh" / "testila")
    changed = sorted(name for name in rebuilt if rebuilt[name] != old[name])
    assert changed == ["jarjestamissuunnitelma_fi.docx", "jarjestamissuunnitelma_fi.pdf",
                       "paatosesitys_naapuri_fi.pdf", "paatosesitys_testila_fi.pdf",
                       "tarkistusraportti_fi.docx", "tarkistusraportti_fi.pdf"]
    # a kept layout that is not the recorded one (damaged, replaced) is never used
    kept = tmp_path / "out" / ".planbuilder-cache" / "testila.laid"
    assert sorted(p.name for p in kept.iterdir()) == sorted(
        name.rsplit(".", 1)[0] for name in rebuilt if name.endswith(".pdf"))
    for path in kept.iterdir():
        data = path.read_bytes()
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    source.write_text(source.read_text(encoding="utf-8").replace(
        "ja kumppaneilta.", "ja kumppaneilta sekä omana työnä.", 1), encoding="utf-8")
    third = build(plan, tmp_path / "out")
    assert (third.rendered, third.reattached) == (4, 0)
    build(plan, tmp_path / "fresh", force=True)
    assert _files(tmp_path / "out" / "testila") == _files(tmp_path / "fresh" / "testila")


def test_kept_pages_take_only_attachments_that_fit() -> None:
    """The kept layout is used only for the same attachment names, each content its own
    (the engine relates a file to the document by its checksum), and a file that is no
    kept layout is refused."""
    from planbuilder.render import laid
    from planbuilder.render.pdfa import EmbeddedFile, Entry, Written, assemble

    def file(index: int, name: str, checksum: bytes) -> EmbeddedFile:
        return EmbeddedFile(index, name, True, (("Type", b"/EmbeddedFile"), ("Params", b"")),
                            (("CheckSum", checksum), ("Size", b"1")))

    entries = (Entry(0, 65535, True, False, b""), Entry(1, 0, False, True, b"<</Type/Catalog>>"),
               Entry(2, 0, False, False, b"<<>>stream\nx\nendstream"),
               Entry(3, 0, False, False, b"<<>>stream\ny\nendstream"))
    written = Written(b"1.7", True, 6, b"1 0 R", b"", entries,
                      (file(2, "a.yaml", b"<aa>"), file(3, "b.yaml", b"<bb>")))
    kept = laid.load(laid.dump(laid.Laid(written, 3, {"intro": 1})))
    assert kept.pages == 3 and kept.anchors == {"intro": 1} and kept.written == written
    again = laid.reattached(kept, {"a.yaml": b"one", "b.yaml": b"two"})
    assert again is not None and again.startswith(b"%PDF-1.7") and again.endswith(b"%%EOF\n")
    assert assemble(written) != again
    assert laid.reattached(kept, {"a.yaml": b"same", "b.yaml": b"same"}) is None
    assert laid.reattached(kept, {"a.yaml": b"one", "c.yaml": b"two"}) is None
    assert laid.reattached(kept, {"a.yaml": b"one"}) is None
    for foreign in (b"", b"%PDF-1.7", laid.MAGIC + b"12\n{}", laid.dump(laid.Laid(
            written, 3, {}))[:-3]):
        with pytest.raises(ValueError):
            laid.load(foreign)


# -- the PDF/A finisher is local to one write (issue 29) ---------------------------------------


def test_two_pdfs_written_at_once_in_threads_are_right_and_the_same(tmp_path: Path) -> None:
    """The finisher once swapped pydyf's Stream.data for the whole class during a write: two
    builds in one process (threads) could write with each other's swap undone. Now nothing
    of pydyf changes while PDFs are written, and two written at once are a serial one's
    bytes, valid PDF/A-3a."""
    import threading

    import page
    import pydyf

    from planbuilder.compose import compose_plan
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.load import load_plan
    from planbuilder.money import compute
    from planbuilder.render.pdf import render_pdf
    from planbuilder.render.style import load_style

    loaded = load_plan(_small_plan(tmp_path))
    templates = TemplateSet.load()
    style = load_style(templates.folder)
    doc = compose_plan(loaded.plan, "fi", templates, compute(loaded.plan),
                       loaded.plan.area.date)
    alone = render_pdf(doc, style)
    data = pydyf.Stream.__dict__["data"]
    made: list[bytes] = []
    seen: set[int] = set()
    writers = [threading.Thread(target=lambda: made.append(render_pdf(doc, style)))
               for _ in range(2)]
    for w in writers:
        w.start()
    while any(w.is_alive() for w in writers):
        seen.add(id(pydyf.Stream.__dict__["data"]))
    for w in writers:
        w.join()
    assert seen == {id(data)}
    assert made == [alone, alone]
    assert page.validate_pdf_bytes(alone, profile="pdfa-3a").failures == []


def test_a_stream_ending_in_cr_keeps_its_length() -> None:
    """Data ending in CR is followed by CRLF before 'endstream', so a reader that takes the
    CR for part of an end-of-line still finds /Length bytes of data."""
    import pydyf

    from planbuilder.render.pdfa import _stream_data

    ends_cr = _stream_data(pydyf.Stream([b"abc\r"]), 6)
    assert ends_cr == b"<</Length 4>>\nstream\nabc\r\r\nendstream"
    assert _stream_data(pydyf.Stream([b"abc"]), 6) == b"<</Length 3>>\nstream\nabc\nendstream"


@pytest.mark.slow
def test_plans_started_ahead_are_said_in_order(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """With workers, the next plan is started before the last one is finished: what each
    says still comes in the plans' order, a plan with errors between two is reported in its
    place and the others are built, and the exit code is the plan's with errors."""
    from planbuilder.cli import main

    first = _small_plan(tmp_path / "a")
    broken = shutil.copytree(first, tmp_path / "plans" / "b-broken")
    text = (broken / "plan.yaml").read_text(encoding="utf-8")
    (broken / "plan.yaml").write_text(text.replace("budget_year: 2025", "budget_year: x", 1),
                                      encoding="utf-8")
    last = shutil.copytree(first, tmp_path / "plans" / "c-last")
    code = main(["build", str(first), str(broken), str(last), "--jobs", "2",
                 "--output", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 1
    said = [line for line in out.splitlines() if "built" in line]
    assert [line.split(":")[0] for line in said] == [f"[1/3] {first}", f"[3/3] {last}"]
    assert f"{broken}: not built" in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) \
        == ["c-last", "testila"]
