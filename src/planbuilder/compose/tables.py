"""Table and figure builders called from document templates as table('name') and
figure('name'). Labels come from the translation files; numbers are formatted here once."""

from __future__ import annotations

from decimal import Decimal

from planbuilder.amendment import amendment
from planbuilder.compose import charts
from planbuilder.compose.composer import Composer, FigureBuilder, TableBuilder, cells, total_row
from planbuilder.document import Table
from planbuilder.model import (
    Effect,
    Measure,
    Member,
    Pool,
    Section,
    Series,
    SeriesGroup,
    Text,
    bounds,
    effect_total,
)
from planbuilder.money import Money
from planbuilder.money.engine import advance_groups
from planbuilder.money.keys import CausationKey, CriteriaKey, PriceKey, key_of
from planbuilder.money.ledger import Ledger, ledger_of, parts_of, scenario_key


def table_members(c: Composer) -> Table:
    t = c.t
    def force(m: Member) -> str:
        stat = m.statistics.get("labour_force")
        return c.number(stat.value) + ("*" if stat.illustrative else "") if stat else "–"

    rows = tuple(cells(c.x(m.name), t(f"language.{m.language}"), t(f"membership.{m.membership}"),
                       force(m), right=(3,)) for m in c.plan.members)
    committed = sum((m.statistics["labour_force"].value for m in c.plan.committed
                     if "labour_force" in m.statistics), Decimal(0))
    marked = any(m.statistics["labour_force"].illustrative for m in c.plan.members
                 if "labour_force" in m.statistics)
    total_marked = any(m.statistics["labour_force"].illustrative for m in c.plan.committed
                       if "labour_force" in m.statistics)
    return Table("table-members", c.caption("caption.members"),
                 (cells(t("table.municipality"), t("table.language"), t("table.membership"),
                        t("statistic.labour_force"), right=(3,)),),
                 rows, footer=(total_row(t("table.members_total"), "", "",
                            c.number(committed) + ("*" if total_marked else ""),
                            right=(3,)),),
                 note=f"* {t('document.illustrative')}" if marked else "")


def table_staff(c: Composer) -> Table | None:
    section = c.plan.sections.resources
    if section is None or not section.staff:
        return None
    t = c.t
    marked = any(s.illustrative for s in section.staff)
    rows = tuple(cells(c.x(s.function), t(f"origin.{s.origin}"),
                       c.htv(s.htv) + ("*" if s.illustrative else ""), c.x(s.note),
                       right=(2,)) for s in section.staff)
    total = sum((s.htv for s in section.staff), Decimal(0))
    return Table("table-staff", c.caption("caption.staff"),
                 (cells(t("table.function"), t("table.origin"), t("table.htv"),
                        t("table.remark"), right=(2,)),),
                 rows, footer=(total_row(t("table.total"), "",
                                                c.htv(total) + ("*" if marked else ""), "",
                                                right=(2,)),),
                 note=f"* {t('document.illustrative')}" if marked else "")


def _effect(c: Composer, effect: Effect | None, decimals: int) -> str:
    """A figure or a range as printed: '1,5' or '1–1,5' (the unit is in the header)."""
    if effect is None:
        return ""
    low, high = bounds(effect)
    return c.number(low, decimals) if low == high else \
        f"{c.number(low, decimals)}–{c.number(high, decimals)}"


def _decimals(values: list[Decimal]) -> int:
    return 0 if all(v == int(v) for v in values) else (
        1 if all(v * 10 == int(v * 10) for v in values) else 2)


def table_law_changes(c: Composer) -> Table | None:
    """The changes of law and their effect on staff and money, with totals: ranges are
    summed as ranges (the lows, and the highs)."""
    section = c.plan.sections.resources
    if section is None or not section.law_changes:
        return None
    t = c.t
    changes = section.law_changes
    htvs = [b for x in changes if x.htv is not None for b in bounds(x.htv)]
    htv_dec = _decimals(htvs)
    sources: list[str] = []
    lines = {line.id: c.x(line.label) for line in c.plan.budget.lines} if c.plan.budget \
        else {}
    rows = []
    for x in changes:
        ref = ""
        if x.source is not None:
            said = c.x(x.source.title) + (f" {c.date(x.source.date)}" if x.source.date else "")
            if said not in sources:
                sources.append(said)
            ref = f"[{sources.index(said) + 1}]"
        what = c.x(x.change)
        extra = [c.x(x.note)] if x.note is not None else []
        if x.budget_line:
            extra.append(t("table.law_line", line=lines.get(x.budget_line, x.budget_line)))
        if extra:
            what += " (" + "; ".join(extra) + ")"
        mark = "*" if x.illustrative else ""
        rows.append(cells(what, c.x(x.statute), c.date(x.effective),
                          _effect(c, x.htv, htv_dec) + (mark if x.htv is not None else ""),
                          _effect(c, x.euros, 0) + (mark if x.euros is not None else ""),
                          t(f"law_status.{x.status}"), ref, right=(3, 4)))
    htv_total = effect_total([x.htv for x in changes])
    euro_total = effect_total([x.euros for x in changes])
    marked = any(x.illustrative for x in changes)
    total_mark = "*" if marked else ""
    footer = total_row(t("table.law_total"), "", "",
                       _effect(c, htv_total, htv_dec) + total_mark if htv_total else "",
                       _effect(c, euro_total, 0) + total_mark if euro_total else "", "", "",
                       right=(3, 4))
    notes = [f"[{i}] {src}" for i, src in enumerate(sources, start=1)]
    if any(x is not None and bounds(x)[0] != bounds(x)[1]
           for ch in changes for x in (ch.htv, ch.euros)):
        notes.append(t("table.law_total_note"))
    if marked:
        notes.append(f"* {t('document.illustrative')}")
    return Table("table-law-changes", c.caption("caption.law_changes"),
                 (cells(t("table.law_change"), t("table.law_statute"), t("table.law_effective"),
                        t("table.law_htv"), t("table.law_euros"), t("table.law_status"),
                        t("table.law_source"), right=(3, 4)),),
                 tuple(rows), footer=(footer,), note="\n".join(notes))


def _partner_names(c: Composer, ids: list[str]) -> str:
    partners = c.plan.sections.partners
    names = {p.id: c.x(p.name) for p in partners.partners} if partners else {}
    return ", ".join(names.get(i, i) for i in ids)


def table_services(c: Composer) -> Table | None:
    section = c.plan.sections.production
    if section is None or not section.services:
        return None
    t = c.t
    rows = tuple(
        cells(c.x(s.name), ", ".join(t(f"mode.{m}") for m in s.modes),
              _partner_names(c, s.partners), "; ".join(c.x(g) for g in s.target_groups))
        for s in section.services
    )
    return Table("table-services", c.caption("caption.services"),
                 (cells(t("table.service"), t("table.modes"), t("table.partners"),
                        t("table.target_groups")),), rows)


