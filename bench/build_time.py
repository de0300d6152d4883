#!/usr/bin/env python3
"""Timing and memory of each pipeline stage for every example plan. Prints figures; it is
not a test and asserts nothing.

    .venv/bin/python bench/build_time.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from pathlib import Path

from planbuilder.compose import compose_decision, compose_plan
from planbuilder.compose.templates import TemplateSet
from planbuilder.load import load_plan
from planbuilder.money import compute
from planbuilder.money.report import budget_csv
from planbuilder.pipeline import source_attachments
from planbuilder.render.docx import render_docx
from planbuilder.render.pdf import render_pdf
from planbuilder.render.style import load_style
from planbuilder.rules import check

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    templates = TemplateSet.load()
    style = load_style(templates.folder)
    print(f"{'plan':18} {'load':>7} {'check':>7} {'money':>7} {'compose':>8} {'docx':>7} "
          f"{'pdf':>7}   (best of {args.repeat}, milliseconds) | sizes: docx, pdf, decision pdf")
    for folder in sorted(p for p in (ROOT / "plans").iterdir() if p.is_dir()):
        best: dict[str, float] = {}
        for _ in range(args.repeat):
            t: dict[str, float] = {}
            start = time.perf_counter()
            loaded = load_plan(folder)
            t["load"] = time.perf_counter() - start
            start = time.perf_counter()
            check(loaded)
            t["check"] = time.perf_counter() - start
            start = time.perf_counter()
            money = compute(loaded.plan)
            t["money"] = time.perf_counter() - start
            start = time.perf_counter()
            doc = compose_plan(loaded.plan, "fi", templates, money, dt.date(2025, 1, 1))
            t["compose"] = time.perf_counter() - start
            start = time.perf_counter()
            word = render_docx(doc, style)
            t["docx"] = time.perf_counter() - start
            start = time.perf_counter()
            pdf = render_pdf(doc, style)
            t["pdf"] = time.perf_counter() - start
            best = {k: min(v, best.get(k, v)) for k, v in t.items()}
        plan = loaded.plan
        decision = render_pdf(compose_decision(
            plan, plan.members[0].id, plan.languages[0], templates, money, dt.date(2025, 1, 1),
            source_attachments(loaded, budget_csv(money).encode())), style) \
            if plan.decision is not None else b""
        sizes = f"{len(word) / 1024:6.0f} KB {len(pdf) / 1024:6.0f} KB " \
            f"{len(decision) / 1024:6.0f} KB"
        print(f"{folder.name:18} " + " ".join(f"{best[k] * 1000:7.0f}" if k != "compose"
                                              else f"{best[k] * 1000:8.0f}" for k in best)
              + " | " + sizes)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
