"""Limits that keep every document renderable in bounded time: a plan within them
validates in seconds and builds in bounded time (see README, "Limits")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from planbuilder.messages import msg
from planbuilder.model import Plan
from planbuilder.rules.base import Violation, rule
from planbuilder.rules.language import texts

MAX_WORD = 200  # characters without a space: longer never fits a line and stalls layout
_LONG = re.compile(rf"\S{{{MAX_WORD + 1},}}")


@rule("PB-LIMIT-WORD", "", "error")
def long_words(plan: Plan) -> Iterator[Violation]:
    for path, text in texts(plan):
        for lang, value in (("fi", text.fi), ("sv", text.sv)):
            match = _LONG.search(value or "")
            if match:
                yield Violation((*path, lang) if text.sv is not None else path,
                                msg("rules.PB-LIMIT-WORD.too_long", length=len(match.group(0)),
                                    most=MAX_WORD, start=match.group(0)[:30]))