def table_offices(c: Composer) -> Table | None:
    section = c.plan.sections.offices
    if section is None or not section.offices:
        return None
    t = c.t
    rows = tuple(cells(c.member_name(o.municipality), c.x(o.place) + ("*" if o.illustrative
                                                                     else ""),
                       t(f"office_kind.{o.kind}"), c.x(o.note)) for o in section.offices)
    return Table("table-offices", c.caption("caption.offices"),
                 (cells(t("table.municipality"), t("table.place"), t("table.kind"),
                        t("table.description")),), rows,
                 note=f"* {t('document.illustrative_term')}" if any(
                     o.illustrative for o in section.offices) else "")


def table_partners(c: Composer) -> Table | None:
    section = c.plan.sections.partners
    if section is None or not section.partners:
        return None
    t = c.t
    rows = tuple(cells(c.x(p.name), t(f"partner_kind.{p.kind}"), c.x(p.cooperation))
                 for p in section.partners)
    return Table("table-partners", c.caption("caption.partners"),
                 (cells(t("table.partner"), t("table.partner_kind"), t("table.cooperation")),),
                 rows)


def _measures(c: Composer, key: str, measures: list[Measure], anchor: str) -> Table | None:
    if not measures:
        return None
    t = c.t
    rows = tuple(cells(c.x(m.title), t(f"theme.{m.theme}") if m.theme else "",
                       c.x(m.description), _partner_names(c, m.partners)) for m in measures)
    return Table(anchor, c.caption(key),
                 (cells(t("table.measure"), t("table.theme"), t("table.description"),
                        t("table.partners")),), rows)


def table_immigration(c: Composer) -> Table | None:
    s = c.plan.sections.immigration_matching_mobility
    return _measures(c, "caption.measures_imm", s.measures if s else [], "table-immigration")


def table_structural(c: Composer) -> Table | None:
    s = c.plan.sections.structural_change
    return _measures(c, "caption.measures_struct", s.measures if s else [], "table-structural")


def table_statistics(c: Composer) -> Table:
    """Appendix: every statistic of every member with its date and source."""
    t = c.t
    rows = []
    sources: list[str] = []  # numbered once, referred to as [n]: long source texts stay short
    for m in c.plan.members:
        for name in c.plan.statistic_names:
            stat = m.statistics.get(name)
            if stat is None:
                continue
            ref = ""
            if stat.source:
                said = c.x(stat.source)
                if said not in sources:
                    sources.append(said)
                ref = f"[{sources.index(said) + 1}]"
            if stat.illustrative:
                ref += " *"
            rows.append(cells(c.x(m.name), c.statistic_label(name),
                              c.number(stat.value, 0 if stat.value == int(stat.value) else 1),
                              c.date(stat.date) if stat.date else "", ref.strip(), right=(2,)))
    notes = [f"[{i}] {src}" for i, src in enumerate(sources, start=1)]
    if any(s.illustrative for m in c.plan.members for s in m.statistics.values()):
        notes.append(f"* {t('document.illustrative')}")
    return Table("table-statistics", c.caption("caption.statistics"),
                 (cells(t("table.municipality"), t("table.statistic"), t("table.value"),
                        t("table.date"), t("table.source"), right=(2,)),),
                 tuple(rows), note="\n".join(notes))


def table_statistic_definitions(c: Composer) -> Table | None:
    """Appendix: the statistics the plan defines for itself, with what each counts."""
    if not c.plan.statistics:
        return None
    t = c.t
    rows = tuple(cells(c.x(d.label), c.x(d.unit) if d.unit else "", c.x(d.definition),
                       c.x(d.source) if d.source else "") for d in c.plan.statistics)
    return Table("table-statistic-definitions", c.caption("caption.statistic_definitions"),
                 (cells(t("table.statistic"), t("table.unit"), t("table.definition"),
                        t("table.source")),), rows)


def _projection_series(c: Composer) -> tuple[list[int], dict[str, list[Decimal]]] | None:
    years: set[int] = set()
    per_member: dict[str, dict[int, Decimal]] = {}
    for m in c.plan.members:
        for p in m.projections:
            if p.statistic == "labour_force":
                per_member[m.id] = dict(p.values)
                years |= set(p.values)
    if not per_member:
        return None
    ordered = sorted(years)
    return ordered, {mid: [vals.get(y, Decimal(0)) for y in ordered]
                     for mid, vals in per_member.items()}


def table_projections(c: Composer) -> Table | None:
    data = _projection_series(c)
    if data is None:
        return None
    years, series = data
    t = c.t
    right = tuple(range(1, len(years) + 1))
    rows = tuple(cells(c.member_name(mid), *(c.number(v) for v in vals), right=right)
                 for mid, vals in series.items())
    committed = {m.id for m in c.plan.committed}
    total_all = [sum((v[i] for v in series.values()), Decimal(0)) for i in range(len(years))]
    total_min = [sum((v[i] for mid, v in series.items() if mid in committed), Decimal(0))
                 for i in range(len(years))]
    footer = [total_row(t("table.committed_only"), *(c.number(v) for v in total_min),
                        right=right)]
    if total_all != total_min:
        footer.append(total_row(t("table.with_optional"), *(c.number(v) for v in total_all),
                                right=right))
    source = next((c.x(p.source) for m in c.plan.members for p in m.projections if p.source),
                  "")
    return Table("table-projections", c.caption("caption.projections"),
                 (cells(t("table.municipality"), *(str(y) for y in years), right=right),),
                 rows, footer=tuple(footer),
                 note=f"{t('document.source')}: {source}" if source else "")


def figure_projections(c: Composer) -> tuple[str, str, charts.Chart] | None:
    data = _projection_series(c)
    if data is None:
        return None
    years, series = data
    t = c.t
    committed = {m.id for m in c.plan.committed}
    total_min = [sum((v[i] for mid, v in series.items() if mid in committed), Decimal(0))
                 for i in range(len(years))]
    total_all = [sum((v[i] for v in series.values()), Decimal(0)) for i in range(len(years))]
    lines = [(t("table.committed_only"), total_min)]
    if total_all != total_min:
        lines.insert(0, (t("table.with_optional"), total_all))
    fonts = charts.use_fonts(c.templates.folder / "fonts")
    chart = charts.line_chart(years, lines, t("figure.projection_axis"), charts.Numbers(c.lang),
                              fonts)
    first, last = years[0], years[-1]
    alt = t("figure.projection_alt", first=first, last=last,
            total_first=c.number(lines[0][1][0]), total_last=c.number(lines[0][1][-1]))
    return t("caption.projection_figure", first=first, last=last), alt, chart


