"""The dossier's side actions at the desk, each with its own form: the delivery of the result,
the priority mark and the fee paid at the counter."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect

from app.domain import dossier_flow as flow
from app.domain import limits
from app.domain.forms import Field, FieldType
from app.domain.limits import too_long_message
from app.models import Officer
from app.routes._desk_pages import (
    OFFICER,
    RECEPTIONISTS_ONLY,
    after_action,
    queue_pairs,
    refused_page,
    visible_dossier,
)
from app.routes._guards import role_only
from app.services import delivery, desk, payments, workflow
from app.services import wizard as wz
from app.services.files import UploadRefused, store_upload
from app.services.officers import officer_roles

DELIVERY_REFUSAL = "Chức năng dành cho cán bộ tiếp nhận, trả kết quả"
PRIORITY_REFUSAL = "Chỉ tiếp nhận viên, lãnh đạo đánh dấu ưu tiên hồ sơ trực tuyến"
PRIORITY_ROLES = frozenset({flow.Role.RECEPTIONIST, flow.Role.LEADER})
RESULT_FIELD = Field(key="ket_qua", label="Kết quả giải quyết", type=FieldType.FILE)


class DeskSideActionsController(Controller):
    path = "/mot-cua/ho-so/{dossier_id:int}"
    dependencies = OFFICER

    @post(
        "/giao-ket-qua",
        name="desk.deliver",
        guards=[role_only(flow.Role.RECEPTIONIST, DELIVERY_REFUSAL)],
    )
    async def deliver(
        self, request: Request, officer: NamedDependency[Officer], dossier_id: FromPath[int]
    ) -> Response:
        view = await visible_dossier(officer, dossier_id)
        form = await request.form()
        method = view.delivery_method
        info, error = await _delivery_info(dossier_id, method, form)
        returned = form.get("tra_ket_qua") == "1"  # delivered and returned in one step
        if not error:
            error = await _record_delivery(officer, dossier_id, method, info, returned)
        from_queue = queue_pairs(str(form.get("hang_doi", "")))
        if error:
            typed = str(form.get("so_buu_gui", ""))
            return await refused_page(officer, dossier_id, error, from_queue, postal_number=typed)
        done = "deliver" if returned else "delivered"
        return Redirect(after_action(dossier_id, done, from_queue), status_code=303)

    @post("/uu-tien", name="desk.priority", guards=[role_only(PRIORITY_ROLES, PRIORITY_REFUSAL)])
    async def priority(
        self, request: Request, officer: NamedDependency[Officer], dossier_id: FromPath[int]
    ) -> Response:
        view = await visible_dossier(officer, dossier_id)
        if view.channel != "online":  # the role is the route's guard
            raise PermissionDeniedException(PRIORITY_REFUSAL)
        wanted = (await request.form()).get("uu_tien") == "1"
        action = flow.Action.MARK_PRIORITY if wanted else flow.Action.UNMARK_PRIORITY
        facts = workflow.facts_of(view.row, workflow.local_now().date())
        role = flow.role_for(officer_roles(officer), facts, action)
        if role is not None:  # else already as wanted, or the dossier is closed
            await desk.set_priority(
                dossier_id, officer.id, wanted, role, desk.officer_agency(officer)
            )
        return Redirect(f"/mot-cua/ho-so/{dossier_id}", status_code=303)

    @post(
        "/thu-phi",
        name="desk.collect_fee",
        guards=[role_only(flow.Role.RECEPTIONIST, RECEPTIONISTS_ONLY)],
    )
    async def collect_fee(
        self, request: Request, officer: NamedDependency[Officer], dossier_id: FromPath[int]
    ) -> Response:
        view = await visible_dossier(officer, dossier_id)
        form = await request.form()
        try:
            await payments.record_counter_payment(view.row, officer.id, str(form.get("cach", "")))
        except payments.PaymentRefused as exc:
            return await refused_page(officer, dossier_id, exc.message, {})
        return Redirect(f"/mot-cua/ho-so/{dossier_id}#fee-heading", status_code=303)


async def _delivery_info(
    dossier_id: int, method: str, form: FormMultiDict
) -> tuple[dict[str, Any], str]:
    """What the delivery records (the parcel number, the stored result file) and any refusal."""
    info: dict[str, Any] = {}
    if method == "post":
        info["postal_tracking"] = str(form.get("so_buu_gui", "")).strip()
        if len(info["postal_tracking"]) > limits.POSTAL_NUMBER:
            return info, f"Số hiệu bưu gửi: {too_long_message(limits.POSTAL_NUMBER)}"
    upload = form.get("tep_ket_qua") if method == "online" else None
    if isinstance(upload, UploadFile) and upload.filename:
        try:
            stored = await store_upload(upload)
        except UploadRefused as exc:
            return info, exc.message
        info["result_token"] = await wz.add_attachment(
            dossier_id, RESULT_FIELD, stored, upload.filename
        )
        info["sha256"] = stored.sha256
    return info, ""


async def _record_delivery(
    officer: Officer, dossier_id: int, method: str, info: dict[str, Any], returned: bool
) -> str:
    agency = desk.officer_agency(officer)
    try:
        await delivery.record_delivery(dossier_id, officer.id, method, info, agency)
        if returned:
            actor = workflow.Actor("officer", officer.id, flow.Role.RECEPTIONIST, agency)
            await workflow.transition(dossier_id, flow.Action.RETURN_RESULT, actor)
    except flow.Refused as exc:
        return str(exc)
    return ""
