from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest

from app.domain.calendar import (
    TIMELINESS_LABELS,
    VIETNAM_TZ,
    DueTime,
    OfficeHours,
    Timeliness,
    TimeUnit,
    WorkingCalendar,
    add_working_days,
    apology_due_at,
    compensatory_days,
    counting_start,
    due_at,
    effective_received_at,
    restart_due_at,
    subtract_working_days,
    supplement_request_due_at,
    timeliness,
    transfer_due_at,
    working_days_between,
)

HOURS = OfficeHours()
PLAIN = WorkingCalendar()  # weekends only
VN = WorkingCalendar.from_holidays_package(range(2024, 2028))

# A plain week in March 2025: Fri 7, Mon 10 … Fri 14.
FRI = date(2025, 3, 7)
MON = date(2025, 3, 10)


def at(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm))


def due(received_at, value, unit="working_day", cal=PLAIN, next_day=True, **kw):
    return due_at(received_at, value, unit, cal, HOURS, next_day, **kw)


# The calendar ---------------------------------------------------------------------------------


def test_weekends_are_days_off_and_weekdays_are_working_days():
    assert PLAIN.is_working_day(FRI)
    assert not PLAIN.is_working_day(date(2025, 3, 8))
    assert not PLAIN.is_working_day(date(2025, 3, 9))
    assert PLAIN.is_working_day(MON)


def test_public_holidays_and_extra_days_off_are_not_working_days():
    cal = WorkingCalendar(public_holidays={MON}, extra_days_off=[date(2025, 3, 11)])
    assert not cal.is_working_day(MON)
    assert not cal.is_working_day(date(2025, 3, 11))
    assert cal.is_working_day(date(2025, 3, 12))


def test_a_declared_working_saturday_is_a_working_day():
    cal = WorkingCalendar(working_days={date(2025, 3, 8)})
    assert cal.is_working_day(date(2025, 3, 8))
    assert not cal.is_working_day(date(2025, 3, 9))


def test_a_day_cannot_be_declared_both_working_and_off():
    with pytest.raises(ValueError, match="both working and off"):
        WorkingCalendar(public_holidays={MON}, working_days={MON})
    with pytest.raises(ValueError):
        WorkingCalendar(extra_days_off={MON}, working_days={MON})


def test_weekly_rest_days_are_configurable_but_not_every_day():
    sunday_only = WorkingCalendar(weekly_rest_days={6})
    assert sunday_only.is_working_day(date(2025, 3, 8))
    assert not sunday_only.is_working_day(date(2025, 3, 9))
    with pytest.raises(ValueError):
        WorkingCalendar(weekly_rest_days=range(7))
    with pytest.raises(ValueError):
        WorkingCalendar(weekly_rest_days={7})


def test_calendar_accepts_any_iterable_and_is_immutable_and_hashable():
    cal = WorkingCalendar(public_holidays=[MON, MON])
    assert cal.public_holidays == frozenset({MON})
    assert hash(cal) == hash(WorkingCalendar(public_holidays={MON}))
    with pytest.raises(AttributeError):
        cal.public_holidays = frozenset()  # type: ignore[misc]


def test_next_and_previous_working_day_skip_days_off():
    assert PLAIN.next_working_day(FRI) == MON
    assert PLAIN.previous_working_day(MON) == FRI
    assert PLAIN.next_working_day(date(2025, 3, 8)) == MON


# The holidays package (Vietnam) -----------------------------------------------------------------


def test_package_gives_tet_2026_as_monday_16_to_friday_20_february():
    february = {d for d in VN.public_holidays if (d.year, d.month) == (2026, 2)}
    assert february == {date(2026, 2, d) for d in range(16, 21)}
    assert VN.is_working_day(date(2026, 2, 13))
    assert VN.is_working_day(date(2026, 2, 23))


def test_package_gives_a_compensatory_day_for_hung_kings_day_2026_on_a_sunday():
    assert date(2026, 4, 26).weekday() == 6
    assert not VN.is_working_day(date(2026, 4, 27))
    assert VN.is_working_day(date(2026, 4, 28))


