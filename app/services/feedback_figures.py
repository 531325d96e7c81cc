"""Figures of the citizen's voice for the statistics: satisfaction per agency and period,
PAKN handled on time (index 5.2), and the share of finished dossiers with a "không hài lòng"
or a complaint. Periods are half-open local dates: ``start <= day < end``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from app.domain import feedback_flow as ff
from app.domain import ratings as rt
from app.domain.feedback_deadlines import Clock, handled_on_time
from app.models import Dossier, Feedback, Rating
from app.services.calendar import LOCAL_TZ, local_now, working_calendar
from app.services.feedback_steps import rules

FINISHED_DOSSIER = ("returned", "rejected")


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


async def satisfaction(start: date, end: date, agency_id: int | None = None) -> list[Satisfaction]:
    """Ratings given in the period, counted per agency and level."""
    lo, hi = _bounds(start, end)
    where = (Rating.created_at >= lo) & (Rating.created_at < hi)
    if agency_id is not None:
        where &= Rating.agency == agency_id
    rows = await Rating.select(Rating.agency, Rating.level).where(where).run()
    counts: dict[int, dict[int, int]] = {}
    for row in rows:
        per = counts.setdefault(row["agency"], {1: 0, 2: 0, 3: 0})
        per[row["level"]] += 1
    return [
        Satisfaction(
            agency,
            per[rt.Level.VERY_SATISFIED],
            per[rt.Level.SATISFIED],
            per[rt.Level.DISSATISFIED],
        )
        for agency, per in sorted(counts.items())
    ]


@dataclass(frozen=True)
class OnTime:
    total: int
    on_time: int

    @property
    def percent(self) -> float:
        return round(100 * self.on_time / self.total, 1) if self.total else 100.0


async def complaints_on_time(
    start: date, end: date, agency_id: int | None = None, today: date | None = None
) -> OnTime:
    """PAKN received in the period: how many were (or, still open, are) within the answer
    deadline. Those still waiting for the sender's information are left out (clock stopped)."""
    lo, hi = _bounds(start, end)
    where = (Feedback.created_at >= lo) & (Feedback.created_at < hi)
    where &= Feedback.status != ff.Status.INFO_REQUESTED.value
    if agency_id is not None:
        where &= Feedback.agency == agency_id
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


async def dissatisfied_share(start: date, end: date, agency_id: int | None = None) -> Share:
    """Dossiers finished in the period with a "không hài lòng" rating or a PAKN about them."""
    lo, hi = _bounds(start, end)
    where = Dossier.status.is_in(list(FINISHED_DOSSIER))
    where &= (Dossier.updated_at >= lo) & (Dossier.updated_at < hi)
    if agency_id is not None:
        where &= (Dossier.resolving_agency == agency_id) | (
            Dossier.resolving_agency.is_null() & (Dossier.receiving_agency == agency_id)
        )
    ids = {row["id"] for row in await Dossier.select(Dossier.id).where(where).run()}
    if not ids:
        return Share(0, 0)
    unhappy = (
        await Rating.select(Rating.dossier)
        .where(Rating.dossier.is_in(list(ids)) & (Rating.level == rt.Level.DISSATISFIED.value))
        .run()
    )
    complained = (
        await Feedback.select(Feedback.dossier).where(Feedback.dossier.is_in(list(ids))).run()
    )
    flagged = {r["dossier"] for r in unhappy} | {r["dossier"] for r in complained}
    return Share(len(ids), len(flagged))
