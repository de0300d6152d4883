"""`planbuilder verify`: every document of every example passes; a document whose attached
plan data was changed, one whose attachments come from another version of the plan, and one
whose printed figure was edited fail, naming the figure; a file planbuilder did not make is
refused with exit 2. The record validates against its published schema."""

from __future__ import annotations

import base64
import functools
import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import StreamObject

from conftest import PLANS, ROOT
from planbuilder.cli import main
from planbuilder.compose.record import content_hash
from planbuilder.document import Document
from planbuilder.verify import verify

Rendered = dict[str, tuple[Document, bytes, bytes]]
DECISION = "porvoo/paatosesitys_porvoo_fi"
PLAN = "porvoo/jarjestamissuunnitelma_fi"
SHARE = "Taulukko 1. Porvoo: vuotuinen maksuosuus › Vuosiosuus › Euroa"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--lang", "en", "verify", *args])
    return code, capsys.readouterr().out


def pdf_attachments(pdf: bytes) -> dict[str, bytes]:
    """The PDF's embedded files by name (the first of a name), read by PDFium: pypdf found
    the catalog in the PDF's object stream in 0,2-0,4 s a file, PDFium reads all the files
    in a few milliseconds. The PDFs these tests change are written by pypdf
    (with_pdf_attachments), so another library reads back what one wrote."""
    return dict(_pdf_attachments(pdf))


@functools.lru_cache(maxsize=64)
def _pdf_attachments(pdf: bytes) -> tuple[tuple[str, bytes], ...]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        files: dict[str, bytes] = {}
        for index in range(document.count_attachments()):
            attachment = document.get_attachment(index)
            files.setdefault(attachment.get_name(), bytes(attachment.get_data()))
        return tuple(files.items())
    finally:
        document.close()


def with_pdf_attachments(pdf: bytes, new: dict[str, bytes]) -> bytes:
    """The PDF with the embedded files named in `new` given those bytes, saved again."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    tree: Any = writer.root_object["/Names"]
    names = tree["/EmbeddedFiles"]["/Names"]
    for name, spec in zip(names[::2], names[1::2], strict=True):
        if str(name) in new:
            stream = spec.get_object()["/EF"]["/F"].get_object()
            assert isinstance(stream, StreamObject)
            stream.set_data(new[str(name)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_files(docx: bytes) -> tuple[str, dict[str, bytes]]:
    """The name of the DOCX's urn:planbuilder:plan part and the files it carries."""
    package = zipfile.ZipFile(io.BytesIO(docx))
    for name in package.namelist():
        text = package.read(name).decode("utf-8", "replace")
        if name.startswith("customXml/") and "urn:planbuilder:plan" in text[:300]:
            return name, {m[0]: base64.b64decode(m[1]) for m in re.findall(
                r'<pb:file name="([^"]+)" type="[^"]+">([^<]*)</pb:file>', text)}
    raise AssertionError("no urn:planbuilder:plan part")


def with_docx_parts(docx: bytes, change: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, change.get(info.filename, src.read(info.filename)))
    return out.getvalue()


def docx_with_files(docx: bytes, files: dict[str, bytes]) -> bytes:
    part, _ = docx_files(docx)
    items = "".join(f'<pb:file name="{n}" type="application/octet-stream">'
                    f"{base64.b64encode(d).decode()}</pb:file>" for n, d in files.items())
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<pb:plan xmlns:pb="urn:planbuilder:plan">{items}</pb:plan>')
    return with_docx_parts(docx, {part: xml.encode()})


def edited_statistic(files: dict[str, bytes]) -> dict[str, bytes]:
    """Porvoo's population aged 18–64 changed in the attached members.yaml."""
    text = files["members.yaml"].decode()
    assert text.count("value: 29700") == 1
    return {"members.yaml": text.replace("value: 29700", "value: 31700").encode()}


# -- every example --------------------------------------------------------------------------
@pytest.mark.slow
def test_every_document_of_every_example_verifies(examples_rendered: Rendered) -> None:
    kinds = {key.split("/")[1].split("_")[0] for key in examples_rendered}
    assert kinds == {"jarjestamissuunnitelma", "yhteistoimintasopimus", "paatosesitys",
                     "organiseringsplan", "samarbetsavtal", "beslutsforslag",
                     "muutokset", "tarkistusraportti", "granskningsrapport"}
    found: dict[str, list[str]] = {}
    for key, (_, docx, pdf) in examples_rendered.items():
        # every PDF; the DOCX of one bilingual example (the same record and the same
        # recomposition: its reader is what differs, and one example covers it)
        for suffix, data in (("pdf", pdf), ("docx", docx if key.startswith("porvoo/") else b"")):
            if not data:
                continue
            report = verify(data, f"{key}.{suffix}")
            found[f"{key}.{suffix}"] = [m.text() for m in report.altered + report.problems] \
                + [f"{d.where}: {d.printed} / {d.computed}" for d in report.differences]
            # a report may print no figure (its findings are words); every other kind does
            assert report.figures > 0 or "raportti" in key or "rapport" in key, key
    assert found == {key: [] for key in found}


