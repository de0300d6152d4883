"""Money results for the terminal (text), for other tools (JSON, CSV) and `explain`.
Text: numbers in Finnish format (`10 162 216 €`, `12,5 %`), in the budget's precision, and
figures that rest on illustrative inputs marked `*`; labels in English, as for the CLI.
JSON and CSV stay machine-readable (decimal point) and carry the illustrative flags."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from planbuilder import fmt
from planbuilder.findings import KeyPath
from planbuilder.model import Plan
from planbuilder.money.engine import CENT, Allocation, Money, Scenario, advance_groups

MARK = " *"


def eur(value: Decimal, cents: bool = True) -> str:
    return fmt.euros(value, "fi", cents=cents).replace("\u00a0", " ")


def _euros(money: Money, mark: bool = False) -> Callable[[Decimal], str]:
    """Euros in the budget's precision, marked when they rest on illustrative inputs."""
    cents = money.unit == CENT
    return lambda value: eur(value, cents) + (MARK if mark else "")


def _path(path: KeyPath) -> str:
    return ".".join(str(p) for p in path)


def _illustrative_note(money: Money) -> list[str]:
    inputs = sorted({_path(x) for x in _all_inputs(money)})
    if not inputs:
        return []
    return ["", "* illustrative: the figure rests on inputs that are not from their source yet"
            f" ({', '.join(inputs[:6])}{', …' if len(inputs) > 6 else ''})"]


def _all_inputs(money: Money) -> set[KeyPath]:
    p = money.provenance
    return {*p.budget, *p.shares, *p.scenarios, *p.preparation, *p.settlement,
            *(x for paths in p.models.values() for x in paths)}


def scenario_label(money: Money, scenario: Scenario) -> str:
    if not scenario.joining:
        return "committed only"
    return "+ " + ", ".join(_name(money.plan, m) for m in scenario.joining)


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
    p = money.provenance
    line_eur = _euros(money)
    budget_eur = _euros(money, bool(p.budget))
    out = [f"{plan.area.name.fi}: budget {plan.area.budget_year}", ""]
    rows = [[r.line.id, r.line.label.fi, r.line.kind,
             fmt.number(r.line.htv, "fi", 1).replace("\u00a0", " ") if r.line.htv else "",
             line_eur(-r.amount if r.line.kind == "income" else r.amount)
             + (MARK if r.line.illustrative or (plan.budget and plan.budget.illustrative)
                else ""),
             _name(plan, r.line.charged_to) if r.line.charged_to else ""] for r in b.lines]
    rows += [["", "costs", "", "", budget_eur(b.costs), ""],
             ["", "income", "", "", budget_eur(-b.income), ""],
             ["", "net", "", "", budget_eur(b.net), ""],
             ["", "shared", "", "", budget_eur(b.shared), ""]]
    eur = _euros(money, bool(p.shares))
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
        out.append(scenarios_text(money))
    if money.preparation:
        out += ["", "Preparation costs", ""]
        out.append(_allocation_table(plan, money.preparation, _euros(money, bool(p.preparation))))
    if money.settlement:
        s = money.settlement
        eur = _euros(money, bool(p.settlement))
        out += ["", f"Settlement: actual costs {eur(s.actual_costs)}, budgeted {eur(s.budgeted)}"
                f", {'surplus' if s.surplus >= 0 else 'deficit'} {eur(abs(s.surplus))}"
                + (" carried forward" if s.carry_forward else ""), ""]
        rows = [[_name(plan, r.member), eur(r.actual), eur(r.paid),
                 "carried forward" if s.carry_forward else eur(r.balance)] for r in s.rows]
        out.append(_table(["member", "actual share", "advances paid", "balance"], rows,
                          {1, 2, 3}))
    out += _illustrative_note(money)
    return "\n".join(out)


def scenarios_text(money: Money) -> str:
    eur = _euros(money, bool(money.provenance.scenarios))
    headers = ["member", *(scenario_label(money, s) for s in money.scenarios)]
    rows = [[_name(money.plan, m.id), *(eur(a) if (a := _amount(sc, m.id)) is not None else "–"
                                        for sc in money.scenarios)]
            for m in money.plan.members]
    rows.append(["total", *(eur(sc.allocation.amount) for sc in money.scenarios)])
    return _table(headers, rows, set(range(1, len(headers))))


def _amount(scenario: Scenario, member_id: str) -> Decimal | None:
    return next((s.amount for s in scenario.allocation.shares if s.member == member_id), None)


def comparison_text(money: Money) -> str:
    assert money.comparison is not None
    cmp = money.comparison
    marked = {m: _euros(money, bool(paths)) for m, paths in money.provenance.models.items()}
    headers = ["member"] + [a.model.id for a in cmp.models]
    rows = []
    for s in money.summaries:
        row = [_name(money.plan, s.member)]
        for a in cmp.models:
            eur = marked.get(a.model.id, _euros(money))
            if a.model.id == cmp.baseline:
                row.append(eur(a.of(s.member)))
            else:
                diff, pct = cmp.difference(a.model.id, s.member)
                pct_text = f" ({'+' if pct > 0 else ''}{fmt.percent(pct, 'fi', 1)})" \
                    .replace("\u00a0", " ") if pct is not None else ""
                row.append(f"{eur(a.of(s.member))} {'+' if diff >= 0 else ''}"
                           f"{_euros(money)(diff)}{pct_text}")
        rows.append(row)
    return _table(headers, rows, set(range(1, len(headers))))


