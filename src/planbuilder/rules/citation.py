"""Statutes cited by their official titles. A plan and its agreement are read by councils and
by the ministry; an act cited under a title it does not have (“laki työvoimapalvelujen
järjestämisestä” for “laki työvoimapalveluiden järjestämisestä”) is a wording a lawyer
corrects, and a reader who searches the statute book for it does not find it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from planbuilder.messages import msg
from planbuilder.model import Plan
from planbuilder.rules.base import Violation, rule
from planbuilder.rules.language import texts


@dataclass(frozen=True)
class Title:
    number: str  # the act's number, e.g. 380/2023
    lang: str
    official: str  # the title's words that vary in citations, as the statute book gives them
    cited: re.Pattern[str]  # where a text cites a title of this act, its varying words in group 1


# Official titles (Finlex): "Laki työvoimapalveluiden järjestämisestä" / "Lag om ordnande av
# arbetskraftsservice" (380/2023). A citation is the title's words after a word for the act
# ("laki", "lain", "laissa" …; "lag", "lagen" …) or before "annettu laki" or the act's number.
TITLES = (
    Title("380/2023", "fi", "työvoimapalveluiden järjestämisestä", re.compile(
        r"\b(?:la(?:ki|in|issa|ista|kia|kiin|illa|ille)\s+((?:julkisten\s+)?työvoimapalvel\w*"
        r"\s+järjestämisestä)"
        r"|((?:julkisten\s+)?työvoimapalvel\w*\s+järjestämisestä)(?=\s+(?:annet\w*|\(380/2023\))))",
        re.IGNORECASE)),
    Title("380/2023", "sv", "om ordnande av arbetskraftsservice", re.compile(
        r"\blag(?:en|ens)?\s+(om\s+\w+\s+av\s+arbetskraft\w*)", re.IGNORECASE)),
)


@rule("PB-ACT-TITLE", "", "warning")
def official_titles(plan: Plan) -> Iterator[Violation]:
    for path, text in texts(plan):
        for title in TITLES:
            value = text.fi if title.lang == "fi" else text.sv
            if not value:
                continue
            for found in title.cited.finditer(value):
                group = 1 if found.group(1) is not None else 2
                words = found.group(group)
                if " ".join(words.split()).lower() != title.official:
                    yield Violation((*path, title.lang), msg(
                        "rules.PB-ACT-TITLE.not_official", act=title.number,
                        cited=" ".join(words.split()), official=title.official),
                        offset=found.start(group))
