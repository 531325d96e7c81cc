"""Receiving a dossier at the counter (/mot-cua/tiep-nhan), for receptionists."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from app.domain import dossier_flow as flow
from app.models import Officer
from app.routes._desk_pages import OFFICER, RECEPTIONISTS_ONLY
from app.routes._guards import role_only
from app.services import intake
from app.services.accounts import FormErrors
from app.services.catalogue import get_catalogue


class DeskIntakeController(Controller):
    path = "/mot-cua/tiep-nhan"
    dependencies = OFFICER
    guards = [role_only(flow.Role.RECEPTIONIST, RECEPTIONISTS_ONLY)]

    @get("/", name="desk.intake")
    async def form(self, officer: NamedDependency[Officer]) -> Template:
        return Template("pages/desk/intake.html", context=await _intake_context({}, {}))

    @post("/", name="desk.intake.submit")
    async def submit(self, request: Request, officer: NamedDependency[Officer]) -> Response:
        data = await request.form()
        values = {k: v for k, v in data.items() if isinstance(v, str)}
        form = _intake_form(values, data)
        procedure = (await get_catalogue()).get(form.procedure_code)
        try:
            if procedure is None:
                raise FormErrors(intake.check(form, None))
            dossier = await intake.register(officer, form, procedure)
        except FormErrors as exc:
            context = await _intake_context(values, exc.errors)
            return Template("pages/desk/intake.html", context=context, status_code=422)
        return Redirect(f"/mot-cua/ho-so/{dossier['id']}?moi=1", status_code=303)


def _intake_form(values: dict[str, str], data: FormMultiDict) -> intake.IntakeForm:
    return intake.IntakeForm(
        procedure_code=values.get("thu_tuc", ""),
        channel=values.get("kenh", ""),
        applicant_name=values.get("ho_ten", ""),
        applicant_id_number=values.get("so_dinh_danh", ""),
        applicant_phone=values.get("dien_thoai", ""),
        applicant_email=values.get("thu_dien_tu", ""),
        applicant_address=values.get("dia_chi", ""),
        delivery_method=values.get("cach_nhan", ""),
        received_components=tuple(
            v for k, v in data.multi_items() if k == "giay_to" and isinstance(v, str)
        ),
        note=values.get("ghi_chu", ""),
    )


async def _intake_context(values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    catalogue = await get_catalogue()
    chosen = catalogue.get(values.get("thu_tuc", "")) if values.get("thu_tuc") else None
    return {
        "procedures": catalogue.procedures,
        "chosen": chosen,
        "values": values,
        "errors": errors,
    }
