"""Working-day deadlines of a PAKN (Decision 766 formula 5.2), counted on the same calendar as
dossiers. The numbers are data (``DeadlineRules``), read from settings by the services.

* refuse or ask for more information ≤ 2 / 5 working days after receipt (the submission day);
* answer ≤ 15 working days after receipt (after the supplied information, when asked for);
* publish ≤ 2 working days after the answer.

The day of receipt is not counted (as for dossiers): a deadline of n working days ends on the
n-th working day after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.calendar import WorkingCalendar, add_working_days, working_days_between
from app.domain.feedback_flow import Status


@dataclass(frozen=True)
class DeadlineRules:
    refuse_days: int = 2
    request_info_days: int = 5
    answer_days: int = 15
    publish_days: int = 2
    due_soon_days: int = 2  # shown on the due-soon queue this many working days before


class Urgency(StrEnum):
    NONE = ""
    DUE_SOON = "soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Clock:
    """The dates a deadline counts from; None when that step has not happened."""

    started_on: date  # submission, or the day the supplied information arrived
    answered_on: date | None = None


def next_deadline(
    status: Status, clock: Clock, cal: WorkingCalendar, rules: DeadlineRules
) -> date | None:
    """The date by which the agency must take the next step, or None when nothing is due."""
    if status is Status.SUBMITTED:
        return add_working_days(clock.started_on, rules.refuse_days, cal)
    if status is Status.IN_PROGRESS:
        return add_working_days(clock.started_on, rules.answer_days, cal)
    if status is Status.ANSWERED and clock.answered_on is not None:
        return add_working_days(clock.answered_on, rules.publish_days, cal)
    return None


def answer_deadline(clock: Clock, cal: WorkingCalendar, rules: DeadlineRules) -> date:
    return add_working_days(clock.started_on, rules.answer_days, cal)


def urgency(
    due_on: date | None, today: date, cal: WorkingCalendar, rules: DeadlineRules
) -> Urgency:
    if due_on is None:
        return Urgency.NONE
    if today > due_on:
        return Urgency.OVERDUE
    if working_days_between(today, due_on, cal) <= rules.due_soon_days:
        return Urgency.DUE_SOON
    return Urgency.NONE


def due_soon_until(today: date, cal: WorkingCalendar, rules: DeadlineRules) -> date:
    """The last due date still "due soon" today: a PAKN due in [today, this day] is due soon,
    one due before today is overdue (``urgency`` is monotonic in the due date, so a count of
    each needs these two bounds only)."""
    last = today
    for _ in range(366):
        following = date.fromordinal(last.toordinal() + 1)
        if working_days_between(today, following, cal) > rules.due_soon_days:
            break
        last = following
    return last


def handled_on_time(
    clock: Clock, finished_on: date | None, today: date, cal: WorkingCalendar, rules: DeadlineRules
) -> bool:
    """Index 5.2: finished by the answer deadline; still open counts as on time until it."""
    deadline = answer_deadline(clock, cal, rules)
    return (finished_on or today) <= deadline
