"""Editor support, checked with a real YAML language server (yaml-language-server, what
VS Code's YAML extension runs): every example plan file opens with no diagnostics, and a
misspelt key is flagged on its line."""

from __future__ import annotations

import shutil

import pytest

from yaml_lsp import ROOT, SERVER, diagnostics

pytestmark = pytest.mark.skipif(shutil.which("node") is None,
                                reason="Node.js is not installed: no YAML language server")


def test_the_language_server_accepts_every_plan_and_flags_a_misspelt_key() -> None:
    assert SERVER.exists(), "install it with ./run test (npm install into .tools/)"
    files = sorted((ROOT / "plans").glob("*/*.yaml"))
    documents = {path: path.read_text(encoding="utf-8") for path in files}
    misspelt = ROOT / "plans" / "porvoo" / "misspelt.yaml"
    documents[misspelt] = documents[ROOT / "plans" / "porvoo" / "area.yaml"].replace(
        "  host: porvoo\n", "  host: porvoo\n  effective_from: 2025-01-01\n", 1)
    found = diagnostics(documents, ROOT / "plan.schema.json")
    assert {p: d for p, d in found.items() if p != misspelt and d} == {}
    assert len(found) == len(documents)
    (problem,) = found[misspelt]
    assert problem["message"] == "Property effective_from is not allowed."
    assert problem["range"]["start"]["line"] == 6  # 0-based: line 7, where it was written
