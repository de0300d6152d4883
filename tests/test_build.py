"""End to end: `planbuilder build` on a small plan with money, agreement and decision.
The DOCX and PDF say the same thing; outputs are reproducible and written atomically."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from planbuilder.cli import main
from wordcheck import catalog, pdf_text, word_text

FIXTURES = Path(__file__).parent / "fixtures"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("\u00a0", " ")).strip()


def docx_text(path: Path) -> str:
    return word_text(path.read_bytes())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("build")
    plan = root / "plans" / "testila"
    plan.mkdir(parents=True)
    shutil.copy(FIXTURES / "minimal" / "plan.yaml", plan / "plan.yaml")
    shutil.copy(FIXTURES / "agreement.yaml", plan / "agreement.yaml")
    shutil.copy(FIXTURES / "money.yaml", plan / "money.yaml")
    assert main(["build", str(plan), "--output", str(root / "output")]) == 0
    return root


def test_files_written(built: Path) -> None:
    out = built / "output" / "testila"
    assert sorted(p.name for p in out.iterdir()) == [
        "jarjestamissuunnitelma_fi.docx", "jarjestamissuunnitelma_fi.pdf",
        "kustannustenjako.csv", "paatosesitys_naapuri_fi.pdf", "paatosesitys_testila_fi.pdf",
        "tarkistusraportti_fi.docx", "tarkistusraportti_fi.pdf",
        "yhteistoimintasopimus_fi.docx", "yhteistoimintasopimus_fi.pdf",
    ]


@pytest.mark.parametrize("name", ["jarjestamissuunnitelma_fi", "yhteistoimintasopimus_fi"])
def test_docx_and_pdf_say_the_same(built: Path, name: str) -> None:
    import datetime as dt

    from planbuilder.compose import compose_agreement, compose_plan
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import text_blocks
    from planbuilder.load import load_plan
    from planbuilder.money import compute

    out = built / "output" / "testila"
    word = docx_text(out / f"{name}.docx")
    pdf = pdf_text((out / f"{name}.pdf").read_bytes())
    plan = load_plan(built / "plans" / "testila").plan
    compose = compose_plan if name.startswith("jarj") else compose_agreement
    doc = compose(plan, "fi", TemplateSet.load(), compute(plan), dt.date(2024, 5, 31))
    missing_word = [t for t in text_blocks(doc) if norm(t) not in word]
    missing_pdf = [t for t in text_blocks(doc) if norm(t) not in pdf.replace("- ", "-")
                   and norm(t).replace(" ", "") not in pdf.replace(" ", "")]
    assert missing_word == []
    assert missing_pdf == []


def test_computed_euros_in_both_formats(built: Path) -> None:
    out = built / "output" / "testila"
    word = docx_text(out / "jarjestamissuunnitelma_fi.docx")
    pdf = pdf_text((out / "jarjestamissuunnitelma_fi.pdf").read_bytes())
    for figure in ("90 000,00 €", "1 002 345,67 €", "707 142,86 €", "282 857,14 €"):
        assert figure in word
        assert figure in pdf


def test_decision_pdf_shows_share_and_embeds_sources(built: Path) -> None:
    out = built / "output" / "testila"
    data = (out / "paatosesitys_naapuri_fi.pdf").read_bytes()
    text = pdf_text(data)
    assert "Kunnan arvioitu vuotuinen maksuosuus vuonna 2025 on 295 202,81 €" in text
    reader = PdfReader(io.BytesIO(data))
    attachments = reader.attachments
    assert sorted(attachments) == ["agreement.yaml", "kustannustenjako.csv", "money.yaml",
                                   "plan.yaml", "planbuilder.json"]
    plans = built / "plans" / "testila"
    for name in ("plan.yaml", "money.yaml", "agreement.yaml"):
        # the same data, without the preparers' comments (public record)
        assert yaml.safe_load(attachments[name][0]) == yaml.safe_load((plans / name).read_bytes())
        assert b"#" in (plans / name).read_bytes() or name != "plan.yaml"
        assert not any(line.lstrip().startswith(b"#")
                       for line in attachments[name][0].splitlines())
    assert attachments["kustannustenjako.csv"][0] == (out / "kustannustenjako.csv").read_bytes()
    xmp = catalog(reader)["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>3</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>" in xmp


@pytest.mark.slow
def test_rebuild_is_byte_identical(built: Path, tmp_path: Path) -> None:
    assert main(["build", str(built / "plans" / "testila"), "--output", str(tmp_path)]) == 0
    first = built / "output" / "testila"
    for file in first.iterdir():
        assert (tmp_path / "testila" / file.name).read_bytes() == file.read_bytes(), file.name


def test_failed_build_leaves_previous_outputs(built: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The previous outputs are the module's build of the same plan, copied whole (every
    file the build left in its folder): building it again would make the same bytes
    (test_rebuild_is_byte_identical)."""
    plan = tmp_path / "plans" / "testila"
    shutil.copytree(built / "plans" / "testila", plan)
    out = tmp_path / "output"
    shutil.copytree(built / "output", out)
    before = {p.name: p.read_bytes() for p in (out / "testila").iterdir()}
    text = (plan / "plan.yaml").read_text(encoding="utf-8")
    (plan / "plan.yaml").write_text(text.replace("kind: staffed", "kind: stafed"),
                                    encoding="utf-8")
    capsys.readouterr()
    assert main(["build", str(plan), "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert "plan.yaml:49:59: error SCHEMA-TYPE: kind: value 'stafed'" in err
    assert "not built; previous outputs left as they were" in err
    after = {p.name: p.read_bytes() for p in (out / "testila").iterdir()}
    assert after == before


@pytest.mark.slow
def test_build_of_bilingual_plan_writes_swedish(tmp_path: Path,
                                                copy_bilingual: Callable[[Path], Path]) -> None:
    plan = copy_bilingual(tmp_path)
    # a set an earlier planbuilder wrote, with the Swedish documents under Finnish names
    old = tmp_path / "out" / "testila"
    old.mkdir(parents=True)
    (old / "jarjestamissuunnitelma_sv.pdf").write_bytes(b"%PDF-old")
    (old / "paatosesitys_naapuri_sv.pdf").write_bytes(b"%PDF-old")
    assert main(["build", str(plan), "--output", str(tmp_path / "out")]) == 0
    names = sorted(p.name for p in (tmp_path / "out" / "testila").iterdir())
    assert "organiseringsplan_sv.pdf" in names and "beslutsforslag_naapuri_sv.pdf" in names
    assert "jarjestamissuunnitelma_fi.pdf" in names  # Finnish documents keep Finnish names
    assert not [n for n in names if n.endswith("_sv.pdf") and n.startswith(
        ("jarjestamissuunnitelma", "yhteistoimintasopimus", "paatosesitys"))]
    assert "beslutsforslag_testila_sv.pdf" not in names  # Finnish-speaking member
    sv = pdf_text((tmp_path / "out" / "testila" / "organiseringsplan_sv.pdf").read_bytes())
    assert "Antalet verksamhetsställen och var verksamhetsställena är belägna" in sv
    assert "UTKAST" in sv


@pytest.fixture
def copy_bilingual() -> Callable[[Path], Path]:
    def copy(root: Path) -> Path:
        plan = root / "plans" / "testila"
        plan.mkdir(parents=True)
        text = (FIXTURES / "minimal" / "plan.yaml").read_text(encoding="utf-8")
        (plan / "plan.yaml").write_text(text.replace(
            "    name: Naapuri\n    language: fi", "    name: Naapuri\n    language: bilingual"),
            encoding="utf-8")
        shutil.copy(FIXTURES / "money.yaml", plan / "money.yaml")
        return plan

    return copy
