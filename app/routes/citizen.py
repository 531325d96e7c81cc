"""The citizen's dossiers: the submission wizard, the review, the receipt and the list."""

from __future__ import annotations

import contextlib
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.domain import dossier_flow as flow
from app.domain.forms import Field, FieldType
from app.domain.forms_answers import initial_answers
from app.domain.levels import ServiceLevel
from app.models import Citizen
from app.routes._citizen_pages import CITIZEN, dossier_context, own_view
from app.routes._render import dossier_attachment_response, pdf_response, wants_fragment
from app.services import documents, workflow
from app.services import wizard as wz
from app.services.calendar import local_now
from app.services.catalogue import get_catalogue
from app.services.documents import qr_svg
from app.services.dossier_view import dossiers_of
from app.services.files import UploadRefused, store_upload
from app.services.receipts import receipt_data
from app.settings import get_settings


async def _procedure(code: str):
    procedure = (await get_catalogue()).get(code)
    if procedure is None:
        raise NotFoundException("Không tìm thấy thủ tục")
    return procedure


async def _dossier_and_wizard(citizen: Citizen, reference: str):
    dossier = await wz.own_dossier(citizen, reference)
    if dossier is None:
        raise NotFoundException("Không tìm thấy hồ sơ")
    procedure = await _procedure(dossier["procedure_code"])
    return dossier, procedure, await wz.wizard_for(procedure)


async def _online_procedure(code: str):
    procedure = await _procedure(code)
    if procedure.service_level < ServiceLevel.ONLINE_SUBMISSION:
        raise NotFoundException("Thủ tục này chưa nhận hồ sơ trực tuyến")
    return procedure


async def _resume_url(procedure, dossier) -> str:
    """The first step still to fill in, or the review when every step is complete."""
    wizard = await wz.wizard_for(procedure)
    step = wizard.first_incomplete(dossier["answers"] or {}, local_now().date())
    return f"/ho-so/{dossier['reference']}/" + (f"buoc/{step.key}" if step else "kiem-tra")


def _step_context(dossier, procedure, wizard, step, values, errors, citizen) -> dict[str, Any]:
    index = wizard.steps.index(step)
    return {
        "dossier": dossier,
        "procedure": procedure,
        "wizard": wizard,
        "step": step,
        "index": index,
        "values": values,
        "errors": errors,
        "citizen": citizen,
        "previous": wizard.steps[index - 1] if index > 0 else None,
        "FieldType": FieldType,
        "attachments": {},
    }


def _render_step(request: Request, context: dict[str, Any], status_code: int = 200) -> Template:
    name = (
        "partials/wizard/step_swap.html" if wants_fragment(request) else "pages/citizen/step.html"
    )
    return Template(name, context=context, status_code=status_code)


def _goto(request: Request, url: str) -> Response:
    """After a POST: a redirect, or for HTMX an in-place navigation (HX-Location). Only used for
    pages that always answer with a whole document (review, dossier, list)."""
    if request.headers.get("hx-request"):
        return Response("", status_code=200, headers={"HX-Location": url})
    return Redirect(url, status_code=303)


TOO_LARGE = "tep_qua_lon"


def request_too_large(request: Request, exc: Exception) -> Response:
    """A body over the server's limit (several files at the limit): back to the same wizard
    step with the portal's message, its saved answers kept; elsewhere the error page."""
    parts = request.url.path.strip("/").split("/")
    if len(parts) == 4 and parts[0] == "ho-so" and parts[2] == "buoc":
        return _goto(request, f"{request.url.path}?{TOO_LARGE}=1")
    return Template(
        "pages/error.html",
        context={"status": 413, "detail": _too_large_message()},
        status_code=413,
    )


def _too_large_message() -> str:
    mb = get_settings().max_upload_bytes // (1024 * 1024)
    return f"Tệp gửi lên quá lớn. Mỗi tệp tối đa {mb} MB, vui lòng chụp lại hoặc nén nhỏ hơn"


