"""Application forms as data: steps, fields, validation → errors keyed by field.

A procedure's form is stored as JSON with the procedure (catalogue key ``bieu_mau``) and read by
:func:`parse_schema`. Each step is shown and saved on its own: :func:`initial_answers` gives what
to show, :func:`validate_step` what to save (cleaned values) or the errors to show again next to
what was typed (the caller keeps the raw answers). Every cleaned value is a string in canonical
form (dates ISO, phones with a leading 0, numbers without separators), so saved answers validate
again unchanged: that is how :func:`first_incomplete_step` finds where to resume and what still
blocks submission.

Pure Python: no I/O, no clock (``today`` is passed in).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

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


# Schema parsing ----------------------------------------------------------------------------------

STEP_KEYS = frozenset({"ma", "tieu_de", "mo_ta", "truong"})
COMMON_FIELD_KEYS = frozenset({"ma", "nhan", "kieu", "bat_buoc", "goi_y", "dien_san"})
TYPED_FIELD_KEYS: dict[str, frozenset[FieldType]] = {
    "lua_chon": frozenset({FieldType.CHOICE}),
    "do_dai_toi_thieu": TEXT_TYPES,
    "do_dai_toi_da": TEXT_TYPES,
    "dinh_dang": TEXT_TYPES,
    "loi_dinh_dang": TEXT_TYPES,
    "gia_tri_toi_thieu": frozenset({FieldType.NUMBER}),
    "gia_tri_toi_da": frozenset({FieldType.NUMBER}),
    "khong_sau_hom_nay": frozenset({FieldType.DATE}),
    "thanh_phan": frozenset({FieldType.FILE}),
    "ngay_sinh_tu": frozenset({FieldType.CITIZEN_ID}),
}
FIELD_KEYS = COMMON_FIELD_KEYS | frozenset(TYPED_FIELD_KEYS)


class _Reader:
    """Reads schema JSON, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def unknown(self, obj: dict, allowed: frozenset[str] | set[str], path: str) -> None:
        for name in obj:
            if name not in allowed:
                self.fail(f"{path}.{name}" if path else str(name), "khóa không được hỗ trợ")

    def key(self, obj: dict, path: str) -> str:
        value = obj.get("ma")
        if not isinstance(value, str) or not KEY_RE.fullmatch(value):
            self.fail(f"{path}.ma", "phải gồm chữ thường không dấu, số, gạch dưới; tối đa 40 ký tự")
            return ""
        return value

    def text(self, obj: dict, name: str, path: str, *, required: bool = False) -> str:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            self.fail(path, "phải là chuỗi ký tự")
            return ""
        if not value or not value.strip():
            if required:
                self.fail(path, "bắt buộc, không được để trống")
            return ""
        return value.strip()

    def integer(self, obj: dict, name: str, path: str, minimum: int | None = 0) -> int | None:
        value = obj.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, "phải là số nguyên")
            return None
        if minimum is not None and value < minimum:
            self.fail(path, f"phải lớn hơn hoặc bằng {minimum}")
            return None
        return value

    def flag(self, obj: dict, name: str, path: str) -> bool | None:
        value = obj.get(name)
        if value is not None and not isinstance(value, bool):
            self.fail(path, "phải là true hoặc false")
            return None
        return value

    def ordered(self, low: int | None, high: int | None, path: str) -> None:
        if low is not None and high is not None and low > high:
            self.fail(path, "giá trị tối thiểu lớn hơn giá trị tối đa")


def parse_schema(data: Any, components: Sequence[bool] | None = None) -> FormSchema:
    """Read a form schema from its JSON; raise SchemaInvalid listing every problem.

    ``{"buoc": [{"ma", "tieu_de", "mo_ta"?, "truong": [field, …]}, …]}``; a field has ``ma``,
    ``nhan``, ``kieu`` and optionally ``bat_buoc``, ``goi_y``, ``dien_san`` and the options of its
    type (see TYPED_FIELD_KEYS). ``components`` tells, for each dossier component of the procedure
    in order, whether it is required: file fields must point inside it, and without ``bat_buoc``
    they are required when their component is. Without ``components``, such file fields are
    required and indexes are not checked.
    """
    r = _Reader()
    if not isinstance(data, dict) or not isinstance(data.get("buoc"), list) or not data["buoc"]:
        raise SchemaInvalid([("", "phải là đối tượng có danh sách buoc, ít nhất một bước")])
    r.unknown(data, {"buoc"}, "")
    steps: list[Step] = []
    step_paths: dict[str, str] = {}
    field_paths: dict[str, str] = {}
    for i, item in enumerate(data["buoc"]):
        path = f"buoc[{i}]"
        if not isinstance(item, dict):
            r.fail(path, "phải là đối tượng")
            continue
        r.unknown(item, STEP_KEYS, path)
        key = r.key(item, path)
        if key in step_paths:
            r.fail(f"{path}.ma", f"trùng mã bước với {step_paths[key]}")
        step_paths.setdefault(key, path)
        fields = _parse_fields(r, item.get("truong"), f"{path}.truong", components, field_paths)
        title = r.text(item, "tieu_de", f"{path}.tieu_de", required=True)
        steps.append(Step(key, title, r.text(item, "mo_ta", f"{path}.mo_ta"), fields))
    if r.problems:
        raise SchemaInvalid(r.problems)
    return FormSchema(tuple(steps))