def test_package_gives_a_compensatory_day_for_labour_day_2027_on_a_saturday():
    assert date(2027, 5, 1).weekday() == 5
    assert not VN.is_working_day(date(2027, 5, 3))


def test_package_swaps_saturday_26_april_2025_for_friday_2_may():
    assert VN.is_working_day(date(2025, 4, 26))
    assert not VN.is_working_day(date(2025, 5, 2))


def test_package_swaps_saturday_22_august_2026_for_monday_31_august():
    assert VN.is_working_day(date(2026, 8, 22))
    assert not VN.is_working_day(date(2026, 8, 31))
    assert not VN.is_working_day(date(2026, 9, 1))
    assert not VN.is_working_day(date(2026, 9, 2))


def test_official_notices_override_the_package():
    cal = WorkingCalendar.from_holidays_package(
        [2026],
        extra_days_off=[date(2026, 8, 22), date(2026, 2, 13)],
        working_days=[date(2026, 2, 20), date(2026, 2, 28)],
    )
    assert cal.is_working_day(date(2026, 2, 20))  # package holiday declared worked
    assert cal.is_working_day(date(2026, 2, 28))  # a Saturday declared worked
    assert not cal.is_working_day(date(2026, 2, 13))  # extra day off before Tết
    assert not cal.is_working_day(date(2026, 8, 22))  # the package's swapped Saturday cancelled


def test_compensatory_days_follow_labour_code_article_111_3():
    # 30 April 2022 was a Saturday and 1 May a Sunday: Monday 2 and Tuesday 3 May off.
    days = compensatory_days({date(2022, 4, 30), date(2022, 5, 1), date(2022, 9, 2)})
    assert days == {date(2022, 5, 2), date(2022, 5, 3)}


def test_compensatory_day_skips_a_holiday_that_follows_the_weekend():
    days = compensatory_days({date(2025, 3, 8), date(2025, 3, 10)})
    assert days == {date(2025, 3, 11)}


@pytest.mark.parametrize("year", range(2022, 2034))
def test_package_covers_article_111_3_for_holidays_outside_tet(year):
    statutory = holidays.country_holidays("VN", years=year, observed=False)
    outside_tet = {d for d in statutory if d.month > 2 or d == date(year, 1, 1)}
    with_observed = set(holidays.country_holidays("VN", years=year))
    assert compensatory_days(outside_tet) <= with_observed


# Counting working days ----------------------------------------------------------------------------


def test_the_first_day_is_not_counted():
    assert add_working_days(MON, 1, PLAIN) == date(2025, 3, 11)
    assert add_working_days(MON, 0, PLAIN) == MON


def test_adding_working_days_skips_the_weekend():
    assert add_working_days(FRI, 1, PLAIN) == MON
    assert add_working_days(FRI, 3, PLAIN) == date(2025, 3, 12)


def test_adding_working_days_skips_holidays_and_extra_days_off():
    cal = WorkingCalendar(public_holidays={MON}, extra_days_off={date(2025, 3, 11)})
    assert add_working_days(FRI, 1, cal) == date(2025, 3, 12)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        add_working_days(MON, -1, PLAIN)
    with pytest.raises(ValueError):
        subtract_working_days(MON, -1, PLAIN)


def test_subtracting_working_days_skips_the_weekend():
    assert subtract_working_days(MON, 1, PLAIN) == FRI
    assert subtract_working_days(date(2025, 3, 12), 3, PLAIN) == FRI


@pytest.mark.parametrize("n", [0, 1, 3, 5, 10, 25])
@pytest.mark.parametrize("start", [date(2026, 2, 12), date(2026, 4, 24), date(2025, 4, 24)])
def test_working_days_between_is_the_inverse_of_adding(start, n):
    assert working_days_between(start, add_working_days(start, n, VN), VN) == n


def test_working_days_between_counts_the_end_but_not_the_start():
    assert working_days_between(FRI, MON, PLAIN) == 1
    assert working_days_between(FRI, date(2025, 3, 9), PLAIN) == 0
    assert working_days_between(MON, MON, PLAIN) == 0
    assert working_days_between(MON, FRI, PLAIN) == -1


