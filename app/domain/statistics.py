"""Report columns and timeliness of a dossier, from its history (form II.06a, Decision 766).

Pure: no I/O, no clock. A dossier's history is folded once into a ``Timeline``; ``columns()``
says which columns of form II.06a it falls into for a period, ``resolved_timeliness()`` and
``open_timeliness()`` judge it. Where the sources disagree the rule is a field of ``Reading``;
``NATIONAL`` is the national portal's (DVCQG) reading and the default:

* on time iff the end time ≤ the due date and time in force then; early iff it ends on a day
  before the due date (``compare="date"`` is the provincial reading: dates only);
* more than one supplement request during processing counts as late;
* the time a dossier waits for the citizen's supplement is not counted: the due date restarts
  when the documents arrive (Decree 61/2018 Art. 19.4), and with no due date the paused working
  days are subtracted from the elapsed ones before comparing with the legal time limit;
* a dossier waiting for a supplement is judged at the moment it was asked for;
* a dossier still open is judged at the end of the period (end of its last day);
* a withdrawn dossier counts as resolved on time (``withdrawn_on_time``);
* refused at reception or never received: not in the report at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from app.domain.calendar import Timeliness, WorkingCalendar, working_days_between

ONE_DAY = timedelta(days=1)


class Outcome(StrEnum):
    RESOLVED = "resolved"  # result approved
    REJECTED = "rejected"  # refusal after appraisal, returned like a result
    WITHDRAWN = "withdrawn"
    HALTED = "halted"


FINISHING = {
    "approve": Outcome.RESOLVED,
    "reject": Outcome.REJECTED,
    "withdraw": Outcome.WITHDRAWN,
    "halt": Outcome.HALTED,
}


@dataclass(frozen=True)
class Reading:
    """How to read the rules where the sources disagree (STATISTICS.md §1.2, §1.4)."""

    compare: str = "timestamp"  # "timestamp" (DVCQG) | "date" (provincial systems)
    max_supplements_on_time: int = 1  # more supplement requests than this: late
    withdrawn_on_time: bool = True  # a withdrawn dossier counts in col 9
    halted_on_time: bool = False  # a halted one is judged by its halt time like any other


NATIONAL = Reading()
COMPARISONS = ("timestamp", "date")


def _reading_field(key: str, value: Any) -> str | None:
    """Why ``value`` cannot be the field ``key`` of a Reading, or None when it can."""
    if key == "compare":
        return None if value in COMPARISONS else f"one of {', '.join(COMPARISONS)}"
    if key == "max_supplements_on_time":
        ok = type(value) is int and 0 <= value <= 10
        return None if ok else "a whole number from 0 to 10"
    if key in ("withdrawn_on_time", "halted_on_time"):
        return None if type(value) is bool else "true or false"
    return "not a field of the reading"


def reading_from(given: Mapping[str, Any]) -> Reading:
    """The reading a province configured (``MOTCUA_STATISTICS_READING``): the given fields over
    the national one. An unknown field or a wrong value raises ValueError naming it, so a typo
    cannot silently change the figures an office is judged by."""
    for key, value in given.items():
        if (why := _reading_field(key, value)) is not None:
            raise ValueError(f"MOTCUA_STATISTICS_READING: {key}={value!r}: {why}")
    return Reading(**given)


def reading_note(reading: Reading) -> str:
    """The reading in words, for the pages that show the figures (Vietnamese)."""
    if reading.compare == "date":
        end = "kết thúc trong hoặc trước ngày hẹn trả đang có hiệu lực (chỉ so ngày)"
    else:
        end = "kết thúc trước hoặc đúng thời điểm hẹn trả đang có hiệu lực"
    n = reading.max_supplements_on_time
    if n == 0:
        supplements = "hồ sơ có yêu cầu bổ sung tính là quá hạn"
    else:
        supplements = f"yêu cầu bổ sung quá {'một' if n == 1 else n} lần tính là quá hạn"
    parts = ["Đúng hạn: " + end, "thời gian chờ bổ sung không tính", supplements]
    withdrawn = "tính là đúng hạn" if reading.withdrawn_on_time else "tính theo thời điểm rút"
    parts.append("hồ sơ rút " + withdrawn)
    if reading.halted_on_time:
        parts.append("hồ sơ dừng xử lý tính là đúng hạn")
    parts.append("hồ sơ chưa xong được đánh giá tại thời điểm cuối kỳ")
    source = "Cổng Dịch vụ công quốc gia" if reading == NATIONAL else "tỉnh quy định riêng"
    return "; ".join(parts) + f" (cách tính của {source})."


@dataclass(frozen=True)
class Timeline:
    """What the statistics need from a dossier's history, in local time."""

    channel: str  # online | counter | post
    received_at: datetime | None  # first reception (None: never received, so excluded)
    finished_at: datetime | None = None
    outcome: Outcome | None = None
    dues: tuple[tuple[datetime, datetime | None], ...] = ()  # (from when, due date) in order
    supplements: tuple[tuple[datetime, datetime | None], ...] = ()  # (asked, supplied)
    time_limit_days: int | None = None  # legal limit in working days, for a missing due date

    @property
    def is_online(self) -> bool:
        return self.channel == "online"


