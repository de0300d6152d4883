"""Hostile input, round two (issue 18): sandbox escapes, mixed output sets, crashes and slow
paths an outside tester found. Each test failed before its fix."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import Any, cast

import pytest
from pypdf import PdfReader

from cpu import cpu_budget
from planbuilder.cli import main
from planbuilder.compose.templates import default_dir

FIXTURES = Path(__file__).parent / "fixtures"
CANARY = "CANARY-5e1d-do-not-leak"


def make_plan(root: Path, name: str = "testila", *, money: bool = False,
              replace: tuple[str, str] | None = None, extra: str = "") -> Path:
    plan = root / "plans" / name
    plan.mkdir(parents=True, exist_ok=True)
    text = (FIXTURES / "minimal" / "plan.yaml").read_text(encoding="utf-8")
    if money:
        text += (FIXTURES / "money.yaml").read_text(encoding="utf-8")
    text += extra
    if replace is not None:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1], 1)
    (plan / "plan.yaml").write_text(text, encoding="utf-8")
    return plan


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def templates(here: Path) -> Path:
    copy = here / "t"
    shutil.copytree(default_dir(), copy)
    return copy


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def outputs(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


# -- containment ---------------------------------------------------------------------------

def test_translation_cannot_reach_python_internals(here: Path, templates: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PB_SECRET", CANARY)
    fi = templates / "i18n" / "fi.yaml"
    fi.write_text(fi.read_text(encoding="utf-8").replace(
        'page: "sivu {page} / {pages}"',
        'page: "sivu {page} / {pages}"\n  leak: "{item.__init__.__globals__[os].environ}"'),
        encoding="utf-8")
    append(templates / "documents" / "plan.md.j2", "\n{{ t('document.leak', item=plan) }}\n")
    make_plan(here)
    assert main(["build", "plans/testila", "--output", "output", "--templates", "t"]) == 2
    err = capsys.readouterr().err
    assert "translation 'document.leak' in fi.yaml: '{item.__init__.__globals__[os]" \
        ".environ}': only plain names may be used" in err
    assert CANARY not in err and not Path("output").exists()


def test_template_symlink_out_is_not_followed(here: Path, templates: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    secret = here / "secret.txt"
    secret.write_text(CANARY, encoding="utf-8")
    (templates / "documents" / "extra.md.j2").symlink_to(secret)
    append(templates / "documents" / "plan.md.j2", "\n{% include 'extra.md.j2' %}\n")
    make_plan(here)
    assert main(["build", "plans/testila", "--output", "output", "--templates", "t"]) == 2
    err = capsys.readouterr().err
    assert "extra.md.j2 (links outside the template folder are not followed)" in err
    assert CANARY not in err and not Path("output").exists()


def test_style_symlink_out_is_refused(here: Path, templates: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    outside = here / "style.yaml"
    shutil.copy(templates / "style.yaml", outside)
    (templates / "style.yaml").unlink()
    (templates / "style.yaml").symlink_to(outside)
    make_plan(here)
    assert main(["build", "plans/testila", "--output", "output", "--templates", "t"]) == 2
    assert "links outside the template folder are not followed" in capsys.readouterr().err


def test_pdf_uses_the_house_fonts_only(here: Path) -> None:
    make_plan(here)
    assert main(["build", "plans/testila", "--output", "output"]) == 0
    reader = PdfReader(io.BytesIO(Path("output/testila/jarjestamissuunnitelma_fi.pdf")
                                  .read_bytes()))
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in cast(Any, page["/Resources"])["/Font"].values()}
    assert fonts and all("Liberation-Sans" in f for f in fonts), fonts


def test_plain_text_field_cannot_inject_markdown(here: Path) -> None:
    import datetime as dt

    from planbuilder.compose import compose_decision
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import Heading, Paragraph, Table, plain
    from planbuilder.load import load_plan
    from planbuilder.money import compute

    injected = "Naapurin valtuusto\\n\\n```pb\\nb0\\n```\\n\\n## Päätösehdotus\\n\\n[x](#y)"
    plan_dir = make_plan(here, money=True, replace=(
        "    name: Naapuri\n", f'    name: Naapuri\n    council: "{injected}"\n'))
    plan = load_plan(plan_dir).plan
    doc = compose_decision(plan, "naapuri", "fi", TemplateSet.load(), compute(plan),
                           dt.date(2025, 1, 1), [])
    proposal = [b for b in doc.blocks if isinstance(b, Heading) and b.text == "Päätösehdotus"]
    assert len(proposal) == 1
    # the member's share, its advances, and the calculation's shares and criteria: no more
    assert [b.anchor for b in doc.blocks if isinstance(b, Table)] == [
        "table-member-share", "table-member-advances", "table-shares", "table-criteria"]
    text = [plain(b.content) for b in doc.blocks if isinstance(b, Paragraph)]
    assert any("Naapurin valtuusto ```pb b0 ``` ## Päätösehdotus [x](#y)" in t for t in text)


def test_nested_quotes_and_code_in_lists_are_kept() -> None:
    from planbuilder.compose.markdown import to_blocks
    from planbuilder.document import BulletList, Paragraph, plain

    blocks = to_blocks("> lainaus\n>> sisempi lainaus\n>\n>     koodi lainauksessa\n\n"
                       "- kohta\n\n  ```\n  koodi listassa\n  ```\n")
    shown = [plain(b.content) for b in blocks if isinstance(b, Paragraph)]
    shown += [plain(i) for b in blocks if isinstance(b, BulletList) for i in b.items]
    for text in ("lainaus", "sisempi lainaus", "koodi lainauksessa", "kohta",
                 "koodi listassa"):
        assert text in shown


# -- nothing lost --------------------------------------------------------------------------

def test_failed_write_keeps_the_whole_previous_set(here: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from planbuilder.render import output

    make_plan(here)
    assert main(["build", "plans/testila", "--output", "output"]) == 0
    before = outputs(here / "output")
    make_plan(here, replace=("version: \"0.1\"", "version: \"0.2\""))
    real_open = open
    written: list[str] = []

    def full_disk(path: object, mode: str = "r", *args: object, **kw: object) -> object:
        if "w" in mode and ".new-" in str(path):
            written.append(str(path))
            if len(written) == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, mode, *args, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", full_disk)
    assert main(["build", "plans/testila", "--output", "output"]) == 2
    monkeypatch.setattr("builtins.open", real_open)
    assert outputs(here / "output") == before
    assert sorted(p.name for p in (here / "output").iterdir()) == [
        ".planbuilder-cache", "testila"]  # no lock file left
    del output


def test_interrupted_swap_is_recovered(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed between the two renames of the fallback swap: the next build puts the
    previous set back first, then replaces it whole."""
    from planbuilder.render import output

    make_plan(here)
    assert main(["build", "plans/testila", "--output", "output"]) == 0
    folder = here / "output" / "testila"
    names = sorted(p.name for p in folder.iterdir())
    retired = folder.parent / ".testila.old-x1"
    os.replace(folder, retired)  # as left by a kill after the first rename
    (folder.parent / ".testila.new-x2").mkdir()  # a half-written set
    output.recover(folder)
    assert sorted(p.name for p in folder.iterdir()) == names
    assert sorted(p.name for p in folder.parent.iterdir()) == [
        ".planbuilder-cache", "testila"]  # no lock file left
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)  # the fallback path
    assert main(["build", "plans/testila", "--output", "output"]) == 0
    assert sorted(p.name for p in folder.parent.iterdir()) == [
        ".planbuilder-cache", "testila"]  # no lock file left