def _parse_fields(
    r: _Reader,
    items: Any,
    path: str,
    components: Sequence[bool] | None,
    field_paths: dict[str, str],
) -> tuple[Field, ...]:
    if not isinstance(items, list) or not items:
        r.fail(path, "phải là danh sách có ít nhất một trường")
        return ()
    parsed: list[tuple[str, Field]] = []
    for j, raw in enumerate(items):
        field_path = f"{path}[{j}]"
        field = _parse_field(r, raw, field_path, components)
        if field is None:
            continue
        if field.key in field_paths:
            r.fail(f"{field_path}.ma", f"trùng mã trường với {field_paths[field.key]}")
        field_paths.setdefault(field.key, field_path)
        parsed.append((field_path, field))
    year_sources = {f.key for _, f in parsed if f.type in (FieldType.DATE, FieldType.NUMBER)}
    for field_path, field in parsed:
        if field.birth_year_from and field.birth_year_from not in year_sources:
            r.fail(
                f"{field_path}.ngay_sinh_tu",
                "phải là mã của một trường kiểu date hoặc number trong cùng bước",
            )
    return tuple(f for _, f in parsed)


def _parse_field(
    r: _Reader, raw: Any, path: str, components: Sequence[bool] | None
) -> Field | None:
    if not isinstance(raw, dict):
        r.fail(path, "phải là đối tượng")
        return None
    r.unknown(raw, FIELD_KEYS, path)
    key = r.key(raw, path)
    label = r.text(raw, "nhan", f"{path}.nhan", required=True)
    try:
        kind = FieldType(raw.get("kieu"))
    except ValueError:
        allowed = ", ".join(t.value for t in FieldType)
        r.fail(f"{path}.kieu", f"kiểu {raw.get('kieu')!r} không hợp lệ (chấp nhận: {allowed})")
        return None
    for name, types in TYPED_FIELD_KEYS.items():
        if name in raw and kind not in types:
            r.fail(f"{path}.{name}", f"chỉ dùng cho trường kiểu {', '.join(sorted(types))}")
    required = r.flag(raw, "bat_buoc", f"{path}.bat_buoc")
    options = _type_options(r, raw, kind, path)
    if kind is FieldType.FILE:
        index = options["component"]
        if components is not None and index is not None and index >= len(components):
            r.fail(
                f"{path}.thanh_phan",
                f"không có thành phần hồ sơ số {index} (thanh_phan_ho_so có {len(components)}"
                " thành phần, đánh số từ 0)",
            )
        elif required is None:
            required = components[index] if components and index is not None else True
    prefill = r.text(raw, "dien_san", f"{path}.dien_san") or None
    if prefill and kind not in PROFILE_ATTRIBUTES.get(prefill, ()):
        r.fail(f"{path}.dien_san", f"không điền sẵn được {prefill!r} vào trường kiểu {kind}")
    help_text = r.text(raw, "goi_y", f"{path}.goi_y")
    return Field(key, label, kind, bool(required), help_text, prefill=prefill, **options)


def _type_options(r: _Reader, raw: dict, kind: FieldType, path: str) -> dict[str, Any]:
    options: dict[str, Any] = {
        "choices": _choices(r, raw.get("lua_chon"), f"{path}.lua_chon", kind),
        "min_length": r.integer(raw, "do_dai_toi_thieu", f"{path}.do_dai_toi_thieu"),
        "max_length": r.integer(raw, "do_dai_toi_da", f"{path}.do_dai_toi_da", minimum=1),
        "min_value": r.integer(raw, "gia_tri_toi_thieu", f"{path}.gia_tri_toi_thieu", None),
        "max_value": r.integer(raw, "gia_tri_toi_da", f"{path}.gia_tri_toi_da", None),
        "pattern": r.text(raw, "dinh_dang", f"{path}.dinh_dang") or None,
        "pattern_message": r.text(raw, "loi_dinh_dang", f"{path}.loi_dinh_dang"),
        "component": r.integer(raw, "thanh_phan", f"{path}.thanh_phan"),
        "max_today": bool(r.flag(raw, "khong_sau_hom_nay", f"{path}.khong_sau_hom_nay")),
        "birth_year_from": r.text(raw, "ngay_sinh_tu", f"{path}.ngay_sinh_tu") or None,
    }
    r.ordered(options["min_length"], options["max_length"], f"{path}.do_dai_toi_thieu")
    r.ordered(options["min_value"], options["max_value"], f"{path}.gia_tri_toi_thieu")
    if options["pattern"]:
        try:
            re.compile(options["pattern"])
        except re.error as exc:
            r.fail(f"{path}.dinh_dang", f"biểu thức chính quy không hợp lệ: {exc}")
    if kind is FieldType.FILE and options["component"] is None and "thanh_phan" not in raw:
        r.fail(f"{path}.thanh_phan", "bắt buộc với trường kiểu file (chỉ số thành phần hồ sơ)")
    return options


def _choices(r: _Reader, items: Any, path: str, kind: FieldType) -> tuple[Choice, ...]:
    if kind is not FieldType.CHOICE:
        return ()
    if not isinstance(items, list) or not items:
        r.fail(path, "bắt buộc với trường kiểu choice: danh sách {ma, nhan}")
        return ()
    out: list[Choice] = []
    for k, item in enumerate(items):
        if not isinstance(item, dict):
            r.fail(f"{path}[{k}]", "phải là đối tượng {ma, nhan}")
            continue
        r.unknown(item, {"ma", "nhan"}, f"{path}[{k}]")
        value = r.key(item, f"{path}[{k}]")
        if value and any(c.value == value for c in out):
            r.fail(f"{path}[{k}].ma", "trùng với một lựa chọn khác")
        out.append(Choice(value, r.text(item, "nhan", f"{path}[{k}].nhan", required=True)))
    return tuple(out)


# Answers -----------------------------------------------------------------------------------------


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
