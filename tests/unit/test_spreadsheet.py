"""CSV injection: cells a spreadsheet would run as formulas are neutralised."""

import pytest

from app.domain.spreadsheet import safe_cell, safe_row


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_formula_like_text_is_neutralised(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_text_and_numbers_are_kept():
    assert safe_row(["Nguyễn Văn An", 50000, "", "H99.32-261202-0001"]) == [
        "Nguyễn Văn An",
        50000,
        "",
        "H99.32-261202-0001",
    ]
