"""The online submission wizard: a procedure's form plus the portal's own first and last steps."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain import forms
from app.domain.dossier_codes import new_reference
from app.domain.dossier_flow import Action, Role, Status
from app.domain.forms import Choice, Field, FieldType, FormSchema, Step
from app.domain.levels import ServiceLevel
from app.domain.search import fold
from app.models import Agency, Attachment, Citizen, Dossier, ProcedureLevel
from app.services import workflow
from app.services.catalogue import ProcedureView
from app.services.files import StoredFile
from app.services.places import full_address

PLACE_STEP = "noi_nop"
DELIVERY_STEP = "giao_ket_qua"
DELIVERY_LABELS = {
    "desk": "Nhận tại bộ phận một cửa",
    "post": "Nhận qua dịch vụ bưu chính công ích (trả cước khi nhận)",
    "online": "Nhận bản điện tử trực tuyến trên cổng",
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
    steps: list[dict[str, Any]] = [
        {
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
        },
        {
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
        },
    ]
    if files:
        steps.append({"ma": "giay_to", "tieu_de": "Giấy tờ đính kèm", "truong": files})
    return {"buoc": steps}


def _component_flags(procedure: ProcedureView) -> list[bool]:
    return [c["requirement"] == "required" for c in procedure.components]


def procedure_schema(procedure: ProcedureView) -> FormSchema:
    data = procedure.form_schema or default_schema_data(procedure)
    return forms.parse_schema(data, _component_flags(procedure))


async def receiving_agencies(procedure: ProcedureView) -> list[dict[str, Any]]:
    """Where this procedure's dossiers may be submitted: People's Committees and service centres
    at the procedure's levels, whatever the applicant's commune (Decree 118/2025). A committee
    that has its own service centre receives through the centre."""
    level_ids = [
        r["level"]
        for r in await ProcedureLevel.select(ProcedureLevel.level)
        .where(ProcedureLevel.procedure == procedure.id)
        .run()
    ]
    rows = (
        await Agency.select(Agency.id, Agency.code, Agency.name, Agency.kind, Agency.parent)
        .where(
            Agency.level.is_in(level_ids or [0])
            & Agency.valid_to.is_null()
            & Agency.kind.is_in(["peoples_committee", "service_center"])
        )
        .order_by(Agency.level.rank)
        .order_by(Agency.name)
        .run()
    )
    with_centre = {r["parent"] for r in rows if r["kind"] == "service_center"}
    return [r for r in rows if r["id"] not in with_centre]


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


@dataclass(frozen=True)
class Wizard:
    schema: FormSchema  # every step, the portal's included

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.schema.steps

    def validate(self, step: Step, answers: dict[str, str], today: date) -> tuple[dict, dict]:
        cleaned, errors = forms.validate_step(step, answers, today)
        by_post = step.key == DELIVERY_STEP and answers.get("cach_nhan") == "post"
        if by_post and not answers.get("dia_chi_nhan", "").strip():
            errors["dia_chi_nhan"] = "Vui lòng nhập địa chỉ nhận kết quả qua bưu chính"
        return cleaned, errors

    def first_incomplete(self, answers: dict[str, dict[str, str]], today: date) -> Step | None:
        for step in self.steps:
            saved = answers.get(step.key)
            if saved is None or self.validate(step, saved, today)[1]:
                return step
        return None

    def errors(self, answers: dict[str, dict[str, str]], today: date) -> dict[str, dict[str, str]]:
        out = {}
        for step in self.steps:
            errors = self.validate(step, answers.get(step.key) or {}, today)[1]
            if errors:
                out[step.key] = errors
        return out


async def wizard_for(procedure: ProcedureView) -> Wizard:
    agencies = await receiving_agencies(procedure)
    inner = procedure_schema(procedure)
    return Wizard(FormSchema((place_step(agencies), *inner.steps, delivery_step(procedure))))


def profile_of(citizen: Citizen) -> dict[str, Any]:
    return {
        "full_name": citizen.full_name,
        "citizen_id": citizen.citizen_id,
        "date_of_birth": citizen.date_of_birth,
        "phone": citizen.phone or "",
        "email": citizen.email or "",
        "address": full_address(citizen.street, citizen.ward_code, citizen.province_code),
    }


async def find_draft(citizen: Citizen, procedure: ProcedureView) -> dict[str, Any] | None:
    """The citizen's latest draft of this procedure, if any."""
    return (
        await Dossier.select()
        .where(
            (Dossier.citizen == citizen.id)
            & (Dossier.procedure == procedure.id)
            & (Dossier.status == Status.DRAFT.value)
        )
        .order_by(Dossier.id, ascending=False)
        .output(load_json=True)
        .first()
        .run()
    )


async def start_or_resume(citizen: Citizen, procedure: ProcedureView) -> dict[str, Any]:
    existing = await find_draft(citizen, procedure)
    if existing:
        return existing
    for _ in range(5):
        reference = new_reference(secrets.randbelow)
        if not await Dossier.exists().where(Dossier.reference == reference).run():
            break
    dossier = Dossier(
        reference=reference,
        procedure=procedure.id,
        procedure_revision=procedure.revision,
        citizen=citizen.id,
        status=Status.DRAFT.value,
        channel="online",
        applicant_name=citizen.full_name,
    )
    await dossier.save().run()
    return (
        await Dossier.select().where(Dossier.id == dossier.id).output(load_json=True).first().run()
    )


