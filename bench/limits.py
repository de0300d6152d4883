#!/usr/bin/env python3
"""The resource budget: plans at (and just past) the documented limits, timed.

    .venv/bin/python bench/limits.py [--build]

Each case is a plan folder made at the edge of one limit in the README's "Limits" table.
Prints, per case, the outcome of `validate` (and with --build of `build`), the time and
the peak memory. Goal: every plan within the limits validates in under 5 s; every plan
past a limit gets a located error, never a hang. Exit 1 if a goal is missed.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = (ROOT / "tests" / "fixtures" / "minimal" / "plan.yaml").read_text(encoding="utf-8")
MONEY = (ROOT / "tests" / "fixtures" / "money.yaml").read_text(encoding="utf-8")


def _prose(chars: int) -> str:
    words = "Työllisyyspalvelut järjestetään yhteistyössä alueen kuntien kanssa. "
    return (words * (chars // len(words) + 1))[:chars].strip()


def long_text(chars: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        text = MINIMAL.replace("place: Testilän keskusta", f"place: {_prose(chars)}")
        (folder / "plan.yaml").write_text(text, encoding="utf-8")
    return make


def many_keys(count: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        extra = "".join(f"  k{i}: {i}\n" for i in range(count))
        (folder / "plan.yaml").write_text(MINIMAL, encoding="utf-8")
        (folder / "extra.yaml").write_text("x_extra:\n" + extra, encoding="utf-8")
    return make


def big_file(size: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / "plan.yaml").write_text(MINIMAL + MONEY, encoding="utf-8")
        note = "# " + "huomautus " * 10 + "\n"
        (folder / "notes.yaml").write_text(note * (size // len(note)), encoding="utf-8")
    return make


def many_files(count: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / "plan.yaml").write_text(MINIMAL, encoding="utf-8")
        for i in range(count - 1):
            (folder / f"x{i:03}.yaml").write_text("# tyhjä\n", encoding="utf-8")
    return make


def deep(levels: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / "plan.yaml").write_text(MINIMAL, encoding="utf-8")
        (folder / "deep.yaml").write_text("x_deep: " + "[" * levels + "]" * levels + "\n",
                                          encoding="utf-8")
    return make


def long_word(chars: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        text = MINIMAL.replace("place: Testilän keskusta", "place: " + "x" * chars)
        (folder / "plan.yaml").write_text(text, encoding="utf-8")
    return make


def brackets(count: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        text = MINIMAL.replace("Testilän keskustassa ja", "Testilän " + "[ " * count + "ja")
        (folder / "plan.yaml").write_text(text, encoding="utf-8")
    return make


CASES: list[tuple[str, Callable[[Path], None], bool]] = [
    # name, maker, within the limits (must validate without LOAD-LIMIT and within 5 s)
    ("text of 199 000 characters", long_text(199_000), True),
    ("text of 250 000 characters", long_text(250_000), False),
    ("word of 200 characters", long_word(200), True),
    ("word of 199 000 characters", long_word(199_000), False),
    ("40 000 keys", many_keys(40_000), True),
    ("file of 1.9 MB", big_file(1_900_000), True),
    ("file of 2.5 MB", big_file(2_500_000), False),
    ("50 files", many_files(50), True),
    ("51 files", many_files(51), False),
    ("nesting 55 levels", deep(55), True),
    ("nesting 70 levels", deep(70), False),
    ("4 900 '[' in prose", brackets(4_900), True),
    ("95 000 '[' in prose", brackets(95_000), False),
]


def run(args: list[str], cwd: Path) -> tuple[int, float, str]:
    start = time.monotonic()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "planbuilder"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600, check=False)
    return done.returncode, time.monotonic() - start, done.stdout + done.stderr


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", action="store_true", help="also build each plan")
    args = p.parse_args()
    missed = 0
    for name, make, within in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "plans" / "raja"
            folder.mkdir(parents=True)
            make(folder)
            code, seconds, out = run(["validate", "plans/raja"], Path(tmp))
            limit_hit = any(s in out for s in ("LOAD-LIMIT", "PB-LIMIT", "too much Markdown"))
            ok = seconds < 5 and code in (0, 1) and "Traceback" not in out and \
                (limit_hit != within)
            line = f"{name:32} validate exit {code} {seconds:6.2f} s"
            if args.build and code == 0:
                code, seconds, out = run(["build", "plans/raja", "--output", "out"], Path(tmp))
                ok = ok and code == 0
                line += f" | build exit {code} {seconds:6.2f} s"
            first = next((x for x in out.splitlines() if "LIMIT" in x or "too much" in x), "")
            print(f"{'ok ' if ok else 'MISS'} {line}  {first[-90:]}")
            missed += not ok
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of a run: {peak:.0f} MB; goals missed: {missed}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
