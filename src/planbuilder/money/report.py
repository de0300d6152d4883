"""Money results for the terminal (text), for other tools (JSON, CSV) and `explain`.
Text: numbers in Finnish format (`10 162 216 €`, `12,5 %`), in the budget's precision, and
figures that rest on illustrative inputs marked `*`; words in the reader's language, from the
message catalogues (`report.*`), as for the rest of the command line.
JSON and CSV stay machine-readable (decimal point) and carry the illustrative flags."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from planbuilder import fmt
from planbuilder.findings import KeyPath
from planbuilder.messages import language, t
from planbuilder.model import Plan, Text
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
    return ["", t("report.illustrative_note", inputs=", ".join(inputs[:6])
                  + (", …" if len(inputs) > 6 else ""))]


def _all_inputs(money: Money) -> set[KeyPath]:
    p = money.provenance
    return {*p.budget, *p.shares, *p.scenarios, *p.preparation, *p.settlement,
            *(x for paths in p.models.values() for x in paths)}


def scenario_label(money: Money, scenario: Scenario) -> str:
    if not scenario.joining:
        return t("report.committed_only")
    return "+ " + ", ".join(_name(money.plan, m) for m in scenario.joining)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _in(text: Text) -> str:
    """A plan's text in the reader's language where the plan gives it, else Finnish."""
    return text.get("sv" if language() == "sv" else "fi")


def _name(plan: Plan, member_id: str) -> str:
    m = plan.member(member_id)
    return _in(m.name) if m else member_id


# The label the documents print for a value (the CLI passes the documents' translations):
# (section, value) -> label, e.g. ("line_kind", "grants") -> "Avustukset ja palvelut".
Labels = Callable[[str, str], str]


def codes(section: str, value: str) -> str:
    """The plan's own codes, as an English reader sees them."""
    return value


def _statistic(plan: Plan, name: str, label: Labels) -> str:
    own = plan.statistic(name)
    return _in(own.label) if own is not None else label("statistic", name)


def _headers(*keys: str) -> list[str]:
    return [t(f"report.column.{k}") for k in keys]


def budget_text(money: Money, label: Labels = codes) -> str:
    plan = money.plan
    b = money.budget
    p = money.provenance
    line_eur = _euros(money)
    budget_eur = _euros(money, bool(p.budget))
    out = [t("report.budget_title", area=_in(plan.area.name), year=plan.area.budget_year), ""]
    rows = [[r.line.id, _in(r.line.label), label("line_kind", r.line.kind),
             fmt.number(r.line.htv, "fi", 1).replace("\u00a0", " ") if r.line.htv else "",
             line_eur(-r.amount if r.line.kind == "income" else r.amount)
             + (MARK if r.line.illustrative or (plan.budget and plan.budget.illustrative)
                else ""),
             _name(plan, r.line.charged_to) if r.line.charged_to else ""] for r in b.lines]
    rows += [["", t(f"report.total.{k}"), "", "", budget_eur(v), ""] for k, v in
             (("costs", b.costs), ("income", -b.income), ("net", b.net), ("shared", b.shared))]
    eur = _euros(money, bool(p.shares))
    out.append(_table(_headers("line", "label", "kind", "htv", "amount", "charged_to"), rows,
                      {3, 4}))
    out += ["", t("report.shares_title", model=money.allocation.model.id,
                  name=_in(money.allocation.model.name)), ""]
    rows = [[_name(plan, s.member), eur(s.shared), eur(s.direct), eur(s.total),
             eur(s.advances[0]), eur(s.advances[-1])] for s in money.summaries]
    rows.append([t("report.column.total"),
                 eur(sum((s.shared for s in money.summaries), Decimal(0))),
                 eur(sum((s.direct for s in money.summaries), Decimal(0))),
                 eur(sum((s.total for s in money.summaries), Decimal(0))), "", ""])
    out.append(_table(_headers("member", "shared", "direct", "total", "advance_1",
                               "advance_12"), rows, {1, 2, 3, 4, 5}))
    if money.comparison:
        out += ["", t("report.comparison_title", baseline=money.comparison.baseline), ""]
        out.append(comparison_text(money))
    if money.scenarios:
        out += ["", t("report.scenarios_title"), ""]
        out.append(scenarios_text(money))
    if money.preparation:
        out += ["", t("report.preparation_title"), ""]
        out.append(_allocation_table(plan, money.preparation, _euros(money, bool(p.preparation))))
    if money.settlement:
        s = money.settlement
        eur = _euros(money, bool(p.settlement))
        result = t("report.surplus" if s.surplus >= 0 else "report.deficit",
                   amount=eur(abs(s.surplus)))
        out += ["", t("report.settlement_title", actual=eur(s.actual_costs),
                      budgeted=eur(s.budgeted), result=result)
                + (t("report.carried_forward_suffix") if s.carry_forward else ""), ""]
        rows = [[_name(plan, r.member), eur(r.actual), eur(r.paid),
                 t("report.carried_forward") if s.carry_forward else eur(r.balance)]
                for r in s.rows]
        out.append(_table(_headers("member", "actual_share", "advances_paid", "balance"), rows,
                          {1, 2, 3}))
    out += _illustrative_note(money)
    return "\n".join(out)