class CitizenController(Controller):
    path = "/"
    dependencies = CITIZEN

    @get("/thu-tuc/{code:str}/nop-ho-so", name="citizen.start")
    async def start(
        self, request: Request, citizen: NamedDependency[Citizen], code: FromPath[str]
    ) -> Response:
        """Resume the citizen's draft of this procedure, or offer to start one (a GET never
        creates a draft: the "Bắt đầu" button posts)."""
        procedure = await _online_procedure(code)
        draft = await wz.find_draft(citizen, procedure)
        if draft is not None:
            return Redirect(await _resume_url(procedure, draft), status_code=303)
        wizard = await wz.wizard_for(procedure)
        return Template(
            "pages/citizen/start.html",
            context={"procedure": procedure, "wizard": wizard, "citizen": citizen},
        )

    @post("/thu-tuc/{code:str}/nop-ho-so", name="citizen.start.create")
    async def create(
        self, request: Request, citizen: NamedDependency[Citizen], code: FromPath[str]
    ) -> Response:
        procedure = await _online_procedure(code)
        dossier = await wz.start_or_resume(citizen, procedure)
        return _goto(request, await _resume_url(procedure, dossier))

    @get("/ho-so/{reference:str}/buoc/{step_key:str}", name="citizen.step")
    async def show_step(
        self,
        request: Request,
        citizen: NamedDependency[Citizen],
        reference: FromPath[str],
        step_key: FromPath[str],
    ) -> Response:
        dossier, procedure, wizard = await _dossier_and_wizard(citizen, reference)
        if dossier["status"] != flow.Status.DRAFT:
            return Redirect(f"/ho-so/{reference}", status_code=303)
        try:
            step = wizard.schema.step(step_key)
        except KeyError as exc:
            raise NotFoundException("Không có bước này") from exc
        saved = (dossier["answers"] or {}).get(step.key)
        values = initial_answers(step, saved, wz.profile_of(citizen))
        errors = {"_tep": _too_large_message()} if request.query_params.get(TOO_LARGE) else {}
        context = _step_context(dossier, procedure, wizard, step, values, errors, citizen)
        context["attachments"] = await wz.attachment_names(dossier["id"])
        return _render_step(request, context)

    @post("/ho-so/{reference:str}/buoc/{step_key:str}", name="citizen.step.save")
    async def save_step(
        self,
        request: Request,
        citizen: NamedDependency[Citizen],
        reference: FromPath[str],
        step_key: FromPath[str],
    ) -> Response:
        dossier, procedure, wizard = await _dossier_and_wizard(citizen, reference)
        if dossier["status"] != flow.Status.DRAFT:
            return _goto(request, f"/ho-so/{reference}")
        try:
            step = wizard.schema.step(step_key)
        except KeyError as exc:
            raise NotFoundException("Không có bước này") from exc
        form = await request.form()
        saved = await wz.save_step(dossier, wizard, step, form, local_now().date())
        answers, values, errors = saved.answers, saved.values, saved.errors
        if "thoat" in form:
            return _goto(request, "/ho-so?da_luu=1")
        if errors:
            context = _step_context(
                {**dossier, "answers": answers}, procedure, wizard, step, values, errors, citizen
            )
            context["attachments"] = await wz.attachment_names(dossier["id"])
            return _render_step(request, context, status_code=422)
        following = wizard.schema.next_step(step.key)
        target = f"/ho-so/{reference}/" + (f"buoc/{following.key}" if following else "kiem-tra")
        if following is not None and wants_fragment(request):
            # HTMX: swap the next step into #wizard and put its address in the bar
            values = initial_answers(following, answers.get(following.key), wz.profile_of(citizen))
            context = _step_context(
                {**dossier, "answers": answers}, procedure, wizard, following, values, {}, citizen
            )
            context["attachments"] = await wz.attachment_names(dossier["id"])
            return Template(
                "partials/wizard/step_swap.html",
                context=context,
                headers={"HX-Push-Url": target, "Vary": "HX-Request"},
            )
        return _goto(request, target)

    @get("/ho-so/{reference:str}/kiem-tra", name="citizen.review")
    async def review(self, citizen: NamedDependency[Citizen], reference: FromPath[str]) -> Response:
        dossier, procedure, wizard = await _dossier_and_wizard(citizen, reference)
        if dossier["status"] != flow.Status.DRAFT:
            return Redirect(f"/ho-so/{reference}", status_code=303)
        return await _review_page(dossier, procedure, wizard, {}, 200)

    @post("/ho-so/{reference:str}/nop", name="citizen.submit")
    async def submit(
        self, request: Request, citizen: NamedDependency[Citizen], reference: FromPath[str]
    ) -> Response:
        dossier, procedure, wizard = await _dossier_and_wizard(citizen, reference)
        if dossier["status"] != flow.Status.DRAFT:
            return Redirect(f"/ho-so/{reference}", status_code=303)  # a repeated submit
        form = await request.form()
        problems = wz.declaration_problems(form.get("cam_doan") == "1")
        step_errors = wizard.errors(dossier["answers"] or {}, local_now().date())
        if problems or step_errors:
            return await _review_page(dossier, procedure, wizard, problems, 422)
        with contextlib.suppress(flow.Refused):  # the other click won: show what is there
            await wz.submit(citizen, dossier, procedure, wizard, declared=True)
        return Redirect(f"/ho-so/{reference}?moi_nop=1", status_code=303)


