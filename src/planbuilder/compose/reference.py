"""The plan format for people: docs/format.md, generated from the model so it cannot
drift (`planbuilder schema --format markdown`; a test keeps the committed file current)."""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from planbuilder.compose.templates import TemplateSet
from planbuilder.model import (
    STATISTIC_DEFINITIONS,
    STATISTIC_NAMES,
    Plan,
    Text,
    field_meaning,
)


def _type(annotation: Any, seen: list[type[BaseModel]]) -> str:
    origin = get_origin(annotation)
    args = get_args(annotation)
    if annotation is Text:
        return "text (a string, or `{fi: …, sv: …}`)"
    if origin is typing.Annotated:
        return _type(args[0], seen)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return " or ".join(_type(a, seen) for a in inner)
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {_type(args[0], seen)}"
    if origin is dict:
        return f"mapping of {_type(args[0], seen)} to {_type(args[1], seen)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in seen:
            seen.append(annotation)
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return {str: "string", int: "whole number", bool: "`true` or `false`",
            Decimal: "number", dt.date: "date (`2025-01-31`)"}.get(annotation,
                                                                   str(annotation))


def _default(field: Any) -> str:
    if field.is_required():
        return "required"
    value = field.default
    if value is PydanticUndefined or value is None or value == [] or value == {}:
        return "optional"
    if field.default_factory is not None:
        return "optional"
    return f"default `{str(value).lower() if isinstance(value, bool) else value}`"


def format_reference() -> str:
    translations = TemplateSet.load().translations
    fi, sv = translations["fi"], translations["sv"]
    out = ["# The plan format",
           "",
           "Generated from planbuilder's model by `planbuilder schema --format markdown`; a",
           "test keeps this file current. A plan is one folder of `*.yaml` files whose",
           "top-level keys are merged. Every text may be a plain string (Finnish) or",
           "`{fi: …, sv: …}`; prose is Markdown. `plan.schema.json` is the same for editors.",
           ""]
    seen: list[type[BaseModel]] = [Plan]
    i = 0
    while i < len(seen):
        model = seen[i]
        i += 1
        doc = " ".join((model.__doc__ or "").split())
        out += [f"## {model.__name__}", ""]
        if doc and not doc.startswith(("Usage docs", "!!!")):
            out += [doc, ""]
        out += ["| key | type | | meaning |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            meaning = field_meaning(model, name).replace("|", "\\|").replace("\n", " ")
            out.append(f"| `{name}` | {_type(field.annotation, seen)} | {_default(field)} "
                       f"| {meaning} |")
        out.append("")
    out += ["## Statistics", "",
            "The built-in names a member's `statistics` and a model's `criteria` use, with "
            "their labels in the documents. A plan may declare more under `statistics:` (see "
            "[StatisticDefinition](#statisticdefinition)): an id, its label in Finnish and "
            "Swedish, the unit, a definition and the usual source. Declared statistics are "
            "used exactly like the built-in ones, and the plan's statistics appendix prints "
            "their definitions; a name that is neither is an error (PB-STAT-NAME) with the "
            "closest name as a hint.", "",
            "```yaml",
            "statistics:",
            "  - id: pitkaaikaistyottomat",
            "    label: {fi: Pitkäaikaistyöttömät, sv: Långtidsarbetslösa}",
            "    unit: {fi: henkilöä, sv: personer}",
            "    definition: {fi: Vähintään 12 kuukautta yhtäjaksoisesti työttömänä olleet., "
            "sv: Arbetslösa i minst 12 månader utan avbrott.}",
            "    source: Työnvälitystilasto",
            "```", "",
            "| name | Finnish | Swedish | meaning |", "|---|---|---|---|"]
    out += [f"| `{name}` | {fi(f'statistic.{name}')} | {sv(f'statistic.{name}')} "
            f"| {STATISTIC_DEFINITIONS[name]} |" for name in STATISTIC_NAMES]
    out += ["", "## What planbuilder writes for you", "",
            "Some text in the documents is written from the plan's data, so it is not "
            "written twice:", ""]
    out += [f"- **{what}**: {how}" for what, how in GENERATED]
    return "\n".join(out).rstrip() + "\n"


GENERATED: tuple[tuple[str, str], ...] = (
    ("Agreement, clause kind `parties`", "after the clause's text, the list of committed "
     "members, the host marked."),
    ("Agreement, `composition`", "the seats table from `agreement.seats` (who appoints or "
     "proposes, deputies, chair and vice-chair)."),
    ("Agreement, `leading_official`", "a sentence naming the leading official's and the "
     "presenter's roles."),
    ("Agreement, `finances`", "the model in force and the budget year, the criteria table "
     "(weights and reference dates), the pools table when the model has pools, the monthly "
     "advances, their due day and the settlement terms (`cost_sharing.terms`), the direct "
     "costs, and the shares table."),
    ("Agreement, `validity`", "the start and notice period (`agreement.validity`), the "
     "earliest termination, and the deadline for sending the agreement and plan to TEM "
     "(computed from the approvals, past weekends and holidays)."),
    ("Agreement, `signatures`", "a signature block for every committed member."),
    ("Plan, introduction", "the six items of 380/2023 15 § 4 mom. as a list with links to "
     "their sections, and the members table (language, membership, labour force)."),
    ("Plan, each section", "its table from the section's list (staff, services, offices, "
     "partners, measures), then the series, projects and goals that belong to it; section 1 "
     "also the budget table, section 2 the target groups."),
    ("Plan, money chapter", "criteria, shares (with the chart), pools, phase-in, direct "
     "costs, the economic plan's years, the comparison of models (with the chart and per plan "
     "year), membership scenarios, monthly advances, preparation costs and the year-end "
     "settlement with what happens to a surplus or deficit."),
    ("Plan, appendix", "every member's statistics with date and source, the plan's own "
     "statistics with their definitions, the series not shown in a section, projections, "
     "acknowledged findings and deviations from the sources."),
    ("Decision proposal", "the agenda item: the council's meeting, diary number, earlier "
     "handling, the matter and its background, the member's share with its components and "
     "monthly advances (and the plan years'), the proposed decisions, appendices, and the "
     "appeal instructions (templates/documents/appeal)."),
)
