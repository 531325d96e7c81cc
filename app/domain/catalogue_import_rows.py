"""The records a catalogue file is read into, and the row reader that collects every problem
with the row's position, its id and the field, in Vietnamese (``app.domain.catalogue_import``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.domain.levels import OnlineLevel

MAX_COUNT = 2**31 - 1  # the INTEGER columns that hold counts and quantities


@dataclass(frozen=True)
class ImportProblem:
    position: int  # 1-based row number in "procedures"
    row_id: str
    field: str
    message: str

    def __str__(self) -> str:
        who = f"thủ tục thứ {self.position}" + (f" (id {self.row_id})" if self.row_id else "")
        return f"{who}, trường {self.field}: {self.message}"


class CatalogueInvalid(Exception):
    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class ComponentRecord:
    name: str
    submission: str
    copy_kind: str
    quantity: int
    requirement: str
    note: str
    template: dict[str, Any] | None


@dataclass
class FeeRecord:
    name: str
    kind: str
    amount_vnd: int | None
    unit: str
    channel: str
    note: str


@dataclass
class ProcedureRecord:
    code: str
    national_code: str | None
    name: str
    name_en: str
    sectors: list[tuple[str, str]]  # (name, name_en)
    levels: list[str]
    implementing_agency: str
    applicants: list[str]
    time_limit_value: int | None
    time_limit_unit: str
    time_limit_text: str
    max_working_days: int | None
    after_cutoff_next_day: bool
    steps: list[str]
    channels: list[str]
    conditions: str
    result: str
    legal_basis: list[str]
    online_level: OnlineLevel
    service_level: int | None
    usage_count: int
    is_approximate: bool
    valid_from: date | None
    valid_to: date | None
    components: list[ComponentRecord] = field(default_factory=list)
    fees: list[FeeRecord] = field(default_factory=list)
    form_schema: dict | None = None  # "bieu_mau", validated by app.domain.forms_schema.parse_schema


class Row:
    """Reads one row, collecting problems instead of stopping at the first."""

    def __init__(self, position: int, data: Any, problems: list[ImportProblem]):
        self.position = position
        self.data = data if isinstance(data, dict) else {}
        self.row_id = str(self.data.get("id", "")) if isinstance(data, dict) else ""
        self.problems = problems
        if not isinstance(data, dict):
            self.fail("(dòng)", "phải là một đối tượng JSON")

    def fail(self, name: str, message: str) -> None:
        self.problems.append(ImportProblem(self.position, self.row_id, name, message))

    def text(self, obj: dict, key: str, path: str, *, required: bool = True, limit: int = 0) -> str:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.fail(path, "bắt buộc, không được để trống")
            return ""
        if not isinstance(value, str):
            self.fail(path, "phải là chuỗi ký tự")
            return ""
        if limit and len(value) > limit:
            self.fail(path, f"dài quá {limit} ký tự")
        return value.strip()

    def texts(self, obj: dict, key: str, path: str, *, required: bool = False) -> list[str]:
        value = obj.get(key, [])
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(path, "phải là danh sách chuỗi ký tự")
            return []
        if required and not value:
            self.fail(path, "cần ít nhất một giá trị")
        return [v.strip() for v in value if v.strip()]

    def integer(
        self, obj: dict, key: str, path: str, *, minimum: int = 0, maximum: int = MAX_COUNT
    ) -> int | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, "phải là số nguyên")
            return None
        if value < minimum:
            self.fail(path, f"phải lớn hơn hoặc bằng {minimum}")
            return None
        if value > maximum:
            self.fail(path, f"không được lớn hơn {maximum:,}".replace(",", "."))
            return None
        return value

    def choice(self, obj: dict, key: str, path: str, choices: dict, default: Any = None) -> Any:
        value = obj.get(key, default)
        try:
            return choices[value]
        except (KeyError, TypeError):
            allowed = ", ".join(str(c) for c in choices)
            self.fail(path, f"giá trị {value!r} không hợp lệ (chấp nhận: {allowed})")
            return None

    def day(self, obj: dict, key: str, path: str) -> date | None:
        value = obj.get(key)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(path, "phải là ngày dạng YYYY-MM-DD")
            return None