def table_seats(c: Composer) -> Table | None:
    """Who chooses how many members and personal deputies, and the chair's and vice chair's
    seats: members, deputies and tasks each in their own column. Whether a seat is
    conditional, and who proposes its member, are said of the appointing member."""
    a = c.plan.agreement
    if a is None:
        return None
    t = c.t
    rows = []
    for seat in a.seats:
        tasks = [t("agreement.chair")] if seat.chair else []
        tasks += [t("agreement.vice_chair")] if seat.vice_chair else []
        about = [t("agreement.conditional")] if seat.conditional else []
        if seat.proposed_by:
            about.append(t("agreement.proposed_by", members=", ".join(
                c.formal_name(m) for m in seat.proposed_by)))
        mark = "*" if seat.illustrative else ""
        who = c.formal_name(seat.appointed_by) + (f" ({'; '.join(about)})" if about else "")
        rows.append(cells(who, str(seat.members) + mark,
                          str(seat.members) + mark if seat.personal_deputies else "–",
                          ", ".join(tasks), right=(1, 2)))
    counted = [s for s in a.seats if not s.conditional]
    marked = "*" if any(s.illustrative for s in counted) else ""
    members = sum(s.members for s in counted)
    deputies = sum(s.members for s in counted if s.personal_deputies)
    return Table("table-seats", c.caption("caption.seats"),
                 (cells(t("table.appointed_by"), t("table.seats"), t("table.deputies"),
                        t("table.roles"), right=(1, 2)),), tuple(rows),
                 (3.1, 1.3, 2.2, 3.4),  # no hyphenated cells ('varapuheenjohtaja')
                 (total_row(t("table.total"), str(members) + marked,
                            str(deputies) + marked if deputies else "–", "", right=(1, 2)),),
                 note="\n".join(x for x in (
                     t("agreement.deputies_note") if any(s.personal_deputies for s in a.seats)
                     else "",
                     t("agreement.conditional_note") if any(s.conditional for s in a.seats)
                     else "",
                     f"* {t('document.illustrative_term')}" if any(
                         s.illustrative for s in a.seats) else "") if x))


# --- money tables ---------------------------------------------------------------------------


def _section(c: Composer, key: str) -> Section | None:
    found = getattr(c.plan.sections, key, None) if isinstance(key, str) else None
    return found if isinstance(found, Section) else None


def table_projects(c: Composer, key: str) -> Table | None:
    """A section's projects: period, funder and funding, who carries them out, goals."""
    section = _section(c, key)
    if section is None or not section.projects:
        return None
    t = c.t
    rows = tuple(cells(c.x(p.name), f"{c.date(p.start)}–{c.date(p.end)}",
                       c.x(p.funder), c.euros(p.funding, True, p.illustrative)
                       if p.funding is not None else "",
                       "; ".join(c.x(x) for x in p.consortium),
                       "; ".join(c.x(g) for g in p.goals), right=(3,))
                 for p in section.projects)
    mark = any(p.illustrative for p in section.projects)
    return Table(f"table-projects-{key}", c.caption("caption.projects"),
                 (cells(t("table.project"), t("table.period"), t("table.funder"),
                        t("table.funding"), t("table.consortium"), t("table.goals"),
                        right=(3,)),), rows,
                 note=f"* {t('document.illustrative')}" if mark else "")


def table_goals(c: Composer, key: str) -> Table | None:
    """A section's programme goals: the indicator, where it stands and its target."""
    section = _section(c, key)
    if section is None or not section.goals:
        return None
    t = c.t

    def value(v: Decimal | None, year: int | None, unit: Text | None) -> str:
        if v is None:
            return ""
        shown = c.number(v, 0 if v == int(v) else 1) + (f"\u00a0{c.x(unit)}" if unit else "")
        return f"{shown} ({year})" if year else shown

    rows = tuple(cells(c.x(g.title), c.x(g.indicator), value(g.baseline, g.baseline_year,
                                                              g.unit),
                       value(g.target, g.target_year, g.unit) + ("*" if g.illustrative else ""),
                       right=(2, 3))
                 for g in section.goals)
    sources = sorted({c.x(g.source) for g in section.goals if g.source})
    notes = [f"{t('document.source')}: {'; '.join(sources)}"] if sources else []
    if any(g.illustrative for g in section.goals):
        notes.append(f"* {t('document.illustrative_term')}")
    return Table(f"table-goals-{key}", c.caption("caption.goals"),
                 (cells(t("table.goal"), t("table.indicator"), t("table.goal_baseline"),
                        t("table.goal_target"), right=(2, 3)),), rows,
                 note="\n".join(notes))


def _series(c: Composer, series_id: str) -> Series | None:
    return next((x for x in c.plan.series if x.id == series_id), None)


def period_label(period: int | str) -> str:
    """2024 -> '2024'; '2024-05' -> '5/2024' (month/year, as Finnish and Swedish write)."""
    if isinstance(period, int):
        return str(period)
    year, month = period.split("-")
    return f"{int(month)}/{year}"


def _series_number(c: Composer, sr: Series) -> charts.Numbers:
    """The series' values as printed, with its decimals; the unit is in the header (or on
    the chart's axis), never in the cells."""
    figures = [v for row in sr.rows for v in (*row.values.values(), *row.forecast.values())]
    decimals = 0 if all(v == int(v) for v in figures) else 1
    return charts.Numbers(c.lang, "number", decimals)


def _series_row_name(c: Composer, sr: Series, row: SeriesGroup, with_unit: bool) -> str:
    """A row's name (its label, or its member's name), with its unit when it has its own
    or when the header has no other place for the series' unit."""
    name = c.x(row.label) if row.label is not None else c.member_name(row.member or "")
    unit = row.unit if row.unit is not None else (sr.unit if with_unit else None)
    return c.t("table.series_with_unit", label=name, unit=c.x(unit)) if unit else name


def _series_value(row: SeriesGroup, period: int | str) -> Decimal | None:
    return row.values.get(period, row.forecast.get(period))


# Up to this many periods a series with groups shows the periods as columns (groups x
# years, as status decks tabulate them); a longer one (months) shows them as rows.
WIDE_PERIODS = 7


def table_series(c: Composer, series_id: str) -> Table | None:
    """An area-level figure by year or month, with its source: one row per period, or,
    for a series with groups and few periods, one row per group and a column per period.
    The unit is in the header; forecast periods are marked as forecasts."""
    sr = _series(c, series_id)
    if sr is None:
        return None
    t = c.t
    show = _series_number(c, sr)
    # a wholly illustrative table is marked once, in its header's first cell
    mark = "*" if sr.illustrative else ""
    rows_in = sr.rows
    periods = sr.periods
    forecast = sr.forecast_periods

    def period_name(p: int | str) -> str:
        shown = period_label(p)
        return t("table.series_forecast", period=shown) if p in forecast else shown

    def value(row: SeriesGroup, p: int | str) -> str:
        v = _series_value(row, p)
        return show(v) if v is not None else "–"

    own_units = any(row.unit is not None for row in rows_in)
    if len(rows_in) > 1 and len(periods) <= WIDE_PERIODS:
        right = tuple(range(1, len(periods) + 1))
        corner = c.x(sr.unit) if sr.unit and not own_units else ""
        header = cells(corner + mark, *(period_name(p) for p in periods), right=right)
        rows = tuple(cells(_series_row_name(c, sr, row, own_units),
                           *(value(row, p) for p in periods), right=right) for row in rows_in)
        widths: tuple[float, ...] = (4, *([2] * len(periods)))
    else:
        right = tuple(range(1, len(rows_in) + 1))
        header = cells(t("table.series_period") + mark,
                       *(_series_row_name(c, sr, row, True) for row in rows_in), right=right)
        rows = tuple(cells(period_name(p), *(value(row, p) for row in rows_in), right=right)
                     for p in periods)
        widths = (3, *([3] * len(rows_in)))
    notes = [f"{t('document.source')}: {c.x(sr.source)}"]
    if forecast:
        notes.append(t("table.series_forecast_note", source=c.x(sr.forecast_source))
                     if sr.forecast_source else t("table.series_forecast_note_plain"))
    if sr.illustrative:
        notes.append(f"* {t('document.illustrative')}")
    return Table(f"table-series-{sr.id}", c.caption("caption.series", label=c.x(sr.label)),
                 (header,), rows, widths, note="\n".join(notes))


