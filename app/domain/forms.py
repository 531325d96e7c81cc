"""Application forms as data: steps, fields and their types; the schema's problems.

A procedure's form is stored as JSON with the procedure (catalogue key ``bieu_mau``) and read by
:func:`app.domain.forms_schema.parse_schema`. Each step is shown and saved on its own:
:mod:`app.domain.forms_answers` gives what to show (``initial_answers``) and what to save
(``validate_step``: cleaned values, or the errors to show again next to what was typed; the caller
keeps the raw answers). Every cleaned value is a string in canonical form (dates ISO, phones with
a leading 0, numbers without separators), so saved answers validate again unchanged: that is how
``first_incomplete_step`` finds where to resume and what still blocks submission.

Pure Python: no I/O, no clock (``today`` is passed in).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain import limits

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$", re.ASCII)


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    NUMBER = "number"
    CHOICE = "choice"
    CITIZEN_ID = "citizen_id"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    FILE = "file"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.LONG_TEXT, FieldType.ADDRESS})
DEFAULT_MAX_LENGTH = {FieldType.TEXT: 200, FieldType.LONG_TEXT: 2000, FieldType.ADDRESS: 300}
EMAIL_MAX_LENGTH = limits.EMAIL
ATTACHMENT_REF_MAX_LENGTH = 200
MIN_YEAR = 1900  # earliest year a date answer may have
MAX_YEARS_AHEAD = 5  # latest: this many years after today's year (start dates, appointments)
NUMBER_LIMIT = 10**15  # integers must stay well inside a 64-bit column
MOBILE_PREFIXES = frozenset({"03", "05", "07", "08", "09"})

# Citizen profile attributes a field may be prefilled from, and the field types they fit.
PROFILE_ATTRIBUTES: dict[str, frozenset[FieldType]] = {
    "full_name": frozenset({FieldType.TEXT}),
    "citizen_id": frozenset({FieldType.CITIZEN_ID}),
    "date_of_birth": frozenset({FieldType.DATE}),
    "phone": frozenset({FieldType.PHONE}),
    "email": frozenset({FieldType.EMAIL}),
    "address": frozenset({FieldType.ADDRESS, FieldType.TEXT, FieldType.LONG_TEXT}),
}

# First three digits of a 12-digit personal identification number (số định danh cá nhân, also the
# number of the căn cước card): the province where the birth was registered. Source: Circular
# 07/2016/TT-BCA Annex I "Danh mục mã tỉnh, thành phố trực thuộc trung ương nơi công dân đăng ký
# khai sinh", kept by Circular 59/2021/TT-BCA: codes 001-096 for the 63 provinces before the 2025
# mergers. A number never changes once issued, so these stay the valid codes after 1/7/2025.
# Births registered abroad carry a country code instead (Decree 137/2015 Art. 13); not accepted.
_PROVINCE_TABLE = """
001 Hà Nội; 002 Hà Giang; 004 Cao Bằng; 006 Bắc Kạn; 008 Tuyên Quang; 010 Lào Cai;
011 Điện Biên; 012 Lai Châu; 014 Sơn La; 015 Yên Bái; 017 Hòa Bình; 019 Thái Nguyên;
020 Lạng Sơn; 022 Quảng Ninh; 024 Bắc Giang; 025 Phú Thọ; 026 Vĩnh Phúc; 027 Bắc Ninh;
030 Hải Dương; 031 Hải Phòng; 033 Hưng Yên; 034 Thái Bình; 035 Hà Nam; 036 Nam Định;
037 Ninh Bình; 038 Thanh Hóa; 040 Nghệ An; 042 Hà Tĩnh; 044 Quảng Bình; 045 Quảng Trị;
046 Thừa Thiên Huế; 048 Đà Nẵng; 049 Quảng Nam; 051 Quảng Ngãi; 052 Bình Định; 054 Phú Yên;
056 Khánh Hòa; 058 Ninh Thuận; 060 Bình Thuận; 062 Kon Tum; 064 Gia Lai; 066 Đắk Lắk;
067 Đắk Nông; 068 Lâm Đồng; 070 Bình Phước; 072 Tây Ninh; 074 Bình Dương; 075 Đồng Nai;
077 Bà Rịa - Vũng Tàu; 079 Hồ Chí Minh; 080 Long An; 082 Tiền Giang; 083 Bến Tre;
084 Trà Vinh; 086 Vĩnh Long; 087 Đồng Tháp; 089 An Giang; 091 Kiên Giang; 092 Cần Thơ;
093 Hậu Giang; 094 Sóc Trăng; 095 Bạc Liêu; 096 Cà Mau
"""
PROVINCE_CODES: dict[str, str] = dict(
    entry.strip().split(" ", 1) for entry in _PROVINCE_TABLE.split(";")
)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: FieldType
    required: bool = False
    help: str = ""
    choices: tuple[Choice, ...] = ()
    min_length: int | None = None
    max_length: int | None = None  # None: DEFAULT_MAX_LENGTH of the type
    min_value: int | None = None
    max_value: int | None = None
    pattern: str | None = None  # full match, on text types
    pattern_message: str = ""
    prefill: str | None = None  # a key of PROFILE_ATTRIBUTES
    component: int | None = None  # file fields: index in the procedure's thanh_phan_ho_so
    max_today: bool = False  # dates: not after today
    birth_year_from: str | None = None  # citizen ids: date/number field of the same step


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    description: str
    fields: tuple[Field, ...]

    def validate(self, answers: Mapping[str, str], today: date) -> tuple[dict, dict]:
        from app.domain.forms_answers import validate_step  # the answers' module needs these types

        return validate_step(self, answers, today)


@dataclass(frozen=True)
class FormSchema:
    steps: tuple[Step, ...]

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def next_step(self, key: str) -> Step | None:
        index = self.steps.index(self.step(key))
        return self.steps[index + 1] if index + 1 < len(self.steps) else None

    def previous_step(self, key: str) -> Step | None:
        index = self.steps.index(self.step(key))
        return self.steps[index - 1] if index > 0 else None

    @property
    def file_fields(self) -> tuple[Field, ...]:
        return tuple(f for s in self.steps for f in s.fields if f.type is FieldType.FILE)


class SchemaInvalid(Exception):
    """Every problem of a schema, as (path, Vietnamese message), e.g. ("buoc[0].ma", "…")."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("\n".join(f"{path or '(biểu mẫu)'}: {msg}" for path, msg in problems))
