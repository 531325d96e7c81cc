"""Cleaning what people type: control characters out, any decimal digits read as ASCII.

PostgreSQL refuses NUL in text, and no field of the portal has a use for the other C0 and C1
control characters (tab, line feed and carriage return excepted, for long texts).
"""

from __future__ import annotations

import re
import unicodedata

_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def strip_controls(value: str) -> str:
    """The text without NUL and the other control characters; tab and line breaks are kept."""
    return _CONTROLS.sub("", value)


def has_controls(value: str) -> bool:
    """Whether a one-line value (a path segment, an id) holds any control character at all."""
    return _ANY_CONTROL.search(value) is not None


def _ascii_digit(ch: str) -> str:
    if ch.isascii():
        return ch
    digit = unicodedata.decimal(ch, None)
    return ch if digit is None else str(digit)


def ascii_digits(value: str) -> str:
    """Decimal digits of any script as ASCII: '١٢٣٤', '१२३४' and '１２３４' all become '1234'."""
    return "".join(_ascii_digit(ch) for ch in value)
