from __future__ import annotations

import os
import pickle
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from planbuilder.document import Document

ROOT = Path(__file__).resolve().parent.parent
# The suite already runs on every core (pytest-xdist); builds inside it render serially
# unless a test asks for --jobs.
os.environ.setdefault("PLANBUILDER_JOBS", "1")
# Messages in English whatever the machine's locale; tests of other languages ask for them.
os.environ["PLANBUILDER_LANG"] = "en"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal" / "plan.yaml"
PLANS = ROOT / "plans"
EXAMPLES = sorted(p.name for p in PLANS.iterdir() if p.is_dir()) if PLANS.exists() else []


@pytest.fixture
def minimal_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")


@pytest.fixture
def write_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write plan text (optionally edited) as tmp/plan/plan.yaml; cwd is tmp so reported
    paths read 'plan/plan.yaml'."""
    monkeypatch.chdir(tmp_path)

    def write(text: str | None = None, *, replace: tuple[str, str] | None = None,
              name: str = "plan.yaml", data: bytes | None = None) -> Path:
        folder = tmp_path / "plan"
        folder.mkdir(exist_ok=True)
        body = MINIMAL.read_text(encoding="utf-8") if text is None else text
        if replace is not None:
            old, new = replace
            assert old in body, f"fixture lacks {old!r}"
            body = body.replace(old, new, 1)
        (folder / name).write_bytes(data if data is not None else body.encode("utf-8"))
        return folder

    return write


@pytest.fixture
def copy_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    monkeypatch.chdir(tmp_path)

    def copy(name: str) -> Path:
        dest = tmp_path / "plans" / name
        shutil.copytree(PLANS / name, dest)
        return dest

    return copy


# CI runs the property and fuzz tests with a fixed seed so that a red run is reproducible;
# local runs explore new inputs each time, and bench/fuzz.py explores far more.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session")
def examples_rendered(tmp_path_factory: pytest.TempPathFactory
                      ) -> dict[str, tuple[Document, bytes, bytes]]:
    """Every DOCX/PDF pair the example plans produce, rendered once per test run as the
    build renders them: key '<plan>/<document>_<lang>' -> (document tree, DOCX, PDF).

    Under pytest-xdist the workers share the work by plan: each plan is composed and
    rendered by the first worker to claim it (an exclusively created file) and read back by
    the others, who compose none of it. The largest plans (by their files) are claimed
    first, so that the workers finish at about the same time."""
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.load import load_plan
    from planbuilder.money import compute
    from planbuilder.pipeline import outputs, render
    from planbuilder.render.style import load_style

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    shared = tmp_path_factory.getbasetemp()
    shared = (shared.parent if worker else shared) / "examples-rendered"
    shared.mkdir(exist_ok=True)
    templates = TemplateSet.load()
    style = load_style(templates.folder)
    by_plan: dict[str, dict[str, tuple[Document, bytes, bytes]]] = {}
    waiting = []
    for name in sorted(EXAMPLES, key=lambda n: -sum(
            f.stat().st_size for f in (PLANS / n).glob("*.yaml"))):
        result = shared / f"{name}.pickle"
        try:
            (shared / f"{name}.claim").open("x").close()
        except FileExistsError:
            waiting.append((name, result))
            continue
        loaded = load_plan(PLANS / name)
        plan = loaded.plan
        money = compute(plan) if plan.budget and plan.cost_sharing else None
        decided: set[str] = set()
        rendered: dict[str, tuple[Document, bytes, bytes]] = {}
        for item in outputs(loaded, templates, money, plan.area.date,
                            decisions=_one_decision_per_language(plan, decided)):
            if item.document is not None:
                files = render(item, style)
                rendered[f"{name}/{item.stem}"] = (
                    item.document, files.get(f"{item.stem}.docx", b""),
                    files[f"{item.stem}.pdf"])
        partial = result.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(rendered))
        partial.rename(result)
        by_plan[name] = rendered
    deadline = time.monotonic() + 600
    for name, result in waiting:
        while not result.exists():
            assert time.monotonic() < deadline, f"{name} was never rendered"
            time.sleep(0.05)
        by_plan[name] = pickle.loads(result.read_bytes())
    # in the plans' order, each plan's documents in the order the build makes them
    return {key: value for name in EXAMPLES for key, value in by_plan[name].items()}


def _one_decision_per_language(plan: Any, decided: set[str]) -> Callable[[str, str], bool]:
    """The tests read one decision proposal per plan and language: the first member's."""
    def wanted(member_id: str, lang: str) -> bool:
        if lang in decided:
            return False
        decided.add(lang)
        return True

    return wanted
