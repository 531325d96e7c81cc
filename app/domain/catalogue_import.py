"""Validation of catalogue files (the format of procedures.sample.json) into plain records.

Every problem is reported with the row's position, its id and the field, in Vietnamese; the
caller loads nothing unless the whole file is valid. The records and the row reader are in
``app.domain.catalogue_import_rows``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.domain.catalogue_import_rows import (
    MAX_COUNT,
    CatalogueInvalid,
    ComponentRecord,
    FeeRecord,
    ImportProblem,
    ProcedureRecord,
    Row,
)
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
MAX_DEPTH = 20  # a catalogue row is a few levels deep; anything deeper is refused


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
        row = Row(position, data, problems)
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


def _time_limit(row: Row, limit: dict, unit: str) -> int | None:
    maximum = MAX_TIME_LIMIT.get(unit, MAX_COUNT)
    return row.integer(limit, "value", "thoi_han.value", maximum=maximum or MAX_COUNT)


def _validity(row: Row, d: dict) -> tuple[date | None, date | None]:
    valid_from = row.day(d, "hieu_luc_tu", "hieu_luc_tu")
    valid_to = row.day(d, "hieu_luc_den", "hieu_luc_den")
    if valid_from and valid_to and valid_to < valid_from:
        row.fail("hieu_luc_den", "ngày hết hiệu lực không được trước ngày có hiệu lực")
    return valid_from, valid_to


def _parse_procedure(row: Row, known_levels: set[str]) -> ProcedureRecord | None:
    d = row.data
    if not d:
        return None
    # read in the file's order, so the problems are listed in it
    code = _code(row, d)
    national_code = row.text(d, "ma_tthc", "ma_tthc", required=False, limit=40) or None
    sectors = _sectors(row, d)
    levels = _levels(row, d, known_levels)
    limit, unit, value, after_cutoff = _time_limit_of(row, d)
    service_level = _service_level(row, d)
    record = ProcedureRecord(
        code=code,
        national_code=national_code,
        name=row.text(d, "ten", "ten", limit=400),
        name_en=row.text(d, "name_en", "name_en", required=False),
        sectors=sectors,
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
    _add_parts(row, d, record)
    return record


def _code(row: Row, d: dict) -> str:
    code = row.text(d, "id", "id", limit=40)
    if code and not CODE_RE.match(code):
        row.fail("id", "chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới")
    return code


def _sectors(row: Row, d: dict) -> list[tuple[str, str]]:
    """(name, English name) of each sector; the English names only when they pair up."""
    names = [s.strip() for s in row.text(d, "linh_vuc", "linh_vuc").split(";") if s.strip()]
    english = [s.strip() for s in str(d.get("field_en") or "").split(";")]
    if len(english) != len(names):
        english = [""] * len(names)
    return list(zip(names, english, strict=True))


def _levels(row: Row, d: dict, known_levels: set[str]) -> list[str]:
    levels = row.texts(d, "cap_thuc_hien", "cap_thuc_hien", required=True)
    for level in levels:
        if level not in known_levels:
            row.fail(
                "cap_thuc_hien",
                f"cấp {level!r} chưa được khai báo ({', '.join(sorted(known_levels))})",
            )
    return levels


def _time_limit_of(row: Row, d: dict) -> tuple[dict, str, int | None, Any]:
    """The ``thoi_han`` object, its unit, its value and its after-15h flag."""
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
    return limit, unit, value, after_cutoff


def _service_level(row: Row, d: dict) -> int | None:
    service_level = row.integer(d, "muc_do", "muc_do", minimum=1)
    if service_level is not None and service_level > 4:
        row.fail("muc_do", "phải từ 1 đến 4")
    return service_level


def _add_parts(row: Row, d: dict, record: ProcedureRecord) -> None:
    """The validity dates, dossier components, fees and online form of the record."""
    record.valid_from, record.valid_to = _validity(row, d)
    record.components = _components(row, d.get("thanh_phan_ho_so", []))
    record.fees = _fees(row, d.get("phi_le_phi", []))
    items = d.get("thanh_phan_ho_so", [])
    readable = isinstance(items, list) and all(isinstance(item, dict) for item in items)
    record.form_schema = _form_schema(row, d.get("bieu_mau"), record.components, readable)


def _form_schema(
    row: Row, schema: Any, components: list[ComponentRecord], check_components: bool
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


def _components(row: Row, items: Any) -> list[ComponentRecord]:
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


def _fees(row: Row, items: Any) -> list[FeeRecord]:
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
