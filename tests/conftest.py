from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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
def examples_rendered() -> dict[str, tuple[object, bytes, bytes]]:
    """Every DOCX/PDF pair the example plans produce, rendered once per test run as the
    build renders them: key '<plan>/<document>_<lang>' -> (document tree, DOCX, PDF)."""
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.load import load_plan
    from planbuilder.money import compute
    from planbuilder.pipeline import outputs, render
    from planbuilder.render.style import load_style

    templates = TemplateSet.load()
    style = load_style(templates.folder)
    out: dict[str, tuple[object, bytes, bytes]] = {}
    for name in EXAMPLES:
        loaded = load_plan(PLANS / name)
        plan = loaded.plan
        money = compute(plan) if plan.budget and plan.cost_sharing else None
        decided: set[str] = set()
        for item in outputs(loaded, templates, money, plan.area.date):
            if item.document is None:
                continue
            lang = item.document.meta.lang
            if item.stem.startswith("paatosesitys_"):  # one decision per plan and language
                if lang in decided:
                    continue
                decided.add(lang)
            files = render(item, style)
            out[f"{name}/{item.stem}"] = (item.document, files.get(f"{item.stem}.docx", b""),
                                          files[f"{item.stem}.pdf"])
    return out
