"""The rows a batch names: each once, in order, and only ids the id columns can hold."""

from app.services.desk_batch import parse_ids


def test_ids_beyond_the_columns_range_and_junk_name_no_row():
    values = ["7", " 3 ", "7", "2147483647", "2147483648", "99999999999", "-1", "٣", "x", ""]
    assert parse_ids(values) == [7, 3, 2147483647]