# A chart shows at most this many lines; a series with more groups is a table alone.
CHART_LINES = 6


def figure_series(c: Composer, series_id: str) -> tuple[str, str, charts.Chart] | None:
    """The one chart of a series: a line per group, forecasts in a shaded band. None when
    the series has fewer than three periods, groups of different units or too many
    groups, or asks for no chart."""
    sr = _series(c, series_id)
    if sr is None or not sr.chart:
        return None
    rows_in = sr.rows
    periods = sr.periods
    if len(periods) < 3 or len(rows_in) > CHART_LINES \
            or any(row.unit is not None for row in rows_in):
        return None
    t = c.t
    show = _series_number(c, sr)
    unit = f"\u00a0{c.x(sr.unit)}" if sr.unit else ""
    fonts = charts.use_fonts(c.templates.folder / "fonts")
    labels = [period_label(p) for p in periods]
    lines = [(_series_row_name(c, sr, row, False), [_series_value(row, p) for p in periods])
             for row in rows_in]
    forecast = sr.forecast_periods
    first_forecast = next((i for i, p in enumerate(periods) if p in forecast), None)
    chart = charts.line_chart([p for p in periods if isinstance(p, int)]
                              if isinstance(periods[0], int) else [], lines,
                              c.x(sr.unit) if sr.unit else "", show, fonts,
                              None if isinstance(periods[0], int) else labels,
                              forecast_from=first_forecast,
                              forecast_label=t("figure.forecast"))
    if len(rows_in) == 1:
        values = [v for v in lines[0][1] if v is not None]
        alt = t("figure.series_alt", label=c.x(sr.label), first=labels[0], last=labels[-1],
                value_first=show(values[0]) + unit, value_last=show(values[-1]) + unit,
                low=show(min(values)) + unit, high=show(max(values)) + unit)
    else:
        alt = t("figure.series_groups_alt", label=c.x(sr.label), first=labels[0],
                last=labels[-1], groups=c.listing([
                    f"{name} {show(vals[0]) if vals[0] is not None else '–'}–"
                    f"{show(vals[-1]) if vals[-1] is not None else '–'}{unit}"
                    for name, vals in lines]))
    if first_forecast is not None:
        alt += " " + t("figure.forecast_alt", first=labels[first_forecast])
    return t("caption.series_figure", label=c.x(sr.label), first=labels[0],
             last=labels[-1]), alt, chart


def _money(c: Composer) -> Money:
    return c.require_money("this table")


def _ledger(c: Composer) -> Ledger:
    return ledger_of(_money(c))


def _fig(c: Composer, entry_id: str, cents: bool | None = True) -> str:
    """A figure of the ledger as the documents print it, marked '*' when it rests on an
    illustrative input; tables compute nothing themselves."""
    e = _ledger(c)[entry_id]
    return c.euros(e.amount, cents, e.marked)


def _pct(c: Composer, entry_id: str, decimals: int) -> str:
    e = _ledger(c)[entry_id]
    return c.percent(e.amount, decimals) + ("*" if e.marked else "")


def _marked(c: Composer, *entry_ids: str) -> bool:
    ledger = _ledger(c)
    return any(ledger[x].marked for x in entry_ids if x in ledger)


def _derived_note(c: Composer, marked: bool, *notes: str) -> str:
    """A table's note: its own lines, then the one explanation of the mark '*' on figures
    computed from illustrative inputs."""
    lines = [n for n in notes if n]
    if marked:
        lines.append(f"* {c.t('document.illustrative_derived')}")
    return "\n".join(lines)


def table_budget(c: Composer) -> Table:
    m = _money(c)
    t = c.t
    whole = c.plan.budget is not None and c.plan.budget.precision == "1"
    budget = c.plan.budget
    year = c.plan.area.budget_year
    rows = []
    for r in m.budget.lines:
        line = r.line
        if line.kind == "overhead":
            labels = ", ".join(c.x(x.line.label) for x in m.budget.lines if x.line.id in line.base)
            basis = t("budget.overhead_basis", rate=c.percent(line.rate or Decimal(0)),
                      lines=labels)
        elif line.htv is not None and line.cost_per_htv is not None:
            basis = t("budget.personnel_basis", htv=c.htv(line.htv),
                      cost=c.euros(line.cost_per_htv))
        elif line.htv is not None:
            basis = c.htv(line.htv)
        else:
            basis = ""
        if line.charged_to:
            basis = f"{basis}; {c.member_name(line.charged_to)}".lstrip("; ")
        rows.append(cells(c.x(line.label), t(f"line_kind.{line.kind}"), basis,
                          _fig(c, f"budget/{year}/line/{line.id}", not whole), right=(3,)))

    def total(name: str) -> str:
        return _fig(c, f"budget/{year}/{name}", not whole)

    footer = [total_row(t("budget.costs_total"), "", "", total("costs"), right=(3,))]
    if m.budget.income:
        footer += [total_row(t("budget.income_total"), "", "", total("income"), right=(3,)),
                   total_row(t("budget.net_total"), "", "", total("net"), right=(3,))]
    if m.budget.direct:
        footer.append(total_row(t("budget.shared_total"), "", "", total("shared"), right=(3,)))
    notes = []
    if budget is not None and budget.source is not None:
        notes.append(f"{t('document.source')}: {c.x(budget.source)}")
    notes += [f"{t('document.source')}, {c.x(r.line.label)}: {c.x(r.line.source)}"
              for r in m.budget.lines if r.line.source is not None]
    if m.provenance.budget:
        notes.append(f"* {t('document.illustrative')}")
    return Table("table-budget", c.caption("caption.budget", year=year),
                 (cells(t("table.line"), t("table.cost_kind"), t("table.basis"),
                        t("table.amount"), right=(3,)),), tuple(rows), footer=tuple(footer),
                 note="\n".join(notes))