async def _review_page(dossier, procedure, wizard, problems, status_code) -> Template:
    today = local_now().date()
    return Template(
        "pages/citizen/review.html",
        context={
            "dossier": dossier,
            "procedure": procedure,
            "wizard": wizard,
            "answers": dossier["answers"] or {},
            "step_errors": wizard.errors(dossier["answers"] or {}, today),
            "problems": problems,
            "attachments": await wz.attachment_names(dossier["id"]),
            "FieldType": FieldType,
            "delivery_labels": wz.DELIVERY_LABELS,
        },
        status_code=status_code,
    )


class CitizenDossierController(Controller):
    """What the citizen sees of a submitted dossier; only their own, by reference."""

    path = "/ho-so"
    dependencies = CITIZEN

    @get("/", name="citizen.dossiers")
    async def index(self, citizen: NamedDependency[Citizen]) -> Template:
        rows = await dossiers_of(citizen.id)
        drafts = [r for r in rows if r["status"] == flow.Status.DRAFT]
        others = [r for r in rows if r["status"] != flow.Status.DRAFT]
        catalogue = await get_catalogue()
        online = [p for p in catalogue.most_used(len(catalogue.procedures)) if p.is_online]
        return Template(
            "pages/citizen/dossiers.html",
            context={
                "online": online[:5],
                "drafts": drafts,
                "dossiers": others,
                "labels": flow.STATUS_LABELS,
                "public_status": flow.public_status,
            },
        )

    @get("/{reference:str}", name="citizen.dossier")
    async def show(self, citizen: NamedDependency[Citizen], reference: FromPath[str]) -> Response:
        view = await own_view(citizen, reference)
        if view.status == flow.Status.DRAFT:
            return Redirect(f"/thu-tuc/{view.procedure['code']}/nop-ho-so", status_code=303)
        return Template("pages/citizen/dossier.html", context=await dossier_context(view))

    @get("/{reference:str}/giay-tiep-nhan", name="citizen.receipt")
    async def receipt(
        self, citizen: NamedDependency[Citizen], reference: FromPath[str]
    ) -> Template:
        view = await own_view(citizen, reference)
        if not view.code:
            raise NotFoundException("Hồ sơ chưa có giấy tiếp nhận")
        data = await receipt_data(view.row, view.procedure["name"])
        return Template(
            "pages/documents/receipt.html",
            context={"r": data, "qr": qr_svg(data.tracking_url)},
        )

    @get("/{reference:str}/giay-tiep-nhan.pdf", name="citizen.receipt.pdf")
    async def receipt_pdf(
        self, citizen: NamedDependency[Citizen], reference: FromPath[str]
    ) -> Response[bytes]:
        view = await own_view(citizen, reference)
        if not view.code:
            raise NotFoundException("Hồ sơ chưa có giấy tiếp nhận")
        data = await receipt_data(view.row, view.procedure["name"])
        return await pdf_response(
            lambda: documents.receipt_pdf(data), f"giay-tiep-nhan-{view.code}.pdf"
        )

    @get("/{reference:str}/tep/{token:str}", name="citizen.attachment")
    async def attachment(
        self, citizen: NamedDependency[Citizen], reference: FromPath[str], token: FromPath[str]
    ) -> Response:
        dossier = await wz.own_dossier(citizen, reference)
        if dossier is None:
            raise NotFoundException("Không tìm thấy tệp")
        return await dossier_attachment_response(dossier["id"], token)

    @post("/{reference:str}/rut", name="citizen.withdraw")
    async def withdraw(
        self, request: Request, citizen: NamedDependency[Citizen], reference: FromPath[str]
    ) -> Response:
        view = await own_view(citizen, reference)
        form = await request.form()
        try:
            await workflow.transition(
                view.id,
                flow.Action.WITHDRAW,
                workflow.Actor("citizen", citizen.id, flow.Role.CITIZEN),
                note=str(form.get("ly_do", "")),
            )
        except flow.Refused as exc:
            return await _dossier_error(citizen, reference, str(exc))
        return Redirect(f"/ho-so/{reference}", status_code=303)

    @post("/{reference:str}/bo-sung", name="citizen.supply")
    async def supply(
        self, request: Request, citizen: NamedDependency[Citizen], reference: FromPath[str]
    ) -> Response:
        view = await own_view(citizen, reference)
        form = await request.form()
        uploads = [v for k, v in form.multi_items() if k == "tep" and isinstance(v, UploadFile)]
        uploads = [u for u in uploads if u.filename]
        actor = workflow.Actor("citizen", citizen.id, flow.Role.CITIZEN)
        note = str(form.get("ghi_chu", ""))
        try:  # decide first: a refused supplement keeps no file
            flow.decide(
                workflow.facts_of(view.row, local_now().date()),
                flow.Action.SUPPLY,
                actor.role,
                note,
            )
        except flow.Refused as exc:
            return await _dossier_error(citizen, reference, str(exc))
        if not uploads:
            return await _dossier_error(citizen, reference, "Vui lòng chọn tệp giấy tờ bổ sung")
        stored_files = []
        for upload in uploads:
            try:
                stored_files.append((await store_upload(upload), upload.filename))
            except UploadRefused as exc:
                return await _dossier_error(citizen, reference, f"{upload.filename}: {exc.message}")

        async def add_files() -> None:
            for stored, name in stored_files:
                await wz.add_attachment(view.id, SUPPLEMENT_FIELD, stored, name)

        try:
            await workflow.transition(
                view.id, flow.Action.SUPPLY, actor, note=note, along=add_files
            )
        except flow.Refused as exc:
            return await _dossier_error(citizen, reference, str(exc))
        return Redirect(f"/ho-so/{reference}?da_bo_sung={len(uploads)}", status_code=303)


SUPPLEMENT_FIELD = Field(key="bo_sung", label="Giấy tờ bổ sung", type=FieldType.FILE)


async def _dossier_error(citizen: Citizen, reference: str, error: str) -> Template:
    view = await own_view(citizen, reference)
    context = await dossier_context(view, error)
    return Template("pages/citizen/dossier.html", context=context, status_code=422)
