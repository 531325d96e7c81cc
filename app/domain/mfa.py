"""Second-factor rules: code shapes, recovery codes, which roles must use TOTP."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

RECOVERY_CODES = 10
ISSUER = "Một Cửa"
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def clean_code(text: str) -> str:
    """What the officer typed, without spaces and dashes, lower case (at most 40 characters)."""
    return "".join(ch for ch in text[:40] if ch not in " -\t").lower()


def is_totp_code(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


def new_recovery_codes() -> list[str]:
    """Ten codes shown once, as xxxxx-xxxxx."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def recovery_digest(code: str) -> str:
    return hashlib.sha256(clean_code(code).encode()).hexdigest()


def required(officer_roles: Iterable[str], required_roles: Iterable[str]) -> bool:
    return bool(set(officer_roles) & set(required_roles))