def table_criteria(c: Composer) -> Table:
    m = _money(c)
    t = c.t
    model = m.allocation.model
    mark = "*" if model.illustrative else ""
    rows = tuple(cells(c.statistic_label(cr.statistic), c.percent(cr.weight) + mark,
                       c.x(cr.reference), right=(1,)) for cr in model.criteria)
    return Table("table-criteria", c.caption("caption.criteria", model=c.x(model.name)),
                 (cells(t("table.criterion"), t("table.weight"), t("table.reference"),
                        right=(1,)),), rows,
                 note="\n".join(x for x in (c.x(model.note), f"* {t('document.illustrative_term')}"
                                             if model.illustrative else "") if x))


def table_shares(c: Composer) -> Table:
    m = _money(c)
    t = c.t
    year = c.plan.area.budget_year
    key = f"payable/{year}"
    rows = [cells(c.member_name(s.member), _fig(c, f"{key}/{s.member}/shared"),
                  _fig(c, f"{key}/{s.member}/direct"), _fig(c, f"{key}/{s.member}"),
                  _pct(c, f"percent/{year}/{s.member}", 2), right=(1, 2, 3, 4))
            for s in m.summaries]
    footer = total_row(t("table.total"), _fig(c, f"{key}/all/shared"),
                       _fig(c, f"{key}/all/direct"), _fig(c, f"{key}/all"),
                       c.percent(Decimal(100), 2), right=(1, 2, 3, 4))
    return Table("table-shares", c.caption("caption.shares", year=year,
                                           model=c.x(m.allocation.model.name)),
                 (cells(t("table.member"), t("table.shared"), t("table.direct"),
                        t("table.annual"), t("table.share_pct"), right=(1, 2, 3, 4)),),
                 tuple(rows), footer=(footer,),
                 note=_derived_note(c, _marked(c, f"{key}/all", *(
                     f"{key}/{s.member}" for s in m.summaries)), _phase_note(c),
                     t("table.share_pct_note")))


def _phase_note(c: Composer) -> str:
    """In a phase-in year, how this year's shares blend the old model and the new."""
    m = _money(c)
    year = c.plan.area.budget_year
    if m.phase is None or m.phase.totals(year) is None:
        return ""
    percent = m.phase.percent(year)
    assert percent is not None
    return c.t("table.shares_phase", year=year, percent=c.percent(percent),
               new=c.x(m.phase.new.model.name), old=c.x(m.phase.old.model.name))


def figure_shares(c: Composer) -> tuple[str, str, charts.Chart]:
    m = _money(c)
    t = c.t
    year = c.plan.area.budget_year
    labels = [c.member_name(s.member) for s in m.summaries]
    values = [_ledger(c).amount(f"payable/{year}/{s.member}") for s in m.summaries]
    fonts = charts.use_fonts(c.templates.folder / "fonts")
    chart = charts.bar_chart(labels, values, t("figure.shares_axis"),
                             charts.Numbers(c.lang, "euros"), fonts)
    listed = c.listing([f"{label} {c.euros(v, True)}"
                        for label, v in zip(labels, values, strict=True)])
    alt = t("figure.shares_alt", model=c.x(m.allocation.model.name), values=listed)
    return t("caption.shares_figure", year=year), alt, chart


def table_direct(c: Composer) -> Table | None:
    m = _money(c)
    t = c.t
    year = c.plan.area.budget_year
    pooled = {line for pool in m.charges.model.pools for line in pool.lines}
    rows = tuple(cells(c.member_name(r.line.charged_to), c.x(r.line.label),
                       _fig(c, f"budget/{year}/line/{r.line.id}"), right=(2,))
                 for r in m.budget.lines if r.line.charged_to and r.line.id not in pooled)
    if not rows:
        return None
    return Table("table-direct", c.caption("sections.direct"),
                 (cells(t("table.member"), t("table.line"), t("table.amount"), right=(2,)),),
                 rows)


def pool_key(c: Composer, pool: Pool) -> str:
    """How a pool is shared, in words: its criteria, cost causation, or price x volume."""
    match key_of(pool):
        case CriteriaKey():
            return ", ".join(f"{c.statistic_label(x.statistic)} {c.percent(x.weight)}"
                             for x in pool.criteria)
        case CausationKey():
            return c.t("table.pool_causation")
        case PriceKey(price=price, volume=volume):
            return c.t("table.pool_price", price=c.euros(price),
                       volume=c.statistic_label(volume))


def table_pools(c: Composer) -> Table | None:
    """The model in force by parts: each pool by its own key, the criteria share of the
    rest, direct costs, and the model's total. In a phase-in year this is the model as such,
    not what is payable that year (the note says so)."""
    m = _money(c)
    ch = m.charges
    if not ch.model.pools:
        return None
    t = c.t
    year = c.plan.area.budget_year
    key = f"model/{ch.model.id}/{year}"
    parts = parts_of(ch)
    heads = [c.x(p.pool.label) for p in ch.pools] + [t("table.by_criteria"),
                                                      t("table.direct"), t("table.model_total")]
    right = tuple(range(1, len(heads) + 1))
    committed = [s.member for s in m.summaries]
    rows = tuple(cells(c.member_name(x), *(_fig(c, f"{key}/{x}/{p}") for p in parts),
                       _fig(c, f"{key}/{x}/total"), right=right) for x in committed)
    footer = total_row(t("table.total"), *(_fig(c, f"{key}/all/{p}") for p in parts),
                       _fig(c, f"{key}/all/total"), right=right)
    keys = [f"{c.x(p.pool.label)}: {pool_key(c, p.pool)}" for p in ch.pools]
    blended = m.phase is not None and m.phase.percent(year) is not None
    phase = c.t("table.pools_phase", year=year) if blended else ""
    return Table("table-pools", c.caption("caption.pools", model=c.x(ch.model.name)),
                 (cells(t("table.member"), *heads, right=right),), rows,
                 footer=(footer,),
                 note=_derived_note(c, _marked(c, f"{key}/all/total"), phase, *keys))


def table_phase_in(c: Composer) -> Table | None:
    """Moving from the old model to the model in force: each member's total under the old
    model, at each phase-in step, and under the new model, all on this year's budget."""
    m = _money(c)
    ph = m.phase
    if ph is None:
        return None
    t = c.t
    year = c.plan.area.budget_year
    committed = [s.member for s in m.summaries]
    old, new = f"model/{ph.old.model.id}/{year}", f"model/{ph.new.model.id}/{year}"
    steps = [f"phase/{p.normalize():f}" for _, p, _ in ph.years]
    heads = [c.x(ph.old.model.name)] + [
        t("table.phase_step", year=y, percent=c.percent(p)) for y, p, _ in ph.years] + [
        c.x(ph.new.model.name)]
    right = tuple(range(1, len(heads) + 1))
    rows = tuple(cells(c.member_name(x), _fig(c, f"{old}/{x}/total"),
                       *(_fig(c, f"{s}/{x}") for s in steps), _fig(c, f"{new}/{x}/total"),
                       right=right) for x in committed)
    footer = total_row(t("table.total"), _fig(c, f"{old}/all/total"),
                       *(_fig(c, f"{s}/all") for s in steps), _fig(c, f"{new}/all/total"),
                       right=right)
    later = [y for y, _, _ in ph.years if y != year and any(x.year == y for x in m.years)]
    return Table("table-phase-in", c.caption("caption.phase_in", old=c.x(ph.old.model.name),
                                             new=c.x(ph.new.model.name), year=year),
                 (cells(t("table.member"), *heads, right=right),), rows,
                 footer=(footer,),
                 note=_derived_note(c, _marked(c, f"{new}/all/total"),
                                    t("table.phase_note", year=year),
                                    t("table.phase_later", years=", ".join(map(str, later)))
                                    if later else ""))


