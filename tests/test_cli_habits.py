"""Command-line habits (issue 28): --lang after the command, -q, -V, plural forms from CLDR,
progress while a plan renders, doctor, the schema in the reader's language."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from babel import Locale

from planbuilder import __version__, doctor
from planbuilder.cli import _lang_option, _progress, main
from planbuilder.messages import MESSAGE_LANGS, catalogue, msg, plural_forms
from planbuilder.render.engine import install_hint, platform_key

Writer = Callable[..., Path]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- --lang after the command ----------------------------------------------------------------

@pytest.mark.parametrize(("argv", "expected"), [
    (["--lang", "fi", "validate", "plans"], "fi"),
    (["validate", "--lang", "sv", "plans"], "sv"),
    (["validate", "plans", "--lang=fi"], "fi"),
    (["--lang", "en", "validate", "--lang", "fi"], "en"),  # the first one counts
    (["build", "--lang", "sv", "plans"], None),  # build's --lang: the documents' languages
    (["redline", "HEAD", "plans/x", "--lang", "sv"], None),
    (["--lang", "fi", "build", "--lang", "sv"], "fi"),
    (["validate", "--", "--lang"], None),
])
def test_which_lang_is_the_messages(argv: list[str], expected: str | None) -> None:
    assert _lang_option(argv) == expected


def test_lang_after_the_command_words_the_messages(write_plan: Writer,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    write_plan()
    code, out, _ = run(capsys, "validate", "plan", "--lang", "fi")
    assert code == 0 and out.splitlines()[-1] == "plan: 0 virhettä, 0 varoitusta"
    code, out, _ = run(capsys, "rules", "--lang", "sv")
    assert code == 0 and "fel" in out
    # build keeps its own --lang: the documents' languages, fi or sv only
    with pytest.raises(SystemExit) as done:
        main(["build", "plan", "--lang", "en"])
    assert done.value.code == 2
    assert "argument --lang: invalid choice: 'en' (choose from 'fi', 'sv')" in \
        capsys.readouterr().err


# -- -q, -V ----------------------------------------------------------------------------------

def test_quiet_prints_errors_and_warnings_only(write_plan: Writer,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    write_plan()  # the minimal plan gives one info finding
    assert run(capsys, "-q", "validate", "plan") == (0, "", "")
    assert run(capsys, "validate", "-q", "plan") == (0, "", "")
    write_plan(replace=("  budget_year: 2025\n", "  budget_year: 2025\n  extra: 1\n"))
    code, out, _ = run(capsys, "validate", "plan", "-q")
    assert code == 1
    assert out.startswith("plan/plan.yaml:9:3: error SCHEMA-UNKNOWN: unknown key 'extra'")
    assert len(out.splitlines()) == 1  # no info finding, no summary


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([flag])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"planbuilder {__version__}\n"


# -- plural forms ------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "counts", "expected"), [
    ("en", (1, 0), "plan: 1 error, 0 warnings"),
    ("en", (2, 1), "plan: 2 errors, 1 warning"),
    ("fi", (1, 0), "plan: 1 virhe, 0 varoitusta"),
    ("fi", (3, 1), "plan: 3 virhettä, 1 varoitus"),
    ("sv", (1, 1), "plan: 1 fel, 1 varning"),
    ("sv", (2, 5), "plan: 2 fel, 5 varningar"),
])
def test_counts_take_their_cldr_plural_form(lang: str, counts: tuple[int, int],
                                            expected: str) -> None:
    summary = msg("cli.validate.summary", path="plan", errors=counts[0], warnings=counts[1],
                  acknowledged="")
    assert summary.text(lang) == expected


@pytest.mark.parametrize("lang", MESSAGE_LANGS)
def test_every_plural_names_only_its_language_s_categories(lang: str) -> None:
    """Each `{n:plural:…}` gives `other` and only categories CLDR knows for the language."""
    known = Locale.parse(lang).plural_form.tags | {"other"}
    found = 0
    for key, text in catalogue(lang).items():
        for spec in re.findall(r"\{\w+:plural:([^}]*)\}", text):
            found += 1
            assert set(plural_forms(spec)) <= known, (key, spec)
    assert found >= 6
    # no count of the command line's own is followed by a bracketed plural any more
    assert [k for k, v in catalogue(lang).items() if k.startswith(("cli.", "doctor."))
            and re.search(r"\{\w+\}\s*\w+\((s|ar|er|e)\)", v)] == []


# -- progress ----------------------------------------------------------------------------------

class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_lines_elsewhere() -> None:
    plain, ticks = io.StringIO(), iter([0.0, 4.0, 11.0, 12.0, 30.0, 31.0])
    with _progress(Path("plans/x"), False, plain, clock=lambda: next(ticks)) as report:
        assert report is not None
        for done in range(5):  # at 4 s, 11 s, 12 s, 30 s; the last is the result line's
            report(done, 4)
    assert plain.getvalue() == ("plans/x: documents rendered 2/4\n"
                                "plans/x: documents rendered 3/4\n")
    terminal = _Terminal()
    with _progress(Path("plans/x"), False, terminal) as report:
        assert report is not None
        report(1, 2)
    assert terminal.getvalue() == ("\r[##########..........] plans/x: documents rendered 1/2"
                                   "\r\033[K")
    with _progress(Path("plans/x"), True, plain) as report:
        assert report is None


def test_a_build_reports_its_documents_as_they_render(write_plan: Writer,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    write_plan()
    code, out, err = run(capsys, "build", "plan", "--output", "out")
    assert code == 0, err
    assert err == ""  # two documents, rendered within seconds: no progress line in a log
    # the plan and the preparation report, each as PDF and DOCX
    assert out.splitlines()[-1] == "plan: built 4 files (2 documents rendered), 0 warnings"
    code, out, err = run(capsys, "build", "plan", "--output", "out")
    assert (code, err) == (0, "")  # nothing to render, nothing to report
    assert out == "plan: up to date, nothing written, 0 warnings\n"


# -- doctor --------------------------------------------------------------------------------------

def test_doctor_on_this_machine_can_build(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "doctor")
    lines = out.splitlines()
    assert lines[0].startswith(f"planbuilder {__version__}, Python 3.")
    assert re.match(r"^ok +WeasyPrint and Pango \(the PDF engine\): WeasyPrint \d+", lines[2])
    assert code == 0 and lines[-1] == "everything needed to build the documents is here"


def test_doctor_says_what_a_missing_piece_costs(capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "check_voikko", lambda key: doctor.Check(
        "voikko", False, False, "libvoikko.so.1: cannot open shared object file",
        msg("doctor.cost.voikko"), doctor._command(doctor.VOIKKO, "debian", "")))
    code, out, _ = run(capsys, "--lang", "fi", "doctor")
    assert code == 0  # Voikko is not needed to build: the Finnish syllable rules stand in
    assert "puuttuu   Voikko ja sen suomen sanasto: libvoikko.so.1: cannot open shared " \
        "object file\n          ilman sitä: suomi tavutetaan tavusäännöillä (yhdyssanat " \
        "voivat katketa oudosti)\n          asennus: sudo apt install libvoikko1 voikko-fi\n" \
        in out
    code, out, _ = run(capsys, "doctor", "--templates", "nowhere", "-q")
    assert code == 2
    assert out.splitlines()[-1] == "cannot build the documents yet: the house fonts " \
        "(templates/fonts), the templates folder missing"
    assert not any(line.startswith("ok ") for line in out.splitlines())  # -q: problems only


@pytest.mark.parametrize(("system", "release", "expected"), [
    ("Linux", 'ID=debian\nVERSION_ID="12"\n', "debian"),
    ("Linux", "ID=ubuntu\nID_LIKE=debian\n", "ubuntu"),
    ("Linux", 'ID=linuxmint\nID_LIKE="ubuntu debian"\n', "ubuntu"),
    ("Linux", "ID=fedora\n", "fedora"),
    ("Linux", 'ID="rocky"\nID_LIKE="rhel centos fedora"\n', "fedora"),
    ("Linux", "ID=arch\n", None),
    ("Darwin", None, "macos"),
    ("Windows", None, "windows"),
])
def test_the_platform_picks_weasyprint_s_install_line(system: str, release: str | None,
                                                      expected: str | None) -> None:
    assert platform_key(system, release or "") == expected


def test_install_hints_as_weasyprint_documents_them() -> None:
    assert install_hint("fedora").text("en") == \
        "install the PDF engine's libraries (Fedora): sudo dnf install python-pip pango"
    assert install_hint("macos").text("en") == \
        "install the PDF engine's libraries (macOS): brew install weasyprint"
    windows = install_hint("windows", package_missing=True).text("en")
    assert "https://www.msys2.org/" in windows and "pacman -S mingw-w64-ucrt-x86_64-pango" \
        in windows and windows.endswith("(pip install planbuilder), which installs WeasyPrint")
    assert "doc.courtbouillon.org/weasyprint/stable/first_steps.html" in \
        install_hint("").text("en")


# -- the schema in the reader's language --------------------------------------------------------

def test_schema_in_finnish_and_swedish(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "schema", "--lang", "fi")
    value = json.loads(out)["$defs"]["Statistic"]["properties"]["value"]
    assert (code, err) == (0, "")
    assert value["description"] == "Luku (henkilöä; voi olla kuukausikeskiarvo)."
    code, out, err = run(capsys, "schema", "--lang", "sv")
    assert (code, err) == (0, "")
    assert json.loads(out)["$defs"]["Statistic"]["properties"]["value"]["description"] == \
        "Siffran (personer; kan vara ett månadsmedeltal)."
    code, out, _ = run(capsys, "schema")
    assert json.loads(out)["$defs"]["Statistic"]["properties"]["value"]["description"] == \
        "The figure (persons; may be a monthly average)."
