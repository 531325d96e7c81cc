"""Account rules: login identifiers and password policy."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain import limits
from app.domain.forms import MOBILE_PREFIXES
from app.domain.forms_answers import normalize_phone

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
COMMON_PASSWORDS = frozenset(
    {
        "12345678",
        "123456789",
        "1234567890",
        "password",
        "password1",
        "matkhau123",
        "11111111",
        "88888888",
        "qwertyui",
        "abc12345",
        "iloveyou",
        "00000000",
        "87654321",
        "vietnam123",
    }
)


@dataclass(frozen=True)
class Identifier:
    kind: str  # "email" | "phone"
    value: str


def normalize_mobile(text: str) -> str | None:
    """A Vietnamese mobile number as 10 digits starting with 0, or None (no landlines)."""
    phone = normalize_phone(text)
    return phone if phone and phone[:2] in MOBILE_PREFIXES and len(phone) == 10 else None


def parse_identifier(text: str) -> Identifier | None:
    """A login identifier: an e-mail address (lower-cased) or a mobile number."""
    text = text.strip()
    if "@" in text:
        valid = len(text) <= limits.EMAIL and EMAIL_RE.match(text)
        return Identifier("email", text.lower()) if valid else None
    phone = normalize_mobile(text)
    return Identifier("phone", phone) if phone else None


def password_problem(password: str, identifier: str = "") -> str | None:
    """Why a new password is not acceptable (Vietnamese), or None. NIST 800-63B style."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Mật khẩu dài tối đa {MAX_PASSWORD_LENGTH} ký tự"
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 3:
        return "Mật khẩu quá dễ đoán, vui lòng chọn mật khẩu khác"
    if identifier and identifier.lower() in password.lower():
        return "Mật khẩu không được chứa số điện thoại hoặc e-mail của bạn"
    return None


def officer_landing(roles: set[str]) -> str:
    """Where an officer lands after logging in: an administrator who plays no part in dossiers
    goes to the administration page, everyone else to the desk."""
    return "admin" if set(roles) == {"administrator"} else "desk"
