import pytest

from app.domain.accounts import normalize_mobile, parse_identifier, password_problem
from app.domain.uploads import sniff, upload_problem

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("091.234.5678", "0912345678"),
        ("0212345678", None),  # not a mobile prefix
        ("091234567", None),
        ("09123456789", None),
    ],
)
def test_login_phone_numbers_are_mobiles_of_ten_digits(text, expected):
    assert normalize_mobile(text) == expected


def test_identifier_is_an_email_or_a_mobile_number():
    assert parse_identifier(" An@Example.COM ").value == "an@example.com"
    assert parse_identifier("0987654321").kind == "phone"
    assert parse_identifier("an@") is None
    assert parse_identifier("hello") is None


def test_password_policy_refuses_short_common_and_identifier_passwords():
    assert password_problem("ngan") == "Mật khẩu cần ít nhất 8 ký tự"
    assert password_problem("12345678") is not None
    assert password_problem("aaaaaaaaaa") is not None
    assert password_problem("x0912345678x", "0912345678") is not None
    assert password_problem("cay tre xanh 2026") is None


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"


def test_files_are_recognised_by_content():
    assert sniff(JPEG) == "image/jpeg"
    assert sniff(PNG) == "image/png"
    assert sniff(PDF) == "application/pdf"
    assert sniff(WEBP) == "image/webp"


def test_a_renamed_executable_is_refused():
    assert sniff(EXE) is None
    assert upload_problem(EXE, 5000, 10 * MB) == "Chỉ nhận ảnh (JPEG, PNG, WebP) hoặc tệp PDF"


def test_empty_and_oversized_files_are_refused():
    assert upload_problem(b"", 0, 10 * MB) == "Tệp rỗng, vui lòng chọn lại"
    assert "10 MB" in upload_problem(JPEG, 10 * MB + 1, 10 * MB)
    assert upload_problem(JPEG, 10 * MB, 10 * MB) is None


def test_only_a_pure_administrator_lands_on_the_administration_page():
    from app.domain.accounts import officer_landing

    assert officer_landing({"administrator"}) == "admin"
    assert officer_landing({"administrator", "receptionist"}) == "desk"
    assert officer_landing({"leader"}) == "desk"
