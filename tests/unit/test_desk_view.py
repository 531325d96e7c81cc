"""The desk queue's view as the query string carries it, its keyset cursor and due wording."""

from datetime import UTC, date, datetime

from app.domain import desk_view as dv
from app.domain.calendar import WorkingCalendar

FEES = frozenset({"paid", "unpaid"})


def test_a_view_reads_back_from_its_own_query_string():
    view = dv.parse_view(
        {
            "hang": "dang-xu-ly",
            "thu_tuc": "P19",
            "kenh": "online",
            "nhan_tu": "2026-11-01",
            "nhan_den": "30/11/2026",
            "phi": "paid",
            "can_bo": "12",
            "theo_doi": "1",
            "sap_xep": "han",
            "chieu": "giam",
        },
        FEES,
    )
    assert not view.errors
    assert view.received_to == date(2026, 11, 30)
    assert view.descending and view.followed and view.officer_id() == 12
    assert dv.parse_view(dv.query_of(view), FEES) == view


def test_bad_filters_are_dropped_with_a_vietnamese_message_and_the_rest_kept():
    view = dv.parse_view(
        {"thu_tuc": "P19", "nhan_tu": "31/02/2026", "kenh": "fax", "phi": "x", "can_bo": "a1"},
        FEES,
    )
    assert view.procedure == "P19"
    assert view.received_from is None and view.channel == "" and view.fee_status == ""
    assert set(view.errors) == {"nhan_tu", "kenh", "phi", "can_bo"}
    assert "ngày/tháng/năm" in view.errors["nhan_tu"]


def test_dates_out_of_any_desk_range_are_refused():
    view = dv.parse_view({"nhan_den": "9999-12-31", "han_tu": "0001-01-01"})
    assert set(view.errors) == {"nhan_den", "han_tu"} and view.received_to is None


def test_a_range_that_ends_before_it_starts_is_refused():
    view = dv.parse_view({"han_tu": "2026-12-10", "han_den": "2026-12-01"})
    assert view.errors == {"han_den": "Ngày kết thúc phải sau ngày bắt đầu."}


def test_the_tab_alone_is_not_a_filter_and_an_unknown_sort_is_ignored():
    view = dv.parse_view({"hang": "moi", "sap_xep": "'; drop table"})
    assert not view.has_filters and view.sort == ""
    assert dv.parse_view({"hang": "moi", "kenh": "post"}).has_filters


def test_clicking_the_sorted_column_turns_the_order_round():
    view = dv.parse_view({"sap_xep": "han"})
    assert "chieu=giam" in dv.sort_link(view, "han")
    flipped = dv.parse_view({"sap_xep": "han", "chieu": "giam"})
    assert "chieu" not in dv.sort_link(flipped, "han")
    assert "sap_xep=ma" in dv.sort_link(flipped, "ma") and "chieu" not in dv.sort_link(
        flipped, "ma"
    )


def test_a_cursor_reads_back_and_a_forged_one_means_the_first_page():
    moment = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    text = dv.encode_cursor((True, moment, 42))
    assert dv.decode_cursor(text, "han") == (True, moment, 42)
    assert dv.decode_cursor(dv.encode_cursor((False, None, 7)), "han") == (False, None, 7)
    assert dv.decode_cursor(dv.encode_cursor((False, "Lê Văn A", 7)), "nguoi-nop") == (
        False,
        "Lê Văn A",
        7,
    )
    for forged in ("", "x|y|z", "1|t2026-12-03T10:00:00|5", "2|~|5", "1|sabc|5", "1|~|-1"):
        assert dv.decode_cursor(forged, "han") is None, forged


def test_due_dates_are_told_in_working_days():
    calendar = WorkingCalendar()  # Monday to Friday
    friday = date(2026, 12, 4)
    assert dv.due_words(date(2026, 12, 8), friday, calendar) == "còn 2 ngày làm việc"
    assert dv.due_words(friday, friday, calendar) == "đến hạn hôm nay"
    assert dv.due_words(date(2026, 12, 2), friday, calendar) == "quá hạn 2 ngày làm việc"
    assert dv.due_words(None, friday, calendar) == ""