def test_every_record_follows_the_published_schema(examples_rendered: Rendered) -> None:
    schema = json.loads((ROOT / "docs" / "record.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for key, (doc, docx, pdf) in examples_rendered.items():
        attached = pdf_attachments(pdf)
        data = json.loads(attached["planbuilder.json"])
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], key
        assert data["document"]["file"] == key.split("/")[1]
        assert data["document"]["lang"] == doc.meta.lang
        plan_files = [(f["name"], attached[f["name"]]) for f in data["files"]
                      if f["role"] == "plan"]
        assert {n for n, _ in plan_files} == {p.name for p in (PLANS / key.split("/")[0])
                                                .glob("*.yaml")}
        assert data["content_hash"] == content_hash(plan_files)
        if docx:  # the DOCX carries the same files and the same record
            assert docx_files(docx)[1] == attached, key


def test_the_record_lists_the_figures_as_printed(examples_rendered: Rendered) -> None:
    data = json.loads(pdf_attachments(examples_rendered[DECISION][2])["planbuilder.json"])
    assert data["document"] == {"kind": "decision", "member": "porvoo", "lang": "fi",
                                "file": "paatosesitys_porvoo_fi",
                                "title": examples_rendered[DECISION][0].meta.title}
    assert data["plan"] == {"area": "Porvoon työllisyysalue", "version": "0.3",
                            "status": "draft"}
    assert data["built"] == "2023-05-31" and data["templates"]["default"] is True
    figures = {f["where"]: f["printed"] for f in data["figures"]}
    assert figures[SHARE] == "5\u00a0633\u00a0283\u00a0€*"
    assert figures["Kunnan maksuosuus › ¶1 › #1"] == "5\u00a0633\u00a0283\u00a0€*"
    assert len(figures) == len(data["figures"])  # every place named once


def test_the_content_hash_is_what_sha256sum_gives() -> None:
    files = [("b.yaml", b"b: 1\n"), ("a.yaml", b"a: 1\n")]
    import hashlib

    listing = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in sorted(files))
    assert content_hash(files) == hashlib.sha256(listing.encode()).hexdigest()


def test_a_build_writes_the_same_record_twice() -> None:
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.load import load_plan
    from planbuilder.money import compute
    from planbuilder.pipeline import outputs

    loaded = load_plan(PLANS / "espoo-kauniainen")
    templates = TemplateSet.load()

    def record() -> list[bytes]:
        money = compute(loaded.plan)
        made = outputs(loaded, templates, money, loaded.plan.area.date, ["fi"],
                       kinds=("decision",))
        return [a.data for o in made if o.document for a in o.document.attachments
                if a.name == "planbuilder.json"]

    first = record()
    assert first and first == record()