def scenarios_text(money: Money) -> str:
    eur = _euros(money, bool(money.provenance.scenarios))
    headers = [t("report.column.member"), *(scenario_label(money, s) for s in money.scenarios)]
    rows = [[_name(money.plan, m.id), *(eur(a) if (a := _amount(sc, m.id)) is not None else "–"
                                        for sc in money.scenarios)]
            for m in money.plan.members]
    rows.append([t("report.column.total"), *(eur(sc.allocation.amount) for sc in money.scenarios)])
    return _table(headers, rows, set(range(1, len(headers))))


def _amount(scenario: Scenario, member_id: str) -> Decimal | None:
    return next((s.amount for s in scenario.allocation.shares if s.member == member_id), None)


def comparison_text(money: Money) -> str:
    assert money.comparison is not None
    cmp = money.comparison
    marked = {m: _euros(money, bool(paths)) for m, paths in money.provenance.models.items()}
    headers = [t("report.column.member")] + [a.model.id for a in cmp.models]
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
    return _table(_headers("member", "share"), rows, {1})


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


def explain_text(money: Money, member_id: str, label: Labels = codes) -> str:
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
    out = [t("report.explain.title", member=name, area=_in(plan.area.name),
             year=plan.area.budget_year),
           t("report.explain.shared", shared=budget_eur(money.budget.shared),
             net=budget_eur(money.budget.net),
             direct=budget_eur(sum(money.budget.direct.values(), Decimal(0)))),
           t("report.explain.model", model=a.model.id, name=_in(a.model.name)), ""]
    if summary is None or share is None:
        out.append(t("report.explain.shares_nothing", member=name))
        return "\n".join(out)
    if not committed:
        out += [t("report.explain.optional", member=name), ""]

    def number(value: Decimal) -> str:
        return fmt.number(value, "fi").replace("\u00a0", " ")

    for part in share.parts:
        source = ""
        if part.stat is not None:
            date = fmt.date(part.stat.date, "fi") if part.stat.date else \
                t("report.explain.no_date")
            said = _in(part.stat.source) if part.stat.source else t("report.explain.no_source")
            source = f"  [{date}; {said}" + (
                "; " + t("report.explain.illustrative") + "]" if part.stat.illustrative
                else "]")
        pct = Decimal(part.proportion.numerator) / Decimal(part.proportion.denominator) * 100
        euros = Decimal(part.euros.numerator) / Decimal(part.euros.denominator)
        out.append(("- " + t("report.explain.part",
                             statistic=_statistic(plan, part.statistic, label),
                             weight=fmt.percent(part.weight, "fi"), value=number(part.value),
                             total=number(part.total), share=fmt.percent(pct, "fi", 4),
                             euros=eur(euros.quantize(CENT))) + source)
                   .replace("\u00a0", " "))
    exact = Decimal(share.exact.numerator) / Decimal(share.exact.denominator)
    out += ["", t("report.explain.exact", exact=fmt.number(exact, "fi", 4),
                  rounded=eur(share.amount)).replace("\u00a0", " "),
            t("report.explain.direct", member=name, amount=budget_eur(summary.direct)),
            t("report.explain.total", amount=eur(summary.total)),
            t("report.explain.advances", groups=_advance_groups(summary.advances, eur))]
    if money.scenarios:
        out += ["", t("report.explain.in_scenarios")]
        for sc in money.scenarios:
            in_it = money.summary_in(member_id, sc)
            out.append(f"- {scenario_label(money, sc)}: "
                       + (_euros(money, bool(p.scenarios))(in_it.total) if in_it
                          else t("report.explain.not_a_member")))
    out += _illustrative_note(money) if (p.shares if committed else p.scenarios) else []
    return "\n".join(out)


def _advance_groups(advances: Sequence[Decimal], eur: Callable[[Decimal], str]) -> str:
    """'January-September 36 287 €, October-December 36 286 €': as the table states them."""
    months = [t(f"report.month.m{n}") for n in range(1, 13)]
    return ", ".join(f"{months[a]}{'–' + months[b] if b != a else ''} {eur(v)}"
                     for a, b, v in advance_groups(advances))