async def own_dossier(citizen: Citizen, reference: str) -> dict[str, Any] | None:
    """A dossier of this citizen by reference; None for anybody else's (no difference shown)."""
    return (
        await Dossier.select(
            Dossier.all_columns(), Dossier.procedure.code.as_alias("procedure_code")
        )
        .where((Dossier.reference == reference) & (Dossier.citizen == citizen.id))
        .output(load_json=True)
        .first()
        .run()
    )


async def save_answers(dossier_id: int, answers: dict[str, dict[str, str]], step_key: str) -> None:
    """Keep what was typed, valid or not, under the dossier (drafts only)."""
    await (
        Dossier.update(
            {
                Dossier.answers: answers,
                Dossier.current_step: step_key,
                Dossier.updated_at: workflow.local_now(),
            }
        )
        .where((Dossier.id == dossier_id) & (Dossier.status == Status.DRAFT.value))
        .run()
    )


async def add_attachment(
    dossier_id: int, field: Field, stored: StoredFile, original_name: str
) -> str:
    token = secrets.token_urlsafe(18)
    await (
        Attachment(
            token=token,
            dossier=dossier_id,
            field_key=field.key,
            component_position=field.component,
            sha256=stored.sha256,
            size=stored.size,
            media_type=stored.media_type,
            original_name=original_name[:255],
        )
        .save()
        .run()
    )
    return token


def _first_answer(wizard: Wizard, answers: dict[str, dict[str, str]], prefill: str) -> str:
    for step in wizard.steps:
        for field in step.fields:
            if field.prefill == prefill and answers.get(step.key, {}).get(field.key):
                return answers[step.key][field.key]
    return ""


def _rules(procedure: ProcedureView) -> dict[str, Any]:
    return {
        "time_limit_value": procedure.time_limit_value,
        "time_limit_unit": procedure.time_limit_unit,
        "after_cutoff_next_day": procedure.after_cutoff_next_day,
        "time_limit_text": procedure.time_limit_text,
        "fees": [
            {"name": f["name"], "amount_vnd": f["amount_vnd"], "channel": f["channel"]}
            for f in procedure.fees
        ],
        "revision": procedure.revision,
    }


async def submit(
    citizen: Citizen, dossier: dict[str, Any], procedure: ProcedureView, wizard: Wizard
) -> dict[str, Any]:
    """Draft → submitted, once: a second click finds the dossier already submitted."""
    answers = dossier["answers"] or {}
    agency_code = answers.get(PLACE_STEP, {}).get("co_quan", "")
    agency = await Agency.select(Agency.id).where(Agency.code == agency_code).first().run()
    delivery = answers.get(DELIVERY_STEP, {}).get("cach_nhan", "desk")
    name = _first_answer(wizard, answers, "full_name") or citizen.full_name
    await (
        Dossier.update(
            {
                Dossier.receiving_agency: agency["id"],
                Dossier.resolving_agency: agency["id"],
                Dossier.current_agency: agency["id"],
                Dossier.applicant_name: name,
                Dossier.applicant_search: " ".join(fold(name).split()),
                Dossier.applicant_id_number: _first_answer(wizard, answers, "citizen_id")
                or citizen.citizen_id,
                Dossier.applicant_phone: _first_answer(wizard, answers, "phone")
                or citizen.phone
                or "",
                Dossier.applicant_email: _first_answer(wizard, answers, "email")
                or citizen.email
                or "",
                Dossier.delivery_method: delivery,
                Dossier.rules: _rules(procedure),
                Dossier.procedure_revision: procedure.revision,
            }
        )
        .where((Dossier.id == dossier["id"]) & (Dossier.status == Status.DRAFT.value))
        .run()
    )
    return await workflow.transition(
        dossier["id"], Action.SUBMIT, workflow.Actor("citizen", citizen.id, Role.CITIZEN)
    )


async def attachment_names(dossier_id: int) -> dict[str, dict[str, Any]]:
    """Attachments of a dossier by token, for showing what was uploaded."""
    rows = (
        await Attachment.select(
            Attachment.token, Attachment.original_name, Attachment.size, Attachment.media_type
        )
        .where(Attachment.dossier == dossier_id)
        .run()
    )
    return {r["token"]: r for r in rows}


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


def labelled_answers(
    wizard: Wizard, answers: dict[str, dict[str, str]], attachments: dict[str, dict[str, Any]]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The answers as (step title, [(field label, shown value)]), in the form's order."""
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for step in wizard.steps:
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
                parsed = forms.parse_date(value)
                value = parsed.strftime("%d/%m/%Y") if parsed else value
            rows.append((field.label, value))
        out.append((step.title, rows))
    for key, (title, labels) in COUNTER_LABELS.items():
        saved = answers.get(key)
        if saved:
            out.append((title, [(labels.get(k, k), v) for k, v in saved.items() if v]))
    return out
