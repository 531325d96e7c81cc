"""Control characters, digits of other scripts, invalid UTF-8 and declared lengths."""

import pytest

from app.domain import forms, forms_answers, limits
from app.domain.accounts import parse_identifier
from app.domain.text import ascii_digits, has_controls, strip_controls
from app.input_guard import BadEncoding, clean_query
from app.security import security_headers


def test_nul_and_control_characters_are_removed_but_line_breaks_kept() -> None:
    typed = "Nguy\x00ễn\x01 Văn\x1b\x7f\x85 An\tở\r\nđây"
    assert strip_controls(typed) == "Nguyễn Văn An\tở\r\nđây"


def test_a_path_segment_with_any_control_character_is_recognised() -> None:
    assert has_controls("a\nb") and has_controls("\x00") and not has_controls("Hòa Bình")


@pytest.mark.parametrize("typed", ["١٢٣٤", "१२३४", "１２３４", "12٣٤"])
def test_decimal_digits_of_any_script_read_as_ascii(typed: str) -> None:
    assert ascii_digits(typed) == "1234"


def test_a_query_with_invalid_utf8_is_refused() -> None:
    with pytest.raises(BadEncoding):
        clean_query(b"q=%FF%FE")


def test_a_query_loses_its_control_characters_and_keeps_the_rest() -> None:
    assert clean_query(b"q=a%00b&ma=%C4%91") == b"q=ab&ma=%C4%91"
    assert clean_query(b"q=abc") == b"q=abc"


def test_an_email_longer_than_its_column_is_not_an_identifier() -> None:
    address = "a" * 60 + "@" + "b" * (limits.EMAIL - 60) + ".vn"
    assert parse_identifier(address) is None
    assert parse_identifier("an.nguyen@example.com") is not None


def test_a_prefilled_name_field_is_no_longer_than_the_dossier_column() -> None:
    field = forms.Field("ho_ten", "Họ, chữ đệm, tên", forms.FieldType.TEXT, prefill="full_name")
    value, error = forms_answers._clean_text(field, "A" * (limits.PERSON_NAME + 1), None)
    assert error and str(limits.PERSON_NAME) in error
    assert forms_answers._clean_text(field, "A" * limits.PERSON_NAME, None) == ("A" * 120, None)


def test_hsts_only_behind_https() -> None:
    assert "Strict-Transport-Security" in dict(security_headers("https://pay.vn/x", True))
    assert "Strict-Transport-Security" not in dict(security_headers("https://pay.vn/x", False))
