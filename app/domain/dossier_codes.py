"""Dossier codes (Circular 01/2018/TT-VPCP Art. 19) and temporary submission references.

Official code: ``V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX`` — the receiving agency's e-identifier
(QCVN 102:2016), the receipt date, the sequence of that day at that agency. The sequence has at
least 4 digits and grows past 9999 (Circular 04/2025). Only the canonical form is accepted: no
padding beyond 4 digits, so one dossier has exactly one code. The centrally hosted format of
Circular 04/2025 Art. 23 ([S] in the brief) is not handled here.

Reference: shown to the citizen for an online draft or submission before the official code is
issued at receipt, e.g. ``HX4K-9TQM``. See :data:`REFERENCE_ALPHABET` for its characters.
"""

from __future__ import annotations

import random as _random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

AGENCY_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$", re.ASCII)
CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,}$", re.ASCII)
SEQUENCE_WIDTH = 4


@dataclass(frozen=True)
class DossierCode:
    agency_code: str
    received_on: date
    sequence: int

    def __post_init__(self) -> None:
        if not AGENCY_CODE_RE.fullmatch(self.agency_code):
            raise ValueError(f"mã định danh cơ quan không hợp lệ: {self.agency_code!r}")
        if not 2000 <= self.received_on.year <= 2099:
            raise ValueError("năm tiếp nhận phải trong khoảng 2000–2099 (YY hai chữ số)")
        if self.sequence < 1:
            raise ValueError("số thứ tự hồ sơ trong ngày phải từ 1")

    def __str__(self) -> str:
        return f"{sequence_key(self.agency_code, self.received_on)}-{self.sequence:04d}"


def sequence_key(agency_code: str, received_on: date) -> str:
    """The code's prefix ``agency-YYMMDD``: the key of the daily counter to allocate from."""
    return f"{agency_code}-{received_on:%y%m%d}"


def format_code(agency_code: str, received_on: date, sequence: int) -> str:
    """``format_code("000.00.00.H30", date(2025, 3, 14), 7)`` → ``000.00.00.H30-250314-0007``."""
    return str(DossierCode(agency_code, received_on, sequence))


def parse_code(code: str) -> DossierCode:
    """The parts of a canonical dossier code; ValueError if it is not one."""
    if not CODE_RE.fullmatch(code):
        raise ValueError(f"mã hồ sơ không đúng định dạng: {code!r}")
    agency_code, yymmdd, digits = code.split("-")
    if len(digits) > SEQUENCE_WIDTH and digits.startswith("0"):
        raise ValueError(f"số thứ tự có số 0 thừa ở đầu: {code!r}")
    try:
        received_on = date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        raise ValueError(f"ngày tiếp nhận không hợp lệ: {yymmdd!r}") from None
    return DossierCode(agency_code, received_on, int(digits))


def is_valid_code(code: str) -> bool:
    try:
        parse_code(code)
    except ValueError:
        return False
    return True


def normalize_code(text: str) -> str:
    """What a citizen typed into a lookup box → a candidate code (trimmed, upper-case, no spaces).

    Validate the result with :func:`is_valid_code`.
    """
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


# Temporary references -------------------------------------------------------------------------

REFERENCE_ALPHABET = "34679CFGHJKMNPQRTVX"
"""19 characters. Excluded because they look alike: 0 O, 1 I L, 5 S, 2 Z, 8 B — both members of
each pair, so a reader never has to guess. Also excluded because Vietnamese keyboards (Telex, VNI)
rewrite them while typing: every vowel (A E I O U Y: "AA"→"Â", "AF"→"À", "A3"→"Ả"…), D ("DD" and
"D9"→"Đ"; D also resembles 0) and W ("W"→"Ư"). Without vowels no reference spells a word.
"""
REFERENCE_LENGTH = 8
REFERENCE_GROUP = 4
REFERENCE_RE = re.compile(rf"^[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}$")
_SEPARATORS = frozenset(" -_.‐‑‒–—")  # spaces and hyphen/dash look-alikes

RandomSource = Callable[[int], int] | _random.Random


def _draw(random: RandomSource, n: int) -> int:
    value = random.randrange(n) if isinstance(random, _random.Random) else random(n)
    if not 0 <= value < n:
        raise ValueError(f"random source returned {value}, expected 0 ≤ value < {n}")
    return value


def _grouped(chars: str) -> str:
    return f"{chars[:REFERENCE_GROUP]}-{chars[REFERENCE_GROUP:]}"


def new_reference(random: RandomSource) -> str:
    """A fresh reference such as ``HX4K-9TQM`` (19⁸ ≈ 1.7·10¹⁰ values; the caller keeps them
    unique and retries on a clash).

    ``random`` is ``secrets.randbelow`` in production: a callable ``n → 0 ≤ value < n``, or a
    :class:`random.Random` for reproducible tests.
    """
    size = len(REFERENCE_ALPHABET)
    chars = "".join(REFERENCE_ALPHABET[_draw(random, size)] for _ in range(REFERENCE_LENGTH))
    return _grouped(chars)


def normalize_reference(text: str) -> str | None:
    """What a citizen typed → the canonical reference ``XXXX-XXXX``, or None if it cannot be one.

    Upper-cases, folds full-width characters (NFKC) and drops spaces, hyphens and dashes
    anywhere. Look-alikes are *not* mapped: both members of each pair (0/O, 1/I/L, 5/S, 2/Z, 8/B)
    are outside the alphabet, so "O" could stand for Q, D, 0…; guessing could open someone else's
    dossier. Such input, and letters with diacritics from a Vietnamese keyboard, give None.
    """
    folded = unicodedata.normalize("NFKC", text).upper()
    chars = "".join(ch for ch in folded if ch not in _SEPARATORS and not ch.isspace())
    if len(chars) != REFERENCE_LENGTH or any(ch not in REFERENCE_ALPHABET for ch in chars):
        return None
    return _grouped(chars)


def is_valid_reference(text: str) -> bool:
    """Whether ``text`` is a reference in canonical form (as stored and displayed)."""
    return REFERENCE_RE.fullmatch(text) is not None
