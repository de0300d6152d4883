#!/usr/bin/env python3
"""Build times for many areas: makes N synthetic areas from the example plans (renamed,
figures varied) and prints, for each N: validate, a fresh build, a rebuild with nothing
changed, a rebuild after one file changed, CPU use, peak memory and output size. It runs
the real command line in a child process, as a preparer or CI would. Not a test; asserts
nothing.

    .venv/bin/python bench/areas.py [--areas 1 5 15 45] [--jobs N] [--quick]

After the table, the preparer's edit loop: the Porvoo plan built, one section's text
edited and built again (a preparer's save; only the documents whose content changed are
made again), and the four examples built, their status changed draft -> proposal (every
header changes) and built again. `--quick` times 1 and 5 areas and the edit loop only
(a few minutes on two cores).

With pandoc installed it also times pandoc + LibreOffice making a DOCX and a PDF of the
Porvoo plan's text (what a preparer would otherwise use) against planbuilder's plan pair.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "plans").iterdir() if p.is_dir())
PLANBUILDER = [sys.executable, "-m", "planbuilder"]


def _nudge(by: int) -> Callable[[re.Match[str]], str]:
    return lambda m: f"{m.group(1)}{int(m.group(2)) + by}"


def make_areas(target: Path, count: int) -> list[Path]:
    """`count` areas: the examples in turn, each renamed and with its figures nudged so no
    two areas are the same document."""
    made = []
    for i in range(count):
        source = EXAMPLES[i % len(EXAMPLES)]
        folder = target / f"{source.name}-{i:02d}"
        shutil.copytree(source, folder)
        for file in folder.glob("*.yaml"):
            text = file.read_text(encoding="utf-8")
            text = re.sub(r"(value: )(\d+)", _nudge(i), text)
            file.write_text(text, encoding="utf-8")
        made.append(folder)
    return made


def run(args: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (all processes) and peak memory (MiB) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def size(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def edit_loop(work: Path, jobs: int) -> list[str]:
    """A one-section edit of Porvoo and a status change of the four examples, rebuilt."""
    lines = []
    one = work / "edit"
    shutil.copytree(ROOT / "plans" / "porvoo", one / "plans" / "porvoo")
    build = [*PLANBUILDER, "-q", "build", "plans", "--jobs", str(jobs), "--output", "out"]
    run(build, one)
    sections = one / "plans" / "porvoo" / "sections.yaml"
    text = sections.read_text(encoding="utf-8")
    edited = text.replace("palvelut rahoitetaan Porvoon", "palvelut rahoitetaan nyt Porvoon", 1)
    assert edited != text, "the Porvoo section text to edit is not there"
    sections.write_text(edited, encoding="utf-8")
    wall, cpu, _ = run(build, one)
    lines.append(f"one section's text edited, Porvoo: {wall:.1f} s wall, {cpu:.1f} CPU s")
    every = work / "status"
    for example in EXAMPLES:
        shutil.copytree(example, every / "plans" / example.name)
    run(build, every)
    for area in (every / "plans").glob("*/area.yaml"):
        area.write_text(area.read_text(encoding="utf-8").replace(
            "status: draft", "status: proposal", 1), encoding="utf-8")
    wall, cpu, _ = run(build, every)
    lines.append(f"status draft -> proposal, {len(EXAMPLES)} examples: {wall:.1f} s wall, "
                 f"{cpu:.1f} CPU s")
    return lines


def pandoc_ratio(work: Path) -> str:
    if not shutil.which("pandoc") or not shutil.which("soffice"):
        return "pandoc or LibreOffice not installed: no comparison"
    sys.path.insert(0, str(ROOT / "src"))
    from planbuilder.compose import compose_plan
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.document import text_blocks
    from planbuilder.load import load_plan
    from planbuilder.money import compute

    plan = load_plan(ROOT / "plans" / "porvoo").plan
    doc = compose_plan(plan, "fi", TemplateSet.load(), compute(plan), plan.area.date)
    markdown = work / "plan.md"
    markdown.write_text("\n\n".join(text_blocks(doc)), encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(["pandoc", str(markdown), "-o", str(work / "plan.docx")], check=True)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work),
                    str(work / "plan.docx")], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    theirs = time.perf_counter() - start
    one = work / "one"
    one.mkdir()
    shutil.copytree(ROOT / "plans" / "porvoo", one / "porvoo")
    start = time.perf_counter()
    subprocess.run([*PLANBUILDER, "-q", "build", "porvoo", "--lang", "fi", "--jobs", "1",
                    "--output", "out"], cwd=one, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    ours = time.perf_counter() - start
    return (f"Porvoo plan, fi, DOCX+PDF (planbuilder also writes the agreement, 7 decisions "
            f"and the CSV): planbuilder {ours:.1f} s, pandoc+LibreOffice (plan only) "
            f"{theirs:.1f} s")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--areas", type=int, nargs="+", default=[1, 5, 15, 45])
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--quick", action="store_true",
                   help="1 and 5 areas and the edit loop, without the pandoc comparison")
    args = p.parse_args()
    if args.quick:
        args.areas = [1, 5]
    print(f"{os.cpu_count()} cores, --jobs {args.jobs}; seconds wall / CPU seconds, peak MiB")
    print(f"{'areas':>5} {'validate':>9} {'fresh':>15} {'no-op':>9} {'one file':>9} "
          f"{'peak':>6} {'output':>8}")
    for count in args.areas:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            plans = work / "plans"
            areas = make_areas(plans, count)
            build = [*PLANBUILDER, "-q", "build", "plans", "--jobs", str(args.jobs),
                     "--output", "out"]
            validate, _, _ = run([*PLANBUILDER, "-q", "validate", "plans"], work) \
                if count else (0, 0, 0)
            fresh, cpu, peak = run(build, work)
            noop, _, _ = run(build, work)
            area = areas[0] / "area.yaml"
            area.write_text(area.read_text(encoding="utf-8").replace(
                "status: draft", "status: proposal", 1), encoding="utf-8")
            changed, _, _ = run(build, work)
            print(f"{count:5} {validate:8.1f}s {fresh:6.1f}s/{cpu:5.0f}s {noop:8.1f}s "
                  f"{changed:8.1f}s {peak:5.0f}M {size(work / 'out'):6.1f}MB")
    with tempfile.TemporaryDirectory() as tmp:
        for line in edit_loop(Path(tmp), args.jobs):
            print(line)
    if not args.quick:
        with tempfile.TemporaryDirectory() as tmp:
            print(pandoc_ratio(Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
