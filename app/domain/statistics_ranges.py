"""How a date range is summed from the monthly rollup and the daily aggregates.

``statistic_month`` holds, per agency and procedure, the sum of a calendar month's daily counts.
A range [lo, hi] is then read as the whole months inside it (from the months) plus the days of
the partial months at its edges (from the days): a quarter or a year reads months only, a free
range at most two months of days. Pure: no database.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def month_of(day: date) -> date:
    """The first day of the day's month (the rollup's key)."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Split:
    """``months``: the first days of the first and last whole month (None: no whole month);
    ``days``: inclusive day ranges read from the daily aggregates."""

    months: tuple[date, date] | None
    days: tuple[tuple[date, date], ...]


def split(lo: date | None, hi: date) -> Split:
    """Split [lo, hi] (lo None: from the beginning) into whole months and edge days."""
    first_whole = date.min if lo is None else (lo if lo.day == 1 else month_end(lo) + ONE_DAY)
    last_whole = hi if hi == month_end(hi) else month_of(hi) - ONE_DAY
    if first_whole > last_whole:
        return Split(None, ((lo or date.min, hi),) if lo is None or lo <= hi else ())
    days = []
    if lo is not None and lo < first_whole:
        days.append((lo, first_whole - ONE_DAY))
    if last_whole < hi:
        days.append((last_whole + ONE_DAY, hi))
    return Split((month_of(first_whole), month_of(last_whole)), tuple(days))
