"""Working days, office hours and due dates of dossiers (pure: "now" is always passed in).

Conventions (brief 4.2–4.3; the [A]/[S] ones are parameters, not constants):

* The day a dossier is received is not counted; a time limit in working days ends on the n-th
  working day after it (Civil Code 2015 Arts. 147–148 [A]).
* A dossier received on a day off, or after closing time, counts as received at the opening of the
  next working day; before opening on a working day, at that day's opening ([S]).
* Due "at end of day" (closing time, the default) or "at the same clock time" is a setting
  (:class:`DueTime`).
* A supplement during appraisal restarts the clock from zero (Decree 61/2018 Art. 19.4):
  :func:`restart_due_at`. Statistics that subtract the waiting time use
  :func:`working_days_between`.

Datetimes: aware values are converted to ``OfficeHours.tz`` (Vietnam, UTC+7, by default) before
reading their date and clock time; naive values are taken as local wall-clock time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum

import holidays

ONE_DAY = timedelta(days=1)
SATURDAY, SUNDAY = 5, 6  # date.weekday()
DEFAULT_REST_DAYS = frozenset({SATURDAY, SUNDAY})  # state agencies [A]
VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")  # no daylight saving time


class TimeUnit(StrEnum):
    WORKING_DAY = "working_day"
    DAY = "day"  # calendar days; a last day off moves to the next working day
    HOUR = "hour"  # working hours inside office hours
    SAME_DAY = "same_day"


class DueTime(StrEnum):
    END_OF_DAY = "end_of_day"  # closing time of the due date
    SAME_CLOCK_TIME = "same_clock_time"  # the (effective) clock time of receipt


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    OVERDUE = "overdue"


TIMELINESS_LABELS = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.OVERDUE: "Quá hạn",
}


def _frozen(self: object, name: str) -> None:
    object.__setattr__(self, name, frozenset(getattr(self, name)))


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days. Any iterable is accepted for the sets.

    A declared working day (e.g. a swapped Saturday) wins over the weekly rest days; a date cannot
    be both a declared working day and a holiday or day off.
    """

    public_holidays: frozenset[date] = frozenset()
    extra_days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    weekly_rest_days: frozenset[int] = DEFAULT_REST_DAYS

    def __post_init__(self) -> None:
        for name in ("public_holidays", "extra_days_off", "working_days", "weekly_rest_days"):
            _frozen(self, name)
        if not self.weekly_rest_days <= set(range(7)) or len(self.weekly_rest_days) == 7:
            raise ValueError("weekly_rest_days must be weekday numbers 0–6, not all of them")
        clash = self.working_days & (self.public_holidays | self.extra_days_off)
        if clash:
            raise ValueError(f"declared both working and off: {sorted(clash)}")

    @classmethod
    def from_holidays_package(
        cls,
        years: Iterable[int],
        extra_days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
        weekly_rest_days: Iterable[int] = DEFAULT_REST_DAYS,
    ) -> WorkingCalendar:
        """Vietnam's holidays from the ``holidays`` package, then the caller's overrides.

        The package (country "VN") gives the statutory holidays with Tết and the Hùng Kings'
        day, the compensatory days of Labour Code Art. 111.3 (as "observed" days) and the
        swapped days it knows of (the day off, plus the Saturday worked in exchange). The
        arguments are the official notices and win: a date in ``working_days`` is removed from
        the package's holidays, a date in ``extra_days_off`` from its swapped working days.
        """
        country = holidays.country_holidays("VN", years=list(years))
        extra_days_off, working_days = frozenset(extra_days_off), frozenset(working_days)
        return cls(
            public_holidays=frozenset(country) - working_days,
            extra_days_off=extra_days_off,
            working_days=(frozenset(country.weekend_workdays) - extra_days_off) | working_days,
            weekly_rest_days=frozenset(weekly_rest_days),
        )

    def is_working_day(self, d: date) -> bool:
        if d in self.working_days:
            return True
        if d in self.public_holidays or d in self.extra_days_off:
            return False
        return d.weekday() not in self.weekly_rest_days

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return add_working_days(d, 1, self)

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        return subtract_working_days(d, 1, self)