def _causation_rule(c: Composer) -> str:
    """The rule for a cost-causation pool in the plan years, stated beside the figures."""
    m = _money(c)
    pools = [c.x(p.pool.label) for p in m.charges.pools if isinstance(key_of(p.pool),
                                                                         CausationKey)]
    if not pools or len(m.years) < 2:
        return ""
    return c.t("table.causation_plan_years", pools=", ".join(pools),
               year=c.plan.area.budget_year)


def table_plan_years_budget(c: Composer) -> Table | None:
    """The budget year and the economic plan's years side by side, line by line."""
    m = _money(c)
    if len(m.years) < 2:
        return None
    t = c.t
    whole = c.plan.budget is not None and c.plan.budget.precision == "1"
    heads = [str(y.year) for y in m.years]
    right = tuple(range(1, len(heads) + 1))
    rows = tuple(cells(c.x(r.line.label), *(_fig(c, f"budget/{y.year}/line/{r.line.id}",
                                                 not whole) for y in m.years), right=right)
                 for r in m.years[0].budget.lines)
    footer = total_row(t("budget.net_total"), *(_fig(c, f"budget/{y.year}/net", not whole)
                                                for y in m.years), right=right)
    first, last = m.years[1].year, m.years[-1].year
    return Table("table-plan-years-budget", c.caption(
        "caption.plan_years_budget", year=m.years[0].year, first=first, last=last),
        (cells(t("table.line"), *heads, right=right),), rows,
        footer=(footer,), note=_derived_note(c, _marked(c, *(f"budget/{y.year}/net"
                                                      for y in m.years)),
                                      t("table.plan_years_note", year=m.years[0].year)))


def table_plan_years_shares(c: Composer) -> Table | None:
    """Each committed member's payable total in the budget year and the economic plan's
    years (blended in a phase-in year)."""
    m = _money(c)
    if len(m.years) < 2:
        return None
    t = c.t
    heads = [str(y.year) for y in m.years]
    right = tuple(range(1, len(heads) + 1))
    rows = tuple(cells(c.member_name(s.member), *(_fig(c, f"payable/{y.year}/{s.member}")
                                                  for y in m.years), right=right)
                 for s in m.summaries)
    footer = total_row(t("table.total"), *(_fig(c, f"payable/{y.year}/all") for y in m.years),
                       right=right)
    phased = [f"{y.year}: {c.percent(y.percent)}" for y in m.years if y.percent is not None]
    return Table("table-plan-years-shares", c.caption(
        "caption.plan_years_shares", first=m.years[0].year, last=m.years[-1].year,
        model=c.x(m.charges.model.name)),
        (cells(t("table.member"), *heads, right=right),), tuple(rows),
        footer=(footer,),
        note=_derived_note(c, _marked(c, *(f"payable/{y.year}/{s.member}" for y in m.years
                                           for s in m.summaries)),
                           t("table.plan_years_note", year=m.years[0].year),
                           t("table.plan_years_phase", steps=", ".join(phased),
                             old=c.x(m.phase.old.model.name)) if phased and m.phase else "",
                           _causation_rule(c)))


def table_comparison(c: Composer, year: int | None = None) -> Table | None:
    """Members x models; each non-baseline cell also shows the change against the baseline,
    after a breakable space so narrow columns wrap instead of overflowing. With `year`, the
    comparison on that plan year's budget."""
    m = _money(c)
    cmp = m.comparison if year is None else next(
        (y.comparison for y in m.years if y.year == year), None)
    if cmp is None:
        return None
    t = c.t
    on = year if year is not None else c.plan.area.budget_year
    models = cmp.models
    right = tuple(range(1, len(models) + 1))
    rows = []
    for s in m.summaries:
        row = [c.member_name(s.member)]
        for a in models:
            text = _fig(c, f"model/{a.model.id}/{on}/{s.member}/total", False)
            pct = _ledger(c).get(f"change_pct/{on}/{a.model.id}/{s.member}")
            if pct is not None:
                text += f" ({'+' if pct.amount > 0 else ''}{c.percent(pct.amount, 1)})"
            row.append(text)
        rows.append(cells(*row, right=right))
    baseline = next(a for a in models if a.model.id == cmp.baseline)
    model_notes = [f"{c.x(a.model.name)}: {c.x(a.model.note)}" for a in models
                   if a.model.note is not None]
    caption = c.caption("caption.comparison", baseline=c.x(baseline.model.name)) \
        if year is None else c.caption("caption.comparison_year", year=year,
                                       baseline=c.x(baseline.model.name))
    phase = m.phase is not None and any(y.percent is not None for y in m.years
                                        if y.year == on)
    return Table("table-comparison" + (f"-{year}" if year else ""), caption,
                 (cells(t("table.member"), *(c.x(a.model.name) for a in models), right=right),),
                 tuple(rows),
                 note=_derived_note(c, _marked(c, *(f"model/{a.model.id}/{on}/all/total"
                                                    for a in models)),
                                    t("table.comparison_note") if m.direct or any(
                                        a.model.pools for a in models) else "",
                                    t("table.comparison_models_as_such", year=on)
                                    if phase else "",
                                    *model_notes))


def figure_comparison(c: Composer) -> tuple[str, str, charts.Chart] | None:
    """What moving from the baseline to the model in force changes for each member, in
    euros (every euro in: direct costs included)."""
    m = _money(c)
    cmp = m.comparison
    if cmp is None or cmp.baseline == m.charges.model.id:
        return None
    t = c.t
    model = m.charges.model.id
    year = c.plan.area.budget_year
    ledger = _ledger(c)
    labels = [c.member_name(s.member) for s in m.summaries]
    values = [ledger.amount(f"change/{year}/{model}/{s.member}") for s in m.summaries]
    pcts = [ledger.get(f"change_pct/{year}/{model}/{s.member}") for s in m.summaries]

    signed = charts.Numbers(c.lang, "signed_euros")

    fonts = charts.use_fonts(c.templates.folder / "fonts")
    chart = charts.change_chart(labels, values, t("figure.shares_axis"), signed, fonts)
    baseline = next(a for a in cmp.models if a.model.id == cmp.baseline).model
    # One sentence for the members whose share grows, one for those whose share falls (and
    # one for any unchanged), each member with its change in euros and per cent.
    moves: dict[str, list[str]] = {"up": [], "down": [], "same": []}
    for label, v, pct in zip(labels, values, pcts, strict=True):
        shown = signed(v) + (f", {'+' if pct.amount > 0 else ''}{c.percent(pct.amount, 1)}"
                             if pct is not None and v else "")
        moves["up" if v > 0 else "down" if v < 0 else "same"].append(
            f"{label} ({shown})" if v else label)
    names = {"model": c.x(m.charges.model.name), "baseline": c.x(baseline.name)}
    alt = " ".join([t("figure.comparison_alt", **names)] + [
        t(f"figure.comparison_{way}", members=c.listing(members))
        for way, members in moves.items() if members])
    return t("caption.comparison_figure", **names), alt, chart


