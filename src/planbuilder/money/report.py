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
from planbuilder.model import Plan, Pool, Text
from planbuilder.money.engine import CENT, Money, Scenario, advance_groups
from planbuilder.money.keys import CausationKey, CriteriaKey, PriceKey, key_of
from planbuilder.money.ledger import SCHEMA_VERSION, Entry, ledger_of, parts_of, scenario_key
from planbuilder.money.rounding import exact_decimal

MARK = " *"


def eur(value: Decimal, cents: bool = True) -> str:
    return fmt.euros(value, "fi", cents=cents).replace("\u00a0", " ")


def _path(path: KeyPath) -> str:
    return ".".join(str(p) for p in path)


def _illustrative_note(money: Money, label: Labels | None = None) -> list[str]:
    """The note under the figures marked '*': which inputs are illustrative, named as the
    reader knows them (a member's statistic, a budget line, a model's weights)."""
    inputs = describe_inputs(money.plan, sorted(_all_inputs(money)), label or codes)
    if not inputs:
        return []
    return ["", t("report.illustrative_note", inputs="; ".join(inputs[:8])
                  + ("; …" if len(inputs) > 8 else ""))]


def describe_inputs(plan: Plan, paths: Sequence[KeyPath], label: Labels) -> list[str]:
    """Illustrative inputs in the reader's words: 'Porvoo: 18–64-vuotiaat, vieraskieliset';
    'talousarvion erä Henkilöstö'; 'mallin Aiheuttamisperuste painot'."""
    out: list[str] = []
    by_member: dict[str, list[str]] = {}
    models = plan.cost_sharing.models if plan.cost_sharing else []
    lines = plan.budget.lines if plan.budget else []
    for path in paths:
        match path:
            case ("members", int(i), "statistics", str(name)) if i < len(plan.members):
                by_member.setdefault(_in(plan.members[i].name), []).append(
                    _statistic(plan, name, label))
            case ("budget",):
                out.append(t("report.input.budget"))
            case ("budget", "lines", int(i)) if i < len(lines):
                out.append(t("report.input.budget_line", line=_in(lines[i].label)))
            case ("cost_sharing", "models", int(i)) if i < len(models):
                out.append(t("report.input.model", model=_in(models[i].name)))
            case ("cost_sharing", "models", int(i), "pools", int(k)) if i < len(models) \
                    and k < len(models[i].pools):
                out.append(t("report.input.pool", pool=_in(models[i].pools[k].label),
                             model=_in(models[i].name)))
            case ("cost_sharing", "preparation"):
                out.append(t("report.input.preparation"))
            case ("cost_sharing", "settlement"):
                out.append(t("report.input.settlement"))
            case _:
                out.append(_path(path))
    lists = {member: ", ".join(dict.fromkeys(names)) for member, names in by_member.items()}
    if len(lists) > 1 and len(set(lists.values())) == 1:  # the same statistics of everyone
        grouped = [t("report.input.every_member", members=", ".join(lists),
                     statistics=next(iter(lists.values())))]
    else:
        grouped = [f"{member}: {names}" for member, names in lists.items()]
    return list(dict.fromkeys(out)) + grouped


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


def _fig(money: Money, entry_id: str) -> str:
    """A ledger figure as the terminal shows it: budget precision, '*' when illustrative."""
    e = ledger_of(money)[entry_id]
    return eur(e.amount, money.unit == CENT) + (MARK if e.marked else "")