def compensatory_days(
    public_holidays: Iterable[date], weekly_rest_days: Iterable[int] = DEFAULT_REST_DAYS
) -> frozenset[date]:
    """Labour Code 2019 Art. 111.3: each holiday on a weekly rest day gives a day off on the next
    day that is neither a rest day, a holiday nor an earlier compensatory day.

    For seeding a calendar from a bare statutory list; the ``holidays`` package already adds them.
    """
    rest = frozenset(weekly_rest_days)
    originals = sorted(set(public_holidays))
    taken = set(originals)
    result: set[date] = set()
    for holiday in originals:
        if holiday.weekday() not in rest:
            continue
        d = holiday + ONE_DAY
        while d.weekday() in rest or d in taken:
            d += ONE_DAY
        taken.add(d)
        result.add(d)
    return frozenset(result)


@dataclass(frozen=True)
class OfficeHours:
    """Opening and closing time of the desk; ``cutoff_at`` is the 15:00 rule of Decree 61/2018."""

    opens_at: time = time(7, 30)
    closes_at: time = time(17, 0)
    cutoff_at: time = time(15, 0)
    tz: tzinfo = field(default=VIETNAM_TZ)

    def __post_init__(self) -> None:
        if not self.opens_at <= self.cutoff_at <= self.closes_at or self.opens_at == self.closes_at:
            raise ValueError("office hours need opens_at <= cutoff_at <= closes_at, opens < closes")


def add_working_days(start: date, n: int, cal: WorkingCalendar) -> date:
    """The n-th working day after ``start`` (``start`` itself is not counted; n=0 → start)."""
    if n < 0:
        raise ValueError("n must not be negative; use subtract_working_days")
    d = start
    while n > 0:
        d += ONE_DAY
        if cal.is_working_day(d):
            n -= 1
    return d


def subtract_working_days(start: date, n: int, cal: WorkingCalendar) -> date:
    """The n-th working day before ``start`` (``start`` itself is not counted)."""
    if n < 0:
        raise ValueError("n must not be negative; use add_working_days")
    d = start
    while n > 0:
        d -= ONE_DAY
        if cal.is_working_day(d):
            n -= 1
    return d


def working_days_between(a: date, b: date, cal: WorkingCalendar) -> int:
    """Working days in (a, b]: ``a`` not counted, ``b`` counted; negative when b < a.

    The inverse of :func:`add_working_days`: ``working_days_between(a, add_working_days(a, n))``
    is n.
    """
    if b < a:
        return -working_days_between(b, a, cal)
    count, d = 0, a
    while d < b:
        d += ONE_DAY
        count += cal.is_working_day(d)
    return count


def _local(moment: datetime, hours: OfficeHours) -> datetime:
    return moment.astimezone(hours.tz) if moment.tzinfo else moment


def _on(d: date, t: time, like: datetime) -> datetime:
    return datetime.combine(d, t, tzinfo=like.tzinfo)


def effective_received_at(
    received_at: datetime, cal: WorkingCalendar, hours: OfficeHours
) -> datetime:
    """When the clock considers the dossier received: inside office hours of a working day."""
    local = _local(received_at, hours)
    d, t = local.date(), local.time()
    if cal.is_working_day(d) and t <= hours.closes_at:
        return max(local, _on(d, hours.opens_at, local))
    return _on(cal.next_working_day(d), hours.opens_at, local)


def counting_start(received_at: datetime, cal: WorkingCalendar, hours: OfficeHours) -> date:
    """The day of (effective) receipt, the day the counting starts from — itself not counted."""
    return effective_received_at(received_at, cal, hours).date()


def _add_working_hours(
    start: datetime, n: int, cal: WorkingCalendar, hours: OfficeHours
) -> datetime:
    current, remaining = start, timedelta(hours=n)
    while True:
        available = _on(current.date(), hours.closes_at, current) - current
        if remaining <= available:
            return current + remaining
        remaining -= available
        current = _on(cal.next_working_day(current.date()), hours.opens_at, current)


def _same_day_due(
    start: datetime, cal: WorkingCalendar, hours: OfficeHours, after_cutoff_next_day: bool
) -> datetime:
    day = start.date()
    if after_cutoff_next_day and start.time() > hours.cutoff_at:
        day = cal.next_working_day(day)
    return _on(day, hours.closes_at, start)


