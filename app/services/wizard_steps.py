"""The wizard's steps: a procedure's form (or the generic one), the portal's first and last steps,
and the answers shown back with their labels."""

from __future__ import annotations

from copy import deepcopy
from typing import Any, Protocol

from app.domain import forms_answers, forms_schema
from app.domain.forms import Choice, Field, FieldType, FormSchema, Step
from app.domain.levels import ServiceLevel
from app.services.catalogue import ProcedureView

PLACE_STEP = "noi_nop"
DELIVERY_STEP = "giao_ket_qua"
DELIVERY_LABELS = {
    "desk": "Nhận tại bộ phận một cửa",
    "post": "Nhận qua dịch vụ bưu chính công ích (trả cước khi nhận)",
    "online": "Nhận bản điện tử trực tuyến trên cổng",
}


# The generic form's steps: who applies (prefilled from the profile) and what they ask for.
APPLICANT_STEP: dict[str, Any] = {
    "ma": "nguoi_nop",
    "tieu_de": "Người nộp hồ sơ",
    "truong": [
        {
            "ma": "ho_ten",
            "nhan": "Họ, chữ đệm, tên",
            "kieu": "text",
            "bat_buoc": True,
            "dien_san": "full_name",
        },
        {
            "ma": "so_dinh_danh",
            "nhan": "Số định danh cá nhân",
            "kieu": "citizen_id",
            "bat_buoc": True,
            "dien_san": "citizen_id",
        },
        {
            "ma": "dien_thoai",
            "nhan": "Số điện thoại",
            "kieu": "phone",
            "bat_buoc": True,
            "dien_san": "phone",
        },
        {"ma": "thu_dien_tu", "nhan": "Thư điện tử", "kieu": "email", "dien_san": "email"},
        {
            "ma": "dia_chi",
            "nhan": "Nơi cư trú",
            "kieu": "address",
            "bat_buoc": True,
            "dien_san": "address",
        },
    ],
}
REQUEST_STEP: dict[str, Any] = {
    "ma": "noi_dung",
    "tieu_de": "Nội dung yêu cầu",
    "truong": [
        {
            "ma": "noi_dung",
            "nhan": "Nội dung yêu cầu giải quyết",
            "kieu": "long_text",
            "goi_y": "Ghi ngắn gọn điều bạn đề nghị cơ quan giải quyết.",
        }
    ],
}


def default_schema_data(procedure: ProcedureView) -> dict[str, Any]:
    """A generic form for procedures that publish none: the applicant, then the documents."""
    files = [
        {
            "ma": f"tp_{c['position']}",
            "nhan": c["name"][:150],
            "kieu": "file",
            "thanh_phan": c["position"],
        }
        for c in procedure.components
        if c["submission"] == "submit"
    ]
    steps: list[dict[str, Any]] = deepcopy([APPLICANT_STEP, REQUEST_STEP])  # callers own it
    if files:
        steps.append({"ma": "giay_to", "tieu_de": "Giấy tờ đính kèm", "truong": files})
    return {"buoc": steps}


def _component_flags(procedure: ProcedureView) -> list[bool]:
    return [c["requirement"] == "required" for c in procedure.components]


def procedure_schema(procedure: ProcedureView) -> FormSchema:
    data = procedure.form_schema or default_schema_data(procedure)
    return forms_schema.parse_schema(data, _component_flags(procedure))


def place_step(agencies: list[dict[str, Any]]) -> Step:
    return Step(
        key=PLACE_STEP,
        title="Nơi nộp hồ sơ",
        description="Bạn có thể nộp tại bất kỳ nơi tiếp nhận nào trong tỉnh.",
        fields=(
            Field(
                key="co_quan",
                label="Nơi tiếp nhận hồ sơ",
                type=FieldType.CHOICE,
                required=True,
                choices=tuple(Choice(a["code"], a["name"]) for a in agencies),
            ),
        ),
    )


def delivery_step(procedure: ProcedureView) -> Step:
    methods = ["desk", "post"]
    if procedure.service_level >= ServiceLevel.ONLINE_PAYMENT:
        methods.append("online")
    return Step(
        key=DELIVERY_STEP,
        title="Nhận kết quả",
        description="Chọn cách bạn muốn nhận kết quả giải quyết.",
        fields=(
            Field(
                key="cach_nhan",
                label="Hình thức nhận kết quả",
                type=FieldType.CHOICE,
                required=True,
                choices=tuple(Choice(m, DELIVERY_LABELS[m]) for m in methods),
            ),
            Field(
                key="dia_chi_nhan",
                label="Địa chỉ nhận kết quả qua bưu chính",
                type=FieldType.ADDRESS,
                help="Chỉ cần điền khi nhận qua bưu chính.",
                prefill="address",
            ),
        ),
    )


COUNTER_LABELS = {
    "tiep_nhan": (
        "Tiếp nhận tại bộ phận một cửa",
        {
            "dia_chi": "Địa chỉ",
            "giay_to_da_nhan": "Giấy tờ đã nhận",
            "ghi_chu": "Giấy tờ đã nhận, ghi chú",
        },
    ),
}


class HasSteps(Protocol):
    @property
    def steps(self) -> tuple[Step, ...]: ...


def labelled_answers(
    schema: HasSteps, answers: dict[str, dict[str, str]], attachments: dict[str, dict[str, Any]]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The answers as (step title, [(field label, shown value)]), in the form's order."""
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for step in schema.steps:
        saved = answers.get(step.key)
        if not saved:
            continue
        rows = []
        for field in step.fields:
            value = saved.get(field.key, "")
            if not value:
                continue
            if field.type is FieldType.FILE:
                value = attachments.get(value, {}).get("original_name", "tệp đính kèm")
            elif field.type is FieldType.CHOICE:
                value = next((c.label for c in field.choices if c.value == value), value)
            elif field.type is FieldType.DATE:
                parsed = forms_answers.parse_date(value)
                value = parsed.strftime("%d/%m/%Y") if parsed else value
            rows.append((field.label, value))
        out.append((step.title, rows))
    for key, (title, labels) in COUNTER_LABELS.items():
        saved = answers.get(key)
        if saved:
            out.append((title, [(labels.get(k, k), v) for k, v in saved.items() if v]))
    return out
