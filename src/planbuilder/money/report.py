"""Money results for the terminal (text), for other tools (JSON, CSV) and `explain`.
Numbers in Finnish format (`10 162 216,00 €`); labels in English, as for the CLI."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from planbuilder import fmt
from planbuilder.model import Plan
from planbuilder.money.engine import Allocation, Money


def eur(value: Decimal) -> str:
    return fmt.euros(value, "fi", cents=True).replace("\u00a0", " ")


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _name(plan: Plan, member_id: str) -> str:
    m = plan.member(member_id)
    return m.name.fi if m else member_id


def budget_text(money: Money) -> str:
    plan = money.plan
    b = money.budget
    out = [f"{plan.area.name.fi}: budget {plan.area.budget_year}", ""]
    rows = [[r.line.id, r.line.label.fi, r.line.kind,
             fmt.number(r.line.htv, "fi", 1).replace("\u00a0", " ") if r.line.htv else "",
             eur(-r.amount if r.line.kind == "income" else r.amount),
             _name(plan, r.line.charged_to) if r.line.charged_to else ""] for r in b.lines]
    rows += [["", "costs", "", "", eur(b.costs), ""], ["", "income", "", "", eur(-b.income), ""],
             ["", "net", "", "", eur(b.net), ""], ["", "shared", "", "", eur(b.shared), ""]]
    out.append(_table(["line", "label", "kind", "htv", "amount", "charged to"], rows, {3, 4}))
    out += ["", f"Shares, model '{money.allocation.model.id}' ({money.allocation.model.name.fi})",
            ""]
    rows = [[_name(plan, s.member), eur(s.shared), eur(s.direct), eur(s.total),
             eur(s.advances[0]), eur(s.advances[-1])] for s in money.summaries]
    rows.append(["total", eur(sum((s.shared for s in money.summaries), Decimal(0))),
                 eur(sum((s.direct for s in money.summaries), Decimal(0))),
                 eur(sum((s.total for s in money.summaries), Decimal(0))), "", ""])
    out.append(_table(["member", "shared", "direct", "total", "advance 1", "advance 12"], rows,
                      {1, 2, 3, 4, 5}))
    if money.comparison:
        out += ["", f"Comparison against '{money.comparison.baseline}'", ""]
        out.append(comparison_text(money))
    if money.scenarios:
        out += ["", "Membership scenarios (model in force)", ""]
        rows = [[_name(plan, m.id), eur(money.scenarios[0].of(m.id)) if m.membership ==
                 "committed" else "", eur(money.scenarios[1].of(m.id))] for m in plan.members]
        out.append(_table(["member", "committed only", "with optional"], rows, {1, 2}))
    if money.preparation:
        out += ["", "Preparation costs", ""]
        out.append(_allocation_table(plan, money.preparation))
    if money.settlement:
        s = money.settlement
        out += ["", f"Settlement: actual costs {eur(s.actual_costs)}, budgeted {eur(s.budgeted)}"
                f", {'surplus' if s.surplus >= 0 else 'deficit'} {eur(abs(s.surplus))}"
                + (" carried forward" if s.carry_forward else ""), ""]
        rows = [[_name(plan, r.member), eur(r.actual), eur(r.paid),
                 "carried forward" if s.carry_forward else eur(r.balance)] for r in s.rows]
        out.append(_table(["member", "actual share", "advances paid", "balance"], rows,
                          {1, 2, 3}))
    return "\n".join(out)


def comparison_text(money: Money) -> str:
    assert money.comparison is not None
    cmp = money.comparison
    headers = ["member"] + [a.model.id for a in cmp.models]
    rows = []
    for s in money.summaries:
        row = [_name(money.plan, s.member)]
        for a in cmp.models:
            if a.model.id == cmp.baseline:
                row.append(eur(a.of(s.member)))
            else:
                diff, pct = cmp.difference(a.model.id, s.member)
                pct_text = f" ({pct:+} %)" if pct is not None else ""
                row.append(f"{eur(a.of(s.member))} {'+' if diff >= 0 else ''}{eur(diff)}"
                           f"{pct_text}")
        rows.append(row)
    return _table(headers, rows, set(range(1, len(headers))))


def _allocation_table(plan: Plan, allocation: Allocation) -> str:
    rows = [[_name(plan, s.member), eur(s.amount)] for s in allocation.shares]
    return _table(["member", "share"], rows, {1})


def _s(value: Decimal) -> str:
    return f"{value:.2f}"


def budget_json(money: Money) -> dict[str, Any]:
    plan = money.plan
    b = money.budget
    data: dict[str, Any] = {
        "area": plan.area.name.fi,
        "budget_year": plan.area.budget_year,
        "budget": {
            "lines": [{"id": r.line.id, "kind": r.line.kind, "label": r.line.label.fi,
                       "htv": str(r.line.htv) if r.line.htv is not None else None,
                       "amount": _s(r.amount), "basis": r.basis,
                       "charged_to": r.line.charged_to} for r in b.lines],
            "costs": _s(b.costs), "income": _s(b.income), "net": _s(b.net),
            "shared": _s(b.shared),
        },
        "model": money.allocation.model.id,
        "members": [{"id": s.member, "shared": _s(s.shared), "direct": _s(s.direct),
                     "total": _s(s.total), "advances": [_s(a) for a in s.advances]}
                    for s in money.summaries],
    }
    if money.comparison:
        data["comparison"] = {
            "baseline": money.comparison.baseline,
            "models": {a.model.id: {s.member: _s(s.amount) for s in a.shares}
                       for a in money.comparison.models}}
    if money.scenarios:
        data["scenarios"] = {"committed": {s.member: _s(s.amount)
                                           for s in money.scenarios[0].shares},
                             "with_optional": {s.member: _s(s.amount)
                                               for s in money.scenarios[1].shares}}
    if money.preparation:
        data["preparation"] = {s.member: _s(s.amount) for s in money.preparation.shares}
    if money.settlement:
        st = money.settlement
        data["settlement"] = {
            "actual_costs": _s(st.actual_costs), "surplus": _s(st.surplus),
            "carry_forward": st.carry_forward,
            "members": [{"id": r.member, "actual": _s(r.actual), "paid": _s(r.paid),
                         "balance": _s(r.balance)} for r in st.rows]}
    return data


def budget_csv(money: Money) -> str:
    """One row per member and model: what each model would charge, and the model in force's
    direct costs, total and advances."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["member", "model", "in_force", "shared", "direct", "total",
                     "monthly_advance_first", "monthly_advance_last"])
    allocations = money.comparison.models if money.comparison else (money.allocation,)
    for s in money.summaries:
        for a in allocations:
            in_force = a.model.id == money.allocation.model.id
            shared = a.of(s.member)
            writer.writerow([s.member, a.model.id, "yes" if in_force else "no", _s(shared),
                             _s(s.direct), _s(shared + s.direct),
                             _s(s.advances[0]) if in_force else "",
                             _s(s.advances[-1]) if in_force else ""])
    return buffer.getvalue()


