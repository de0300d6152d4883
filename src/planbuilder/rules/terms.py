"""Pure computations on the cooperation agreement: the TEM notification deadline and the
seats of the joint body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from planbuilder.model import Approval, Plan

if TYPE_CHECKING:
    import holidays

TEM_NOTICE = dt.timedelta(weeks=2)  # 380/2023 § 15(1): within two weeks of approval


@cache
def _finnish_holidays(year: int) -> holidays.HolidayBase:
    import holidays  # loaded when a deadline is computed, not with planbuilder

    # New Year, Epiphany, Easter, May Day, Ascension, Midsummer Eve and Day, All Saints',
    # Independence Day, Christmas Eve, Christmas and Boxing Day: the maintained calendar.
    return holidays.country_holidays("FI", years=year)


def next_working_day(day: dt.date) -> dt.date:
    """The day itself, or the first working day after it when it is a Saturday, a Sunday or
    another public holiday, Midsummer Eve or Christmas Eve (laki määräajain laskemisesta
    150/1930 5 §)."""
    while day.weekday() >= 5 or day in _finnish_holidays(day.year):
        day += dt.timedelta(days=1)
    return day


def approval_date(approvals: Sequence[Approval], members: Sequence[str]) -> dt.date | None:
    """The agreement is approved when the last of the given members has approved it;
    None while any of them has not."""
    dates = {a.member: a.date for a in approvals}
    if not members or any(m not in dates for m in members):
        return None
    return max(dates[m] for m in members)


def tem_deadline(plan: Plan) -> dt.date | None:
    """Last day to send the agreement (with the organising plan) to TEM: two weeks from the
    last committed member's approval, moved to the next working day when it falls on a
    weekend or holiday (380/2023 15 §; 150/1930 5 §)."""
    if plan.agreement is None:
        return None
    approved = approval_date(plan.agreement.approvals, [m.id for m in plan.committed])
    return next_working_day(approved + TEM_NOTICE) if approved else None


def seats_by_member(plan: Plan, include_conditional: bool = False) -> dict[str, int]:
    counts: dict[str, int] = {}
    if plan.agreement is None:
        return counts
    for seat in plan.agreement.seats:
        if seat.conditional and not include_conditional:
            continue
        counts[seat.appointed_by] = counts.get(seat.appointed_by, 0) + seat.members
    return counts
