"""The PAKN transition table and its working-day deadlines."""

from datetime import date

import pytest

from app.domain import feedback_flow as ff
from app.domain.calendar import WorkingCalendar
from app.domain.feedback_deadlines import (
    Clock,
    DeadlineRules,
    Urgency,
    answer_deadline,
    due_soon_until,
    handled_on_time,
    next_deadline,
    urgency,
)

S, A, R = ff.Status, ff.Action, ff.Role
RULES = DeadlineRules()
# Thursday 1 January 2026 is New Year's Day; the holiday below is a made-up Friday.
HOLIDAY = date(2026, 3, 13)
CAL = WorkingCalendar(public_holidays={HOLIDAY})


def test_an_officer_receives_refuses_or_asks_for_more_on_a_submission():
    names = [t.action for t in ff.options(ff.FeedbackFacts(S.SUBMITTED), R.OFFICER)]
    assert names == [A.RECEIVE, A.REFUSE, A.REQUEST_INFO]
    assert ff.options(ff.FeedbackFacts(S.SUBMITTED), R.SENDER) == []


def test_the_full_path_to_a_published_answer():
    facts = ff.FeedbackFacts(S.SUBMITTED, has_category=True)
    for action, expected in [
        (A.RECEIVE, S.IN_PROGRESS),
        (A.REQUEST_INFO, S.INFO_REQUESTED),
        (A.SUPPLY, S.IN_PROGRESS),
        (A.ANSWER, S.ANSWERED),
        (A.PUBLISH, S.PUBLISHED),
    ]:
        role = R.SENDER if action is A.SUPPLY else R.OFFICER
        decision = ff.decide(facts, action, role, "nội dung")
        assert decision.to_status is expected
        facts = ff.FeedbackFacts(decision.to_status, has_category=True)
    assert ff.options(facts, R.OFFICER) == []


def test_refusal_requires_a_reason():
    with pytest.raises(ff.Refused, match="lý do từ chối"):
        ff.decide(ff.FeedbackFacts(S.SUBMITTED), A.REFUSE, R.OFFICER, "   ")


def test_an_answer_needs_a_classification_first():
    with pytest.raises(ff.Refused, match="phân loại"):
        ff.decide(ff.FeedbackFacts(S.IN_PROGRESS), A.ANSWER, R.OFFICER, "Trả lời")


def test_a_sender_cannot_answer_and_an_officer_cannot_supply():
    with pytest.raises(ff.Refused, match="quyền"):
        ff.decide(ff.FeedbackFacts(S.IN_PROGRESS, True), A.ANSWER, R.SENDER, "x")
    with pytest.raises(ff.Refused, match="quyền"):
        ff.decide(ff.FeedbackFacts(S.INFO_REQUESTED), A.SUPPLY, R.OFFICER, "x")


def test_nothing_can_be_published_before_it_is_answered():
    with pytest.raises(ff.Refused, match="công khai"):
        ff.decide(ff.FeedbackFacts(S.IN_PROGRESS, True), A.PUBLISH, R.OFFICER)


def test_every_status_and_action_has_a_vietnamese_label():
    assert set(ff.STATUS_LABELS) == set(S)
    assert set(ff.ACTION_LABELS) == set(A)


def test_the_answer_deadline_skips_weekends_and_a_holiday():
    # Monday 2 March 2026 + 15 working days: three weekends and the Friday 13 March holiday.
    clock = Clock(started_on=date(2026, 3, 2))
    assert answer_deadline(clock, CAL, RULES) == date(2026, 3, 24)
    assert answer_deadline(clock, WorkingCalendar(), RULES) == date(2026, 3, 23)


def test_the_next_deadline_follows_the_status():
    clock = Clock(started_on=date(2026, 3, 12), answered_on=date(2026, 3, 12))
    # Thursday 12 → Monday 16 (Friday 13 is the holiday) → Tuesday 17.
    assert next_deadline(S.SUBMITTED, clock, CAL, RULES) == date(2026, 3, 17)
    assert next_deadline(S.ANSWERED, clock, CAL, RULES) == date(2026, 3, 17)
    assert next_deadline(S.PUBLISHED, clock, CAL, RULES) is None
    assert next_deadline(S.INFO_REQUESTED, clock, CAL, RULES) is None


def test_the_numbers_are_configurable():
    clock = Clock(started_on=date(2026, 3, 2))
    rules = DeadlineRules(answer_days=10)
    assert answer_deadline(clock, WorkingCalendar(), rules) == date(2026, 3, 16)


def test_due_soon_and_overdue():
    due = date(2026, 3, 17)
    assert urgency(due, date(2026, 3, 12), CAL, RULES) is Urgency.DUE_SOON  # 2 working days
    assert urgency(due, date(2026, 3, 11), CAL, RULES) is Urgency.NONE  # 3 working days
    assert urgency(due, date(2026, 3, 17), CAL, RULES) is Urgency.DUE_SOON
    assert urgency(due, date(2026, 3, 18), CAL, RULES) is Urgency.OVERDUE
    assert urgency(None, date(2026, 3, 18), CAL, RULES) is Urgency.NONE


@pytest.mark.parametrize("days", [0, 1, 2, 5])
def test_the_due_soon_bound_agrees_with_urgency_day_by_day_across_weekends_and_a_holiday(days):
    rules = DeadlineRules(due_soon_days=days)
    for start in range(60):  # every weekday of March and April 2026, the holiday included
        today = date.fromordinal(date(2026, 3, 1).toordinal() + start)
        until = due_soon_until(today, CAL, rules)
        for ahead in range(-3, 20):
            due = date.fromordinal(today.toordinal() + ahead)
            expected = urgency(due, today, CAL, rules)
            counted = (
                Urgency.OVERDUE
                if due < today
                else Urgency.DUE_SOON
                if due <= until
                else Urgency.NONE
            )
            assert counted is expected, (today, due)


def test_the_due_soon_bound_before_a_holiday_weekend():
    # Thursday 12 March: Friday 13 is the holiday, so two working days reach Tuesday 17.
    assert due_soon_until(date(2026, 3, 12), CAL, RULES) == date(2026, 3, 17)


def test_handled_on_time_counts_an_open_one_as_on_time_until_the_deadline():
    clock = Clock(started_on=date(2026, 3, 2))
    assert handled_on_time(clock, date(2026, 3, 24), date(2026, 4, 1), CAL, RULES)
    assert not handled_on_time(clock, date(2026, 3, 25), date(2026, 4, 1), CAL, RULES)
    assert handled_on_time(clock, None, date(2026, 3, 24), CAL, RULES)
    assert not handled_on_time(clock, None, date(2026, 3, 25), CAL, RULES)