def test_working_days_between_leaves_out_tet():
    # Supplement requested Thursday 12 Feb 2026, supplied Tuesday 24 Feb: only 3 working days.
    assert working_days_between(date(2026, 2, 12), date(2026, 2, 24), VN) == 3


# When the clock starts ----------------------------------------------------------------------------


def test_receipt_during_office_hours_counts_from_that_day():
    assert counting_start(at(FRI, 16, 10), PLAIN, HOURS) == FRI
    assert effective_received_at(at(FRI, 16, 10), PLAIN, HOURS) == at(FRI, 16, 10)


def test_receipt_after_closing_counts_from_the_next_working_day():
    assert effective_received_at(at(FRI, 17, 1), PLAIN, HOURS) == at(MON, 7, 30)
    assert counting_start(at(FRI, 17, 0), PLAIN, HOURS) == FRI


def test_receipt_before_opening_counts_from_opening_time():
    assert effective_received_at(at(MON, 6, 0), PLAIN, HOURS) == at(MON, 7, 30)


def test_receipt_on_a_weekend_counts_from_monday_opening():
    assert effective_received_at(at(date(2025, 3, 8), 10), PLAIN, HOURS) == at(MON, 7, 30)


def test_receipt_on_a_holiday_counts_from_the_next_working_day():
    assert counting_start(at(date(2025, 9, 2), 9), VN, HOURS) == date(2025, 9, 3)


def test_aware_datetimes_are_read_in_vietnam_time():
    inside = datetime(2025, 3, 7, 9, 30, tzinfo=UTC)  # 16:30 in Hà Nội
    after = datetime(2025, 3, 7, 10, 30, tzinfo=UTC)  # 17:30 in Hà Nội
    assert counting_start(inside, PLAIN, HOURS) == FRI
    start = effective_received_at(after, PLAIN, HOURS)
    assert start == datetime(2025, 3, 10, 7, 30, tzinfo=VIETNAM_TZ)
    assert start.utcoffset() == timedelta(hours=7)


# Due dates ----------------------------------------------------------------------------------------


def test_three_working_days_from_friday_afternoon_are_due_end_of_wednesday():
    assert due(at(FRI, 16, 10), 3) == at(date(2025, 3, 12), 17)


def test_a_monday_holiday_pushes_the_due_date_to_thursday():
    cal = WorkingCalendar(public_holidays={MON})
    assert due(at(FRI, 16, 10), 3, cal=cal) == at(date(2025, 3, 13), 17)


def test_the_compensatory_monday_and_30_april_holidays_delay_a_dossier_in_2026():
    # Fri 24 Apr; Mon 27 compensatory (Hùng Kings on Sunday); Thu 30 Apr and Fri 1 May off.
    assert due(at(date(2026, 4, 24), 16, 10), 3, cal=VN) == at(date(2026, 5, 4), 17)


def test_a_deadline_across_tet_2026_skips_the_whole_week():
    assert due(at(date(2026, 2, 13), 10), 3, cal=VN) == at(date(2026, 2, 25), 17)


def test_an_online_dossier_submitted_during_tet_counts_from_the_first_working_day():
    assert due(at(date(2026, 2, 18), 9), 3, cal=VN) == at(date(2026, 2, 26), 17)


def test_a_declared_working_saturday_counts_as_a_working_day():
    # 2025: Saturday 26 April worked, Wed 30 Apr – Fri 2 May off.
    assert due(at(date(2025, 4, 24), 10), 2, cal=VN) == at(date(2025, 4, 26), 17)
    assert due(at(date(2025, 4, 24), 10), 3, cal=VN) == at(date(2025, 4, 28), 17)


def test_an_extra_day_off_is_skipped():
    cal = WorkingCalendar(extra_days_off={date(2025, 3, 11)})
    assert due(at(MON, 9), 1, cal=cal) == at(date(2025, 3, 12), 17)


def test_a_dossier_received_after_hours_is_due_a_day_later():
    assert due(at(MON, 16, 59), 1) == at(date(2025, 3, 11), 17)
    assert due(at(MON, 17, 30), 1) == at(date(2025, 3, 12), 17)