def _allocation_table(plan: Plan, allocation: Allocation,
                      eur: Callable[[Decimal], str]) -> str:
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
        data["scenarios"] = [{"joining": list(sc.joining),
                              "shares": {s.member: _s(s.amount)
                                         for s in sc.allocation.shares}}
                             for sc in money.scenarios]
    p = money.provenance
    data["illustrative"] = {
        "budget": bool(p.budget), "shares": bool(p.shares), "scenarios": bool(p.scenarios),
        "models": {m: bool(paths) for m, paths in p.models.items()},
        "preparation": bool(p.preparation), "settlement": bool(p.settlement),
        "inputs": sorted(_path(x) for x in _all_inputs(money))}
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
                     "monthly_advance_first", "monthly_advance_last", "illustrative"])
    allocations = money.comparison.models if money.comparison else (money.allocation,)
    p = money.provenance
    for s in money.summaries:
        for a in allocations:
            in_force = a.model.id == money.allocation.model.id
            shared = a.of(s.member)
            marked = p.shares if in_force else p.models.get(a.model.id, p.shares)
            writer.writerow([s.member, a.model.id, "yes" if in_force else "no", _s(shared),
                             _s(s.direct), _s(shared + s.direct),
                             _s(s.advances[0]) if in_force else "",
                             _s(s.advances[-1]) if in_force else "",
                             "yes" if marked else "no"])
    return buffer.getvalue()


def explain_text(money: Money, member_id: str) -> str:
    """One member's share criterion by criterion: in force for a committed member, and for
    an optional member in the scenario where it joins; then its share in every scenario."""
    plan = money.plan
    member = plan.member(member_id)
    assert member is not None
    summary = money.member_summary(member_id)
    share = money.share(member_id)
    p = money.provenance
    committed = member.membership == "committed"
    eur = _euros(money, bool(p.shares if committed else p.scenarios))
    a = money.allocation
    name = _name(plan, member_id)
    budget_eur = _euros(money, bool(p.budget))
    out = [f"{name}: share of {plan.area.name.fi} {plan.area.budget_year}",
           f"Amount shared: {budget_eur(money.budget.shared)} (net "
           f"{budget_eur(money.budget.net)} minus direct costs "
           f"{budget_eur(sum(money.budget.direct.values(), Decimal(0)))})",
           f"Model in force: {a.model.id} ({a.model.name.fi})", ""]
    if summary is None or share is None:
        out.append(f"{name} is not a committed member and no scenario has it join; it "
                   "shares nothing.")
        return "\n".join(out)
    if not committed:
        out += [f"{name} is an optional member: the figures below are its share if it joins "
                "(alone; the other optional members stay out).", ""]

    def number(value: Decimal) -> str:
        return fmt.number(value, "fi").replace("\u00a0", " ")

    for part in share.parts:
        source = ""
        if part.stat is not None:
            date = fmt.date(part.stat.date, "fi") if part.stat.date else "no date"
            said = part.stat.source.fi if part.stat.source else "no source"
            source = f"  [{date}; {said}" + (
                "; illustrative]" if part.stat.illustrative else "]")
        pct = Decimal(part.proportion.numerator) / Decimal(part.proportion.denominator) * 100
        euros = Decimal(part.euros.numerator) / Decimal(part.euros.denominator)
        out.append(f"- {part.statistic} weight {fmt.percent(part.weight, 'fi')}: "
                   f"{number(part.value)} of {number(part.total)} = "
                   f"{fmt.percent(pct, 'fi', 4)} -> {eur(euros.quantize(CENT))}{source}"
                   .replace("\u00a0", " "))
    exact = Decimal(share.exact.numerator) / Decimal(share.exact.denominator)
    out += ["", f"Exact share {fmt.number(exact, 'fi', 4)} €, rounded (largest remainder): "
            f"{eur(share.amount)}".replace("\u00a0", " "),
            f"Direct costs charged to {name}: {budget_eur(summary.direct)}",
            f"Annual total: {eur(summary.total)}",
            "Monthly advances: " + _advance_groups(summary.advances, eur)]
    if money.scenarios:
        out += ["", "In each membership scenario:"]
        for sc in money.scenarios:
            in_it = money.summary_in(member_id, sc)
            out.append(f"- {scenario_label(money, sc)}: "
                       + (_euros(money, bool(p.scenarios))(in_it.total) if in_it
                          else "not a member"))
    out += _illustrative_note(money) if (p.shares if committed else p.scenarios) else []
    return "\n".join(out)


def _advance_groups(advances: Sequence[Decimal], eur: Callable[[Decimal], str]) -> str:
    """'January-September 36 287 €, October-December 36 286 €': as the table states them."""
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    return ", ".join(f"{months[a]}{'–' + months[b] if b != a else ''} {eur(v)}"
                     for a, b, v in advance_groups(advances))
