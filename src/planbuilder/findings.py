"""Findings: what a check or the loader reports, located at a file:line:column."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from planbuilder.messages import Msg, Named, language, msg

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


def shown_path(path: KeyPath) -> str:
    """A key path as a preparer counts: list positions from 1, so the 18th clause is
    'agreement.clauses[18]' (the JSON and SARIF `path` keeps the 0-based index for tools)."""
    out = ""
    for p in path:
        out += f"[{p + 1}]" if isinstance(p, int) else f".{p}" if out else str(p)
    return out


def position(path: KeyPath) -> str:
    """A list item named by its list and its position from 1: 'lines[3]'."""
    return shown_path(path[-2:]) if len(path) > 1 else shown_path(path)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def did_you_mean(word: str, options: Iterable[str]) -> Msg | None:
    """' (did you mean 'x'?)' for the closest option, or None when none is close; a
    message that may have no hint fills in `hint or NOTHING`."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return msg("common.did_you_mean", option=close[0]) if close else None


NOTHING = msg("common.nothing")  # an empty part of a message (no hint to give)


# The values of a message that name a municipality by the id the plan gives it.
MUNICIPALITY_VALUES = frozenset({"member", "members", "host", "municipality", "proposer"})


def _named(message: Msg, names: Mapping[str, Named]) -> Msg:
    def ids(value: Any) -> list[str]:
        return [value] if isinstance(value, str) else \
            [v for v in value if isinstance(v, str)] if isinstance(value, tuple) else []

    given = [v for k, value in message.params if k in MUNICIPALITY_VALUES for v in ids(value)]
    # A message about an id the plan does not know lists the ids a preparer may write.
    renamed = bool(given) and all(v in names for v in given)
    params = []
    for k, value in message.params:
        if isinstance(value, Msg):
            value = _named(value, names)
        elif renamed and k in MUNICIPALITY_VALUES:
            value = names[value] if isinstance(value, str) else \
                tuple(names.get(v, v) if isinstance(v, str) else v for v in value)
        params.append((k, value))
    return Msg(message.key, tuple(params))


def with_names(findings: list[Finding], names: Mapping[str, Named]) -> list[Finding]:
    """The findings with each member named as the reader knows it (Havsvik, Havsviks stad's
    short name, in the reader's language) instead of by its id (`havsvik`)."""
    return [dataclasses.replace(f, message=_named(f.message, names)) for f in findings]
