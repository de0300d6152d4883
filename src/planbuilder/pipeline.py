"""The one pipeline, one call per stage: load -> check -> compute -> compose -> render -> write.
The CLI calls these; they return results and raise named errors, never exit."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planbuilder.findings import Finding
from planbuilder.load import LoadedPlan, PlanLoadError, discover, load_plan
from planbuilder.rules import check


@dataclass
class Validation:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    loaded: LoadedPlan | None = None

    @property
    def io_failure(self) -> bool:
        return any(f.rule == "LOAD-IO" for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def validate(path: Path) -> Validation:
    try:
        loaded = load_plan(path)
    except PlanLoadError as exc:
        return Validation(path, exc.findings)
    return Validation(path, check(loaded), loaded)


def validate_paths(paths: list[Path]) -> list[Validation]:
    return [validate(p) for p in discover(paths)]
