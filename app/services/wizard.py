"""The online submission wizard: a procedure's form plus the portal's own first and last steps.

The draft's answers are kept as typed (``save_step``); the submission is one decision of the
lifecycle (``submit``): the SUBMIT row refuses a dossier whose steps are not all valid or whose
declaration is not ticked.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar.datastructures import UploadFile

from app.domain import forms_answers as answers_rules
from app.domain.dossier_codes import new_reference
from app.domain.dossier_flow import Action, Role, Status
from app.domain.forms import Field, FieldType, FormSchema, Step
from app.domain.search import fold
from app.models import Agency, Attachment, Citizen, Dossier
from app.services import rows, workflow
from app.services.catalogue import ProcedureView
from app.services.files import StoredFile, UploadRefused, store_upload
from app.services.places import full_address
from app.services.wizard_steps import (  # noqa: F401  (re-exported for the pages)
    COUNTER_LABELS,
    DELIVERY_LABELS,
    DELIVERY_STEP,
    PLACE_STEP,
    default_schema_data,
    delivery_step,
    labelled_answers,
    place_step,
    procedure_schema,
)

DECLARATION_MISSING = "Vui lòng xác nhận lời cam đoan trước khi nộp"


RECEIVING_AGENCIES_SQL = (
    "SELECT a.id, a.code, a.name, a.kind, a.parent FROM agency a "
    "JOIN agency_level l ON l.id = a.level "
    "WHERE a.level IN (SELECT pl.level FROM procedure_level pl WHERE pl.procedure = {}) "
    "AND a.valid_to IS NULL AND a.kind IN ('peoples_committee', 'service_center') "
    "ORDER BY l.rank, a.name"
)


async def receiving_agencies(procedure: ProcedureView) -> list[dict[str, Any]]:
    """Where this procedure's dossiers may be submitted: People's Committees and service centres
    at the procedure's levels, whatever the applicant's commune (Decree 118/2025). A committee
    that has its own service centre receives through the centre."""
    found = await Agency.raw(RECEIVING_AGENCIES_SQL, procedure.id).run()
    with_centre = {r["parent"] for r in found if r["kind"] == "service_center"}
    return [r for r in found if r["id"] not in with_centre]


@dataclass(frozen=True)
class Wizard:
    schema: FormSchema  # every step, the portal's included

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.schema.steps

    def validate(self, step: Step, answers: Mapping[str, str], today: date) -> tuple[dict, dict]:
        """The step's own rules, plus the delivery step's: an address when sent by post."""
        cleaned, errors = answers_rules.validate_step(step, answers, today)
        by_post = step.key == DELIVERY_STEP and answers.get("cach_nhan") == "post"
        if by_post and not answers.get("dia_chi_nhan", "").strip():
            errors["dia_chi_nhan"] = "Vui lòng nhập địa chỉ nhận kết quả qua bưu chính"
        return cleaned, errors

    def first_incomplete(self, answers: dict[str, dict[str, str]], today: date) -> Step | None:
        return answers_rules.first_incomplete_step(self.schema, answers, today, self.validate)

    def errors(self, answers: dict[str, dict[str, str]], today: date) -> dict[str, dict[str, str]]:
        return answers_rules.validate_form(self.schema, answers, today, self.validate)

    def is_complete(self, answers: dict[str, dict[str, str]], declared: bool, today: date) -> bool:
        return declared and not self.errors(answers, today)


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
    return await workflow.create_dossier(
        reference=reference,
        procedure=procedure.id,
        procedure_revision=procedure.revision,
        citizen=citizen.id,
        channel="online",
        applicant_name=citizen.full_name,
    )


OWN_DOSSIER_SQL = (
    f"SELECT {rows.columns_sql(Dossier, 'd')}, p.code AS procedure_code FROM dossier d "
    "LEFT JOIN procedure p ON p.id = d.procedure WHERE d.reference = {} AND d.citizen = {}"
)


async def own_dossier(citizen: Citizen, reference: str) -> dict[str, Any] | None:
    """A dossier of this citizen by reference; None for anybody else's (no difference shown)."""
    found = await Dossier.raw(OWN_DOSSIER_SQL, reference, citizen.id).run()
    return rows.decoded(Dossier, found[0]) if found else None


