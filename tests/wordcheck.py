"""Reading DOCX files as Word would show them, and checking them with an independent OOXML
validator (openxml-audit), for the tests."""

from __future__ import annotations

import functools
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree
from pypdf import PdfReader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("\u00a0", " ")).strip()


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def _xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def _one(element: etree._Element, path: str) -> etree._Element:
    found = element.find(path)
    assert found is not None, f"no {path} in {element.tag}"
    return found


def _val(element: etree._Element, name: str = f"{W}val") -> str:
    return element.get(name) or ""


@functools.lru_cache(maxsize=16)
def pdf_reader(data: bytes) -> PdfReader:
    """A pypdf reader of the PDF, one per PDF bytes in a test process: pypdf parses the
    object stream that holds the catalog (0,2-0,4 s a document) once, however many tests
    read the same PDF's objects. Only read from it (the tests change no PDF through it)."""
    return PdfReader(io.BytesIO(data))


def catalog(reader: Any) -> Any:
    """The document catalog of a pypdf reader (its untyped PDF dictionaries, as Any)."""
    return reader.trailer["/Root"]


def heading_numbering(data: bytes) -> dict[str, str]:
    """styleId -> Word level text ("%1", "%1 §") for heading styles linked to a list."""
    styles, numbering = _xml(data, "word/styles.xml"), _xml(data, "word/numbering.xml")
    abstract = {_val(a, f"{W}abstractNumId"): a for a in numbering.iter(f"{W}abstractNum")}
    nums = {_val(n, f"{W}numId"): _val(_one(n, f"{W}abstractNumId"))
            for n in numbering.iter(f"{W}num")}
    out: dict[str, str] = {}
    for style in styles.iter(f"{W}style"):
        num_id = style.find(f"{W}pPr/{W}numPr/{W}numId")
        if num_id is None or _val(num_id) not in nums:
            continue
        level = _one(abstract[nums[_val(num_id)]], f"{W}lvl")
        style_id = _val(style, f"{W}styleId")
        if _val(_one(level, f"{W}numFmt")) == "decimal" and style_id.startswith("Heading"):
            out[style_id] = _val(_one(level, f"{W}lvlText"))
    return out


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(styleId, text) of every body paragraph, tables included, as Word shows them: field
    results without their codes, inserted text kept and deleted text left out, and the
    number Word's list numbering gives a heading style linked to a list."""
    body = _one(_xml(data, "word/document.xml"), f"{W}body")
    numbered = heading_numbering(data)
    counters: dict[str, int] = {}
    out: list[tuple[str, str]] = []
    for p in body.iter(f"{W}p"):
        style_el = p.find(f"{W}pPr/{W}pStyle")
        style = _val(style_el) if style_el is not None else "Normal"
        text = "".join(
            t.text or "" if t.tag == f"{W}t" else "\t" if t.tag == f"{W}tab" else "\n"
            for t in p.iter(f"{W}t", f"{W}tab", f"{W}br")
            if not any(a.tag == f"{W}del" for a in t.iterancestors()))
        if style in numbered and p.find(f"{W}pPr/{W}numPr") is None:
            counters[style] = counters.get(style, 0) + 1
            text = numbered[style].replace("%1", str(counters[style])) + " " + text
        out.append((style, text))
    return out


@functools.lru_cache(maxsize=64)
def word_text(data: bytes) -> str:
    return norm("\n".join(t for _, t in paragraphs(data)))


def _audit_command() -> list[str]:
    exe = shutil.which("openxml-audit") or str(Path(sys.executable).with_name("openxml-audit"))
    return [exe]


def audit(files: dict[str, bytes]) -> dict[str, list[str]]:
    """Every problem the independent OOXML validator reports, per file name (an empty list:
    valid, and expected to open cleanly in Word). One validator run for all the files."""
    import tempfile

    if not files:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        result = subprocess.run([*_audit_command(), "-o", "json", "-m", "0", "-r", tmp],
                                capture_output=True, text=True, check=False, timeout=600)
    start = result.stdout.find("[")
    reports = json.loads(result.stdout[start:]) if start >= 0 else []
    assert len(reports) == len(files), result.stdout[-2000:] + result.stderr[-2000:]
    out: dict[str, list[str]] = {}
    for report in reports:
        problems = [f"{e['part_uri']} {e['path']}: {e['description']}" for e in report["errors"]]
        if report["verdict"]["prediction"] != "opens-clean":
            problems.append(report["verdict"]["headline"])
        if not report["valid"] and not problems:
            problems.append("not valid")
        out[Path(report["file"]).name] = problems
    return out


# Running headers and page numbers, and the list markers a reader gives at a page's end when
# a list and a paragraph continued on the next page share it (a marker is no text of its own).
_RUNNING = re.compile(r"^(?:.* · .* · .*|(?:sivu|sida) \d+ / \d+|•\s*)$", re.MULTILINE)


@functools.lru_cache(maxsize=64)
def pdf_pages(data: bytes) -> tuple[str, ...]:
    """Each page's text, line by line, as PDFium (Chromium's PDF reader, pypdfium2) reads
    it: the same lines as pypdf's page.extract_text() (a chart's labels aside, which PDFium
    puts on one line as they are drawn), about thirty times faster.

    PDFium joins a line ending in a hyphen to the next and marks the hyphen U+FFFE; it is
    given back as the hyphen and the line break the page shows."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for number in range(len(document)):
            page = document[number]
            text = page.get_textpage()
            pages.append(text.get_text_range().replace("\r\n", "\n")
                         .replace("\ufffe", "-\n"))
            text.close()
            page.close()
        return tuple(pages)
    finally:
        document.close()


@functools.lru_cache(maxsize=64)
def pdf_text(data: bytes) -> str:
    """The PDF's text as a reader follows it: running headers and page footers left out
    (a paragraph continued on the next page reads on), hyphenated line ends joined."""
    text = _RUNNING.sub("", "\n".join(pdf_pages(data)))
    # U+2010 only ever comes from hyphenation (the documents' own hyphens are U+002D).
    return norm(re.sub(r"-\n(?=\w)", "-", re.sub(r"\u2010\s*(?=\w)", "", text)))
