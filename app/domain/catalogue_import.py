"""Validation of catalogue files (the format of procedures.sample.json) into plain records.

Every problem is reported with the row's position, its id and the field, in Vietnamese; the
caller loads nothing unless the whole file is valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.domain.forms import SchemaInvalid
from app.domain.forms_schema import parse_schema
from app.domain.levels import OnlineLevel

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
TIME_UNITS = {"working_day", "day", "hour", "same_day"}
ONLINE_LEVELS = {
    "toan_trinh": OnlineLevel.FULL,
    "mot_phan": OnlineLevel.PARTIAL,
    "khong": OnlineLevel.NONE,
}
CHANNELS = {"all": "all", "truc_tiep": "in_person", "truc_tuyen": "online"}
SUBMISSIONS = {"nop": "submit", "xuat_trinh": "present_only"}
COPY_KINDS = {"ban_chinh": "original", "ban_sao": "copy", "dien_tu": "electronic"}
REQUIREMENTS = {True: "required", False: "optional", "khi_co": "when_applicable"}
# Sane maxima: no procedure takes longer than a working year, and no fee is a trillion dong.
MAX_TIME_LIMIT = {"working_day": 365, "day": 365, "hour": 8_760, "same_day": 0}
MAX_AMOUNT_VND = 10**12
MAX_COUNT = 2**31 - 1  # the INTEGER columns that hold counts and quantities
MAX_DEPTH = 20  # a catalogue row is a few levels deep; anything deeper is refused


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


class _Row:
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


def parse_catalogue(document: Any, known_levels: set[str]) -> list[ProcedureRecord]:
    """Validate a whole catalogue document; raise CatalogueInvalid listing every problem."""
    problems: list[ImportProblem] = []
    if not isinstance(document, dict) or not isinstance(document.get("procedures"), list):
        raise CatalogueInvalid(
            [
                ImportProblem(
                    0, "", "procedures", "tệp phải là đối tượng JSON có danh sách procedures"
                )
            ]
        )
    records: list[ProcedureRecord] = []
    seen: dict[str, int] = {}
    for position, data in enumerate(document["procedures"], start=1):
        too_deep = _too_deep(data)
        if too_deep is not None:
            row_id = str(data.get("id", ""))[:40] if isinstance(data, dict) else ""
            problems.append(
                ImportProblem(position, row_id, too_deep, f"lồng nhau quá {MAX_DEPTH} cấp")
            )
            continue
        row = _Row(position, data, problems)
        record = _parse_procedure(row, known_levels)
        if record is None:
            continue
        if record.code in seen:
            row.fail("id", f"trùng với thủ tục thứ {seen[record.code]}")
        seen.setdefault(record.code, position)
        records.append(record)
    if problems:
        raise CatalogueInvalid(problems)
    return records


def _too_deep(data: Any) -> str | None:
    """The path of the first value nested deeper than MAX_DEPTH, without recursion."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return path.split(".")[0].split("[")[0] or "(dòng)"
        if isinstance(value, dict):
            stack.extend(
                (v, f"{path}.{k}" if path else str(k), depth + 1) for k, v in value.items()
            )
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
    return None


def _time_limit(row: _Row, limit: dict, unit: str) -> int | None:
    maximum = MAX_TIME_LIMIT.get(unit, MAX_COUNT)
    return row.integer(limit, "value", "thoi_han.value", maximum=maximum or MAX_COUNT)


def _validity(row: _Row, d: dict) -> tuple[date | None, date | None]:
    valid_from = row.day(d, "hieu_luc_tu", "hieu_luc_tu")
    valid_to = row.day(d, "hieu_luc_den", "hieu_luc_den")
    if valid_from and valid_to and valid_to < valid_from:
        row.fail("hieu_luc_den", "ngày hết hiệu lực không được trước ngày có hiệu lực")
    return valid_from, valid_to


def _parse_procedure(row: _Row, known_levels: set[str]) -> ProcedureRecord | None:
    d = row.data
    if not d:
        return None
    code = row.text(d, "id", "id", limit=40)
    if code and not CODE_RE.match(code):
        row.fail("id", "chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới")
    national_code = row.text(d, "ma_tthc", "ma_tthc", required=False, limit=40) or None
    sector_names = [s.strip() for s in row.text(d, "linh_vuc", "linh_vuc").split(";") if s.strip()]
    sector_en = [s.strip() for s in str(d.get("field_en") or "").split(";")]
    if len(sector_en) != len(sector_names):
        sector_en = [""] * len(sector_names)
    levels = row.texts(d, "cap_thuc_hien", "cap_thuc_hien", required=True)
    for level in levels:
        if level not in known_levels:
            row.fail(
                "cap_thuc_hien",
                f"cấp {level!r} chưa được khai báo ({', '.join(sorted(known_levels))})",
            )
    limit = d.get("thoi_han")
    if not isinstance(limit, dict):
        row.fail("thoi_han", "bắt buộc, là đối tượng có value, unit, text")
        limit = {}
    unit = limit.get("unit", "working_day")
    if unit not in TIME_UNITS:
        row.fail(
            "thoi_han.unit",
            f"giá trị {unit!r} không hợp lệ (chấp nhận: {', '.join(sorted(TIME_UNITS))})",
        )
    value = _time_limit(row, limit, unit)
    after_cutoff = limit.get("after_15h_next_working_day", False)
    if not isinstance(after_cutoff, bool):
        row.fail("thoi_han.after_15h_next_working_day", "phải là true hoặc false")
    service_level = row.integer(d, "muc_do", "muc_do", minimum=1)
    if service_level is not None and service_level > 4:
        row.fail("muc_do", "phải từ 1 đến 4")
    record = ProcedureRecord(
        code=code,
        national_code=national_code,
        name=row.text(d, "ten", "ten", limit=400),
        name_en=row.text(d, "name_en", "name_en", required=False),
        sectors=list(zip(sector_names, sector_en, strict=True)),
        levels=levels,
        implementing_agency=row.text(d, "co_quan_thuc_hien", "co_quan_thuc_hien", required=False),
        applicants=row.texts(d, "doi_tuong", "doi_tuong"),
        time_limit_value=0 if unit == "same_day" else value,
        time_limit_unit=unit,
        time_limit_text=row.text(limit, "text", "thoi_han.text", required=False),
        max_working_days=row.integer(
            d,
            "thoi_han_toi_da_ngay_lam_viec",
            "thoi_han_toi_da_ngay_lam_viec",
            maximum=MAX_TIME_LIMIT["working_day"],
        ),
        after_cutoff_next_day=bool(after_cutoff),
        steps=row.texts(d, "trinh_tu", "trinh_tu"),
        channels=row.texts(d, "cach_thuc", "cach_thuc"),
        conditions=row.text(d, "dieu_kien", "dieu_kien", required=False),
        result=row.text(d, "ket_qua", "ket_qua", required=False),
        legal_basis=row.texts(d, "can_cu_phap_ly", "can_cu_phap_ly"),
        online_level=row.choice(d, "muc_do_dvc", "muc_do_dvc", ONLINE_LEVELS, "khong"),
        service_level=service_level,
        usage_count=row.integer(d, "luot_su_dung", "luot_su_dung") or 0,
        is_approximate=bool(d.get("approximate", False)),
        valid_from=None,
        valid_to=None,
    )
    record.valid_from, record.valid_to = _validity(row, d)
    record.components = _components(row, d.get("thanh_phan_ho_so", []))
    record.fees = _fees(row, d.get("phi_le_phi", []))
    items = d.get("thanh_phan_ho_so", [])
    readable = isinstance(items, list) and all(isinstance(item, dict) for item in items)
    record.form_schema = _form_schema(row, d.get("bieu_mau"), record.components, readable)
    return record


def _form_schema(
    row: _Row, schema: Any, components: list[ComponentRecord], check_components: bool
) -> dict | None:
    """The online application form, checked against this row's dossier components.

    When the components themselves could not be read, their indexes are not checked: that
    problem is already reported and would otherwise be repeated for every file field.
    """
    if schema is None:
        return None
    required = [c.requirement == "required" for c in components]
    try:
        parse_schema(schema, required if check_components else None)
    except SchemaInvalid as err:
        for path, message in err.problems:
            row.fail(f"bieu_mau.{path}" if path else "bieu_mau", message)
        return None
    return schema


def _components(row: _Row, items: Any) -> list[ComponentRecord]:
    if not isinstance(items, list):
        row.fail("thanh_phan_ho_so", "phải là danh sách")
        return []
    out = []
    for i, item in enumerate(items):
        path = f"thanh_phan_ho_so[{i}]"
        if not isinstance(item, dict):
            row.fail(path, "phải là đối tượng")
            continue
        template = item.get("mau")
        if template is not None and not _valid_template(template):
            row.fail(f"{path}.mau", "phải có tieu_de (chuỗi) và muc (danh sách {tieu_de, truong})")
            template = None
        out.append(
            ComponentRecord(
                name=row.text(item, "ten", f"{path}.ten"),
                submission=row.choice(item, "hinh_thuc", f"{path}.hinh_thuc", SUBMISSIONS, "nop"),
                copy_kind=row.choice(item, "loai_ban", f"{path}.loai_ban", COPY_KINDS, "ban_chinh"),
                quantity=row.integer(item, "so_luong", f"{path}.so_luong", minimum=1) or 1,
                requirement=row.choice(item, "bat_buoc", f"{path}.bat_buoc", REQUIREMENTS, True),
                note=row.text(item, "ghi_chu", f"{path}.ghi_chu", required=False),
                template=template,
            )
        )
    return out


def _valid_template(template: Any) -> bool:
    if not isinstance(template, dict) or not isinstance(template.get("tieu_de"), str):
        return False
    sections = template.get("muc", [])
    return isinstance(sections, list) and all(
        isinstance(s, dict)
        and isinstance(s.get("truong", []), list)
        and all(isinstance(f, str) for f in s.get("truong", []))
        for s in sections
    )


def _fees(row: _Row, items: Any) -> list[FeeRecord]:
    if not isinstance(items, list):
        row.fail("phi_le_phi", "phải là danh sách")
        return []
    out = []
    for i, item in enumerate(items):
        path = f"phi_le_phi[{i}]"
        if not isinstance(item, dict):
            row.fail(path, "phải là đối tượng")
            continue
        name = row.text(item, "ten", f"{path}.ten")
        out.append(
            FeeRecord(
                name=name,
                kind="charge" if name.lower().startswith("phí") else "fee",
                amount_vnd=row.integer(
                    item, "amount_vnd", f"{path}.amount_vnd", maximum=MAX_AMOUNT_VND
                ),
                unit=row.text(item, "don_vi", f"{path}.don_vi", required=False),
                channel=row.choice(item, "kenh", f"{path}.kenh", CHANNELS, "all"),
                note=row.text(item, "ghi_chu", f"{path}.ghi_chu", required=False),
            )
        )
    return out
