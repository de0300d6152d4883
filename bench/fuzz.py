#!/usr/bin/env python3
"""Long fuzz run over loading, checks, money, composition of every document kind and
(sampled) rendering, and over the clerk-editable template, translation and style files.

    .venv/bin/python bench/fuzz.py [--inputs 10000] [--seed 1] [--render-every 500]
                                   [--target plans|templates]

A plan input is a mutation of a small complete plan (money, decision, agreement); a
template input is a mutation of one of the template files in a copy of templates/. The
only acceptable outcomes are located findings (plans) or a TemplateError/RenderError
(templates): anything else is a crash. Prints the inputs tried, the outcomes, every crash
with the seed to replay it, the slowest inputs, and the result of the independent OOXML
validator over the rendered DOCX files. Exit 1 on any crash, invalid DOCX or an input
slower than --max-seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzz_inputs import BASES, COMPLETE, TEMPLATE_NASTY, mutate
from planbuilder.compose import compose_agreement, compose_decision, compose_plan
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import Document
from planbuilder.errors import PlanLoadError, RenderError, TemplateError
from planbuilder.findings import has_errors
from planbuilder.load import LoadedPlan, load_plan
from planbuilder.money import compute
from planbuilder.rules import check

RENDERED_DOCX: dict[str, bytes] = {}  # sampled renders, checked by the OOXML validator
TEMPLATE_FILES = ("i18n/fi.yaml", "i18n/sv.yaml", "style.yaml", "documents/plan.md.j2",
                  "documents/agreement.md.j2", "documents/decision.md.j2",
                  "html/document.html.j2", "css/print.css.j2")


def documents(loaded: LoadedPlan, templates: TemplateSet) -> list[Document]:
    """Every document the build makes for the plan, composed (money computed)."""
    plan = loaded.plan
    money = compute(plan) if plan.budget and plan.cost_sharing else None
    today = dt.date(2025, 1, 1)
    docs = []
    for lang in plan.languages:
        docs.append(compose_plan(plan, lang, templates, money, today))
        if plan.agreement is not None:
            docs.append(compose_agreement(plan, lang, templates, money, today))
        if plan.decision is not None:
            docs.extend(compose_decision(plan, m.id, lang, templates, money, today, [])
                        for m in plan.members)
    return docs


def render(docs: list[Document], templates: TemplateSet) -> None:
    from planbuilder.render.docx import render_docx
    from planbuilder.render.pdf import render_pdf
    from planbuilder.render.style import load_style

    style = load_style(templates.folder)
    for doc in docs:
        if not doc.archival:
            RENDERED_DOCX[f"{len(RENDERED_DOCX)}_{doc.meta.lang}.docx"] = render_docx(doc, style)
        render_pdf(doc, style)


def run_plan(data: bytes, folder: Path, templates: TemplateSet, rendering: bool) -> str:
    (folder / "plan.yaml").write_bytes(data)
    try:
        loaded = load_plan(folder)
    except PlanLoadError:
        return "refused"
    if has_errors(check(loaded)):
        return "invalid"
    docs = documents(loaded, templates)
    if rendering:
        render(docs, templates)
        return "rendered"
    return "composed"


def run_template(rng: random.Random, work: Path, pristine: Path, plan: Path,
                 rendering: bool) -> str:
    """Mutate one template file in a fresh copy; building must fail cleanly or work."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(pristine, work)
    target = work / rng.choice(TEMPLATE_FILES)
    target.write_bytes(mutate(rng, target.read_bytes(), rounds=rng.randint(1, 3),
                              nasty=TEMPLATE_NASTY))
    try:
        templates = TemplateSet.load(work)
        docs = documents(load_plan(plan), templates)
        if rendering:
            render(docs, templates)
            return "rendered"
    except (TemplateError, RenderError):
        return "refused"
    return "composed"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--inputs", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--render-every", type=int, default=500,
                   help="render every Nth input that composes to DOCX and PDF (slow)")
    p.add_argument("--target", choices=["plans", "templates"], default="plans")
    p.add_argument("--max-seconds", type=float, default=10.0,
                   help="an input slower than this counts as a failure")
    args = p.parse_args()
    pristine = TemplateSet.load()
    counts: dict[str, int] = {}
    crashes: list[tuple[int, str]] = []
    timings: list[tuple[float, int, str]] = []
    start = time.monotonic()
    composed = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plan"
        folder.mkdir()
        plan_dir = Path(tmp) / "complete"
        plan_dir.mkdir()
        (plan_dir / "plan.yaml").write_bytes(COMPLETE)
        for i in range(args.inputs):
            seed = args.seed * 1_000_003 + i
            rng = random.Random(seed)
            began = time.monotonic()
            try:
                if args.target == "plans":
                    data = mutate(rng, rng.choice(BASES))
                    result = run_plan(data, folder, pristine, False)
                    if result == "composed":
                        composed += 1
                        if args.render_every and composed % args.render_every == 1:
                            result = run_plan(data, folder, pristine, True)
                else:
                    rendering = bool(args.render_every) and i % args.render_every == 0
                    result = run_template(rng, Path(tmp) / "t", pristine.folder, plan_dir,
                                          rendering)
            except Exception:  # a crash is what we are looking for
                result = "CRASH"
                crashes.append((seed, traceback.format_exc(limit=4)))
            timings.append((time.monotonic() - began, seed, result))
            counts[result] = counts.get(result, 0) + 1
    elapsed = time.monotonic() - start
    print(f"target {args.target}: inputs tried: {args.inputs} in {elapsed:.1f} s "
          f"({args.inputs / elapsed:.0f}/s), seed {args.seed}")
    for key in sorted(counts):
        print(f"  {key:9} {counts[key]}")
    print(f"crashes: {len(crashes)}")
    for seed, tb in crashes[:10]:
        print(f"--- seed {seed} (replay: random.Random({seed}))\n{tb}")
    slowest = sorted(timings, reverse=True)[:5]
    print("slowest inputs: " + ", ".join(f"{t:.2f} s (seed {s}, {r})" for t, s, r in slowest))
    slow = [t for t in timings if t[0] > args.max_seconds]
    print(f"inputs over {args.max_seconds:g} s: {len(slow)}")
    invalid = {}
    if RENDERED_DOCX:
        from wordcheck import audit

        invalid = {k: v for k, v in audit(RENDERED_DOCX).items() if v}
        print(f"DOCX checked by openxml-audit: {len(RENDERED_DOCX)}, invalid: {len(invalid)}")
        for name, problems in list(invalid.items())[:5]:
            print(f"--- {name}: {problems[:3]}")
    return 1 if crashes or invalid or slow else 0


if __name__ == "__main__":
    sys.exit(main())
