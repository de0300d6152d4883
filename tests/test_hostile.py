"""Bad and hostile input: clear located errors, nothing half-written, nothing read or
fetched from outside the plan and template folders (a canary file must never leak)."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from planbuilder.cli import main
from planbuilder.compose.templates import default_dir
from planbuilder.render.output import write_atomic

FIXTURES = Path(__file__).parent / "fixtures"
CANARY = "CANARY-7f3a9c-do-not-leak"


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    secret = tmp_path / "secret" / "canary.txt"
    secret.parent.mkdir()
    secret.write_text(f"{CANARY}\n", encoding="utf-8")
    return secret


def plan_with(tmp_path: Path, old: str, new: str) -> Path:
    plan = tmp_path / "plans" / "testila"
    plan.mkdir(parents=True, exist_ok=True)
    text = (FIXTURES / "minimal" / "plan.yaml").read_text(encoding="utf-8")
    assert old in text
    (plan / "plan.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return plan


def all_output_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(("link", "message"), [
    ("![kartta](file:///etc/passwd)", "image 'file:///etc/passwd' in text: images are not "
     "embedded from plan prose and nothing is fetched"),
    ("[liite](../../secret/canary.txt)", "link to '../../secret/canary.txt' refused: paths "
     "outside the document are not allowed"),
    ("[palvelin](http://127.0.0.1/admin)", "link to 'http://127.0.0.1/admin' refused: "
     "loopback or private addresses are not allowed"),
    ("<file:///etc/passwd>", "link to 'file:///etc/passwd' refused: file: URLs are not "
     "allowed"),
    ('<img src="http://10.0.0.1/x.png">', "raw HTML <img> is not allowed in text"),
])
def test_prose_referring_outside_is_refused_with_location(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        canary: Path, link: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    plan_with(tmp_path, "Testilän keskustassa ja", f"Testilän keskustassa {link} ja")
    assert main(["build", "plans/testila", "--output", "output"]) == 1
    err = capsys.readouterr().err
    assert f"plans/testila/plan.yaml:44:5: error PB-CONTENT: {message}" in err
    assert not Path("output").exists()
    assert CANARY not in err


def test_symlinked_plan_file_outside_folder_is_not_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        canary: Path) -> None:
    monkeypatch.chdir(tmp_path)
    plan = plan_with(tmp_path, "schema_version: 1", "schema_version: 1")
    (plan / "extra.yaml").symlink_to(canary)
    assert main(["validate", "plans/testila"]) == 2
    out = capsys.readouterr().out
    assert "plans/testila/extra.yaml:1:1: error LOAD-IO: refused: the file is a link to " \
        "outside the plan folder" in out
    assert CANARY not in out


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(default_dir(), folder)
    return folder


@pytest.mark.parametrize("where", ["css", "html"])
def test_template_fetching_outside_is_refused_and_outputs_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        canary: Path, templates: Path, where: str) -> None:
    monkeypatch.chdir(tmp_path)
    plan_with(tmp_path, "schema_version: 1", "schema_version: 1")
    assert main(["build", "plans/testila", "--output", "output",
                 "--templates", str(templates)]) == 0
    before = {p: p.read_bytes() for p in Path("output").rglob("*") if p.is_file()}
    url = canary.resolve().as_uri()
    if where == "css":
        css = templates / "css" / "print.css.j2"
        css.write_text(css.read_text(encoding="utf-8") + f'\nbody {{ background: url("{url}"); }}\n',
                       encoding="utf-8")
    else:
        html = templates / "html" / "document.html.j2"
        html.write_text(html.read_text(encoding="utf-8").replace(
            "<body>", '<body><img src="http://127.0.0.1:9/x.png" alt="x">'), encoding="utf-8")
        url = "http://127.0.0.1:9/x.png"
    capsys.readouterr()
    assert main(["build", "plans/testila", "--output", "output",
                 "--templates", str(templates)]) == 2
    err = capsys.readouterr().err
    assert f"refused to fetch {url}" in err
    assert "not built, previous outputs left as they were" in err
    assert {p: p.read_bytes() for p in Path("output").rglob("*") if p.is_file()} == before
    assert CANARY.encode() not in all_output_bytes(Path("output"))


def test_sandbox_stops_template_from_reading_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        canary: Path, templates: Path) -> None:
    monkeypatch.chdir(tmp_path)
    plan_with(tmp_path, "schema_version: 1", "schema_version: 1")
    doc = templates / "documents" / "plan.md.j2"
    doc.write_text("{{ cycler.__init__.__globals__.os.popen('cat " + str(canary) +
                   "').read() }}", encoding="utf-8")
    assert main(["build", "plans/testila", "--output", "output",
                 "--templates", str(templates)]) == 2
    err = capsys.readouterr().err
    assert "plan.md.j2" in err and "unsafe" in err
    assert CANARY not in err and not Path("output").exists()


def test_huge_text_is_refused_and_long_text_is_rendered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    plan_with(tmp_path, "place: Testilän keskusta", "place: " + "x" * 250_000)
    assert main(["validate", "plans/testila"]) == 1
    assert "plans/testila/plan.yaml:49:40: error LOAD-LIMIT: text of 250000 characters " \
        "(at most 200000)" in capsys.readouterr().out
    plan_with(tmp_path, "place: Testilän keskusta", "place: " + "Pitkä " * 2_000)
    assert main(["build", "plans/testila", "--output", "output"]) == 0
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("data", [
    b"\xff\xfe\x00a\x00r\x00e\x00a",  # UTF-16
    b"area: [unclosed\n",
    b"area: !!python/object/apply:os.system ['touch pwned']\n",
    b"a: &a [*a, *a]\n",
    b"\x00\x01\x02",
    b"",
])
def test_never_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str], data: bytes) -> None:
    monkeypatch.chdir(tmp_path)
    plan = tmp_path / "p"
    plan.mkdir()
    (plan / "plan.yaml").write_bytes(data)
    for command in (["validate", "p"], ["build", "p", "--output", "out"], ["budget", "p"]):
        assert main(command) == 1
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        assert "p/plan.yaml:" in out + err
    assert not Path("pwned").exists() and not Path("out").exists()


def test_failed_write_keeps_previous_file(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "doc.pdf"
    write_atomic(target, b"old complete document")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, b"new half")
    assert target.read_bytes() == b"old complete document"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]  # no temp file left


def test_concurrent_writers_never_mix(tmp_path: Path) -> None:
    target = tmp_path / "plan.docx"
    contents = [bytes([65 + i]) * 200_000 for i in range(6)]

    def writer(data: bytes) -> None:
        for _ in range(15):
            write_atomic(target, data)

    threads = [threading.Thread(target=writer, args=(c,)) for c in contents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert target.read_bytes() in contents
    assert [p.name for p in tmp_path.iterdir()] == ["plan.docx"]


@pytest.mark.slow
def test_two_builds_at_once_give_whole_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    plan_with(tmp_path, "schema_version: 1", "schema_version: 1")
    codes: list[int] = []
    threads = [threading.Thread(target=lambda: codes.append(
        main(["build", "plans/testila", "--output", "output"]))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [0, 0]
    single = tmp_path / "single"
    assert main(["build", "plans/testila", "--output", str(single)]) == 0
    for file in (single / "testila").iterdir():
        assert (Path("output") / "testila" / file.name).read_bytes() == file.read_bytes()


