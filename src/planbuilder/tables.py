"""Table and figure builders called from document templates as table('name') and
figure('name'). Labels come from the translation files; numbers are formatted here once."""

from __future__ import annotations

from decimal import Decimal

from planbuilder import charts
from planbuilder.compose import Composer, cells, total_row
from planbuilder.document import Table
from planbuilder.model import STATISTIC_NAMES, Measure


def table_members(c: Composer) -> Table:
    t = c.t
    rows = tuple(
        cells(c.x(m.name), t(f"language.{m.language}"), t(f"membership.{m.membership}"),
              c.number(m.statistics["labour_force"].value) if "labour_force" in m.statistics
              else "–", right=(3,))
        for m in c.plan.members
    )
    committed = sum((m.statistics["labour_force"].value for m in c.plan.committed
                     if "labour_force" in m.statistics), Decimal(0))
    return Table("table-members", c.caption("caption.members"),
                 (cells(t("table.municipality"), t("table.language"), t("table.membership"),
                        t("statistic.labour_force"), right=(3,)),),
                 rows, (3, 2, 2, 2),
                 (total_row(t("table.committed_only"), "", "", c.number(committed),
                            right=(3,)),))


def table_staff(c: Composer) -> Table | None:
    section = c.plan.sections.resources
    if section is None or not section.staff:
        return None
    t = c.t
    rows = tuple(cells(c.x(s.function), t(f"origin.{s.origin}"), c.htv(s.htv), right=(2,))
                 for s in section.staff)
    total = sum((s.htv for s in section.staff), Decimal(0))
    return Table("table-staff", c.caption("caption.staff"),
                 (cells(t("table.function"), t("table.origin"), t("table.htv"), right=(2,)),),
                 rows, (5, 3, 2), (total_row(t("table.total"), "", c.htv(total), right=(2,)),))


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
                        t("table.target_groups")),), rows, (3, 2, 3, 3))


def table_offices(c: Composer) -> Table | None:
    section = c.plan.sections.offices
    if section is None or not section.offices:
        return None
    t = c.t
    rows = tuple(cells(c.member_name(o.municipality), c.x(o.place), t(f"office_kind.{o.kind}"),
                       c.x(o.note)) for o in section.offices)
    return Table("table-offices", c.caption("caption.offices"),
                 (cells(t("table.municipality"), t("table.place"), t("table.kind"),
                        t("table.description")),), rows, (2, 3, 2, 4))


def table_partners(c: Composer) -> Table | None:
    section = c.plan.sections.partners
    if section is None or not section.partners:
        return None
    t = c.t
    rows = tuple(cells(c.x(p.name), t(f"partner_kind.{p.kind}"), c.x(p.cooperation))
                 for p in section.partners)
    return Table("table-partners", c.caption("caption.partners"),
                 (cells(t("table.partner"), t("table.partner_kind"), t("table.cooperation")),),
                 rows, (3, 2, 6))


def _measures(c: Composer, key: str, measures: list[Measure], anchor: str) -> Table | None:
    if not measures:
        return None
    t = c.t
    rows = tuple(cells(c.x(m.title), t(f"theme.{m.theme}") if m.theme else "",
                       c.x(m.description), _partner_names(c, m.partners)) for m in measures)
    return Table(anchor, c.caption(key),
                 (cells(t("table.measure"), t("table.theme"), t("table.description"),
                        t("table.partners")),), rows, (3, 2, 5, 2))


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
    for m in c.plan.members:
        for name in STATISTIC_NAMES:
            stat = m.statistics.get(name)  # type: ignore[call-overload]
            if stat is None:
                continue
            source = stat.source or ""
            if stat.illustrative:
                source = f"{source} *" if source else "*"
            rows.append(cells(c.x(m.name), t(f"statistic.{name}"),
                              c.number(stat.value, 0 if stat.value == int(stat.value) else 1),
                              c.date(stat.date) if stat.date else "", source, right=(2,)))
    illustrative = any(s.illustrative for m in c.plan.members for s in m.statistics.values())
    return Table("table-statistics", c.caption("caption.statistics"),
                 (cells(t("table.municipality"), t("table.statistic"), t("table.value"),
                        t("table.date"), t("table.source"), right=(2,)),),
                 tuple(rows), (2, 3, 2, 2, 5),
                 note=f"* {t('document.illustrative')}" if illustrative else "")


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
    source = next((p.source for m in c.plan.members for p in m.projections if p.source), "")
    return Table("table-projections", c.caption("caption.projections"),
                 (cells(t("table.municipality"), *(str(y) for y in years), right=right),),
                 rows, (3, *([2] * len(years))), tuple(footer),
                 note=f"{t('document.source')}: {source}" if source else "")


def figure_projections(c: Composer) -> tuple[str, str, bytes] | None:
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
    family = charts.use_fonts(c.templates.folder / "fonts")
    png = charts.line_chart(years, lines, t("figure.projection_axis"), c.number, family)
    first, last = years[0], years[-1]
    alt = t("figure.projection_alt", first=first, last=last,
            total_first=c.number(lines[0][1][0]), total_last=c.number(lines[0][1][-1]))
    return t("caption.projection_figure", first=first, last=last), alt, png


def table_seats(c: Composer) -> Table | None:
    a = c.plan.agreement
    if a is None:
        return None
    t = c.t
    rows = []
    for seat in a.seats:
        roles = [t("agreement.chair")] if seat.chair else []
        roles += [t("agreement.vice_chair")] if seat.vice_chair else []
        roles += [t("agreement.deputies")] if seat.personal_deputies else []
        roles += [t("agreement.conditional")] if seat.conditional else []
        rows.append(cells(c.member_name(seat.appointed_by), str(seat.members), ", ".join(roles),
                          right=(1,)))
    total = sum(s.members for s in a.seats if not s.conditional)
    return Table("table-seats", c.caption("caption.seats"),
                 (cells(t("table.appointed_by"), t("table.seats"), t("table.roles"),
                        right=(1,)),), tuple(rows), (3, 1, 5),
                 (total_row(t("table.total"), str(total), "", right=(1,)),))