def test_a_dossier_received_on_a_holiday_counts_from_the_next_working_day():
    assert due(at(date(2025, 9, 2), 10), 2, cal=VN) == at(date(2025, 9, 5), 17)


def test_same_day_dossier_received_after_the_cutoff_is_due_the_next_working_day():
    assert due(at(MON, 15, 20), 0, "same_day") == at(date(2025, 3, 11), 17)
    assert due(at(FRI, 15, 20), 0, "same_day") == at(MON, 17)


def test_same_day_dossier_received_before_the_cutoff_is_due_the_same_day():
    assert due(at(MON, 14, 59), 0, "same_day") == at(MON, 17)
    assert due(at(MON, 15, 0), None, "same_day") == at(MON, 17)


def test_same_day_cutoff_rule_can_be_switched_off_per_procedure():
    assert due(at(MON, 15, 20), 0, "same_day", next_day=False) == at(MON, 17)


def test_same_day_dossier_received_on_a_weekend_is_due_end_of_monday():
    assert due(at(date(2025, 3, 8), 16), 0, "same_day") == at(MON, 17)


def test_calendar_days_end_on_a_working_day():
    assert due(at(date(2025, 3, 3), 10), 10, "day") == at(date(2025, 3, 13), 17)
    # Wed 5 + 10 days = Saturday 15 → Monday 17.
    assert due(at(date(2025, 3, 5), 10), 10, "day") == at(date(2025, 3, 17), 17)


def test_calendar_days_ending_on_a_holiday_move_past_it():
    # Fri 24 Apr 2026 + 6 days = Thu 30 Apr (holiday), Fri 1 May (holiday) → Mon 4 May.
    assert due(at(date(2026, 4, 24), 9), 6, "day", cal=VN) == at(date(2026, 5, 4), 17)


def test_hours_are_counted_within_office_hours():
    assert due(at(MON, 9), 8, "hour") == at(MON, 17)
    assert due(at(MON, 16), 8, "hour") == at(date(2025, 3, 11), 14, 30)


def test_hours_skip_weekends_and_holidays():
    cal = WorkingCalendar(public_holidays={MON})
    assert due(at(FRI, 16), 2, "hour", cal=cal) == at(date(2025, 3, 11), 8, 30)
    assert due(at(date(2025, 3, 8), 10), 4, "hour") == at(MON, 11, 30)


def test_due_time_can_be_the_same_clock_time():
    same = DueTime.SAME_CLOCK_TIME
    assert due(at(FRI, 10, 15), 3, due_time=same) == at(date(2025, 3, 12), 10, 15)
    assert due(at(date(2025, 3, 8), 10), 3, due_time=same) == at(date(2025, 3, 13), 7, 30)


def test_no_time_limit_means_no_due_date():
    for unit in ("working_day", "day", "hour"):
        assert due(at(MON, 9), None, unit) is None


def test_negative_limits_and_unknown_units_are_refused():
    with pytest.raises(ValueError):
        due(at(MON, 9), -1)
    with pytest.raises(ValueError):
        due(at(MON, 9), 3, "week")


def test_units_accept_the_enum_or_its_stored_value():
    assert due(at(MON, 9), 1, TimeUnit.WORKING_DAY) == due(at(MON, 9), 1, "working_day")


def test_aware_receipt_gives_an_aware_due_date_in_vietnam_time():
    received = datetime(2025, 3, 7, 9, 10, tzinfo=UTC)  # Friday 16:10 in Hà Nội
    assert due(received, 3) == datetime(2025, 3, 12, 17, tzinfo=VIETNAM_TZ)


def test_office_hours_are_configurable():
    early_close = OfficeHours(closes_at=time(16), cutoff_at=time(15, 30))
    kw = {"cal": PLAIN, "hours": early_close, "after_cutoff_next_day": True}
    assert due_at(at(FRI, 16, 10), 3, "working_day", **kw) == at(date(2025, 3, 13), 16)
    assert due_at(at(MON, 15, 20), 0, "same_day", **kw) == at(MON, 16)


