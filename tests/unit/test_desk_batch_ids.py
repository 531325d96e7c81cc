"""The dossiers ticked in a queue: only ids a dossier row can have are kept."""

from app.services.desk_batch import MAX_ROW_ID, parse_ids


def test_ids_past_the_id_column_and_junk_are_dropped_and_repeats_kept_once():
    values = ["12", " 7 ", "12", str(MAX_ROW_ID), str(MAX_ROW_ID + 1), "-3", "٣", "x", ""]
    assert parse_ids(values) == [12, 7, MAX_ROW_ID]
