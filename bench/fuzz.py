#!/usr/bin/env python3
"""Long fuzz run over the loader, the checks, composition and (sampled) rendering.

    .venv/bin/python bench/fuzz.py [--inputs 10000] [--seed 1] [--render-every 500]

Prints the number of inputs tried, how many loaded, how many were rendered, and every
crash (an exception other than the documented PlanLoadError) with the seed to replay it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzz_inputs import mutate
from planbuilder.compose import compose_plan
from planbuilder.findings import has_errors
from planbuilder.load import PlanLoadError, load_plan
from planbuilder.rules import check
from planbuilder.templates import TemplateSet

RENDERED_DOCX: dict[str, bytes] = {}  # sampled renders, checked by the OOXML validator


def run_one(data: bytes, folder: Path, templates: TemplateSet, render: bool | None) -> str:
    """render: None = never; False/True = whether this valid input is rendered."""
    (folder / "plan.yaml").write_bytes(data)
    try:
        loaded = load_plan(folder)
    except PlanLoadError:
        return "refused"
    findings = check(loaded)
    if has_errors(findings):
        return "invalid"
    docs = [compose_plan(loaded.plan, lang, templates, None, dt.date(2025, 1, 1))
            for lang in loaded.plan.languages]
    if render is None:
        return "composed"
    if render:
        from planbuilder.render.docx import render_docx
        from planbuilder.render.pdf import render_pdf
        from planbuilder.render.style import load_style

        style = load_style(templates.folder)
        for doc in docs:
            RENDERED_DOCX[f"{len(RENDERED_DOCX)}_{doc.meta.lang}.docx"] = render_docx(doc, style)
            render_pdf(doc, style)
        return "rendered"
    return "composed"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--inputs", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--render-every", type=int, default=500,
                   help="render every Nth valid input to DOCX and PDF (slow)")
    args = p.parse_args()
    templates = TemplateSet.load()
    counts: dict[str, int] = {}
    crashes: list[tuple[int, str]] = []
    start = time.monotonic()
    valid = 0  # inputs that passed validation; every Nth is also rendered
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(args.inputs):
            seed = args.seed * 1_000_003 + i
            data = mutate(random.Random(seed))
            try:
                result = run_one(data, folder, templates, None)
                if result == "composed":
                    valid += 1
                    if args.render_every and valid % args.render_every == 1:
                        result = run_one(data, folder, templates, True)
            except Exception:  # a crash is what we are looking for
                result = "CRASH"
                crashes.append((seed, traceback.format_exc(limit=3)))
            counts[result] = counts.get(result, 0) + 1
    elapsed = time.monotonic() - start
    print(f"inputs tried: {args.inputs} in {elapsed:.1f} s "
          f"({args.inputs / elapsed:.0f}/s), seed {args.seed}")
    for key in sorted(counts):
        print(f"  {key:9} {counts[key]}")
    print(f"crashes: {len(crashes)}")
    for seed, tb in crashes[:10]:
        print(f"--- seed {seed} (replay: mutate(random.Random({seed})))\n{tb}")
    invalid = {}
    if RENDERED_DOCX:
        from wordcheck import audit

        invalid = {k: v for k, v in audit(RENDERED_DOCX).items() if v}
        print(f"DOCX checked by openxml-audit: {len(RENDERED_DOCX)}, invalid: {len(invalid)}")
        for name, problems in list(invalid.items())[:5]:
            print(f"--- {name}: {problems[:3]}")
    return 1 if crashes or invalid else 0


if __name__ == "__main__":
    sys.exit(main())