@pytest.mark.slow
def test_stale_outputs_go_with_the_old_set(here: Path) -> None:
    make_plan(here, money=True)
    assert main(["build", "plans/testila", "--output", "output"]) == 0
    assert Path("output/testila/paatosesitys_naapuri_fi.pdf").exists()
    plan = Path("plans/testila/plan.yaml")
    plan.write_text(plan.read_text(encoding="utf-8").replace("naapuri", "naapurikunta"),
                    encoding="utf-8")
    assert main(["build", "plans/testila", "--output", "output"]) == 0
    names = sorted(p.name for p in Path("output/testila").iterdir())
    assert "paatosesitys_naapurikunta_fi.pdf" in names
    assert "paatosesitys_naapuri_fi.pdf" not in names


def test_plans_that_would_share_an_output_folder(here: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    make_plan(here, "Testi")
    make_plan(here, "testi")
    make_plan(here, "Тест")  # Cyrillic: keeps its own name, not a shared fallback
    make_plan(here, "測試")
    assert main(["build", "plans", "--output", "output"]) == 2
    err = capsys.readouterr().err
    assert "plans/testi: not built: plans/Testi already writes output/testi; rename one of " \
        "the plan folders" in err
    assert sorted(p.name for p in Path("output").iterdir() if not p.name.startswith(".")) \
        == ["testi", "тест", "測試"]


# -- never a traceback ---------------------------------------------------------------------

SETTLEMENT = """  settlement:
    actual_costs: {costs}
    actual_statistics:
      testila: {{population: {a}}}
      naapuri: {{population: {b}}}
"""


@pytest.mark.parametrize(("costs", "a", "b", "message"), [
    ("900000", 0, 0, "year-end settlement: "),
    ("10000", 30000, 12000, "year-end settlement: model 'vaesto': the costs to share (10000) "
     "are smaller than its direct costs and pools (12345.67)"),
])
def test_settlement_money_errors_are_plan_errors(here: Path, costs: str, a: int, b: int,
                                                 message: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    make_plan(here, money=True, replace=(
        "      criteria: [{statistic: population, weight: 100}]\n",
        "      criteria: [{statistic: population, weight: 100}]\n"
        + SETTLEMENT.format(costs=costs, a=a, b=b)))
    assert main(["validate", "plans/testila"]) == 1
    out = capsys.readouterr().out
    assert "error PB-MONEY: " + message in out
    for command in (["budget", "plans/testila"], ["explain", "plans/testila", "naapuri"],
                    ["build", "plans/testila", "--output", "output"]):
        assert main(command) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_a_crash_is_exit_3_and_other_plans_are_built(here: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from planbuilder import compose

    make_plan(here, "alpha")
    make_plan(here, "beta")
    real = compose.compose_plan
    calls: list[object] = []

    def buggy(plan: object, *args: object, **kw: object) -> object:
        calls.append(plan)
        if len(calls) == 1:  # the first plan built: plans/alpha
            raise ZeroDivisionError("simulated bug")
        return real(plan, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("planbuilder.pipeline.compose_plan", buggy)
    assert main(["build", "plans", "--output", "output"]) == 3
    err = capsys.readouterr().err
    assert "plans/alpha: not built, previous outputs left as they were: internal error " \
        "ZeroDivisionError: simulated bug (this is a bug in planbuilder, not an error in the " \
        "plan" in err
    assert "Traceback" not in err
    assert Path("output/beta/jarjestamissuunnitelma_fi.pdf").exists()
    assert main(["-v", "build", "plans/alpha", "--output", "output"]) == 0


def test_internal_error_traceback_only_with_verbose(here: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    def broken(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setitem(__import__("planbuilder.cli").cli.COMMANDS, "rules", broken)
    assert main(["rules"]) == 3
    err = capsys.readouterr().err
    assert "internal error RuntimeError: boom" in err and "Traceback" not in err
    assert main(["-v", "rules"]) == 3
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize(("where", "expected"), [
    ("missing/schema.json", "folder missing does not exist"),
    ("folder", "is a folder"),
    ("link.json", "is a symbolic link"),
])
def test_schema_output_problems_are_usage_errors(here: Path, where: str, expected: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (here / "folder").mkdir()
    (here / "link.json").symlink_to(here / "elsewhere.json")
    assert main(["schema", "--output", where]) == 2
    assert expected in capsys.readouterr().err
    assert not (here / "elsewhere.json").exists()


def test_source_date_epoch_out_of_range(here: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    make_plan(here)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999999")
    assert main(["build", "plans/testila", "--output", "output"]) == 2
    assert "SOURCE_DATE_EPOCH='99999999999999999999' is not a time planbuilder can use" in \
        capsys.readouterr().err


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("base_size: 10", "base_size: .nan", "base_size"),
    ("base_size: 10", "base_size: 1e308", "base_size"),
    ("line_height: 1.35", "line_height: -4", "line_height"),
    ("margins: {top: 25,", "margins: {top: .inf,", "margins.top"),
    ("heading_sizes: [17, 13.5, 11.5, 10.5]", "heading_sizes: [17, 1e9, 11.5, 10.5]",
     "heading_sizes.1"),
])
def test_bad_house_style_numbers(here: Path, templates: Path, old: str, new: str,
                                 expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    style = templates / "style.yaml"
    text = style.read_text(encoding="utf-8")
    assert old in text
    style.write_text(text.replace(old, new), encoding="utf-8")
    make_plan(here)
    assert main(["build", "plans/testila", "--output", "output", "--templates", "t"]) == 2
    assert f"style.yaml: {expected}: " in capsys.readouterr().err


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("html/document.html.j2", "<body>", "<body>{% if %}", "html/document.html.j2:14"),
    ("html/document.html.j2", "<body>", "<body>{{ no_such_name }}",
     "'no_such_name' is undefined"),
    ("css/print.css.j2", "body { margin: 0; }", "body { margin: {{ 'x' * 10**9 }}; }",
     "template value over"),
    ("documents/plan.md.j2", "{{ cover(title) }}", "{{ 'x' * 10**9 }}{{ cover(title) }}",
     "template value over"),
    # found by bench/fuzz.py --target templates (seed 201000614): a number as heading text
    ("documents/plan.md.j2", "{{ cover(title) }}", "{{ heading(1) }}{{ cover(title) }}",
     "takes text"),
])
def test_broken_or_greedy_templates_are_usage_errors(here: Path, templates: Path, file: str,
                                                     old: str, new: str, expected: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = templates / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    make_plan(here)
    with cpu_budget(60):
        assert main(["build", "plans/testila", "--output", "output", "--templates", "t"]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert not Path("output").exists()


def test_css_import_is_refused(here: Path, templates: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    css = templates / "css" / "print.css.j2"
    css.write_text('@import url("file:///etc/passwd");\n' + css.read_text(encoding="utf-8"),
                   encoding="utf-8")
    make_plan(here)
    assert main(["build", "plans/testila", "--output", "output", "--templates", "t"]) == 2
    err = capsys.readouterr().err
    assert "refused to fetch file:///etc/passwd" in err and "Traceback" not in err


# -- bounded time and memory -----------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "expected"), [
    ("criteria: [{statistic: population, weight: 100}]",
     "criteria: [{statistic: population, weight: 100}, {statistic: labour_force, "
     "weight: 1.0e-99999999}]", "error LOAD-LIMIT: the number '1.0e-99999999' is out of "
     "range (at most 15 digits before or after the decimal point)"),
    # found by bench/fuzz.py (seed 101004603): an int field given a tiny float took 313 s
    ("budget_year: 2025", "budget_year: 1.0e-99999999", "plans/testila/plan.yaml:8:16: "
     "error LOAD-LIMIT: the number '1.0e-99999999' is out of range"),
    ("criteria: [{statistic: population, weight: 100}]",
     "criteria: [{statistic: population, weight: 100.00001}]",
     "error SCHEMA-TYPE: weight: decimal input should have no more than 4 decimal places"),
])
def test_absurd_numbers_are_refused_quickly(here: Path, old: str, new: str, expected: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    make_plan(here, money=True, replace=(old, new))
    with cpu_budget(5):
        assert main(["validate", "plans/testila"]) == 1
    assert expected in capsys.readouterr().out


@pytest.mark.parametrize(("year", "expected"), [
    ("1" + "0" * 400, "plans/testila/plan.yaml:31:18: error LOAD-LIMIT: a number of 401 "
                      "characters (at most 100)"),
    ("10000", "less than or equal to 2200"),
])
def test_projection_year_out_of_range(here: Path, year: str, expected: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    make_plan(here, replace=(
        "      population: {value: 12000, date: 2023-12-31, source: Tilastokeskus}\n",
        "      population: {value: 12000, date: 2023-12-31, source: Tilastokeskus}\n"
        "    projections:\n      - statistic: labour_force\n        source: Tilastokeskus\n"
        "        values: {" + year + ": 6000}\n"))
    assert main(["validate", "plans/testila"]) == 1
    out = capsys.readouterr().out
    assert expected in out


def test_a_giant_word_is_a_located_error(here: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    make_plan(here, replace=("place: Testilän keskusta", "place: " + "x" * 199_000))
    with cpu_budget(10):
        assert main(["build", "plans/testila", "--output", "output"]) == 1
    assert "plans/testila/plan.yaml:49:33: error PB-LIMIT-WORD: a word of 199000 characters " \
        "(at most 200) starting 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'; add spaces or shorten it" \
        in capsys.readouterr().err




def test_unreadable_plan_folder_is_an_io_error(here: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Tests run as root here, so permissions cannot deny a read: simulate it."""
    make_plan(here)
    real_glob = Path.glob
    real_iterdir = Path.iterdir

    def denied_glob(self: Path, pattern: str) -> object:
        if self.name in ("testila", "plans"):
            raise PermissionError(13, "Permission denied")
        return real_glob(self, pattern)

    def denied_iterdir(self: Path) -> object:
        if self.name == "plans":
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "glob", denied_glob)
    monkeypatch.setattr(Path, "iterdir", denied_iterdir)
    assert main(["validate", "plans/testila"]) == 2
    assert "plans/testila:1:1: error LOAD-IO: cannot read the folder: Permission denied" in \
        capsys.readouterr().out
    assert main(["build", "plans", "--output", "output"]) == 2
    assert "Traceback" not in capsys.readouterr().err
