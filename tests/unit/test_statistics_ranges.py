"""A range is read as whole months from the monthly rollup plus the edge days."""

from datetime import date

from app.domain.statistics_ranges import Split, month_end, month_of, split


def test_a_quarter_reads_its_three_months_and_no_day():
    assert split(date(2026, 7, 1), date(2026, 9, 30)) == Split(
        (date(2026, 7, 1), date(2026, 9, 1)), ()
    )


def test_a_free_range_reads_the_partial_months_at_its_edges_from_the_days():
    assert split(date(2026, 6, 15), date(2026, 9, 10)) == Split(
        (date(2026, 7, 1), date(2026, 8, 1)),
        ((date(2026, 6, 15), date(2026, 6, 30)), (date(2026, 9, 1), date(2026, 9, 10))),
    )


def test_a_range_inside_one_month_reads_days_only():
    assert split(date(2026, 2, 3), date(2026, 2, 27)) == Split(
        None, ((date(2026, 2, 3), date(2026, 2, 27)),)
    )
    assert split(date(2026, 2, 28), date(2026, 3, 1)) == Split(
        None, ((date(2026, 2, 28), date(2026, 3, 1)),)
    )


def test_everything_up_to_a_day_reads_the_months_before_and_that_months_days():
    assert split(None, date(2026, 7, 14)) == Split(
        (date.min, date(2026, 6, 1)), ((date(2026, 7, 1), date(2026, 7, 14)),)
    )
    assert split(None, date(2026, 6, 30)) == Split((date.min, date(2026, 6, 1)), ())


def test_an_empty_range_reads_nothing():
    assert split(date(2026, 7, 2), date(2026, 7, 1)) == Split(None, ())


def test_month_bounds_handle_leap_years():
    assert month_end(date(2028, 2, 10)) == date(2028, 2, 29)
    assert month_end(date(2026, 12, 31)) == date(2026, 12, 31)
    assert month_of(date(2026, 12, 31)) == date(2026, 12, 1)
