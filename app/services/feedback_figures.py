"""Figures of the citizen's voice for the statistics: satisfaction per agency and period,
PAKN handled on time (index 5.2), and the share of finished dossiers with a "không hài lòng"
or a complaint (index 5.4). Periods are half-open local dates: ``start <= day < end``; an
agency is one id, a list of ids, or None (all).

A dossier's agency and end date are those of the report (``statistic_dossier``: the resolving
agency, and the day it was resolved or rejected), so the share's denominator is the report's
"resolved or rejected" count of the same period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from piccolo.query.functions.aggregate import Count

from app.domain import feedback_flow as ff
from app.domain import ratings as rt
from app.domain.feedback_deadlines import Clock, handled_on_time
from app.models import Feedback, Rating, StatisticDossier
from app.services.calendar import LOCAL_TZ, local_now, working_calendar
from app.services.feedback_steps import rules

Agencies = int | list[int] | None


def _of_agency(column, agency: Agencies):
    if agency is None:
        return None
    return column.is_in(agency or [0]) if isinstance(agency, list) else column == agency


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time(), LOCAL_TZ), datetime.combine(end, time(), LOCAL_TZ)


@dataclass(frozen=True)
class Satisfaction:
    agency_id: int
    very_satisfied: int
    satisfied: int
    dissatisfied: int

    @property
    def total(self) -> int:
        return self.very_satisfied + self.satisfied + self.dissatisfied

    @property
    def satisfied_percent(self) -> float:
        """Share of "rất hài lòng" and "hài lòng" among the ratings, 0–100."""
        good = self.very_satisfied + self.satisfied
        return round(100 * good / self.total, 1) if self.total else 0.0


async def satisfaction(start: date, end: date, agency_id: Agencies = None) -> list[Satisfaction]:
    """Ratings given in the period, counted per agency and level."""
    lo, hi = _bounds(start, end)
    where = (Rating.created_at >= lo) & (Rating.created_at < hi)
    if (of := _of_agency(Rating.agency, agency_id)) is not None:
        where &= of
    rows = (
        await Rating.select(Rating.agency, Rating.level, Count(Rating.id, alias="n"))
        .where(where)
        .group_by(Rating.agency, Rating.level)
        .run()
    )
    counts: dict[int, dict[int, int]] = {}
    for row in rows:
        per = counts.setdefault(row["agency"], {1: 0, 2: 0, 3: 0})
        per[row["level"]] += row["n"]
    return [
        Satisfaction(
            agency,
            per[rt.Level.VERY_SATISFIED],
            per[rt.Level.SATISFIED],
            per[rt.Level.DISSATISFIED],
        )
        for agency, per in sorted(counts.items(), key=lambda item: item[0] or 0)
    ]


@dataclass(frozen=True)
class OnTime:
    total: int
    on_time: int

    @property
    def percent(self) -> float:
        return round(100 * self.on_time / self.total, 1) if self.total else 100.0


async def complaints_on_time(
    start: date, end: date, agency_id: Agencies = None, today: date | None = None
) -> OnTime:
    """PAKN received in the period: how many were (or, still open, are) within the answer
    deadline. Those still waiting for the sender's information are left out (clock stopped)."""
    lo, hi = _bounds(start, end)
    where = (Feedback.created_at >= lo) & (Feedback.created_at < hi)
    where &= Feedback.status != ff.Status.INFO_REQUESTED.value
    if (of := _of_agency(Feedback.agency, agency_id)) is not None:
        where &= of
    rows = (
        await Feedback.select(Feedback.clock_started_on, Feedback.finished_on, Feedback.answered_on)
        .where(where)
        .run()
    )
    cal, r = await working_calendar(), rules()
    today = today or local_now().date()
    on_time = sum(
        handled_on_time(Clock(row["clock_started_on"]), row["finished_on"], today, cal, r)
        for row in rows
    )
    return OnTime(len(rows), on_time)


@dataclass(frozen=True)
class Share:
    finished: int
    with_dissatisfaction_or_complaint: int

    @property
    def percent(self) -> float:
        n = self.with_dissatisfaction_or_complaint
        return round(100 * n / self.finished, 1) if self.finished else 0.0


async def flagged_dossiers(start: date, end: date, agency_id: Agencies = None) -> int:
    """Dossiers resolved or rejected in the period with a "không hài lòng" rating or a PAKN
    about them (the few flagged dossiers are looked up, not the period's dossiers)."""
    unhappy = await Rating.select(Rating.dossier).where(Rating.level == rt.Level.DISSATISFIED.value)
    complained = await Feedback.select(Feedback.dossier).where(Feedback.dossier.is_not_null())
    ids = sorted({r["dossier"] for r in unhappy} | {r["dossier"] for r in complained})
    if not ids:
        return 0
    where = (StatisticDossier.finished_on >= start) & (StatisticDossier.finished_on < end)
    where &= StatisticDossier.work_days.is_not_null()
    if (of := _of_agency(StatisticDossier.agency, agency_id)) is not None:
        where &= of
    found = 0
    for first in range(0, len(ids), 500):
        part = StatisticDossier.dossier.is_in(ids[first : first + 500])
        found += await StatisticDossier.count().where(where & part)
    return found


async def dissatisfied_share(start: date, end: date, agency_id: Agencies = None) -> Share:
    """Dossiers resolved or rejected in the period, and how many of them were flagged."""
    where = (StatisticDossier.finished_on >= start) & (StatisticDossier.finished_on < end)
    where &= StatisticDossier.work_days.is_not_null()
    if (of := _of_agency(StatisticDossier.agency, agency_id)) is not None:
        where &= of
    finished = await StatisticDossier.count().where(where)
    return Share(finished, await flagged_dossiers(start, end, agency_id))