def _parse(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def timeline_of(
    events: Iterable[Mapping[str, Any]], channel: str, time_limit_days: int | None = None
) -> Timeline:
    """Fold the history (rows of ``dossier_event`` in id order) into a ``Timeline``."""
    received_at = finished_at = None
    outcome = None
    dues: list[tuple[datetime, datetime | None]] = []
    supplements: list[list[datetime | None]] = []
    for event in events:
        at, action = event["at"], event["action"]
        data = event.get("data") or {}
        if "due_after" in data:
            dues.append((at, _parse(data["due_after"])))
        if finished_at is not None:
            continue
        if event["to_status"] == "received" and received_at is None:
            received_at = at
        if received_at is None:
            continue
        if action == "request_supplement":
            supplements.append([at, None])
        elif action == "supply" and event["from_status"] == "supplement_requested":
            if supplements and supplements[-1][1] is None:
                supplements[-1][1] = at
        elif action in FINISHING:
            finished_at, outcome = at, FINISHING[action]
    return Timeline(
        channel=channel,
        received_at=received_at,
        finished_at=finished_at,
        outcome=outcome,
        dues=tuple(dues),
        supplements=tuple((a, b) for a, b in supplements),
        time_limit_days=time_limit_days,
    )


def due_as_of(timeline: Timeline, moment: datetime) -> datetime | None:
    """The due date in force at ``moment``."""
    due = None
    for at, value in timeline.dues:
        if at > moment:
            break
        due = value
    return due


def end_of_day(day: date, like: datetime) -> datetime:
    """The first instant after ``day`` in the zone of ``like``."""
    return datetime.combine(day + ONE_DAY, time(0), tzinfo=like.tzinfo)


def _requests_by(timeline: Timeline, moment: datetime) -> int:
    return sum(1 for asked, _ in timeline.supplements if asked <= moment)


def _paused_working_days(timeline: Timeline, moment: datetime, cal: WorkingCalendar) -> int:
    paused = 0
    for asked, supplied in timeline.supplements:
        if asked > moment:
            continue
        until = min(supplied or moment, moment)
        paused += working_days_between(asked.date(), until.date(), cal)
    return paused


def _by_legal_limit(timeline: Timeline, moment: datetime, cal: WorkingCalendar) -> Timeliness:
    """No due date: elapsed working days, less the paused ones, against the legal limit."""
    if timeline.time_limit_days is None or timeline.received_at is None:
        return Timeliness.ON_TIME
    elapsed = working_days_between(timeline.received_at.date(), moment.date(), cal)
    elapsed -= _paused_working_days(timeline, moment, cal)
    if elapsed > timeline.time_limit_days:
        return Timeliness.OVERDUE
    return Timeliness.EARLY if elapsed < timeline.time_limit_days else Timeliness.ON_TIME


def _against_due(end: datetime, due: datetime, reading: Reading) -> Timeliness:
    end = end.astimezone(due.tzinfo) if end.tzinfo and due.tzinfo else end
    late = end.date() > due.date() if reading.compare == "date" else end > due
    if late:
        return Timeliness.OVERDUE
    return Timeliness.EARLY if end.date() < due.date() else Timeliness.ON_TIME


def judge(
    timeline: Timeline, moment: datetime, cal: WorkingCalendar, reading: Reading = NATIONAL
) -> Timeliness:
    """Early, on time or late if the dossier's clock is read at ``moment``."""
    if _requests_by(timeline, moment) > reading.max_supplements_on_time:
        return Timeliness.OVERDUE
    due = due_as_of(timeline, moment)
    if due is None:
        return _by_legal_limit(timeline, moment, cal)
    return _against_due(moment, due, reading)


def resolved_timeliness(
    timeline: Timeline, cal: WorkingCalendar, reading: Reading = NATIONAL
) -> Timeliness:
    """How a finished dossier was resolved (cols 8, 9, 10)."""
    assert timeline.finished_at is not None, "only finished dossiers are resolved"
    if timeline.outcome is Outcome.WITHDRAWN and reading.withdrawn_on_time:
        return Timeliness.ON_TIME
    if timeline.outcome is Outcome.HALTED and reading.halted_on_time:
        return Timeliness.ON_TIME
    return judge(timeline, timeline.finished_at, cal, reading)


def waiting_since(timeline: Timeline, moment: datetime) -> datetime | None:
    """When the supplement being waited for at ``moment`` was asked for, if one is."""
    for asked, supplied in timeline.supplements:
        if asked <= moment and (supplied is None or supplied > moment):
            return asked
    return None


def open_timeliness(
    timeline: Timeline, moment: datetime, cal: WorkingCalendar, reading: Reading = NATIONAL
) -> Timeliness:
    """An unfinished dossier read at ``moment``: ON_TIME (within time, col 12) or OVERDUE (13)."""
    if _requests_by(timeline, moment) > reading.max_supplements_on_time:
        return Timeliness.OVERDUE
    asked = waiting_since(timeline, moment)
    verdict = judge(timeline, asked or moment, cal, reading)
    return Timeliness.OVERDUE if verdict is Timeliness.OVERDUE else Timeliness.ON_TIME


# Columns of form II.06a. The totals (3, 7, 11) are sums of these, so they always add up.
RECEIVED_ONLINE = "c4"
RECEIVED_DIRECT = "c5"  # at the counter or by post
CARRIED_OVER = "c6"
RESOLVED_EARLY = "c8"
RESOLVED_ON_TIME = "c9"
RESOLVED_LATE = "c10"
OPEN_WITHIN = "c12"
OPEN_OVERDUE = "c13"
LEAF_COLUMNS = ("c4", "c5", "c6", "c8", "c9", "c10", "c12", "c13")
RESOLVED_BY = {
    Timeliness.EARLY: RESOLVED_EARLY,
    Timeliness.ON_TIME: RESOLVED_ON_TIME,
    Timeliness.OVERDUE: RESOLVED_LATE,
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")


def columns(
    timeline: Timeline, period: Period, cal: WorkingCalendar, reading: Reading = NATIONAL
) -> frozenset[str]:
    """The leaf columns of form II.06a the dossier falls into for ``period`` (empty: not in it).

    Every counted dossier has one "received" column (4, 5 or 6) and one "resolved" or "open"
    column (8–10 or 12–13), so col 3 = col 7 + col 11 holds by construction."""
    received = timeline.received_at
    if received is None or received.date() > period.end:
        return frozenset()
    finished = timeline.finished_at
    if finished is not None and finished.date() < period.start:
        return frozenset()
    if received.date() < period.start:
        came = CARRIED_OVER
    else:
        came = RECEIVED_ONLINE if timeline.is_online else RECEIVED_DIRECT
    if finished is not None and finished.date() <= period.end:
        went = RESOLVED_BY[resolved_timeliness(timeline, cal, reading)]
    else:
        moment = end_of_day(period.end, received)
        verdict = open_timeliness(timeline, moment, cal, reading)
        went = OPEN_OVERDUE if verdict is Timeliness.OVERDUE else OPEN_WITHIN
    return frozenset({came, went})


def totals(row: Mapping[str, int]) -> dict[str, int]:
    """A report row with its totals: col 3 = 4 + 5 + 6, col 7 = 8 + 9 + 10, col 11 = 12 + 13."""
    full = {c: int(row.get(c, 0)) for c in LEAF_COLUMNS}
    full["c3"] = full["c4"] + full["c5"] + full["c6"]
    full["c7"] = full["c8"] + full["c9"] + full["c10"]
    full["c11"] = full["c12"] + full["c13"]
    return full


def resolution_working_days(timeline: Timeline, cal: WorkingCalendar) -> int | None:
    """Working days from reception to the end, less the days waiting for a supplement."""
    if timeline.received_at is None or timeline.finished_at is None:
        return None
    days = working_days_between(timeline.received_at.date(), timeline.finished_at.date(), cal)
    return max(0, days - _paused_working_days(timeline, timeline.finished_at, cal))