def test_office_hours_must_be_in_order():
    with pytest.raises(ValueError):
        OfficeHours(cutoff_at=time(18))
    with pytest.raises(ValueError):
        OfficeHours(opens_at=time(17), closes_at=time(7, 30), cutoff_at=time(12))


# Supplements, transfer, apology -------------------------------------------------------------------


def test_a_supplied_dossier_restarts_the_whole_time_limit():
    received = at(MON, 9)
    assert due(received, 5) == at(date(2025, 3, 17), 17)
    supplied = at(date(2025, 3, 13), 10)
    restarted = restart_due_at(supplied, 5, "working_day", PLAIN, HOURS, True)
    assert restarted == at(date(2025, 3, 20), 17)


def test_a_supplement_supplied_after_hours_restarts_from_the_next_working_day():
    restarted = restart_due_at(at(FRI, 18), 1, "working_day", PLAIN, HOURS, True)
    assert restarted == at(date(2025, 3, 11), 17)


def test_paper_dossiers_are_transferred_the_same_day_or_next_morning_after_the_cutoff():
    assert transfer_due_at(at(MON, 14), PLAIN, HOURS) == at(MON, 17)
    assert transfer_due_at(at(MON, 15, 20), PLAIN, HOURS) == at(date(2025, 3, 11), 7, 30)
    assert transfer_due_at(at(FRI, 15, 20), PLAIN, HOURS) == at(MON, 7, 30)


def test_supplement_request_is_due_within_three_working_days_unless_sector_law_differs():
    assert supplement_request_due_at(at(FRI, 10), PLAIN, HOURS) == at(date(2025, 3, 12), 17)
    assert supplement_request_due_at(at(FRI, 10), PLAIN, HOURS, 5) == at(date(2025, 3, 14), 17)


def test_apology_is_due_the_working_day_before_the_due_date():
    assert apology_due_at(at(MON, 17), PLAIN, HOURS) == at(FRI, 17)
    cal = WorkingCalendar(public_holidays={date(2025, 3, 11)})
    assert apology_due_at(at(date(2025, 3, 12), 17), cal, HOURS) == at(MON, 17)
    assert apology_due_at(at(date(2025, 3, 12), 17), PLAIN, HOURS, 2) == at(MON, 17)


# Timeliness ---------------------------------------------------------------------------------------


DUE = at(date(2025, 3, 12), 17)


@pytest.mark.parametrize(
    ("finished_at", "expected"),
    [
        (at(date(2025, 3, 11), 16, 59), Timeliness.EARLY),
        (at(date(2025, 3, 12), 8), Timeliness.ON_TIME),
        (at(date(2025, 3, 12), 17), Timeliness.ON_TIME),
        (at(date(2025, 3, 12), 17, 1), Timeliness.OVERDUE),
        (at(date(2025, 3, 13), 9), Timeliness.OVERDUE),
    ],
)
def test_timeliness_compares_with_the_due_date_then_the_due_time(finished_at, expected):
    assert timeliness(finished_at, DUE) == expected


def test_finishing_on_the_due_date_after_a_same_clock_time_deadline_is_overdue():
    assert timeliness(at(date(2025, 3, 12), 11), at(date(2025, 3, 12), 10, 15)) == "overdue"


def test_timeliness_reads_aware_datetimes_in_the_due_dates_time_zone():
    due_local = datetime(2025, 3, 12, 17, tzinfo=VIETNAM_TZ)
    # 20:00 UTC on the 11th is 03:00 on the 12th in Hà Nội: the due date itself, not early.
    assert timeliness(datetime(2025, 3, 11, 20, tzinfo=UTC), due_local) == Timeliness.ON_TIME
    assert timeliness(datetime(2025, 3, 12, 10, 30, tzinfo=UTC), due_local) == "overdue"


def test_every_timeliness_has_a_vietnamese_label():
    assert set(TIMELINESS_LABELS) == set(Timeliness)
    assert TIMELINESS_LABELS[Timeliness.OVERDUE] == "Quá hạn"
