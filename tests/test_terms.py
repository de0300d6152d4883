"""The term base (templates/i18n/terms.yaml): the catalogues use the official terms, and no
Swedish document of the example plans uses a form a Swedish-speaking council would reject."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from planbuilder.compose import compose_agreement, compose_decision, compose_plan
from planbuilder.compose.templates import TemplateSet
from planbuilder.document import Document, Table, text_blocks
from planbuilder.load import load_plan
from planbuilder.money import compute

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "templates" / "i18n"
PLANS = ROOT / "plans"
TERMS: dict[str, Any] = yaml.safe_load((I18N / "terms.yaml").read_text(encoding="utf-8"))


def _flat(node: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in node.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        elif isinstance(v, str):
            out[f"{prefix}{k}"] = v
    return out


@cache
def catalogue(lang: str) -> dict[str, str]:
    return _flat(yaml.safe_load((I18N / f"{lang}.yaml").read_text(encoding="utf-8")))


@pytest.mark.parametrize("term", TERMS["terms"], ids=lambda t: t["sv"])
def test_catalogues_use_the_official_term(term: dict[str, Any]) -> None:
    assert term["source"].strip()
    assert term["fi"].strip()
    for key in term["keys"]:
        text = catalogue("sv")[key]
        assert term.get("stem", term["sv"]).casefold() in text.casefold(), (key, text)


def test_every_rejected_form_says_what_to_write_instead() -> None:
    for entry in TERMS["rejected"]:
        assert entry["use"].strip() and entry["scope"] in ("documents", "catalogue"), entry


@pytest.mark.parametrize("entry", TERMS["rejected"], ids=lambda e: e["form"])
def test_swedish_catalogue_has_no_rejected_form(entry: dict[str, Any]) -> None:
    found = {k: v for k, v in catalogue("sv").items() if entry["form"] in v}
    assert found == {}


@cache
def swedish_documents() -> dict[str, Document]:
    """Every Swedish document of every example plan that has Swedish, composed."""
    templates = TemplateSet.load()
    out: dict[str, Document] = {}
    for folder in sorted(p for p in PLANS.iterdir() if p.is_dir()):
        plan = load_plan(folder).plan
        if "sv" not in plan.languages:
            continue
        money = compute(plan) if plan.budget and plan.cost_sharing else None
        out[f"{folder.name}/plan"] = compose_plan(plan, "sv", templates, money, plan.area.date)
        if plan.agreement is not None:
            out[f"{folder.name}/agreement"] = compose_agreement(plan, "sv", templates, money,
                                                                plan.area.date)
        if plan.decision is not None:
            for m in plan.members:
                if m.language != "fi":
                    out[f"{folder.name}/decision_{m.id}"] = compose_decision(
                        plan, m.id, "sv", templates, money, plan.area.date, [])
    return out


def test_examples_have_swedish_documents() -> None:
    assert {k.split("/")[0] for k in swedish_documents()} >= {"porvoo", "espoo-kauniainen"}


@pytest.mark.parametrize("entry", [e for e in TERMS["rejected"] if e["scope"] == "documents"],
                         ids=lambda e: e["form"])
def test_swedish_documents_have_no_rejected_form(entry: dict[str, Any]) -> None:
    found = {name: [t for t in text_blocks(doc) if entry["form"] in t]
             for name, doc in swedish_documents().items()}
    assert {k: v for k, v in found.items() if v} == {}


def test_members_table_total_is_a_total_not_current_members() -> None:
    doc = swedish_documents()["porvoo/plan"]
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.anchor == "table-members")
    assert table.footer[0][0].text == "Totalt, fasta medlemmar"
