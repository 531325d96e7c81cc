"""Form II.06a columns and timeliness: every edge named in the rules, dossier by dossier."""

from datetime import date, datetime, time, timedelta

import pytest

from app.domain.calendar import VIETNAM_TZ, Timeliness, WorkingCalendar
from app.domain.statistics import (
    NATIONAL,
    Outcome,
    Period,
    Reading,
    Timeline,
    columns,
    open_timeliness,
    reading_from,
    reading_note,
    resolution_working_days,
    resolved_timeliness,
    timeline_of,
    totals,
)
from app.domain.statistics_days import OPEN, OVERDUE, columns_from_counts, day_counts

VN = WorkingCalendar.from_holidays_package(range(2025, 2028))
Q4 = Period(date(2026, 10, 1), date(2026, 12, 31))
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))


def at(d: date, hh: int = 9, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm), tzinfo=VIETNAM_TZ)


def dossier(
    received: datetime | None,
    due: datetime | None,
    finished: datetime | None = None,
    outcome: Outcome | None = Outcome.RESOLVED,
    channel: str = "online",
    supplements=(),
    limit: int | None = None,
    dues=None,
) -> Timeline:
    return Timeline(
        channel=channel,
        received_at=received,
        finished_at=finished,
        outcome=outcome if finished else None,
        dues=dues if dues is not None else ((received, due),) if received else (),
        supplements=tuple(supplements),
        time_limit_days=limit,
    )


def test_finished_at_17_00_on_the_due_date_is_on_time_and_a_minute_later_is_late():
    due = at(date(2026, 10, 20), 17)
    on_time = dossier(at(date(2026, 10, 13)), due, finished=due)
    late = dossier(at(date(2026, 10, 13)), due, finished=due + timedelta(minutes=1))
    assert resolved_timeliness(on_time, VN) is Timeliness.ON_TIME
    assert resolved_timeliness(late, VN) is Timeliness.OVERDUE
    assert columns(on_time, OCTOBER, VN) == {"c4", "c9"}
    assert columns(late, OCTOBER, VN) == {"c4", "c10"}


def test_finished_on_a_working_day_before_the_due_date_is_early():
    t = dossier(
        at(date(2026, 10, 13)), at(date(2026, 10, 20), 17), finished=at(date(2026, 10, 19), 16)
    )
    assert columns(t, OCTOBER, VN) == {"c4", "c8"}


def test_the_provincial_reading_compares_dates_only():
    due = at(date(2026, 10, 20), 17)
    t = dossier(at(date(2026, 10, 13)), due, finished=at(date(2026, 10, 20), 19))
    assert resolved_timeliness(t, VN) is Timeliness.OVERDUE
    assert resolved_timeliness(t, VN, Reading(compare="date")) is Timeliness.ON_TIME


def test_a_configured_reading_changes_only_the_fields_it_names():
    assert reading_from({}) == NATIONAL
    provincial = reading_from({"compare": "date", "max_supplements_on_time": 2})
    assert provincial == Reading(compare="date", max_supplements_on_time=2)
    assert provincial.withdrawn_on_time is NATIONAL.withdrawn_on_time


@pytest.mark.parametrize(
    "given",
    [
        {"compare": "day"},
        {"compare": None},
        {"max_supplements_on_time": "2"},
        {"max_supplements_on_time": True},  # a bool is not a count
        {"max_supplements_on_time": -1},
        {"max_supplements_on_time": 1.5},
        {"withdrawn_on_time": "yes"},
        {"halted_on_time": 1},
        {"on_time_share": 95},  # a target, not a field of the reading
    ],
)
def test_a_reading_with_an_unknown_field_or_a_wrong_value_is_refused_by_name(given):
    key = next(iter(given))
    with pytest.raises(ValueError, match=key):
        reading_from(given)