def explain_text(money: Money, member_id: str) -> str:
    plan = money.plan
    summary = money.member_summary(member_id)
    a = money.allocation
    name = _name(plan, member_id)
    out = [f"{name}: share of {plan.area.name.fi} {plan.area.budget_year}",
           f"Amount shared: {eur(money.budget.shared)} (net {eur(money.budget.net)} minus "
           f"direct costs {eur(sum(money.budget.direct.values(), Decimal(0)))})",
           f"Model in force: {a.model.id} ({a.model.name.fi})", ""]
    if summary is None:
        out.append(f"{name} is not a committed member; it shares nothing until it joins.")
        return "\n".join(out)
    share = next(s for s in a.shares if s.member == member_id)
    for p in share.parts:
        source = ""
        if p.stat is not None:
            date = fmt.date(p.stat.date, "fi") if p.stat.date else "no date"
            source = f"  [{date}; {p.stat.source or 'no source'}" + (
                "; illustrative]" if p.stat.illustrative else "]")
        pct = Decimal(p.proportion.numerator) / Decimal(p.proportion.denominator) * 100
        euros = Decimal(p.euros.numerator) / Decimal(p.euros.denominator)
        out.append(f"- {p.statistic} weight {p.weight.normalize():f} %: "
                   f"{fmt.number(p.value, 'fi').replace(chr(160), ' ')} of "
                   f"{fmt.number(p.total, 'fi').replace(chr(160), ' ')} = {pct:.4f} %"
                   f" -> {eur(euros.quantize(Decimal('0.01')))}{source}")
    out += ["", f"Exact share {float(share.exact):.4f} €, rounded (largest remainder): "
            f"{eur(share.amount)}",
            f"Direct costs charged to {name}: {eur(summary.direct)}",
            f"Annual total: {eur(summary.total)}",
            "Monthly advances: " + ", ".join(eur(x) for x in summary.advances)]
    return "\n".join(out)
