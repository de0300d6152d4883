"""The format reference as a promise: every key docs/format.md says is printed is printed.

Each key whose meaning says "printed" gets a value of its own, in an example plan that has
such an item, and the built documents must show it."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import BaseModel

from planbuilder.compose.documents import compose_agreement, compose_decision, compose_plan
from planbuilder.compose.reference import field_meaning
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import Table, text_blocks
from planbuilder.load import load_plan
from planbuilder.model import Plan, Text
from planbuilder.money import compute

PLANS = Path(__file__).resolve().parent.parent / "plans"
EXAMPLES = sorted(p.name for p in PLANS.iterdir() if p.is_dir())

# One template set for the module's many compositions, as a build uses one for all its
# documents: each TemplateSet parses and compiles the templates anew on first use.
TEMPLATES = TemplateSet.load()


def _models(kind: type[BaseModel], seen: set[type[BaseModel]]) -> Iterator[type[BaseModel]]:
    if kind in seen:
        return
    seen.add(kind)
    yield kind
    for field in kind.model_fields.values():
        for arg in _types(field.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                yield from _models(arg, seen)


def _types(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in get_args(annotation):
        yield from _types(arg)


def _printed_keys() -> list[tuple[str, str]]:
    """(model, key) of every key whose meaning in the reference says it is printed."""
    return sorted((kind.__name__, name) for kind in _models(Plan, set())
                  for name in kind.model_fields
                  if "printed" in field_meaning(kind, name))


def _instances(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, BaseModel):
        yield path, node
        for name in type(node).model_fields:
            yield from _instances(getattr(node, name), (*path, name))
    elif isinstance(node, (list, tuple)):
        for i, item in enumerate(node):
            yield from _instances(item, (*path, i))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from _instances(item, (*path, key))


def _first_text_field(kind: type[BaseModel]) -> str | None:
    return next((n for n, f in kind.model_fields.items() if f.annotation is Text), None)


@functools.cache
def _example(name: str) -> Plan:
    return load_plan(PLANS / name).plan


def _marked_plan(model: str, key: str) -> tuple[Plan, str]:
    """An example plan with the first `model` item's `key` given a value of its own (for a
    list of items, the first item's first text), and that value."""
    marker = f"Merkki{model}{key.capitalize()}"
    for name in EXAMPLES:
        plan = _example(name)
        found = next((p for p, node in _instances(plan) if type(node).__name__ == model), None)
        if found is None:
            continue
        data = plan.model_dump()
        node = data
        for step in found:
            node = node[step]
        kind = type(next(n for p, n in _instances(plan) if p == found))
        annotation = kind.model_fields[key].annotation
        items = [a for a in _types(annotation) if isinstance(a, type)
                 and issubclass(a, BaseModel) and a is not Text]
        if items:  # a list of items printed as a table: the first item's own text
            text_key = _first_text_field(items[0])
            if text_key is None:
                continue
            if not node[key]:  # none here: one like those the plan has elsewhere
                like = next((p for p, n in _instances(plan) if type(n) is items[0]), None)
                if like is None:
                    continue
                item: Any = data
                for step in like:
                    item = item[step]
                node[key] = [dict(item)]
            node[key][0][text_key] = {"fi": marker}
        elif Text in set(_types(annotation)) and "list" in str(annotation):
            node[key] = [{"fi": marker}]
        else:
            node[key] = {"fi": marker}
        return Plan.model_validate(data), marker
    raise AssertionError(f"no example plan has a {model} with {key} to print")


def _document_texts(plan: Plan) -> Iterator[str]:
    """The text of the plan document, then the agreement's, then the first member's
    proposal, each composed only when asked for: a marker found in the plan document needs
    no agreement or proposal composed (a marker has no line break, so it is in the three
    texts joined exactly when it is in one of them)."""
    money = compute(plan) if plan.budget and plan.cost_sharing else None
    templates = TEMPLATES
    yield "\n".join(text_blocks(compose_plan(plan, "fi", templates, money, plan.area.date)))
    if plan.agreement is not None:
        yield "\n".join(text_blocks(compose_agreement(plan, "fi", templates, money,
                                                       plan.area.date)))
    if plan.decision is not None:
        yield "\n".join(text_blocks(compose_decision(plan, plan.members[0].id, "fi", templates,
                                                      money, plan.area.date, [])))


def test_the_reference_marks_the_keys_it_promises_to_print() -> None:
    keys = _printed_keys()
    assert ("BudgetLine", "source") in keys and ("Office", "note") in keys
    assert ("Agreement", "seats") in keys


@pytest.mark.parametrize("model,key", [k for k in _printed_keys() if k != ("Agreement", "seats")])
def test_every_key_the_reference_says_is_printed_is_printed(model: str, key: str) -> None:
    plan, marker = _marked_plan(model, key)
    assert "\n" not in marker
    assert any(marker in text for text in _document_texts(plan)), \
        f"{model}.{key}: '{field_meaning_of(model, key)}'"


def test_the_seats_are_printed_as_the_composition_table() -> None:
    plan = load_plan(PLANS / "porvoo").plan
    assert plan.agreement is not None
    money = compute(plan)
    doc = compose_agreement(plan, "fi", TemplateSet.load(), money, plan.area.date)
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.anchor == "table-seats")
    shown = " ".join(c.text for row in table.rows for c in row)
    for seat in plan.agreement.seats:
        member = plan.member(seat.appointed_by)
        assert member is not None and (member.formal_name or member.name).fi in shown


def field_meaning_of(model: str, key: str) -> str:
    kind = next(k for k in _models(Plan, set()) if k.__name__ == model)
    return field_meaning(kind, key)
