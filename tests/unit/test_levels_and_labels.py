from app.domain.catalogue_labels import format_amount, format_count, format_vnd, time_limit_label
from app.domain.levels import OnlineLevel, ServiceLevel, service_level_for


def test_full_online_service_is_level_four():
    assert service_level_for(OnlineLevel.FULL, has_forms=False) is ServiceLevel.ONLINE_PAYMENT


def test_partial_online_service_is_level_three():
    assert service_level_for(OnlineLevel.PARTIAL, has_forms=True) is ServiceLevel.ONLINE_SUBMISSION


def test_offline_procedure_is_level_two_with_forms_and_one_without():
    assert service_level_for(OnlineLevel.NONE, has_forms=True) is ServiceLevel.FORMS
    assert service_level_for(OnlineLevel.NONE, has_forms=False) is ServiceLevel.INFORMATION


def test_amounts_are_shown_in_vietnamese_dong():
    assert format_vnd(1_500_000) == "1.500.000 ₫"
    assert format_vnd(0) == "Miễn phí"
    assert format_vnd(None) == "Do HĐND tỉnh quy định"


def test_time_limits_read_in_vietnamese():
    assert time_limit_label(3, "working_day") == "3 ngày làm việc"
    assert time_limit_label(0, "same_day") == "Trong ngày"
    assert time_limit_label(15, "day") == "15 ngày"
    assert time_limit_label(None, "working_day") == "Theo quy định của tỉnh"


def test_an_amount_collected_is_always_a_number():
    assert format_amount(0) == "0 ₫"
    assert format_amount(1_500_000) == "1.500.000 ₫"


def test_counts_are_written_with_a_dot_every_three_digits():
    assert [format_count(n) for n in (0, 999, 1000, 18184, 1000200)] == [
        "0",
        "999",
        "1.000",
        "18.184",
        "1.000.200",
    ]