def test_the_pages_say_in_words_which_reading_the_figures_use():
    national = reading_note(NATIONAL)
    assert "thời điểm hẹn trả" in national and "quá một lần" in national
    assert national.endswith("(cách tính của Cổng Dịch vụ công quốc gia).")
    provincial = reading_note(Reading(compare="date", max_supplements_on_time=2))
    assert "(chỉ so ngày)" in provincial and "quá 2 lần" in provincial
    assert "Cổng Dịch vụ công quốc gia" not in provincial and "tỉnh quy định riêng" in provincial
    strict = reading_note(Reading(max_supplements_on_time=0, withdrawn_on_time=False))
    assert "hồ sơ có yêu cầu bổ sung tính là quá hạn" in strict
    assert "hồ sơ rút tính theo thời điểm rút" in strict


def test_due_today_and_still_open_is_within_time_during_the_day_and_overdue_after_it():
    due = at(date(2026, 10, 30), 17)
    t = dossier(at(date(2026, 10, 23)), due)
    assert open_timeliness(t, at(date(2026, 10, 30), 10), VN) is Timeliness.ON_TIME
    # the period ends with its last day: still open at the end of the due date is overdue
    assert columns(t, Period(date(2026, 10, 1), date(2026, 10, 30)), VN) == {"c4", "c13"}
    assert columns(t, Period(date(2026, 10, 1), date(2026, 10, 29)), VN) == {"c4", "c12"}


def test_a_due_date_moved_to_a_weekend_or_tet_is_judged_by_that_date():
    # an apology moved the due date to Saturday 31 Oct; finished Monday 2 Nov: late
    weekend = at(date(2026, 10, 31), 17)
    t = dossier(at(date(2026, 10, 13)), weekend, finished=at(date(2026, 11, 2), 8))
    assert resolved_timeliness(t, VN) is Timeliness.OVERDUE
    # due during Tết 2027 (6–10 Feb 2027 off): finished on the first day back, late
    tet = at(date(2027, 2, 8), 17)
    t = dossier(at(date(2027, 1, 25)), tet, finished=at(date(2027, 2, 11), 8))
    assert not VN.is_working_day(date(2027, 2, 8))
    assert resolved_timeliness(t, VN) is Timeliness.OVERDUE


def test_two_supplement_requests_count_as_late_even_before_the_due_date():
    received = at(date(2026, 10, 5))
    asks = [(at(date(2026, 10, 6)), at(date(2026, 10, 7))), (at(date(2026, 10, 8)), None)]
    t = dossier(received, at(date(2026, 10, 30), 17), supplements=asks)
    assert columns(t, OCTOBER, VN) == {"c4", "c13"}
    done = dossier(
        received, at(date(2026, 10, 30), 17), finished=at(date(2026, 10, 12)), supplements=asks
    )
    assert resolved_timeliness(done, VN) is Timeliness.OVERDUE
    assert resolved_timeliness(done, VN, Reading(max_supplements_on_time=2)) is Timeliness.EARLY


def test_one_supplement_waiting_is_within_time_when_asked_before_the_due_date():
    received = at(date(2026, 10, 5))
    t = dossier(received, at(date(2026, 10, 9), 17), supplements=[(at(date(2026, 10, 8)), None)])
    # the due date has passed, but the dossier waits for the citizen since before it
    assert columns(t, OCTOBER, VN) == {"c4", "c12"}


def test_supplement_time_is_subtracted_when_the_clock_restarts():
    received = at(date(2026, 10, 5))
    asked, supplied = at(date(2026, 10, 6)), at(date(2026, 10, 20))
    dues = ((received, at(date(2026, 10, 9), 17)), (supplied, at(date(2026, 10, 23), 17)))
    t = dossier(
        received, None, finished=at(date(2026, 10, 22)), supplements=[(asked, supplied)], dues=dues
    )
    assert resolved_timeliness(t, VN) is Timeliness.EARLY
    # 13 working days from 5 to 22 Oct, 10 of them waiting: 3 days of work
    assert resolution_working_days(t, VN) == 3