# -- the command line -----------------------------------------------------------------------
def test_a_genuine_decision_passes_with_a_summary(tmp_path: Path, examples_rendered: Rendered,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "paatosesitys_porvoo_fi.pdf"
    file.write_bytes(examples_rendered[DECISION][2])
    code, out = run(capsys, str(file))
    digest = json.loads(pdf_attachments(file.read_bytes())["planbuilder.json"])["content_hash"]
    figures = len(json.loads(pdf_attachments(file.read_bytes())["planbuilder.json"])["figures"])
    assert (code, out) == (0, f"{file}: Porvoon työllisyysalue, version 0.3, hash "
                              f"{digest[:12]}, built 2023-05-31: everything matches "
                              f"({figures} figures)\n")


def test_changed_plan_data_in_a_decision_fails_naming_the_figure(
        tmp_path: Path, examples_rendered: Rendered,
        capsys: pytest.CaptureFixture[str]) -> None:
    pdf = examples_rendered[DECISION][2]
    file = tmp_path / "paatosesitys_porvoo_fi.pdf"
    file.write_bytes(with_pdf_attachments(pdf, edited_statistic(pdf_attachments(pdf))))
    code, out = run(capsys, str(file))
    assert code == 1
    lines = out.splitlines()
    assert f"{file}: altered after it was made: the attached file members.yaml is not the " \
           "one recorded (SHA-256 differs)" in lines
    assert any(line.startswith(f"{file}: altered after it was made: the plan data's content "
                               "hash is ") for line in lines)
    share = next(line for line in lines if line.startswith(f"{file}: {SHARE}: "))
    assert share.startswith(f"{file}: {SHARE}: printed 5\u00a0633\u00a0283\u00a0€*, computed ")
    assert not share.endswith("computed 5\u00a0633\u00a0283\u00a0€*")
    assert lines[-1].endswith("; altered after it was made)")


def test_a_decision_with_the_attachments_of_another_version_fails(
        tmp_path: Path, examples_rendered: Rendered,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Plan files, CSV and record all from a build of a changed plan: the attachments agree
    with each other, and the printed figures do not."""
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.load import load_plan
    from planbuilder.money import compute
    from planbuilder.pipeline import outputs, render
    from planbuilder.render.style import load_style

    changed = tmp_path / "porvoo"
    shutil.copytree(PLANS / "porvoo", changed)
    members = changed / "members.yaml"
    members.write_text(members.read_text(encoding="utf-8").replace(
        "population_18_64: {value: 29700", "population_18_64: {value: 31700"),
        encoding="utf-8")
    loaded = load_plan(changed)
    templates = TemplateSet.load()
    made = outputs(loaded, templates, compute(loaded.plan), loaded.plan.area.date, ["fi"],
                   decisions=lambda member, lang: member == "porvoo", kinds=("decision",))
    other = render(made[0], load_style(templates.folder))["paatosesitys_porvoo_fi.pdf"]
    file = tmp_path / "paatosesitys_porvoo_fi.pdf"
    file.write_bytes(with_pdf_attachments(examples_rendered[DECISION][2],
                                          pdf_attachments(other)))
    code, out = run(capsys, str(file))
    assert code == 1
    computed = {f["where"]: f["printed"] for f in json.loads(
        pdf_attachments(other)["planbuilder.json"])["figures"]}[SHARE]
    assert computed != "5\u00a0633\u00a0283\u00a0€*"
    assert f"{file}: {SHARE}: printed 5\u00a0633\u00a0283\u00a0€*, computed {computed}" \
        in out.splitlines()
    assert "altered after it was made" not in out  # consistent attachments, wrong text


def test_json_output(tmp_path: Path, examples_rendered: Rendered,
                     capsys: pytest.CaptureFixture[str]) -> None:
    pdf = examples_rendered[DECISION][2]
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(pdf)
    bad.write_bytes(with_pdf_attachments(pdf, edited_statistic(pdf_attachments(pdf))))
    code, out = run(capsys, str(good), str(bad), "--format", "json")
    data = json.loads(out)["files"]
    assert code == 1
    assert [f["result"] for f in data] == ["ok", "differs"]
    assert data[0]["plan"]["version"] == "0.3" and data[0]["differences"] == []
    assert SHARE in {d["where"] for d in data[1]["differences"]}


# -- DOCX -----------------------------------------------------------------------------------
def test_changed_plan_data_in_a_docx_fails(tmp_path: Path, examples_rendered: Rendered,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    docx = examples_rendered[PLAN][1]
    _, files = docx_files(docx)
    file = tmp_path / "jarjestamissuunnitelma_fi.docx"
    file.write_bytes(docx_with_files(docx, {**files, **edited_statistic(files)}))
    code, out = run(capsys, str(file))
    assert code == 1
    assert f"{file}: altered after it was made: the attached file members.yaml is not the " \
           "one recorded (SHA-256 differs)" in out.splitlines()
    assert re.search(r": printed [^,]+, computed ", out)


def test_a_figure_edited_in_word_fails_naming_it(tmp_path: Path, examples_rendered: Rendered,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    docx = examples_rendered[PLAN][1]
    record = json.loads(docx_files(docx)[1]["planbuilder.json"])
    target = next(f for f in record["figures"] if f["printed"].endswith("€")
                  and "›" in f["where"] and f["where"].startswith("Taulukko"))
    body = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert f">{target['printed']}<" in body
    edited = body.replace(f">{target['printed']}<", ">999\u00a0999\u00a0€<", 1)
    file = tmp_path / "lausunto.docx"
    file.write_bytes(with_docx_parts(docx, {"word/document.xml": edited.encode()}))
    code, out = run(capsys, str(file))
    assert code == 1
    assert f"{file}: {target['where']}: printed 999\u00a0999\u00a0€, computed " \
           f"{target['printed']}" in out.splitlines()


def test_a_docx_of_another_version_fails(tmp_path: Path, examples_rendered: Rendered,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The agreement's DOCX with the part of a build of a changed plan (its record too)."""
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.load import load_plan
    from planbuilder.money import compute
    from planbuilder.pipeline import outputs
    from planbuilder.render.docx import render_docx
    from planbuilder.render.style import load_style

    changed = tmp_path / "porvoo"
    shutil.copytree(PLANS / "porvoo", changed)
    money = changed / "money.yaml"
    text = money.read_text(encoding="utf-8")
    assert "rate: 12" in text
    money.write_text(text.replace("rate: 12", "rate: 13", 1), encoding="utf-8")
    loaded = load_plan(changed)
    templates = TemplateSet.load()
    made = outputs(loaded, templates, compute(loaded.plan), loaded.plan.area.date, ["fi"],
                   kinds=("plan",))
    assert made[0].document is not None
    other = render_docx(made[0].document, load_style(templates.folder))
    docx = examples_rendered[PLAN][1]
    file = tmp_path / "jarjestamissuunnitelma_fi.docx"
    file.write_bytes(docx_with_files(docx, docx_files(other)[1]))
    code, out = run(capsys, str(file))
    assert code == 1
    assert "altered after it was made" not in out
    assert re.search(r"\.docx: [^\n]+ › [^\n]+: printed [^,]+, computed ", out)


def test_a_docx_planbuilder_wrote_passes_the_ooxml_validator(
        tmp_path: Path, examples_rendered: Rendered) -> None:
    """The custom XML part keeps the DOCX valid (the whole suite checks every example)."""
    import subprocess
    import sys

    file = tmp_path / "plan.docx"
    file.write_bytes(examples_rendered[PLAN][1])
    audit = Path(sys.executable).parent / "openxml-audit"
    done = subprocess.run([str(audit), str(file)], capture_output=True, text=True,
                          check=False)
    assert "expected to open cleanly" in done.stdout and "Errors: 0" in done.stdout


# -- not made by planbuilder -----------------------------------------------------------------
def test_a_pdf_planbuilder_did_not_make_is_refused(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from weasyprint import HTML

    file = tmp_path / "muu.pdf"
    file.write_bytes(HTML(string="<h1>Talousarvio</h1><p>10 162 216 €</p>").write_pdf())
    assert run(capsys, str(file)) == (2, f"{file}: not a document planbuilder made: it carries "
                                         "no planbuilder record (planbuilder.json)\n")


@pytest.mark.parametrize("content", [bytes(range(256)) * 8, b"%PDF-1.7\n\x00broken",
                                     b"PK\x03\x04broken", b""])
def test_a_random_or_broken_file_is_refused(tmp_path: Path, content: bytes,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "tiedosto.pdf"
    file.write_bytes(content)
    code, out = run(capsys, str(file))
    assert code == 2
    assert out.startswith(f"{file}: ")
    assert "not a document planbuilder made" in out or "cannot be read" in out


def test_a_word_document_planbuilder_did_not_make_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from docx import Document as WordDocument

    file = tmp_path / "muu.docx"
    doc = WordDocument()
    doc.add_paragraph("Yhteensä 10 162 216 €")
    doc.save(str(file))
    assert run(capsys, str(file)) == (2, f"{file}: not a document planbuilder made: it carries "
                                         "no planbuilder record (planbuilder.json)\n")


def test_a_missing_file_and_the_worst_exit_code(tmp_path: Path, examples_rendered: Rendered,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(examples_rendered[DECISION][2])
    code, out = run(capsys, str(good), str(tmp_path / "none.pdf"))
    assert code == 2
    assert out.splitlines()[-1].startswith(f"{tmp_path / 'none.pdf'}: cannot be read")


def test_the_messages_are_in_the_readers_language(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "x.pdf"
    file.write_bytes(b"not a pdf")
    assert main(["--lang", "fi", "verify", str(file)]) == 2
    assert capsys.readouterr().out == f"{file}: ei planbuilderin tekemä asiakirja: ei PDF- " \
                                      "eikä Word-tiedosto\n"
    assert main(["--lang", "sv", "verify", str(file)]) == 2
    assert "inte ett dokument som planbuilder gjort" in capsys.readouterr().out


@pytest.mark.parametrize("record", [b"{}", b"not json", json.dumps({"format": 2}).encode()])
def test_a_record_this_planbuilder_cannot_read_is_refused(
        tmp_path: Path, examples_rendered: Rendered, record: bytes,
        capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "paatosesitys_porvoo_fi.pdf"
    file.write_bytes(with_pdf_attachments(examples_rendered[DECISION][2],
                                          {"planbuilder.json": record}))
    assert run(capsys, str(file)) == (2, f"{file}: not a document planbuilder made: its "
                                         "planbuilder.json is not a record this planbuilder "
                                         "reads\n")