def _due_date(start: date, value: int, unit: TimeUnit, cal: WorkingCalendar) -> date:
    if unit is TimeUnit.WORKING_DAY:
        return add_working_days(start, value, cal)
    d = start + timedelta(days=value)
    return d if cal.is_working_day(d) else cal.next_working_day(d)


def due_at(
    received_at: datetime,
    value: int | None,
    unit: str,
    cal: WorkingCalendar,
    hours: OfficeHours,
    after_cutoff_next_day: bool,
    *,
    due_time: DueTime = DueTime.END_OF_DAY,
) -> datetime | None:
    """The due date and time of a dossier received at ``received_at``; None without a limit.

    * ``working_day`` / ``day``: see the module docstring; ``due_time`` picks the clock time.
    * ``hour``: working hours counted inside office hours, exact to the minute.
    * ``same_day``: closing time of the day of receipt (``value`` is ignored); when received
      after the cut-off and ``after_cutoff_next_day``, closing time of the next working day.
    """
    unit = TimeUnit(unit)
    start = effective_received_at(received_at, cal, hours)
    if unit is TimeUnit.SAME_DAY:
        return _same_day_due(start, cal, hours, after_cutoff_next_day)
    if value is None:
        return None
    if value < 0:
        raise ValueError("a time limit cannot be negative")
    if unit is TimeUnit.HOUR:
        return _add_working_hours(start, value, cal, hours)
    due_on = _due_date(start.date(), value, unit, cal)
    clock = hours.closes_at if due_time is DueTime.END_OF_DAY else start.time()
    return _on(due_on, clock, start)


def restart_due_at(
    supplied_at: datetime,
    value: int | None,
    unit: str,
    cal: WorkingCalendar,
    hours: OfficeHours,
    after_cutoff_next_day: bool,
    *,
    due_time: DueTime = DueTime.END_OF_DAY,
) -> datetime | None:
    """The new due date once the complete dossier is supplied: the clock restarts from zero
    (Decree 61/2018 Art. 19.4) — the whole time limit counted from ``supplied_at``."""
    return due_at(supplied_at, value, unit, cal, hours, after_cutoff_next_day, due_time=due_time)


def transfer_due_at(received_at: datetime, cal: WorkingCalendar, hours: OfficeHours) -> datetime:
    """Decree 61/2018 Art. 18: a paper dossier goes to the competent agency the same working day,
    or at the opening of the next working day when received after the cut-off."""
    start = effective_received_at(received_at, cal, hours)
    if start.time() > hours.cutoff_at:
        return _on(cal.next_working_day(start.date()), hours.opens_at, start)
    return _on(start.date(), hours.closes_at, start)


def supplement_request_due_at(
    received_at: datetime, cal: WorkingCalendar, hours: OfficeHours, working_days: int = 3
) -> datetime:
    """Decree 61/2018 Art. 19.4: an insufficient dossier goes back with a supplement request
    within 3 working days of receipt, unless sector law says otherwise (hence the parameter)."""
    start = effective_received_at(received_at, cal, hours)
    return _on(add_working_days(start.date(), working_days, cal), hours.closes_at, start)


def apology_due_at(
    due_at: datetime, cal: WorkingCalendar, hours: OfficeHours, working_days_before: int = 1
) -> datetime:
    """Decree 61/2018 Art. 19.9: the apology for a late dossier is sent at least one day before
    the due date — here by closing time of the working day(s) before it (a day off cannot count).
    """
    local = _local(due_at, hours)
    day = subtract_working_days(local.date(), working_days_before, cal)
    return _on(day, hours.closes_at, local)


def timeliness(finished_at: datetime, due_at: datetime) -> Timeliness:
    """Early if finished before the due date, on time on the due date up to ``due_at``, else
    overdue (the flags of form 05 and of the 766 index)."""
    if finished_at.tzinfo and due_at.tzinfo:
        finished_at = finished_at.astimezone(due_at.tzinfo)
    if finished_at > due_at:
        return Timeliness.OVERDUE
    return Timeliness.EARLY if finished_at.date() < due_at.date() else Timeliness.ON_TIME