def test_no_due_date_is_judged_by_the_legal_time_limit_less_the_supplement_time():
    received = at(date(2026, 10, 5))  # Monday; 5 working days → Monday 12
    within = dossier(received, None, finished=at(date(2026, 10, 12)), limit=5)
    late = dossier(received, None, finished=at(date(2026, 10, 13)), limit=5)
    paused = dossier(
        received,
        None,
        finished=at(date(2026, 10, 13)),  # 6 working days, 2 of them waiting
        limit=5,
        supplements=[(at(date(2026, 10, 6)), at(date(2026, 10, 8)))],
    )
    assert resolved_timeliness(within, VN) is Timeliness.ON_TIME
    assert resolved_timeliness(late, VN) is Timeliness.OVERDUE
    assert resolved_timeliness(paused, VN) is Timeliness.EARLY
    assert resolved_timeliness(dossier(received, None, finished=at(date(2026, 12, 1))), VN) is (
        Timeliness.ON_TIME
    )  # no due date and no legal limit


def test_carried_over_from_the_previous_period_and_finished_in_this_one():
    t = dossier(at(date(2026, 9, 28)), at(date(2026, 10, 5), 17), finished=at(date(2026, 10, 2)))
    assert columns(t, OCTOBER, VN) == {"c6", "c8"}
    assert columns(t, Period(date(2026, 9, 1), date(2026, 9, 30)), VN) == {"c4", "c12"}
    # finished before the period: not in it at all
    assert columns(t, Period(date(2026, 11, 1), date(2026, 11, 30)), VN) == frozenset()


def test_received_at_the_counter_or_by_post_is_column_5():
    t = dossier(at(date(2026, 10, 5)), at(date(2026, 11, 9), 17), channel="post")
    assert columns(t, OCTOBER, VN) == {"c5", "c12"}


def test_withdrawn_counts_as_resolved_on_time_and_halted_by_its_halt_time():
    due = at(date(2026, 10, 9), 17)
    withdrawn = dossier(
        at(date(2026, 10, 5)), due, finished=at(date(2026, 10, 20)), outcome=Outcome.WITHDRAWN
    )
    halted = dossier(
        at(date(2026, 10, 5)), due, finished=at(date(2026, 10, 20)), outcome=Outcome.HALTED
    )
    assert columns(withdrawn, OCTOBER, VN) == {"c4", "c9"}
    assert columns(halted, OCTOBER, VN) == {"c4", "c10"}
    assert resolved_timeliness(halted, VN, Reading(halted_on_time=True)) is Timeliness.ON_TIME


def test_refused_at_reception_or_never_received_is_excluded():
    events = [
        {
            "at": at(date(2026, 10, 5)),
            "action": "submit",
            "from_status": "draft",
            "to_status": "submitted",
            "data": {},
        },
        {
            "at": at(date(2026, 10, 6)),
            "action": "refuse",
            "from_status": "submitted",
            "to_status": "refused",
            "data": {},
        },
    ]
    t = timeline_of(events, "online")
    assert t.received_at is None
    assert columns(t, OCTOBER, VN) == frozenset()
    assert day_counts(t, VN) == {}


def test_the_history_folds_into_receipt_supplements_due_dates_and_the_end():
    d = date(2026, 10, 5)
    due1, due2 = at(date(2026, 10, 9), 17), at(date(2026, 10, 16), 17)
    rows = [
        ("submit", "draft", "submitted", {"due_after": due1.isoformat()}),
        ("receive", "submitted", "received", {}),
        ("assign", "received", "in_progress", {}),
        ("request_supplement", "in_progress", "supplement_requested", {}),
        (
            "supply",
            "supplement_requested",
            "received",
            {"due_before": due1.isoformat(), "due_after": due2.isoformat()},
        ),
        ("assign", "received", "in_progress", {}),
        ("submit_for_approval", "in_progress", "awaiting_approval", {}),
        ("approve", "awaiting_approval", "result_ready", {}),
        ("return_result", "result_ready", "returned", {}),
    ]
    events = [
        {
            "at": at(d + timedelta(days=i)),
            "action": a,
            "from_status": f,
            "to_status": s,
            "data": data,
        }
        for i, (a, f, s, data) in enumerate(rows)
    ]
    t = timeline_of(events, "online", 4)
    assert t.received_at == at(d + timedelta(days=1))
    assert t.supplements == ((at(d + timedelta(days=3)), at(d + timedelta(days=4))),)
    assert t.dues == ((at(d), due1), (at(d + timedelta(days=4)), due2))
    assert t.finished_at == at(d + timedelta(days=7)) and t.outcome is Outcome.RESOLVED


