"""Findings: what a check or the loader reports, located at a file:line:column."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    location: Location | None = None
    path: KeyPath = field(default=())
    citation: str = ""
    acknowledged: str = ""  # the plan's recorded reason, when it acknowledges this finding

    def format(self) -> str:
        where = str(self.location) if self.location else "<plan>"
        cite = f" [{self.citation}]" if self.citation else ""
        ack = f" (acknowledged: {self.acknowledged})" if self.acknowledged else ""
        return f"{where}: {self.severity} {self.rule}: {self.message}{cite}{ack}"

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "citation": self.citation,
            "file": self.location.file if self.location else None,
            "line": self.location.line if self.location else None,
            "column": self.location.column if self.location else None,
            "path": ".".join(str(p) for p in self.path),
            "acknowledged": self.acknowledged or None,
        }


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest option, or '' when none is close."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
