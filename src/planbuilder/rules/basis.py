"""Every rule's basis, as data: the statute provisions it applies (ids of
`rules/statutes.yaml`, quoted by `planbuilder rules --verbose`), or none when the rule is a
convention of planbuilder (the plan format, consistency, good practice) and not law. A new
rule must be entered here; a test fails otherwise."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml

STATUTE = "statute"
CONVENTION = "convention"

BASIS: dict[str, tuple[str, ...]] = {
    "L380-12-1": ("380/2023 12 § 1 mom", "380/2023 12 § 2 mom", "383/2023 4 § 1 mom"),
    "L380-12-YEAR": ("380/2023 12 § 2 mom",),
    "L380-12-2": ("380/2023 12 § 1 mom", "383/2023 4 § 1 mom"),
    "L383-4": ("383/2023 4 § 1 mom", "383/2023 4 § 2 mom", "383/2023 4 § 3 mom",
               "383/2023 3 § 1 mom"),
    "L383-4-2": ("383/2023 4 § 2 mom",),
    "L383-4-3": ("383/2023 4 § 3 mom",),
    "L383-3": ("383/2023 3 § 1 mom", "383/2023 3 § 2 mom"),
    "L380-15-1": ("380/2023 15 § 1 mom", "150/1930 5 § 1 mom", "383/2023 3 § 1 mom"),
    "L380-15-2": ("380/2023 15 § 2 mom", "150/1930 5 § 1 mom", "383/2023 3 § 1 mom"),
    "L380-15-3": ("380/2023 15 § 3 mom", "380/2023 15 § 1 mom", "150/1930 5 § 1 mom"),
    **{f"L380-15-4-{k}": ("380/2023 15 § 4 mom", f"380/2023 15 § 4 mom {k} kohta")
       for k in range(1, 7)},
    "L380-15-4-5-THEMES": ("380/2023 15 § 4 mom 5 kohta",),
    "KL-51": ("410/2015 51 § 2 mom", "410/2015 51 § 2 mom (alkup. 2015–2016, kumottu)"),
    **{f"KL-52-{k}": ("410/2015 52 § 1 mom",) for k in range(1, 5)},
    "L609-4A": ("609/1986 4 a § 1 mom",),
    "L609-4A-3": ("609/1986 4 a § 3 mom",),
    "L423-5": ("423/2003 5 § 1 mom", "423/2003 6 § 1 mom"),
    "L423-6": ("423/2003 6 § 1 mom", "423/2003 29 § 1 mom", "423/2003 32 § 2 mom"),
    "L423-6-TEXT": ("423/2003 6 § 1 mom", "423/2003 29 § 1 mom", "423/2003 32 § 2 mom"),
    "L423-28": ("423/2003 28 § 1 mom",),
    "PB-DECISION-APPEAL": ("434/2003 47 § 1 mom", "410/2015 135 § 1 mom"),
    "L423-29": ("423/2003 29 § 1 mom", "423/2003 32 § 2 mom"),
    "PB-AMEND": ("410/2015 52 § 1 mom",),
    # conventions: the plan format, consistency and good practice, never labelled as law
    **{rule: () for rule in (
        "LOAD-IO", "LOAD-LIMIT", "LOAD-ENCODING", "LOAD-CHAR", "LOAD-SYNTAX", "LOAD-DUPLICATE",
        "SCHEMA-UNKNOWN", "SCHEMA-MISSING", "SCHEMA-TYPE", "PB-AGR", "PB-BUDGET",
        "PB-CONTENT", "PB-COST-MODEL", "PB-COST-STAT", "PB-COST-WEIGHTS", "PB-DECISION-MEETING",
        "PB-DECISION-MEMBERS", "PB-LIMIT-WORD", "PB-MONEY", "PB-REF", "PB-STAT-SOURCE",
        "PB-ACK", "PB-ACT-TITLE", "PB-AGR-HEADINGS", "PB-AGR-ONCE", "PB-AGR-TERMS",
        "PB-AGR-WITHDRAWAL", "PB-SETTLEMENT", "PB-STAT-DATE", "PB-STAT-NAME", "PB-PROJECT",
        "PB-FILL", "PB-MEMBER-CODE", "PB-LAW-CHANGE", "PB-SERIES", "PB-PLANNED", "PB-MUNI-KIND",
        "PB-DECISION", "PB-STAFF-HTV", "PB-BUDGET-YEAR",
        # a reference check: an office names a member municipality (the statute, 380/2023
        # 15 § 4 mom. 3 k., asks only that the plan show the offices: L380-15-4-3)
        "PB-OFFICE",
        # the prose agrees with the data: good practice (a council reads both), not a
        # statutory requirement of its own
        "PB-TEXT-FIGURE")},
}


@cache
def statutes() -> dict[str, dict[str, Any]]:
    """The quoted provisions by id (package data, so an installed planbuilder has them)."""
    text = files("planbuilder.rules").joinpath("statutes.yaml").read_text(encoding="utf-8")
    return {entry["id"]: entry for entry in yaml.safe_load(text)}


def kind(rule_id: str) -> str:
    return STATUTE if BASIS.get(rule_id) else CONVENTION


def quotes(rule_id: str) -> list[dict[str, Any]]:
    """The rule's statutory basis: each provision with its Finnish (and Swedish) text and
    where the text was taken from."""
    return [statutes()[key] for key in BASIS.get(rule_id, ())]