def scenario_name(c: Composer, joining: tuple[str, ...]) -> str:
    """'Nykyiset jäsenet' / '+ Leppävirta' / '+ Leppävirta, Keitele, Rautavaara'."""
    if not joining:
        return c.t("table.committed_only")
    return "+ " + ", ".join(c.member_name(x) for x in joining)


def table_scenarios(c: Composer) -> Table | None:
    """Each member's total (every part: criteria, pools, direct costs) in each membership
    scenario, on the same budget."""
    m = _money(c)
    if not m.scenarios:
        return None
    t = c.t
    ledger = _ledger(c)
    columns = tuple(range(1, len(m.scenarios) + 1))
    keys = [f"scenario/{scenario_key(sc.joining)}" for sc in m.scenarios]
    rows = []
    for member in c.plan.members:
        name = c.x(member.name) + ("" if member.membership == "committed"
                                   else f" ({t('membership.optional')})")
        rows.append(cells(name, *(_fig(c, f"{k}/{member.id}") if f"{k}/{member.id}" in ledger
                                  else "–" for k in keys), right=columns))
    footer = total_row(t("table.total"), *(_fig(c, f"{k}/all") for k in keys), right=columns)
    direct = bool(m.direct) or bool(m.charges.pools)
    return Table("table-scenarios", c.caption("caption.scenarios",
                                              model=c.x(m.allocation.model.name)),
                 (cells(t("table.member"), *(scenario_name(c, sc.joining)
                                             for sc in m.scenarios), right=columns),),
                 tuple(rows), footer=(footer,),
                 note=_derived_note(c, _marked(c, *(f"{k}/all" for k in keys),
                                               *(f"{k}/{x.id}" for k in keys
                                                 for x in c.plan.members)),
                                    t("table.scenarios_note"),
                                    t("table.scenarios_direct") if direct else ""))


def _advances(c: Composer, member_id: str) -> tuple[Decimal, ...]:
    ledger = _ledger(c)
    return ledger.advances(member_id)


def advance_text(c: Composer, advances: tuple[Decimal, ...], mark: bool = False) -> str:
    """'tammi–syyskuu 36 287 €, loka–joulukuu 36 286 €': the advances as the table states
    them (month names from the translations)."""
    short, months = c.installments()
    parts = []
    for first, last, value in advance_groups(advances):
        span = months[first] if first == last else c.t("table.month_span",
                                                         first=short[first],
                                                         last=months[last])
        parts.append(f"{span} {c.euros(value, True, mark)}")
    return ", ".join(parts)


def member_advance_text(c: Composer, member_id: str) -> str:
    """A member's advances in words, from the ledger."""
    return advance_text(c, _advances(c, member_id), _marked(c, f"advance/{member_id}/1"))


def _advance_plan(c: Composer, advances: tuple[Decimal, ...], mark: bool = False) -> str:
    """'469 440 € × 5 + 469 439 € × 7': the advances in one exact line."""
    return " + ".join(f"{c.euros(v, True, mark)} × {b - a + 1}"
                      for a, b, v in advance_groups(advances))


def table_advances(c: Composer) -> Table:
    m = _money(c)
    t = c.t
    year = c.plan.area.budget_year
    rows = tuple(cells(c.member_name(s.member), _fig(c, f"payable/{year}/{s.member}"),
                       _advance_plan(c, _advances(c, s.member),
                                     _marked(c, f"advance/{s.member}/1")), right=(1, 2))
                 for s in m.summaries)
    footer = total_row(t("table.total"), _fig(c, f"payable/{year}/all"), "", right=(1, 2))
    return Table("table-advances", c.caption(c.advance_key("caption.advances")),
                 (cells(t("table.member"), t("table.annual"),
                        t(c.advance_key("table.advances_plan")), right=(1, 2)),),
                 rows, footer=(footer,),
                 note=_derived_note(c, _marked(c, f"payable/{year}/all", *(
                     f"advance/{s.member}/1" for s in m.summaries)),
                     t(c.advance_key("table.advances_note"))))


def table_preparation(c: Composer) -> Table | None:
    m = _money(c)
    cs = c.plan.cost_sharing
    if m.preparation is None or cs is None or cs.preparation is None:
        return None
    t = c.t
    rows = tuple(cells(c.member_name(s.member), _fig(c, f"preparation/{s.member}"), right=(1,))
                 for s in m.preparation.shares)
    return Table("table-preparation", c.caption("caption.preparation",
                                                period=cs.preparation.period),
                 (cells(t("table.member"), t("table.amount"), right=(1,)),), rows,
                 footer=(total_row(t("table.total"), _fig(c, "preparation/all"), right=(1,)),),
                 note=_derived_note(c, _marked(c, "preparation/all", *(
                     f"preparation/{s.member}" for s in m.preparation.shares)),
                     f"{t('table.criterion')}: {c.statistic_label(cs.preparation.statistic)}",
                     c.x(cs.preparation.label)))


def _signed(c: Composer, entry_id: str) -> str:
    """A difference whose sign is the point: a positive one printed with its '+'."""
    return ("+" if _ledger(c).amount(entry_id) > 0 else "") + _fig(c, entry_id)


def table_settlement(c: Composer) -> Table | None:
    m = _money(c)
    s = m.settlement
    if s is None:
        return None
    t = c.t
    parts = ("actual", "paid", "balance")

    def fig(who: str, part: str) -> str:
        key = f"settlement/{who}/{part}"
        return _signed(c, key) if part == "balance" else _fig(c, key)

    rows = tuple(cells(c.member_name(r.member), *(fig(r.member, p) for p in parts),
                       right=(1, 2, 3)) for r in s.rows)
    footer = total_row(t("table.total"), *(fig("all", p) for p in parts), right=(1, 2, 3))
    return Table("table-settlement", c.caption("caption.settlement"),
                 (cells(t("table.member"), t("table.actual_share"), t("table.paid"),
                        t("table.balance"), right=(1, 2, 3)),), rows, footer=(footer,),
                 note=_derived_note(c, _marked(c, *(f"settlement/all/{p}" for p in parts)),
                                    t("table.settlement_sign")))


