"""Kielilaki 423/2003: a joint body with members of different languages, or with a
bilingual member, is bilingual and must produce its documents in Finnish and Swedish."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from planbuilder.findings import KeyPath
from planbuilder.messages import msg
from planbuilder.model import Plan, Text
from planbuilder.official import language_status
from planbuilder.rules.base import Violation, rule


@rule("L423-6", "423/2003 6 § 1 mom. 2 k., 29 § 1 mom., 32 § 2 mom.", "error")
def bilingual_documents(plan: Plan) -> Iterator[Violation]:
    if plan.bilingual and "sv" not in plan.languages:
        langs = ", ".join(f"{m.id} ({m.language})" for m in plan.members if m.language != "fi")
        yield Violation(("area", "languages"),
                        msg("rules.L423-6.no_sv", members=langs))


@rule("L423-5", "423/2003 5 § 1 mom., 6 § 1 mom.; VNA kuntien kielellisestä asemasta "
      "vuosina 2023–2032", "error")
def member_language(plan: Plan) -> Iterator[Violation]:
    """A member's language status is the decree's, not the preparer's: it decides whether the
    joint body is bilingual (6 §) and so in which languages its documents are made."""
    for i, m in enumerate(plan.members):
        official = language_status(m)
        if official is not None and official != m.language:
            yield Violation(("members", i, "language"),
                            msg("rules.L423-5.differs", member=m.name.fi, stated=m.language,
                                official=official))


def texts(node: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Text]]:
    """Every Text in a model tree with its key path."""
    if isinstance(node, Text):
        yield path, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from texts(getattr(node, name), (*path, name))
    elif isinstance(node, (list, tuple)):
        for i, item in enumerate(node):
            yield from texts(item, (*path, i))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from texts(item, (*path, key))


# What `planbuilder new` writes in front of every text a preparer must write (templates/new):
# a text that still begins with it has not been written yet (PB-FILL).
FILL_MARKERS = ("TÄYTÄ:", "FYLL I:")


def unfilled_value(value: str | None) -> bool:
    return bool(value) and str(value).lstrip().upper().startswith(FILL_MARKERS)


def unfilled(text: Text) -> bool:
    return unfilled_value(text.fi) or unfilled_value(text.sv)


@rule("L423-6-TEXT", "423/2003 6 § 1 mom. 2 k., 29 § 1 mom., 32 § 2 mom.", "warning")
def swedish_texts(plan: Plan) -> Iterator[Violation]:
    """A text without Swedish: a warning in the plan's prose (its Swedish version would show
    the Finnish text), an error in a decision proposal for a bilingual municipality's council,
    whose agenda is in Finnish and Swedish by law (kielilaki 29 § 1 mom.)."""
    if "sv" not in plan.languages:
        return
    bilingual = [m.id for m in plan.members if m.language == "bilingual"]
    for path, text in texts(plan):
        if text.sv is not None:
            continue
        councils = bilingual if path[:1] == ("decision",) else []
        if path[:2] == ("decision", "members"):
            councils = [m for m in councils if m == path[2]]  # that member's proposal only
        if councils:
            yield Violation(path, msg("rules.L423-6-TEXT.no_sv_for_council", members=councils),
                            severity="error")
        else:
            yield Violation(path, msg("rules.L423-6-TEXT.no_sv"))
