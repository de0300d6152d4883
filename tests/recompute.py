"""An independent recomputation of a plan's money, as an auditor would make it: it reads the
plan's YAML with PyYAML alone and computes in exact fractions, without importing planbuilder,
so that the engine is checked against a second reading of the same rules (docs/money.md).

    python tests/recompute.py plans/jarvilaakso   # prints year,member,model,part,exact

It covers the budget lines of every year, every model's parts (criteria pools, cost-causation
pools, price x volume pools, the criteria share of the rest, direct costs) and the payable
total (phase-in blends included) of every committed member."""

from __future__ import annotations

import sys
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml


def read_plan(folder: Path) -> dict[str, Any]:
    plan: dict[str, Any] = {}
    for path in sorted(folder.glob("*.yaml")):
        plan.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return plan


def _round(value: Fraction, unit: Decimal) -> Fraction:
    d = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        unit, rounding=ROUND_HALF_UP)
    return Fraction(d)


def budget_lines(plan: dict[str, Any], year: int | None) -> dict[str, Fraction]:
    """Each line's signed amount (income negative) in the budget year or a plan year."""
    unit = Decimal(str(plan["budget"].get("precision", "0.01")))
    amounts: dict[str, Fraction] = {}
    for line in plan["budget"]["lines"]:
        kind = line["kind"]
        if kind == "overhead":
            base = sum((abs(amounts[b]) for b in line["base"]), Fraction(0))
            value = _round(base * Fraction(str(line["rate"])) / 100, unit)
        elif year is not None:
            value = _round(Fraction(str(line["years"][year])), unit)
        elif "htv" in line and "cost_per_htv" in line:
            value = _round(Fraction(str(line["htv"])) * Fraction(str(line["cost_per_htv"])),
                           unit)
        else:
            value = _round(Fraction(str(line["amount"])), unit)
        amounts[line["id"]] = -value if kind == "income" else value
    return amounts


def stat(member: dict[str, Any], name: str) -> Fraction:
    return Fraction(str(member["statistics"][name]["value"]))


def by_criteria(amount: Fraction, criteria: list[dict[str, Any]],
                members: list[dict[str, Any]]) -> list[Fraction]:
    out = [Fraction(0)] * len(members)
    for c in criteria:
        total = sum((stat(m, c["statistic"]) for m in members), Fraction(0))
        for i, m in enumerate(members):
            out[i] += amount * Fraction(str(c["weight"])) / 100 * stat(m, c["statistic"]) / total
    return out


def model_parts(plan: dict[str, Any], model: dict[str, Any], lines: dict[str, Fraction],
                members: list[dict[str, Any]], plan_year: bool) -> dict[str, list[Fraction]]:
    """part -> each member's exact charge: pools, 'criteria', 'direct'; and 'total'."""
    unit = Decimal(str(plan["budget"].get("precision", "0.01")))
    pooled = {x for pool in model.get("pools", []) for x in pool.get("lines", [])}
    ids = [m["id"] for m in members]
    direct = [Fraction(0)] * len(members)
    for line in plan["budget"]["lines"]:
        if line.get("charged_to") in ids and line["id"] not in pooled:
            direct[ids.index(line["charged_to"])] += lines[line["id"]]
    parts: dict[str, list[Fraction]] = {}
    for pool in model.get("pools", []):
        amount = sum((lines[x] for x in pool.get("lines", [])), Fraction(0))
        if pool.get("criteria"):
            parts[pool["id"]] = by_criteria(amount, pool["criteria"], members)
        elif pool.get("by_member"):
            own = [Fraction(str(pool["by_member"].get(i, 0))) for i in ids]
            if plan_year and sum(own) != amount:
                own = [amount * v / sum(own) for v in own]
            parts[pool["id"]] = own
        else:
            price = Fraction(str(pool["price"]))
            parts[pool["id"]] = [_round(price * stat(m, pool["volume"]), unit) for m in members]
    charged_elsewhere = sum((lines[x["id"]] for x in plan["budget"]["lines"]
                             if x.get("charged_to") and x["id"] not in pooled), Fraction(0))
    net = sum(lines.values(), Fraction(0))
    rest = net - charged_elsewhere - sum((sum(v) for v in parts.values()), Fraction(0))
    parts["criteria"] = by_criteria(rest, model["criteria"], members)
    parts["direct"] = direct
    parts["total"] = [sum((parts[k][i] for k in parts), Fraction(0)) for i in range(len(ids))]
    return parts


def recompute(folder: Path) -> list[tuple[int, str, str, str, Fraction]]:
    plan = read_plan(folder)
    cs = plan["cost_sharing"]
    members = [m for m in plan["members"] if m.get("membership", "committed") == "committed"]
    budget_year = plan["area"]["budget_year"]
    years: list[int | None] = [None, *sorted(
        {y for line in plan["budget"]["lines"] for y in line.get("years", {})})]
    models = {m["id"]: m for m in cs["models"]}
    in_force = models[cs["model"]]
    rows: list[tuple[int, str, str, str, Fraction]] = []
    for year in years:
        shown = budget_year if year is None else year
        lines = budget_lines(plan, year)
        for model in models.values():
            parts = model_parts(plan, model, lines, members, year is not None)
            for i, m in enumerate(members):
                for part, values in parts.items():
                    rows.append((shown, m["id"], model["id"], part, values[i]))
        phase = in_force.get("phase_in")
        new = model_parts(plan, in_force, lines, members, year is not None)
        percent = (phase or {}).get("percent", {}).get(shown)
        for i, m in enumerate(members):
            payable = new["total"][i]
            if percent is not None:
                old = model_parts(plan, models[phase["from_model"]], lines, members,
                                  year is not None)
                p = Fraction(str(percent)) / 100
                d = new["direct"][i]
                payable = d + p * (new["total"][i] - d) + (1 - p) * (old["total"][i] - d)
            rows.append((shown, m["id"], "payable", "total", payable))
    return rows


if __name__ == "__main__":
    print("year,member,model,part,exact")
    for year, member, model, part, value in recompute(Path(sys.argv[1])):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        print(f"{year},{member},{model},{part},{exact.quantize(Decimal('0.000001'))}")