def table_member_share(c: Composer, member_id: str) -> Table | None:
    """One member's annual share and its components (for an optional member: if it
    joins)."""
    m = _money(c)
    s = m.member_summary(member_id)
    if s is None:
        return None
    t = c.t
    year = c.plan.area.budget_year
    member = c.plan.member(member_id)
    committed = member is not None and member.membership == "committed"
    own = m.own_scenario(member_id)
    charges = m.charges if committed or own is None else own.charges
    blended = m.phase is not None and m.phase.percent(year) is not None
    if committed:
        key, total = f"model/{charges.model.id}/{year}/{member_id}", f"payable/{year}/{member_id}"
    else:
        assert own is not None
        key = f"scenario/{scenario_key(own.joining)}/{member_id}"
        total = key
    if charges.pools and not blended:  # a model by parts: each part, then the criteria
        rows = [cells(c.x(p.pool.label), _fig(c, f"{key}/{p.pool.id}"), right=(1,))
                for p in charges.pools]
        rows.append(cells(t("table.by_criteria"), _fig(c, f"{key}/criteria"), right=(1,)))
        rows.append(cells(t("table.direct"), _fig(c, f"{key}/direct"), right=(1,)))
    elif committed:
        rows = [cells(t("table.shared"), _fig(c, f"{total}/shared"), right=(1,)),
                cells(t("table.direct"), _fig(c, f"{total}/direct"), right=(1,))]
    else:
        shared = _ledger(c)[key]
        direct = _ledger(c)[f"{key}/direct"]
        rows = [cells(t("table.shared"), c.euros(shared.amount - direct.amount, True,
                                                 shared.marked), right=(1,)),
                cells(t("table.direct"), _fig(c, f"{key}/direct"), right=(1,))]
    return Table("table-member-share", c.caption("decision.share_table",
                                                 member=c.member_name(member_id)),
                 (cells(t("table.line"), t("table.amount"), right=(1,)),), tuple(rows),
                 footer=(total_row(t("table.annual"), _fig(c, total), right=(1,)),),
                 note=_derived_note(c, _marked(c, total)))


def table_member_scenarios(c: Composer, member_id: str) -> Table | None:
    """One member's annual share in each membership scenario (a committed member's share
    falls when optional members join; an optional one's depends on the others)."""
    m = _money(c)
    if len(m.scenarios) < 2:
        return None
    t = c.t
    ledger = _ledger(c)
    rows = []
    ids = []
    for sc in m.scenarios:
        entry_id = f"scenario/{scenario_key(sc.joining)}/{member_id}"
        ids.append(entry_id)
        rows.append(cells(scenario_name(c, sc.joining),
                          _fig(c, entry_id) if entry_id in ledger else t("table.not_member"),
                          right=(1,)))
    return Table("table-member-scenarios", c.caption("decision.scenarios_table",
                                                     member=c.member_name(member_id)),
                 (cells(t("table.scenario"), t("table.annual"), right=(1,)),), tuple(rows),
                 note=_derived_note(c, _marked(c, *ids), t("table.scenarios_note")))


def table_member_advances(c: Composer, member_id: str) -> Table | None:
    """One member's advances (monthly, quarterly or on the given dates), as the annual
    share is paid."""
    m = _money(c)
    s = m.member_summary(member_id)
    if s is None:
        return None
    t = c.t
    _, names = c.installments()
    rows = tuple(cells(name[:1].upper() + name[1:], _fig(c, f"advance/{member_id}/{i}"),
                       right=(1,)) for i, name in enumerate(names[:len(s.advances)], 1))
    member = c.plan.member(member_id)
    year = c.plan.area.budget_year
    own = m.own_scenario(member_id)
    total = f"payable/{year}/{member_id}" if (member and member.membership == "committed") \
        or own is None else f"scenario/{scenario_key(own.joining)}/{member_id}"
    return Table("table-member-advances", c.caption(c.advance_key("decision.advances_table"),
                                                    member=c.member_name(member_id)),
                 (cells(t(c.advance_key("table.month")), t("table.advance"), right=(1,)),),
                 rows, footer=(total_row(t("table.annual"), _fig(c, total), right=(1,)),),
                 note=_derived_note(c, _marked(c, total)))


def table_member_amendment(c: Composer, member_id: str) -> Table | None:
    """One member's share of the budget year under the agreement in force and as amended,
    in euros and in percent of all members' shares: what its council decides on."""
    ledger = _ledger(c)
    key = f"amendment/{member_id}"
    if f"{key}/in_force" not in ledger:
        return None
    change = amendment(c.plan)
    assert change is not None and c.plan.cost_sharing is not None
    t = c.t
    year = c.plan.area.budget_year
    names = {m.id: c.x(m.name) for m in c.plan.cost_sharing.models}
    m = _money(c)
    percent = m.phase.percent(year) if m.phase is not None else None
    proposed = t("amendment.proposed_row_phase", model=names[change.new_model or ""],
                 percent=c.percent(percent)) if percent else \
        t("amendment.proposed_row", model=names[change.new_model or ""])
    diff = ledger[f"{key}/change"]
    rows = (cells(t("amendment.in_force_row", model=names[change.old_model or ""]),
                  _fig(c, f"{key}/in_force"),
                  _pct(c, f"amendment_pct/{member_id}/in_force", 2), right=(1, 2)),
            cells(proposed, _fig(c, f"{key}/proposed"),
                  _pct(c, f"amendment_pct/{member_id}/proposed", 2), right=(1, 2)))
    return Table("table-member-amendment",
                 c.caption("amendment.share_table", member=c.member_name(member_id), year=year),
                 (cells(t("table.line"), t("table.annual"), t("amendment.share_column"),
                        right=(1, 2)),), rows, (7, 3, 2.5),
                 (total_row(t("amendment.change_row"),
                            ("+" if diff.amount > 0 else "") + _fig(c, f"{key}/change"), "",
                            right=(1, 2)),),
                 note=_derived_note(c, _marked(c, f"{key}/in_force", f"{key}/proposed")))


# What a template may call: {{ table('budget') }}, {{ figure('shares') }}.
TABLES: dict[str, TableBuilder] = {
    "members": table_members,
    "staff": table_staff,
    "law_changes": table_law_changes,
    "services": table_services,
    "offices": table_offices,
    "partners": table_partners,
    "immigration": table_immigration,
    "structural": table_structural,
    "statistics": table_statistics,
    "pools": table_pools,
    "series": table_series,
    "projects": table_projects,
    "goals": table_goals,
    "plan_years_budget": table_plan_years_budget,
    "plan_years_shares": table_plan_years_shares,
    "phase_in": table_phase_in,
    "statistic_definitions": table_statistic_definitions,
    "projections": table_projections,
    "seats": table_seats,
    "budget": table_budget,
    "criteria": table_criteria,
    "shares": table_shares,
    "direct": table_direct,
    "comparison": table_comparison,
    "scenarios": table_scenarios,
    "advances": table_advances,
    "preparation": table_preparation,
    "settlement": table_settlement,
    "member_share": table_member_share,
    "member_advances": table_member_advances,
    "member_scenarios": table_member_scenarios,
    "member_amendment": table_member_amendment,
}
FIGURES: dict[str, FigureBuilder] = {
    "projections": figure_projections,
    "shares": figure_shares,
    "series": figure_series,
    "comparison": figure_comparison,
}