async def save_answers(dossier_id: int, answers: dict[str, dict[str, str]], step_key: str) -> None:
    """Keep what was typed, valid or not, under the dossier (drafts only)."""
    await workflow.save_draft(dossier_id, answers, step_key)


@dataclass(frozen=True)
class SavedStep:
    answers: dict[str, dict[str, str]]  # every step's answers, this one's as typed
    values: dict[str, str]  # this step's
    errors: dict[str, str]  # this step's, uploads refused included


async def save_step(
    dossier: dict[str, Any], wizard: Wizard, step: Step, form: Mapping[str, Any], today: date
) -> SavedStep:
    """Store the uploads and keep what was typed, then check the step; a refused upload keeps the
    file chosen before."""
    answers: dict[str, dict[str, str]] = dict(dossier["answers"] or {})
    previous = dict(answers.get(step.key) or {})
    values: dict[str, str] = {}
    upload_errors: dict[str, str] = {}
    for field in step.fields:
        if field.type is not FieldType.FILE:
            raw = form.get(field.key, "")
            values[field.key] = raw if isinstance(raw, str) else ""
            continue
        values[field.key] = previous.get(field.key, "")
        upload = form.get(field.key)
        if isinstance(upload, UploadFile) and upload.filename:
            try:
                stored = await store_upload(upload)
            except UploadRefused as exc:
                upload_errors[field.key] = exc.message
                continue
            values[field.key] = await add_attachment(dossier["id"], field, stored, upload.filename)
    answers[step.key] = values
    await save_answers(dossier["id"], answers, step.key)
    _, errors = wizard.validate(step, values, today)
    return SavedStep(answers, values, {**errors, **upload_errors})


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


def rules_snapshot(procedure: ProcedureView) -> dict[str, Any]:
    """The time limit and fees in force, kept with the dossier at submission."""
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


def declaration_problems(declared: bool) -> dict[str, str]:
    """The review page's own check, keyed by its field."""
    return {} if declared else {"cam_doan": DECLARATION_MISSING}


async def _filled_in(
    citizen: Citizen, answers: dict[str, dict[str, str]], procedure: ProcedureView, wizard: Wizard
) -> dict[str, Any]:
    """The columns a submission fills in from the answers (the profile where a field is empty)."""
    agency_code = answers.get(PLACE_STEP, {}).get("co_quan", "")
    agency = await Agency.select(Agency.id).where(Agency.code == agency_code).first().run()
    agency_id = agency["id"] if agency else None
    name = _first_answer(wizard, answers, "full_name") or citizen.full_name
    return {
        "receiving_agency": agency_id,
        "resolving_agency": agency_id,
        "current_agency": agency_id,
        "applicant_name": name,
        "applicant_search": " ".join(fold(name).split()),
        "applicant_id_number": _first_answer(wizard, answers, "citizen_id") or citizen.citizen_id,
        "applicant_phone": _first_answer(wizard, answers, "phone") or citizen.phone or "",
        "applicant_email": _first_answer(wizard, answers, "email") or citizen.email or "",
        "delivery_method": answers.get(DELIVERY_STEP, {}).get("cach_nhan", "desk"),
        "rules": rules_snapshot(procedure),
        "procedure_revision": procedure.revision,
    }


async def submit(
    citizen: Citizen,
    dossier: dict[str, Any],
    procedure: ProcedureView,
    wizard: Wizard,
    declared: bool = False,
) -> dict[str, Any]:
    """Draft → submitted, once, in one transaction: a second click finds the dossier already
    submitted; an incomplete dossier or a missing declaration is refused by the SUBMIT row."""
    answers = dossier["answers"] or {}
    complete = wizard.is_complete(answers, declared, workflow.local_now().date())
    return await workflow.transition(
        dossier["id"],
        Action.SUBMIT,
        workflow.Actor("citizen", citizen.id, Role.CITIZEN),
        is_complete=complete,
        filled_in=await _filled_in(citizen, answers, procedure, wizard),
    )


async def attachment_names(dossier_id: int) -> dict[str, dict[str, Any]]:
    """Attachments of a dossier by token, for showing what was uploaded."""
    found = (
        await Attachment.select(
            Attachment.token, Attachment.original_name, Attachment.size, Attachment.media_type
        )
        .where(Attachment.dossier == dossier_id)
        .run()
    )
    return {r["token"]: r for r in found}
