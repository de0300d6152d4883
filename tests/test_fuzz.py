"""Fuzzing the loader and the checks: whatever bytes a plan folder holds, the result is a
model or located findings - never a traceback. Longer runs: bench/fuzz.py."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_inputs import MINIMAL, mutate
from planbuilder.errors import PlanLoadError
from planbuilder.findings import Finding
from planbuilder.load import load_plan
from planbuilder.rules import check

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def outcome(data: bytes) -> list[Finding]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "plan.yaml").write_bytes(data)
        try:
            loaded = load_plan(folder)
        except PlanLoadError as exc:
            assert exc.findings, "a failed load must say why"
            for f in exc.findings:
                assert f.location is not None and f.location.line >= 1
                assert "\n" not in f.format() or f.rule == "LOAD-SYNTAX"
            return exc.findings
        return check(loaded)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    outcome(data)


@FUZZ
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    outcome(text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_mutated_valid_plan(seed: int) -> None:
    outcome(mutate(random.Random(seed)))


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30),
                         st.floats(allow_nan=True))
yaml_trees = st.recursive(yaml_scalars, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(st.sampled_from(["area", "members", "sections", "name", "fi", "sv", "id",
                                     "value", "text", "budget", "lines", "kind", "x"]),
                    children, max_size=4)), max_leaves=30)


@FUZZ
@given(yaml_trees)
def test_random_structures(tree: object) -> None:
    import json

    outcome(json.dumps({"area": tree, "members": tree, "sections": tree}).encode())


def test_valid_plan_is_clean_baseline() -> None:
    # no errors or warnings; the one information is the reminder that two members need an
    # agreement (the minimal plan has none)
    assert [f.rule for f in outcome(MINIMAL)] == ["L380-15-1"]
