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

TEM_NOTICE = dt.timedelta(weeks=2)  # 380/2023 15 § 1–3 mom.: within two weeks
# 383/2023 3 § 1 mom.: the first notifications and plans, for organising the services from
# the transfer on 1.1.2025, reached TEM by 31.10.2023 at the latest.
OUTER_DEADLINE = dt.date(2023, 10, 31)
TRANSFER = dt.date(2025, 1, 1)


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


def notice_deadline(decided: dt.date) -> dt.date:
    """Two weeks from a decision, moved to the next working day when it falls on a weekend
    or holiday (380/2023 15 §; 150/1930 5 §); for a decision made by 31.10.2023, that day at
    the latest (383/2023 3 § 1 mom.)."""
    try:
        deadline = next_working_day(decided + TEM_NOTICE)
    except OverflowError:  # a date at the end of the calendar: there is no later day
        return dt.date.max
    return min(deadline, OUTER_DEADLINE) if decided <= OUTER_DEADLINE else deadline


def tem_deadline(plan: Plan) -> dt.date | None:
    """Last day to send the agreement (with the organising plan) to TEM: two weeks from the
    last committed member's approval (`notice_deadline`)."""
    if plan.agreement is None:
        return None
    approved = approval_date(plan.agreement.approvals, [m.id for m in plan.committed])
    return notice_deadline(approved) if approved else None


def seats_by_member(plan: Plan, include_conditional: bool = False) -> dict[str, int]:
    counts: dict[str, int] = {}
    if plan.agreement is None:
        return counts
    for seat in plan.agreement.seats:
        if seat.conditional and not include_conditional:
            continue
        counts[seat.appointed_by] = counts.get(seat.appointed_by, 0) + seat.members
    return counts
