"""Reading a procedure's form schema from its catalogue JSON (``bieu_mau``), every problem
collected with its path (:class:`app.domain.forms.SchemaInvalid`). Pure Python."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from app.domain.forms import (
    KEY_RE,
    PROFILE_ATTRIBUTES,
    TEXT_TYPES,
    Choice,
    Field,
    FieldType,
    FormSchema,
    SchemaInvalid,
    Step,
)

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