def budget_text(money: Money, label: Labels = codes) -> str:
    plan = money.plan
    b = money.budget
    year = plan.area.budget_year
    out = [t("report.budget_title", area=_in(plan.area.name), year=year), ""]
    rows = [[r.line.id, _in(r.line.label), label("line_kind", r.line.kind),
             fmt.number(r.line.htv, "fi", 1).replace("\u00a0", " ") if r.line.htv else "",
             _fig(money, f"budget/{year}/line/{r.line.id}"),
             _name(plan, r.line.charged_to) if r.line.charged_to else ""] for r in b.lines]
    rows += [["", t(f"report.total.{k}"), "", "", _fig(money, f"budget/{year}/{k}"), ""]
             for k in ("costs", "income", "net", "shared")]
    out.append(_table(_headers("line", "label", "kind", "htv", "amount", "charged_to"), rows,
                      {3, 4}))
    out += ["", t("report.shares_title", model=money.allocation.model.id,
                  name=_in(money.allocation.model.name)), ""]
    key = f"payable/{year}"
    rows = [[_name(plan, s.member), _fig(money, f"{key}/{s.member}/shared"),
             _fig(money, f"{key}/{s.member}/direct"), _fig(money, f"{key}/{s.member}"),
             _fig(money, f"advance/{s.member}/1"),
             _fig(money, f"advance/{s.member}/{len(ledger_of(money).advances(s.member))}")]
            for s in money.summaries]
    rows.append([t("report.column.total"), _fig(money, f"{key}/all/shared"),
                 _fig(money, f"{key}/all/direct"), _fig(money, f"{key}/all"), "", ""])
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
        rows = [[_name(plan, s.member), _fig(money, f"preparation/{s.member}")]
                for s in money.preparation.shares]
        rows.append([t("report.column.total"), _fig(money, "preparation/all")])
        out.append(_table(_headers("member", "share"), rows, {1}))
    if money.settlement:
        s = money.settlement
        surplus = ledger_of(money)["settlement/surplus"]
        result = t("report.surplus" if surplus.amount >= 0 else "report.deficit",
                   amount=eur(abs(surplus.amount), money.unit == CENT)
                   + (MARK if surplus.marked else ""))
        out += ["", t("report.settlement_title", actual=_fig(money, "settlement/actual_costs"),
                      budgeted=_fig(money, f"budget/{year}/net"), result=result)
                + (t("report.carried_forward_suffix") if s.carry_forward else ""), ""]
        rows = [[_name(plan, r.member), _fig(money, f"settlement/{r.member}/actual"),
                 _fig(money, f"settlement/{r.member}/paid"),
                 _fig(money, f"settlement/{r.member}/balance")] for r in s.rows]
        out.append(_table(_headers("member", "actual_share", "advances_paid", "balance"), rows,
                          {1, 2, 3}))
        if s.carry_forward:
            out.append(t("report.carried_forward_rows"))
    out += _illustrative_note(money, label)
    return "\n".join(out)


def scenarios_text(money: Money) -> str:
    keys = [f"scenario/{scenario_key(sc.joining)}" for sc in money.scenarios]
    headers = [t("report.column.member"), *(scenario_label(money, s) for s in money.scenarios)]
    rows = [[_name(money.plan, m.id), *(_fig(money, f"{k}/{m.id}")
                                        if f"{k}/{m.id}" in ledger_of(money) else "–"
                                        for k in keys)]
            for m in money.plan.members]
    rows.append([t("report.column.total"), *(_fig(money, f"{k}/all") for k in keys)])
    return _table(headers, rows, set(range(1, len(headers))))


def comparison_text(money: Money) -> str:
    assert money.comparison is not None
    cmp = money.comparison
    year = money.plan.area.budget_year
    headers = [t("report.column.member")] + [a.model.id for a in cmp.models]
    rows = []
    for s in money.summaries:
        row = [_name(money.plan, s.member)]
        for a in cmp.models:
            cell = _fig(money, f"model/{a.model.id}/{year}/{s.member}/total")
            change = ledger_of(money).get(f"change/{year}/{a.model.id}/{s.member}")
            if change is not None:
                pct = ledger_of(money).get(f"change_pct/{year}/{a.model.id}/{s.member}")
                pct_text = f" ({'+' if pct.amount > 0 else ''}" \
                    f"{fmt.percent(pct.amount, 'fi', 1)})".replace("\u00a0", " ") \
                    if pct is not None else ""
                cell += f" {'+' if change.amount >= 0 else ''}" \
                    f"{eur(change.amount, money.unit == CENT)}{pct_text}"
            row.append(cell)
        rows.append(row)
    return _table(headers, rows, set(range(1, len(headers))))


