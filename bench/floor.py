#!/usr/bin/env python3
"""How close a build comes to WeasyPrint's own floor: in one run, builds the example plans
(the real command line, in a child process, serially) and makes the same documents' text as
a minimal tagged PDF/A-3a WeasyPrint document each (plain HTML: headings and paragraphs, the
house fonts, no tables, charts, hyphenation, DOCX or attachments), also in a child process,
and compares CPU seconds (all processes) per PDF page. Not a test; asserts nothing.

    .venv/bin/python bench/floor.py [--plans porvoo kuopio …]

The last line is the ratio, ours / floor (issue 29's goal: at most 1,2).
"""

from __future__ import annotations

import argparse
import html
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planbuilder.document import Document

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1700000000"


def cpu_of(args: list[str], cwd: Path) -> tuple[float, float]:
    """CPU seconds (the child and its children) and wall seconds of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def pages(folder: Path) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(io.BytesIO(p.read_bytes())).pages)
               for p in folder.rglob("*.pdf"))


def _plain_html(doc: Document) -> str:
    """The document's text as plain HTML: headings, paragraphs, list items, and a table as
    its caption and one line a row (cells apart), so the pages hold about as much text."""
    from planbuilder.document import BulletList, Heading, Paragraph, Table, plain

    out: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Heading):
            out.append(f"<h2>{html.escape(b.full_text)}</h2>")
        elif isinstance(b, Paragraph):
            out.append(f"<p>{html.escape(plain(b.content))}</p>")
        elif isinstance(b, BulletList):
            out.append("<ul>" + "".join(f"<li>{html.escape(plain(i))}</li>"
                                        for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            out.append(f"<p>{html.escape(b.caption)}</p>")
            out += ["<p>" + " \u2003 ".join(html.escape(c.text) for c in row) + "</p>"
                    for row in (*b.header, *b.rows, *b.footer)]
    return "\n".join(out)


def plain_documents(plans: list[Path], target: Path) -> int:
    """Every PDF document the build makes, as plain HTML (its text in order); the count."""
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.money import compute
    from planbuilder.pipeline import build_clock, outputs, validated

    templates = TemplateSet.load()
    count = 0
    for folder in plans:
        loaded, _ = validated(folder)
        plan = loaded.plan
        money = compute(plan) if plan.budget and plan.cost_sharing else None
        for item in outputs(loaded, templates, money, build_clock(plan.area.date)):
            doc = item.document
            if doc is None:
                continue
            body = _plain_html(doc)
            (target / f"{folder.name}-{item.stem}.html").write_text(
                f'<!DOCTYPE html><html lang="{doc.meta.lang}"><head><meta charset="utf-8">'
                f"<title>{html.escape(doc.meta.title)}</title></head><body>{body}</body></html>",
                encoding="utf-8")
            count += 1
    return count


def render_floor(folder: Path) -> None:
    """In the child: each HTML file as tagged PDF/A-3a with the house fonts."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = (ROOT / "templates" / "fonts").as_uri()
    css = ("@page { size: A4; margin: 2.5cm 2cm; @bottom-right { content: counter(page) } }"
           f"@font-face {{ font-family: House; src: url({fonts}/LiberationSans-Regular.ttf) }}"
           f"@font-face {{ font-family: House; font-weight: bold;"
           f" src: url({fonts}/LiberationSans-Bold.ttf) }}"
           "body { font-family: House; font-size: 10.5pt; line-height: 1.35 }"
           "h2 { font-size: 13pt } p { margin: 0.3em 0 }")
    for page in sorted(folder.glob("*.html")):
        config = FontConfiguration()
        HTML(filename=str(page)).write_pdf(
            page.with_suffix(".pdf"), stylesheets=[CSS(string=css, font_config=config)],
            font_config=config, pdf_variant="pdf/a-3a", pdf_tags=True,
            pdf_identifier=b"floor", full_fonts=False)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--plans", nargs="+", default=None,
                   help="example plans to build (default: all of plans/)")
    p.add_argument("--render-floor", type=Path, help=argparse.SUPPRESS)  # the child
    args = p.parse_args()
    if args.render_floor:
        render_floor(args.render_floor)
        return 0
    names = args.plans or sorted(d.name for d in (ROOT / "plans").iterdir() if d.is_dir())
    with tempfile.TemporaryDirectory(prefix="floor-") as tmp:
        work = Path(tmp)
        for name in names:
            shutil.copytree(ROOT / "plans" / name, work / "plans" / name)
        ours_cpu, ours_wall = cpu_of([sys.executable, "-m", "planbuilder", "-q", "build",
                                      "plans", "--jobs", "1", "--output", "out"], work)
        ours_pages = pages(work / "out")
        floor = work / "floor"
        floor.mkdir()
        documents = plain_documents([work / "plans" / n for n in names], floor)
        floor_cpu, floor_wall = cpu_of([sys.executable, str(Path(__file__).resolve()),
                                        "--render-floor", str(floor)], work)
        floor_pages = pages(floor)
    ours, least = ours_cpu / ours_pages, floor_cpu / floor_pages
    print(f"plans: {', '.join(names)}; {documents} PDF documents")
    for label, cpu, wall, count, each in (
            ("ours  (build --jobs 1, PDF+DOCX+CSV)", ours_cpu, ours_wall, ours_pages, ours),
            ("floor (plain tagged PDF/A-3a)", floor_cpu, floor_wall, floor_pages, least)):
        print(f"{label:38} {cpu:6.1f} CPU s, {wall:6.1f} s wall, {count} PDF pages, "
              f"{each:.3f} CPU s a page")
    print(f"ratio ours/floor, CPU per page: {ours / least:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
