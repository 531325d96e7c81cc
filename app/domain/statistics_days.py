"""A dossier's contribution to the daily aggregates, from which any period's report is summed.

Per agency, procedure and day the aggregate holds additive counts (received online/direct,
resolved early/on time/late, ...) and two running deltas: ``open`` (+1 the day a dossier is
received, −1 the day it ends) and ``overdue`` (+1 the day an open dossier becomes overdue at the
end of the day, −1 when it stops being so or ends). So for a period [start, end]:

* cols 4, 5, 8, 9, 10 = sums of the days in the period;
* col 6 (carried over) = Σ open over the days before ``start``;
* col 13 = Σ overdue up to ``end``; col 11 = Σ open up to ``end``; col 12 = 11 − 13.

This gives exactly what ``statistics.columns()`` gives dossier by dossier (a test checks it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from app.domain.calendar import Timeliness, WorkingCalendar, add_working_days
from app.domain.statistics import (
    NATIONAL,
    ONE_DAY,
    RECEIVED_DIRECT,
    RECEIVED_ONLINE,
    RESOLVED_BY,
    Outcome,
    Reading,
    Timeline,
    end_of_day,
    open_timeliness,
    resolution_working_days,
    resolved_timeliness,
)

OPEN = "open_delta"
OVERDUE = "overdue_delta"
FEE_DUE = "fee_due"  # received with a fee to pay
PAID_ONLINE = "paid_online"  # ... and paid through the online gateway
DIGITISED = "digitised"  # received with at least one attached document
E_RESULT = "e_result"  # ended with an electronic result delivered
RESOLVED_DAYS = "resolved_days"  # working days to resolve, summed (for the average)
RESOLVED_COUNT = "resolved_count"  # resolved or rejected (withdrawn and halted excluded)

DAY_COLUMNS = (
    RECEIVED_ONLINE,
    RECEIVED_DIRECT,
    "c8",
    "c9",
    "c10",
    OPEN,
    OVERDUE,
    FEE_DUE,
    PAID_ONLINE,
    DIGITISED,
    E_RESULT,
    RESOLVED_DAYS,
    RESOLVED_COUNT,
)


@dataclass(frozen=True)
class Flags:
    """Facts about a dossier that are not in its history."""

    fee_due: bool = False
    paid_online: bool = False
    digitised: bool = False
    e_result: bool = False


def _change_days(timeline: Timeline, cal: WorkingCalendar) -> list[date]:
    """The days on which the open dossier's verdict at the end of the day may change."""
    received = timeline.received_at
    assert received is not None
    days = {received.date()}
    for at, due in timeline.dues:
        days.add(at.date())
        if due is not None:
            days.update({due.date(), due.date() + ONE_DAY})
    for asked, supplied in timeline.supplements:
        days.add(asked.date())
        if supplied is not None:
            days.add(supplied.date())
    if timeline.time_limit_days is not None:
        paused = sum((s.date() - a.date()).days for a, s in timeline.supplements if s is not None)
        start = received.date()
        days.add(add_working_days(start, timeline.time_limit_days + 1, cal) + paused * ONE_DAY)
        days.add(add_working_days(start, timeline.time_limit_days + 1, cal))
    return sorted(days)


def _overdue_deltas(
    timeline: Timeline, cal: WorkingCalendar, reading: Reading, last_open: date | None
) -> tuple[dict[date, int], bool]:
    """+1/−1 on the days the open dossier turns overdue / back within time, and whether it is
    overdue at the end of ``last_open`` (the day before it ends)."""
    deltas: dict[date, int] = {}
    received = timeline.received_at
    assert received is not None
    state = False
    for day in _change_days(timeline, cal):
        if day < received.date() or (last_open is not None and day > last_open):
            continue
        moment = end_of_day(day, received)
        overdue = open_timeliness(timeline, moment, cal, reading) is Timeliness.OVERDUE
        if overdue != state:
            deltas[day] = deltas.get(day, 0) + (1 if overdue else -1)
            state = overdue
    return deltas, state


def day_counts(
    timeline: Timeline,
    cal: WorkingCalendar,
    flags: Flags = Flags(),
    reading: Reading = NATIONAL,
) -> dict[tuple[date, str], int]:
    """The dossier's counts by (day, column); empty if it was never received."""
    received = timeline.received_at
    if received is None:
        return {}
    counts: dict[tuple[date, str], int] = defaultdict(int)
    day = received.date()
    counts[day, RECEIVED_ONLINE if timeline.is_online else RECEIVED_DIRECT] += 1
    counts[day, OPEN] += 1
    if flags.fee_due:
        counts[day, FEE_DUE] += 1
        counts[day, PAID_ONLINE] += int(flags.paid_online)
    counts[day, DIGITISED] += int(flags.digitised)
    finished = timeline.finished_at
    last_open = None if finished is None else finished.date() - ONE_DAY
    deltas, overdue_at_end = _overdue_deltas(timeline, cal, reading, last_open)
    for d, n in deltas.items():
        counts[d, OVERDUE] += n
    if finished is not None:
        end = finished.date()
        counts[end, RESOLVED_BY[resolved_timeliness(timeline, cal, reading)]] += 1
        counts[end, OPEN] -= 1
        if overdue_at_end:
            counts[end, OVERDUE] -= 1
        counts[end, E_RESULT] += int(flags.e_result)
        if timeline.outcome in (Outcome.RESOLVED, Outcome.REJECTED):
            counts[end, RESOLVED_COUNT] += 1
            counts[end, RESOLVED_DAYS] += resolution_working_days(timeline, cal) or 0
    return {key: n for key, n in counts.items() if n}


def columns_from_counts(counts: dict[tuple[date, str], int], start: date, end: date) -> set[str]:
    """One dossier's report columns for [start, end], read back from its daily counts with the
    same arithmetic the report applies to the sums (so a drill-down list matches its number)."""
    cells: dict[str, int] = defaultdict(int)
    for (day, column), n in counts.items():
        if start <= day <= end and column in ("c4", "c5", "c8", "c9", "c10"):
            cells[column] += n
        if column == OPEN and day < start:
            cells["c6"] += n
        if column == OPEN and day <= end:
            cells["c11"] += n
        if column == OVERDUE and day <= end:
            cells["c13"] += n
    cells["c12"] = cells["c11"] - cells["c13"]
    return {c for c in ("c4", "c5", "c6", "c8", "c9", "c10", "c12", "c13") if cells[c] > 0}


GROUPS = {
    "c3": ("c4", "c5", "c6"),
    "c7": ("c8", "c9", "c10"),
    "c11": ("c12", "c13"),
}
