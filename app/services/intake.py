"""Counter and postal intake: a receptionist registers a dossier brought to the desk."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.db import write_transaction
from app.domain import forms_answers, limits
from app.domain.dossier_codes import new_reference
from app.domain.dossier_flow import Action, Role
from app.domain.search import fold
from app.models import Officer
from app.services import workflow
from app.services.accounts import FormErrors
from app.services.calendar import local_now
from app.services.catalogue import ProcedureView
from app.services.desk import officer_agency
from app.services.wizard import rules_snapshot


@dataclass(frozen=True)
class IntakeForm:
    procedure_code: str
    channel: str  # counter | post
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    delivery_method: str
    received_components: tuple[str, ...]
    note: str = ""


def check(form: IntakeForm, procedure: ProcedureView | None) -> dict[str, str]:
    today = local_now().date()
    errors: dict[str, str] = {}
    if procedure is None:
        errors["thu_tuc"] = "Vui lòng chọn thủ tục"
    if form.channel not in ("counter", "post"):
        errors["kenh"] = "Vui lòng chọn hình thức nộp"
    if not form.applicant_name.strip():
        errors["ho_ten"] = "Vui lòng nhập họ và tên người nộp"
    elif len(" ".join(form.applicant_name.split())) > limits.PERSON_NAME:
        errors["ho_ten"] = f"Họ và tên không được dài quá {limits.PERSON_NAME} ký tự"
    if form.applicant_id_number:
        problem = forms_answers.citizen_id_problem(form.applicant_id_number.strip(), today)
        if problem:
            errors["so_dinh_danh"] = problem
    if form.applicant_phone and forms_answers.normalize_phone(form.applicant_phone) is None:
        errors["dien_thoai"] = "Số điện thoại không hợp lệ"
    if form.delivery_method not in ("desk", "post"):
        errors["cach_nhan"] = "Vui lòng chọn hình thức nhận kết quả"
    if form.delivery_method == "post" and not form.applicant_address.strip():
        errors["dia_chi"] = "Vui lòng nhập địa chỉ để gửi kết quả qua bưu chính"
    return errors


async def register(
    officer: Officer, form: IntakeForm, procedure: ProcedureView, now: datetime | None = None
) -> dict[str, Any]:
    """Create the dossier, then submit and receive it at once (same code format and receipt), in
    one transaction: a failure leaves no half-registered dossier."""
    errors = check(form, procedure)
    if errors:
        raise FormErrors(errors)
    agency_id = officer_agency(officer)
    name = " ".join(form.applicant_name.split())
    actor = workflow.Actor("officer", officer.id, Role.RECEPTIONIST, agency_id)
    async with write_transaction():  # created, submitted and received, or nothing
        dossier = await workflow.create_dossier(
            reference=new_reference(secrets.randbelow),
            procedure=procedure.id,
            procedure_revision=procedure.revision,
            channel=form.channel,
            receiving_agency=agency_id,
            resolving_agency=agency_id,
            current_agency=agency_id,
            applicant_name=name,
            applicant_search=fold(name),
            applicant_id_number=form.applicant_id_number.strip(),
            applicant_phone=forms_answers.normalize_phone(form.applicant_phone) or "",
            applicant_email=form.applicant_email.strip(),
            delivery_method=form.delivery_method,
            answers={
                "tiep_nhan": {
                    "dia_chi": form.applicant_address.strip(),
                    "giay_to_da_nhan": "; ".join(form.received_components),
                    "ghi_chu": form.note.strip(),
                }
            },
            rules=rules_snapshot(procedure),
        )
        # the intake form was checked above: the desk vouches for the paper dossier
        await workflow.transition(dossier["id"], Action.SUBMIT, actor, now=now, is_complete=True)
        return await workflow.transition(dossier["id"], Action.RECEIVE, actor, now=now)