def test_totals_add_up():
    row = totals({"c4": 3, "c5": 2, "c6": 1, "c8": 1, "c9": 2, "c10": 1, "c12": 1, "c13": 1})
    assert (row["c3"], row["c7"], row["c11"]) == (6, 4, 2)
    assert row["c3"] == row["c7"] + row["c11"]


def _sample() -> list[Timeline]:
    base = date(2026, 9, 20)
    out = []
    for i in range(40):
        received = at(base + timedelta(days=i * 3 % 60), 8 + i % 9)
        due = received + timedelta(days=4 + i % 6)
        finished = received + timedelta(days=i % 11, hours=i % 5) if i % 4 else None
        supplements = []
        if i % 5 == 0:
            supplements.append((received + timedelta(days=1), received + timedelta(days=3)))
        if i % 10 == 0:
            supplements.append(
                (received + timedelta(days=4), None if i % 20 else received + timedelta(days=5))
            )
        outcome = [Outcome.RESOLVED, Outcome.WITHDRAWN, Outcome.REJECTED, Outcome.HALTED][i % 4]
        out.append(
            dossier(
                received,
                due,
                finished=finished,
                outcome=outcome,
                channel=["online", "counter", "post"][i % 3],
                supplements=supplements,
            )
        )
    return out


@pytest.mark.parametrize(
    "period",
    [
        Q4,
        OCTOBER,
        Period(date(2026, 9, 25), date(2026, 10, 14)),
        Period(date(2026, 10, 10), date(2026, 10, 10)),
        Period(date(2026, 11, 2), date(2027, 1, 31)),
    ],
)
def test_daily_counts_sum_to_the_same_report_as_each_dossier_judged_alone(period):
    """The aggregates' arithmetic (sums in the period, running totals before and at its end)
    gives, for any period, what ``columns()`` gives dossier by dossier."""
    from collections import Counter

    expected: Counter = Counter()
    summed: Counter = Counter()
    for t in _sample():
        expected.update(columns(t, period, VN))
        counts = day_counts(t, VN)
        assert columns_from_counts(counts, period.start, period.end) == columns(t, period, VN)
        for (day, column), n in counts.items():
            if period.start <= day <= period.end and column in ("c4", "c5", "c8", "c9", "c10"):
                summed[column] += n
            if day < period.start and column == OPEN:
                summed["c6"] += n
            if day <= period.end and column == OPEN:
                summed["c11"] += n
            if day <= period.end and column == OVERDUE:
                summed["c13"] += n
    summed["c12"] = summed["c11"] - summed["c13"]
    del summed["c11"]
    assert +summed == +expected
    assert sum(expected.values()) > 0 and NATIONAL.compare == "timestamp"


def test_periods_cover_months_quarters_halves_nine_months_years_and_ranges():
    from app.domain.statistics_periods import PeriodChoice, PeriodInvalid, period_of

    assert period_of(PeriodChoice("thang", 2028, 2)) == Period(date(2028, 2, 1), date(2028, 2, 29))
    assert period_of(PeriodChoice("quy", 2026, 4)) == Q4
    assert period_of(PeriodChoice("6-thang", 2026)).end == date(2026, 6, 30)
    assert period_of(PeriodChoice("9-thang", 2026)).end == date(2026, 9, 30)
    assert period_of(PeriodChoice("nam", 2026)) == Period(date(2026, 1, 1), date(2026, 12, 31))
    free = PeriodChoice("khoang", 2026, start=date(2026, 10, 3), end=date(2026, 10, 9))
    assert period_of(free) == Period(date(2026, 10, 3), date(2026, 10, 9))
    for bad in (
        PeriodChoice("quy", 2026, 5),
        PeriodChoice("thang", 2026, 0),
        PeriodChoice("tuan", 2026),
        PeriodChoice("khoang", 2026, start=date(2026, 10, 9), end=date(2026, 10, 3)),
        PeriodChoice("khoang", 2026),
    ):
        with pytest.raises(PeriodInvalid):
            period_of(bad)


