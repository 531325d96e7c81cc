"""A form's answers: each typed value cleaned to its canonical form or refused with a Vietnamese
message, a step or the whole form validated, and what a step shows first. Pure Python: no I/O, no
clock (``today`` is passed in)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date

from app.domain import limits
from app.domain.forms import (
    ATTACHMENT_REF_MAX_LENGTH,
    DEFAULT_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    MAX_YEARS_AHEAD,
    MIN_YEAR,
    MOBILE_PREFIXES,
    NUMBER_LIMIT,
    PROVINCE_CODES,
    Field,
    FieldType,
    FormSchema,
    Sex,
    Step,
)


def parse_date(text: str) -> date | None:
    """``25/12/1990`` (also ``-`` or ``.``, one-digit day/month) or ISO ``1990-12-25``."""
    text = text.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text, re.ASCII):
        year, month, day = m.groups()
    elif m := re.fullmatch(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})", text, re.ASCII):
        day, _, month, year = m.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def normalize_phone(text: str) -> str | None:
    """A Vietnamese phone number with a leading 0 (``+84``/``84``/``0084`` folded), or None.

    Mobiles: 10 digits starting 03, 05, 07, 08, 09. Landlines: 11 digits starting 02.
    """
    digits = re.sub(r"[\s.\-()]", "", text)
    for prefix in ("+84", "0084"):
        if digits.startswith(prefix):
            rest = digits[len(prefix) :]
            digits = "0" + rest.removeprefix("0")
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not re.fullmatch(r"0\d+", digits, re.ASCII):
        return None
    if len(digits) == 10 and digits[:2] in MOBILE_PREFIXES:
        return digits
    if len(digits) == 11 and digits.startswith("02"):
        return digits
    return None


def citizen_id_birth_info(number: str) -> tuple[int, Sex, int]:
    """(century, sex, last two digits of the birth year) from digits 4-6 of a personal ID.

    Digit 4 is century and sex: 0/1 male/female born 1900-1999 (20th century), 2/3 in the 21st,
    4/5 in the 22nd… (Circular 07/2016/TT-BCA Art. 7). ValueError if not 12 digits.
    """
    if not re.fullmatch(r"\d{12}", number, re.ASCII):
        raise ValueError(f"số định danh cá nhân phải gồm 12 chữ số: {number!r}")
    code = int(number[3])
    return 20 + code // 2, Sex.FEMALE if code % 2 else Sex.MALE, int(number[4:6])


def citizen_id_birth_year(number: str) -> int:
    century, _, suffix = citizen_id_birth_info(number)
    return (century - 1) * 100 + suffix


def citizen_id_problem(
    number: str,
    today: date,
    *,
    birth_year: int | None = None,
    label: str = "Số định danh cá nhân",
) -> str | None:
    """Why ``number`` cannot be a personal identification number (Vietnamese), or None."""
    if not re.fullmatch(r"\d{12}", number, re.ASCII):
        if re.fullmatch(r"\d{9}", number, re.ASCII):
            return f"{label} phải gồm đúng 12 chữ số (số chứng minh nhân dân 9 số không dùng được)"
        return f"{label} phải gồm đúng 12 chữ số"
    if number[:3] not in PROVINCE_CODES:
        return f"{label} không hợp lệ: 3 chữ số đầu không phải mã tỉnh nơi đăng ký khai sinh"
    year = citizen_id_birth_year(number)
    if year > today.year:
        return f"{label} không hợp lệ: năm sinh (chữ số thứ 4 đến 6) sau năm hiện tại"
    if birth_year is not None and year != birth_year:
        return f"{label} không khớp với năm sinh đã khai ({birth_year})"
    return None


def _format_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


_Cleaner = Callable[[Field, str, date], tuple[str, str | None]]


def _clean_text(field: Field, text: str, today: date) -> tuple[str, str | None]:
    text = unicodedata.normalize("NFC", text)
    if field.type is FieldType.LONG_TEXT:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        value = "\n".join(line.rstrip() for line in lines)
    else:
        value = " ".join(text.split())
    if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", value):
        return "", f"{field.label} có ký tự không hợp lệ"
    longest = field.max_length or DEFAULT_MAX_LENGTH[field.type]
    # a value copied into a dossier column may not be longer than that column
    longest = min(longest, limits.PREFILLED.get(field.prefill or "", longest))
    if len(value) > longest:
        return "", f"{field.label} không được dài quá {longest} ký tự"
    if field.min_length and len(value) < field.min_length:
        return "", f"{field.label} phải có ít nhất {field.min_length} ký tự"
    if field.pattern and not re.fullmatch(field.pattern, value):
        return "", field.pattern_message or f"{field.label} không đúng định dạng"
    return value, None


def _clean_date(field: Field, text: str, today: date) -> tuple[str, str | None]:
    day = parse_date(text)
    if day is None:
        return "", f"{field.label} phải là ngày có thật, dạng ngày/tháng/năm (ví dụ 25/12/1990)"
    if not MIN_YEAR <= day.year <= today.year + MAX_YEARS_AHEAD:
        return "", f"Năm trong {field.label} không hợp lệ"
    if field.max_today and day > today:
        return "", f"{field.label} không được sau ngày hôm nay"
    return day.isoformat(), None


def _clean_number(field: Field, text: str, today: date) -> tuple[str, str | None]:
    compact = re.sub(r"\s", "", text)
    if not re.fullmatch(r"-?(\d+|\d{1,3}(\.\d{3})+)", compact, re.ASCII):
        return "", f"{field.label} phải là số nguyên, ví dụ 12"
    value = int(compact.replace(".", ""))
    if abs(value) >= NUMBER_LIMIT:
        return "", f"{field.label} quá lớn"
    if field.min_value is not None and value < field.min_value:
        return "", f"{field.label} phải từ {_format_int(field.min_value)} trở lên"
    if field.max_value is not None and value > field.max_value:
        return "", f"{field.label} không được lớn hơn {_format_int(field.max_value)}"
    return str(value), None


def _clean_choice(field: Field, text: str, today: date) -> tuple[str, str | None]:
    if any(c.value == text for c in field.choices):
        return text, None
    return "", f"Vui lòng chọn {field.label} trong danh sách"


def _clean_citizen_id(field: Field, text: str, today: date) -> tuple[str, str | None]:
    number = re.sub(r"[\s.\-]", "", text)
    problem = citizen_id_problem(number, today, label=field.label)
    return ("", problem) if problem else (number, None)


def _clean_phone(field: Field, text: str, today: date) -> tuple[str, str | None]:
    phone = normalize_phone(text)
    if phone is None:
        return "", f"{field.label} không hợp lệ, vui lòng nhập số di động 10 số hoặc số cố định"
    return phone, None


def _clean_email(field: Field, text: str, today: date) -> tuple[str, str | None]:
    if len(text) > EMAIL_MAX_LENGTH or not re.fullmatch(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+", text):
        return "", f"{field.label} không đúng định dạng, ví dụ ten@gmail.com"
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}", None


def _clean_file(field: Field, text: str, today: date) -> tuple[str, str | None]:
    if len(text) > ATTACHMENT_REF_MAX_LENGTH or re.search(r"\s", text):
        return "", f"Tệp đính kèm cho {field.label} không hợp lệ, vui lòng tải lên lại"
    return text, None


_CLEANERS: dict[FieldType, _Cleaner] = {
    FieldType.TEXT: _clean_text,
    FieldType.LONG_TEXT: _clean_text,
    FieldType.ADDRESS: _clean_text,
    FieldType.DATE: _clean_date,
    FieldType.NUMBER: _clean_number,
    FieldType.CHOICE: _clean_choice,
    FieldType.CITIZEN_ID: _clean_citizen_id,
    FieldType.PHONE: _clean_phone,
    FieldType.EMAIL: _clean_email,
    FieldType.FILE: _clean_file,
}


def clean_value(field: Field, raw: str, today: date) -> tuple[str, str | None]:
    """(canonical value, None) or ("", Vietnamese error). An optional blank answer is ""."""
    text = raw.strip()
    if not text:
        if not field.required:
            return "", None
        if field.type is FieldType.CHOICE:
            return "", f"Vui lòng chọn {field.label}"
        if field.type is FieldType.FILE:
            return "", f"Vui lòng đính kèm {field.label}"
        return "", f"Vui lòng nhập {field.label}"
    return _CLEANERS[field.type](field, text, today)


def validate_step(
    step: Step, answers: Mapping[str, str], today: date
) -> tuple[dict[str, str], dict[str, str]]:
    """(cleaned values of the valid fields, errors keyed by field) for one step's answers.

    Invalid fields are left out of ``cleaned``: the caller re-renders them from the raw answers.
    A file field's answer is the opaque reference of its attachment; only presence is checked.
    """
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in step.fields:
        raw = answers.get(field.key)
        value, error = clean_value(field, "" if raw is None else str(raw), today)
        if error:
            errors[field.key] = error
        else:
            cleaned[field.key] = value
    for field in step.fields:
        number, source = cleaned.get(field.key), cleaned.get(field.birth_year_from or "")
        if field.type is FieldType.CITIZEN_ID and number and source:
            year = int(source[:4]) if re.fullmatch(r"\d{4}-\d\d-\d\d", source) else int(source)
            problem = citizen_id_problem(number, today, birth_year=year, label=field.label)
            if problem:
                errors[field.key] = problem
                del cleaned[field.key]
    return cleaned, errors


StepValidator = Callable[[Step, Mapping[str, str], date], tuple[dict, dict]]


def validate_form(
    schema: FormSchema,
    answers_by_step: Mapping[str, Mapping[str, str]],
    today: date,
    validate: StepValidator | None = None,
) -> dict[str, dict[str, str]]:
    """Errors of every step that has any, keyed by step; empty when the form can be submitted.

    A step never saved is validated as blank answers. ``validate`` replaces ``validate_step``
    for forms that add rules across fields (the wizard's delivery step).
    """
    validate = validate or validate_step
    out: dict[str, dict[str, str]] = {}
    for step in schema.steps:
        _, errors = validate(step, answers_by_step.get(step.key) or {}, today)
        if errors:
            out[step.key] = errors
    return out


def first_incomplete_step(
    schema: FormSchema,
    answers_by_step: Mapping[str, Mapping[str, str]],
    today: date,
    validate: StepValidator | None = None,
) -> Step | None:
    """Where to resume: the first step never saved or with errors; None when ready to submit.

    A step with only optional fields counts as done once saved, even with every answer blank.
    """
    validate = validate or validate_step
    for step in schema.steps:
        answers = answers_by_step.get(step.key)
        if answers is None or validate(step, answers, today)[1]:
            return step
    return None


def initial_answers(
    step: Step, saved: Mapping[str, str] | None, profile: Mapping[str, object]
) -> dict[str, str]:
    """What to show in a step: saved answers first, else the profile value the field names."""
    out: dict[str, str] = {}
    for field in step.fields:
        if saved is not None and field.key in saved:
            out[field.key] = saved[field.key]
            continue
        value = profile.get(field.prefill) if field.prefill else None
        out[field.key] = value.isoformat() if isinstance(value, date) else str(value or "")
    return out
