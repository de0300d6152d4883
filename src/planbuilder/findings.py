"""Findings: what a check or the loader reports, located at a file:line:column."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from planbuilder.messages import Msg, language, msg

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
    message: Msg
    location: Location | None = None
    path: KeyPath = field(default=())
    citation: str = ""
    acknowledged: str = ""  # the plan's recorded reason, when it acknowledges this finding

    def text(self, lang: str | None = None) -> str:
        """The message in a language (default: the reader's)."""
        return self.message.text(lang)

    def format(self, lang: str | None = None) -> str:
        lang = lang or language()
        where = str(self.location) if self.location else "<plan>"
        cite = f" [{self.citation}]" if self.citation else ""
        ack = msg("common.acknowledged", reason=self.acknowledged).text(lang) \
            if self.acknowledged else ""
        severity = msg(f"common.severity.{self.severity}").text(lang)
        return f"{where}: {severity} {self.rule}: {self.text(lang)}{cite}{ack}"

    def as_dict(self, lang: str | None = None) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.text(lang),
            "message_key": self.message.key,
            "citation": self.citation,
            "file": self.location.file if self.location else None,
            "line": self.location.line if self.location else None,
            "column": self.location.column if self.location else None,
            "path": ".".join(str(p) for p in self.path),
            "acknowledged": self.acknowledged or None,
        }


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def did_you_mean(word: str, options: Iterable[str]) -> Msg | None:
    """' (did you mean 'x'?)' for the closest option, or None when none is close; a
    message that may have no hint fills in `hint or NOTHING`."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return msg("common.did_you_mean", option=close[0]) if close else None


NOTHING = msg("common.nothing")  # an empty part of a message (no hint to give)