def _s(value: Decimal) -> str:
    return f"{value:.2f}"


def _entry_data(e: Entry) -> dict[str, Any]:
    return {"id": e.id, "amount": str(e.amount), "exact": e.exact_text,
            "exact_fraction": f"{e.exact.numerator}/{e.exact.denominator}",
            "unit": str(e.unit), "kind": e.kind, "label": e.label.text(),
            "inputs": [_path(x) for x in e.inputs],
            "illustrative": [_path(x) for x in e.illustrative]}


def budget_json(money: Money) -> dict[str, Any]:
    """The money as JSON (docs/money.md; schema docs/money.schema.json): the summary views
    and every figure of the ledger, each with its exact value and inputs."""
    plan = money.plan
    b = money.budget
    ledger = ledger_of(money)
    year = plan.area.budget_year
    amount = ledger.amount
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "area": plan.area.name.fi,
        "version": plan.area.version,
        "budget_year": year,
        "unit": str(money.unit),
        "budget": {
            "lines": [{"id": r.line.id, "kind": r.line.kind, "label": r.line.label.fi,
                       "htv": str(r.line.htv) if r.line.htv is not None else None,
                       "amount": _s(r.amount), "basis": r.basis,
                       "charged_to": r.line.charged_to} for r in b.lines],
            "costs": _s(b.costs), "income": _s(b.income), "net": _s(b.net),
            "shared": _s(b.shared),
        },
        "model": money.allocation.model.id,
        "members": [{"id": s.member,
                     "shared": _s(amount(f"payable/{year}/{s.member}/shared")),
                     "direct": _s(amount(f"payable/{year}/{s.member}/direct")),
                     "total": _s(amount(f"payable/{year}/{s.member}")),
                     "percent": str(amount(f"percent/{year}/{s.member}")),
                     "advances": [_s(a) for a in ledger.advances(s.member)]}
                    for s in money.summaries],
        "years": [{"year": y.year, "phase_in_percent": str(y.percent)
                   if y.percent is not None else None,
                   "net": _s(amount(f"budget/{y.year}/net")),
                   "payable": {s.member: _s(amount(f"payable/{y.year}/{s.member}"))
                               for s in money.summaries}} for y in money.years],
    }
    if money.comparison:
        data["comparison"] = {
            "baseline": money.comparison.baseline,
            "models": {a.model.id: {s.member: _s(amount(f"model/{a.model.id}/{year}/"
                                                        f"{s.member}/total"))
                                    for s in money.summaries}
                       for a in money.comparison.models}}
    if money.scenarios:
        data["scenarios"] = [
            {"joining": list(sc.joining),
             "shares": {s.member: _s(amount(f"scenario/{scenario_key(sc.joining)}/"
                                            f"{s.member}")) for s in sc.allocation.shares},
             "total": _s(amount(f"scenario/{scenario_key(sc.joining)}/all"))}
            for sc in money.scenarios]
    p = money.provenance
    data["illustrative"] = {
        "budget": bool(p.budget), "shares": bool(p.shares), "scenarios": bool(p.scenarios),
        "models": {m: bool(paths) for m, paths in p.models.items()},
        "preparation": bool(p.preparation), "settlement": bool(p.settlement),
        "inputs": sorted(_path(x) for x in _all_inputs(money))}
    if money.preparation:
        data["preparation"] = {s.member: _s(amount(f"preparation/{s.member}"))
                               for s in money.preparation.shares}
    if money.settlement:
        st = money.settlement
        data["settlement"] = {
            "actual_costs": _s(amount("settlement/actual_costs")),
            "surplus": _s(amount("settlement/surplus")),
            "carry_forward": st.carry_forward,
            "members": [{"id": r.member, "actual": _s(amount(f"settlement/{r.member}/actual")),
                         "paid": _s(amount(f"settlement/{r.member}/paid")),
                         "balance": _s(amount(f"settlement/{r.member}/balance"))}
                        for r in st.rows]}
    data["figures"] = [_entry_data(e) for e in ledger.entries.values()]
    return data