def test_public_figures_and_the_766_estimate_from_counts_worked_out_by_hand():
    from app.domain.statistics_figures import (
        Ratio,
        Voice,
        average_days,
        public_figures,
        self_assessment,
    )

    cells = totals({"c4": 6, "c5": 4, "c6": 2, "c8": 3, "c9": 2, "c10": 1, "c12": 5, "c13": 1})
    cells.update(
        fee_due=4, paid_online=1, digitised=8, e_result=3, resolved_days=21, resolved_count=5
    )
    figures = {f.key: f for f in public_figures(cells, procedures_online=2, online_procedures=8)}
    assert figures["on_time"].ratio == Ratio(10, 12)  # 3 + 2 + 5 of 6 + 6
    assert figures["online_share"].ratio == Ratio(6, 10)
    assert figures["online_payment"].ratio == Ratio(1, 4)
    assert figures["procedures_with_online"].ratio == Ratio(2, 8)
    assert figures["procedures_with_online"].meets_target is False  # 25 % < 50 %
    assert figures["satisfaction"].ratio is None  # nothing counted
    assert figures["flagged"].ratio is None
    assert average_days(cells) == 4.2
    score = {i.code: i for i in self_assessment(cells, 2, 8)}
    assert score["2.1"].points == round(20 * 10 / 12, 2)
    assert score["3.3"].points == 6  # 60 % ≥ 50 %: full points
    assert score["4.2"].points == 4  # 80 % ≥ 80 %
    assert score["5.4"].points is None
    assert score["5.2"].points is None
    voice = Voice(Ratio(9, 10), Ratio(3, 4), flagged=Ratio(1, 12))
    with_complaints = {i.code: i for i in self_assessment(cells, 2, 8, voice)}
    assert with_complaints["5.4"].ratio == Ratio(9, 12)  # 12 − (2 overdue + 1 complaint)
    assert with_complaints["5.4"].points == round(6 * 9 / 12 / 0.9, 2)
    assert with_complaints["5.2"].points == 4.5  # 6 × 3/4
    no_pakn = {
        i.code: i for i in self_assessment(cells, 2, 8, Voice(complaints_on_time=Ratio(0, 0)))
    }
    assert no_pakn["5.2"].points == 6  # no PAKN in the period: full points
    shown = {f.key: f for f in public_figures(cells, 2, 8, voice)}
    assert shown["satisfaction"].ratio == Ratio(9, 10)
    assert shown["satisfaction"].meets_target is True  # 90 % ≥ 90 %
    assert shown["complaints_on_time"].meets_target is False
    assert shown["flagged"].ratio.percent == round(100 / 12, 2)
    assert Ratio(0, 0).percent is None


def test_period_names_read_as_a_person_writes_them():
    from app.domain.statistics_periods import PeriodChoice, period_label, period_of

    def name(choice: PeriodChoice) -> str:
        return period_label(choice, period_of(choice)).split(" (")[0]

    assert name(PeriodChoice("thang", 2026, 2)) == "Tháng 2/2026"
    assert name(PeriodChoice("quy", 2026, 3)) == "Quý 3/2026"
    assert name(PeriodChoice("6-thang", 2026)) == "6 tháng năm 2026"
    assert name(PeriodChoice("9-thang", 2026)) == "9 tháng năm 2026"
    assert name(PeriodChoice("nam", 2026)) == "Năm 2026"  # not "Năm năm 2026"
    full = period_label(PeriodChoice("nam", 2026), period_of(PeriodChoice("nam", 2026)))
    assert full == "Năm 2026 (từ ngày 01/01/2026 đến ngày 31/12/2026)"