CSV_COLUMNS = ["year", "member", "model", "part", "amount", "exact", "payable", "illustrative"]


def budget_csv(money: Money) -> str:
    """One row per member x model x year x part (each pool, the criteria share, direct
    costs, the total); the rows `payable` = yes are what the member pays that year (in a
    phase-in year, model `payable`: the blend). Described in docs/money.md."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    ledger = ledger_of(money)
    in_force = money.charges.model.id
    for y in money.years:
        charges = y.comparison.models if y.comparison else (
            (y.charges,) if y.charges is not None else ())
        for s in money.summaries:
            for ch in charges:
                for part in [*parts_of(ch), "total"]:
                    e = ledger[f"model/{ch.model.id}/{y.year}/{s.member}/{part}"]
                    payable = part == "total" and ch.model.id == in_force and y.percent is None
                    writer.writerow([y.year, s.member, ch.model.id, part, str(e.amount),
                                     e.exact_text, "yes" if payable else "no",
                                     "yes" if e.marked else "no"])
            if y.percent is not None:
                e = ledger[f"payable/{y.year}/{s.member}"]
                writer.writerow([y.year, s.member, "payable", "total", str(e.amount),
                                 e.exact_text, "yes", "yes" if e.marked else "no"])
            if y.year == money.plan.area.budget_year:
                for n, e in enumerate(ledger.under(f"advance/{s.member}"), 1):
                    writer.writerow([y.year, s.member, "payable", f"advance_{n:02d}",
                                     str(e.amount), e.exact_text, "yes",
                                     "yes" if e.marked else "no"])
    return buffer.getvalue()


def explain_text(money: Money, member_id: str, label: Labels = codes) -> str:
    """One member's share, part by part: each pool by its own key, the criteria (each
    criterion's proportion and euros), direct costs, the phase-in blend with both models'
    figures; exact and displayed; then its share in every scenario. In force for a
    committed member, for an optional member in the scenario where it joins."""
    plan = money.plan
    ledger = ledger_of(money)
    member = plan.member(member_id)
    assert member is not None
    year = plan.area.budget_year
    share = money.share(member_id)
    committed = member.membership == "committed"
    own = money.own_scenario(member_id)
    charges = money.charges if committed or own is None else own.charges
    a = charges.common
    name = _name(plan, member_id)
    out = [t("report.explain.title", member=name, area=_in(plan.area.name), year=year),
           t("report.explain.shared", shared=_fig(money, f"budget/{year}/shared"),
             net=_fig(money, f"budget/{year}/net"),
             direct=eur(sum(money.budget.direct.values(), Decimal(0)), money.unit == CENT)),
           t("report.explain.model", model=charges.model.id, name=_in(charges.model.name)),
           ""]
    if money.member_summary(member_id) is None or share is None:
        out.append(t("report.explain.shares_nothing", member=name))
        return "\n".join(out)
    if not committed:
        out += [t("report.explain.optional", member=name), ""]
    key = f"model/{charges.model.id}/{year}/{member_id}" if committed else \
        f"scenario/{scenario_key(own.joining if own else ())}/{member_id}"

    def line(entry_id: str, text: str) -> str:
        e = ledger[entry_id]
        return t("report.explain.figure", text=text, shown=_fig(money, entry_id),
                 exact=fmt.number(exact_decimal(e.exact, 4), "fi", 4)).replace("\u00a0", " ")

    def number(value: Decimal) -> str:
        return fmt.number(value, "fi").replace("\u00a0", " ")

    for pool in charges.pools:
        out.append("- " + line(f"{key}/{pool.pool.id}", t(
            "report.explain.pool", pool=_in(pool.pool.label), rule=_key_words(
                money, pool.pool, member_id, label), amount=eur(pool.amount,
                                                                money.unit == CENT))))
    out.append("- " + line(f"{key}/criteria", t("report.explain.criteria",
                                                 amount=eur(a.amount, money.unit == CENT))))
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
        out.append(("    - " + t("report.explain.part",
                                 statistic=_statistic(plan, part.statistic, label),
                                 weight=fmt.percent(part.weight, "fi"),
                                 value=number(part.value), total=number(part.total),
                                 share=fmt.percent(pct, "fi", 4),
                                 euros=fmt.number(exact_decimal(part.euros, 4), "fi", 4)
                                 + " €") + source).replace("\u00a0", " "))
    out.append("- " + line(f"{key}/direct", t("report.explain.direct_part")))
    total_id = f"{key}/total" if committed else key
    out += ["", line(total_id, t("report.explain.model_total", model=charges.model.id))]
    if committed and money.phase is not None and money.phase.percent(year) is not None:
        ph = money.phase
        percent = ph.percent(year)
        assert percent is not None
        out += [t("report.explain.phase", percent=fmt.percent(percent, "fi"),
                  new=ph.new.model.id, old=ph.old.model.id).replace("\u00a0", " "),
                "- " + line(f"model/{ph.old.model.id}/{year}/{member_id}/total",
                            t("report.explain.model_total", model=ph.old.model.id)),
                "- " + line(f"model/{ph.new.model.id}/{year}/{member_id}/total",
                            t("report.explain.model_total", model=ph.new.model.id)),
                "- " + line(f"payable/{year}/{member_id}", t("report.explain.blend"))]
    payable = f"payable/{year}/{member_id}" if committed else key
    out += [t("report.explain.total", amount=_fig(money, payable)),
            t("report.explain.rounding"),
            t("report.explain.advances", groups=_advance_groups(tuple(
                ledger.advances(member_id)),
                lambda v: eur(v, money.unit == CENT)
                + (MARK if ledger[f"advance/{member_id}/1"].marked else "")))]
    if committed and len(money.years) > 1:
        out.append(t("report.explain.plan_years", years=", ".join(
            f"{y.year}: {_fig(money, f'payable/{y.year}/{member_id}')}"
            for y in money.years[1:])))
    if money.scenarios:
        out += ["", t("report.explain.in_scenarios")]
        for sc in money.scenarios:
            entry_id = f"scenario/{scenario_key(sc.joining)}/{member_id}"
            out.append(f"- {scenario_label(money, sc)}: "
                       + (_fig(money, entry_id) if entry_id in ledger
                          else t("report.explain.not_a_member")))
    out += _illustrative_note(money, label) if ledger[payable].marked else []
    return "\n".join(out)


def _key_words(money: Money, pool: Pool, member_id: str, label: Labels) -> str:
    """A pool's key for one member, in words."""
    match key_of(pool):
        case CriteriaKey():
            return ", ".join(f"{_statistic(money.plan, c.statistic, label)} "
                             f"{fmt.percent(c.weight, 'fi')}" for c in pool.criteria
                             ).replace("\u00a0", " ")
        case CausationKey():
            return t("report.explain.causation")
        case PriceKey(price=price, volume=volume):
            member = money.plan.member(member_id)
            stat = member.statistics.get(volume) if member else None
            return t("report.explain.price", price=eur(price),
                     volume=_statistic(money.plan, volume, label),
                     count=fmt.number(stat.value, "fi").replace("\u00a0", " ")
                     if stat else "–")


def _advance_groups(advances: Sequence[Decimal], eur: Callable[[Decimal], str]) -> str:
    """'January-September 36 287 €, October-December 36 286 €': as the table states them."""
    months = [t(f"report.month.m{n}") for n in range(1, 13)]
    return ", ".join(f"{months[a]}{'–' + months[b] if b != a else ''} {eur(v)}"
                     for a, b, v in advance_groups(advances))
