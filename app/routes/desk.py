"""The one-stop desk (/mot-cua): officer login, queues, dossier pages and actions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from app.domain import dossier_flow as flow
from app.domain.desk_messages import done_message
from app.domain.forms import Field, FieldType
from app.input_guard import MAX_ID
from app.models import Officer
from app.routes._guards import current_officer, officer_only, role_only
from app.routes._render import dossier_attachment_response, form_values, pdf_response, render
from app.routes.account import login_client, started_response
from app.routes.payments import fee_receipt_response
from app.services import (
    delivery,
    desk,
    desk_documents,
    desk_queue,
    desk_work,
    documents,
    fee_receipts,
    intake,
    login,
    officers,
    outbox,
    payments,
    pdf,
    reconciliation,
    workflow,
)
from app.services import wizard as wz
from app.services.accounts import FormErrors
from app.services.agencies import other_agencies
from app.services.catalogue import get_catalogue
from app.services.dossier_view import desk_dossier_view
from app.services.files import UploadRefused, store_upload
from app.services.officers import officer_roles
from app.services.receipts import receipt_data

OFFICER = {"officer": Provide(current_officer, sync_to_thread=False)}
RECEPTIONISTS_ONLY = "Chức năng dành cho cán bộ tiếp nhận"
RESULT_FIELD = Field(key="ket_qua", label="Kết quả giải quyết", type=FieldType.FILE)


async def _visible_dossier(officer: Officer, dossier_id: int):
    view = await desk_dossier_view(desk.officer_agency(officer), dossier_id)
    if view is None:
        raise NotFoundException("Không tìm thấy hồ sơ")
    return view


def queue_pairs(text: str) -> dict[str, str]:
    """The queue view a dossier was opened from, carried by its forms as ``hang_doi``."""
    return dict(parse_qsl(text[:2000]))


async def _dossier_context(
    officer: Officer, view, error: str = "", query: dict[str, str] | None = None
) -> dict[str, Any]:
    facts = workflow.facts_of(view.row, workflow.local_now().date())
    allowed = flow.allowed(facts, officer_roles(officer))
    agency_id = desk.officer_agency(officer)
    query = query or {}
    nav = await desk_queue.navigation(
        agency_id, officer.id, officer_roles(officer), query, view.row["id"]
    )
    colleagues = await officers.colleagues(agency_id)
    agencies = await other_agencies(agency_id)
    procedure = (await get_catalogue()).get(view.procedure["code"])
    sections = []
    if procedure is not None:
        attachments = {a["token"]: a for a in view.attachments}
        sections = wz.labelled_answers(await wz.wizard_for(procedure), view.answers, attachments)
    return {
        **await payments.fee_context(view),
        "answer_sections": sections,
        "officer": officer,
        "dossier": view,
        "documents": desk_documents.available(view),
        "show_actors": True,
        "actions": [a for a in allowed if a not in flow.SIDE_ACTIONS],
        "allowed": {a.value for a in allowed},
        "specialists": [c for c in colleagues if "specialist" in c["roles"]],
        "agencies": agencies,
        "flow": flow,
        "error": error,
        "today": facts.today,
        "work": await desk_work.opened(officer.id, view.row["id"]),
        "checklist": await desk_work.checklist(
            view.row["id"], procedure.components if procedure else [], view.attachments
        ),
        "queue_nav": nav,
        "done": done_message(query.get("xong", "")),
    }


class DeskController(Controller):
    path = "/mot-cua"

    @get("/dang-nhap", name="desk.login")
    async def login_form(self) -> Template:
        return Template("pages/desk/login.html", context={"errors": {}, "values": {}})

    @post("/dang-nhap", name="desk.login.submit")
    async def login(self, request: Request) -> Response:
        form = await form_values(request)
        try:
            started = await login.log_in(
                "officer",
                form.get("ten_dang_nhap", ""),
                form.get("mat_khau", ""),
                login_client(request),
            )
        except FormErrors as exc:
            return Template(
                "pages/desk/login.html",
                context={
                    "errors": exc.errors,
                    "values": {"ten_dang_nhap": form.get("ten_dang_nhap", "")},
                },
                status_code=exc.status_code,
            )
        return started_response(started)

    @get(
        "/ho-so/{dossier_id:int}", name="desk.dossier", dependencies=OFFICER, guards=[officer_only]
    )
    async def dossier(
        self, request: Request, officer: NamedDependency[Officer], dossier_id: FromPath[int]
    ) -> Template:
        view = await _visible_dossier(officer, dossier_id)
        query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        context = await _dossier_context(officer, view, query=query)
        return Template("pages/desk/dossier.html", context=context)

    @post(
        "/ho-so/{dossier_id:int}/xu-ly",
        name="desk.act",
        dependencies=OFFICER,
        guards=[officer_only],
    )
    async def act(
        self, request: Request, officer: NamedDependency[Officer], dossier_id: FromPath[int]
    ) -> Response:
        view = await _visible_dossier(officer, dossier_id)
        form = await form_values(request)
        error = ""
        try:
            action = flow.Action(form.get("action", ""))
        except ValueError:
            action = None
        if action in flow.SIDE_ACTIONS:  # the fee, delivery and priority have their own forms
            action = None
        if action is None:
            error = "Thao tác không hợp lệ."
        if action is not None:
            facts = workflow.facts_of(view.row, workflow.local_now().date())
            roles = officer_roles(officer)
            role = flow.role_for(roles, facts, action)
            if role is None:
                note = form.get("ghi_chu") or "-"
                attempt = flow.Command(action, flow.Role.ADMINISTRATOR, note, facts.due_on)
                error = flow.refusal_reason(roles, facts, attempt)
            else:
                try:
                    await workflow.transition(
                        dossier_id,
                        action,
                        workflow.Actor("officer", officer.id, role, desk.officer_agency(officer)),
                        note=form.get("ghi_chu", ""),
                        changes=_changes(form),
                    )
                except flow.Refused as exc:
                    error = str(exc)
        from_queue = queue_pairs(form.get("hang_doi", ""))
        if error:
            context = await _dossier_context(officer, view, error, from_queue)
            context["form"] = form
            return render(
                request,
                "pages/desk/dossier.html",
                "partials/desk/dossier_main.html",
                context,
                status_code=422,
            )
        if request.headers.get("hx-request"):
            view = await _visible_dossier(officer, dossier_id)
            done = {**from_queue, "xong": action.value}
            return Template(
                "partials/desk/dossier_main.html",
                context=await _dossier_context(officer, view, query=done),
            )
        return Redirect(after_action(dossier_id, action.value, from_queue), status_code=303)


def after_action(dossier_id: int, done: str, from_queue: dict[str, str]) -> str:
    """The dossier's page with the confirmation of ``done``, still in the queue it came from."""
    query = urlencode({**from_queue, "xong": done})
    return f"/mot-cua/ho-so/{dossier_id}?{query}#xong"


def _changes(form: dict[str, str]) -> workflow.Changes:
    new_due = form.get("ngay_hen_moi", "")
    try:
        new_due_on = date.fromisoformat(new_due) if new_due else None
    except ValueError:
        new_due_on = None
    items = flow.missing_items(form.get("ghi_chu", ""))
    return workflow.Changes(
        officer_id=_row_id(form.get("can_bo", "")),
        agency_id=_row_id(form.get("co_quan", "")),
        new_due_on=new_due_on,
        missing_items=items,
    )


def _row_id(value: str) -> int | None:
    """A row id typed in a form; anything else (or beyond the id columns' range) names no row: 0."""
    value = value.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 18 or int(value) > MAX_ID:
        return 0
    return int(value)


class DeskDocumentsController(Controller):
    """Attachments, standard documents and notifications of a dossier, for its officers."""

    path = "/mot-cua/ho-so/{dossier_id:int}"
    dependencies = OFFICER

    @get("/tep/{token:str}", name="desk.attachment")
    async def attachment(
        self, officer: NamedDependency[Officer], dossier_id: FromPath[int], token: FromPath[str]
    ) -> Response:
        await _visible_dossier(officer, dossier_id)
        return await dossier_attachment_response(dossier_id, token)

    @get("/phieu/{kind:str}", name="desk.document")
    async def document(
        self,
        request: Request,
        officer: NamedDependency[Officer],
        dossier_id: FromPath[int],
        kind: FromPath[str],
    ) -> Response:
        view = await _visible_dossier(officer, dossier_id)
        if kind == "giay-tiep-nhan" and view.code:
            data = await receipt_data(view.row, view.procedure["name"])
            if request.query_params.get("pdf"):
                return await pdf_response(
                    lambda: documents.receipt_pdf(data), f"{kind}-{view.code}.pdf"
                )
            return Template(
                "pages/documents/receipt.html",
                context={"r": data, "qr": documents.qr_svg(data.tracking_url)},
            )
        doc = await desk_documents.build(kind, view)
        if doc is None:
            raise NotFoundException("Hồ sơ chưa có phiếu này")
        if request.query_params.get("pdf"):
            return await pdf_response(lambda: pdf.render(doc), f"{kind}-{view.code}.pdf")
        return Template("pages/documents/desk_document.html", context={"doc": doc})

    @post("/giao-ket-qua", name="desk.deliver")
    async def deliver(
        self, request: Request, officer: NamedDependency[Officer], dossier_id: FromPath[int]
    ) -> Response:
        view = await _visible_dossier(officer, dossier_id)
        if flow.Role.RECEPTIONIST not in officer_roles(officer):
            raise PermissionDeniedException("Chức năng dành cho cán bộ tiếp nhận, trả kết quả")
        form = await request.form()
        method = view.delivery_method
        info: dict[str, Any] = {}
        error = ""
        if method == "post":
            info["postal_tracking"] = str(form.get("so_buu_gui", "")).strip()[:40]
        if method == "online":
            upload = form.get("tep_ket_qua")
            if isinstance(upload, UploadFile) and upload.filename:
                try:
                    stored = await store_upload(upload)
                except UploadRefused as exc:
                    error = exc.message
                else:
                    info["result_token"] = await wz.add_attachment(
                        dossier_id, RESULT_FIELD, stored, upload.filename
                    )
                    info["sha256"] = stored.sha256
        if not error:
            try:
                await delivery.record_delivery(
                    dossier_id, officer.id, method, info, desk.officer_agency(officer)
                )
                if form.get("tra_ket_qua") == "1":  # delivered and returned in one step
                    actor = workflow.Actor(
                        "officer", officer.id, flow.Role.RECEPTIONIST, desk.officer_agency(officer)
                    )
                    await workflow.transition(dossier_id, flow.Action.RETURN_RESULT, actor)
            except flow.Refused as exc:
                error = str(exc)
        from_queue = queue_pairs(str(form.get("hang_doi", "")))
        if error:
            view = await _visible_dossier(officer, dossier_id)
            return Template(
                "pages/desk/dossier.html",
                context=await _dossier_context(officer, view, error, from_queue),
                status_code=422,
            )
        done = "deliver" if form.get("tra_ket_qua") == "1" else "delivered"
        return Redirect(after_action(dossier_id, done, from_queue), status_code=303)

    @post("/uu-tien", name="desk.priority")
    async def priority(
        self, request: Request, officer: NamedDependency[Officer], dossier_id: FromPath[int]
    ) -> Response:
        view = await _visible_dossier(officer, dossier_id)
        roles = officer_roles(officer)
        if not roles & {flow.Role.RECEPTIONIST, flow.Role.LEADER} or view.channel != "online":
            raise PermissionDeniedException(
                "Chỉ tiếp nhận viên, lãnh đạo đánh dấu ưu tiên hồ sơ trực tuyến"
            )
        wanted = (await request.form()).get("uu_tien") == "1"
        action = flow.Action.MARK_PRIORITY if wanted else flow.Action.UNMARK_PRIORITY
        facts = workflow.facts_of(view.row, workflow.local_now().date())
        role = flow.role_for(roles, facts, action)
        if role is not None:  # else already as wanted, or the dossier is closed
            await desk.set_priority(
                dossier_id, officer.id, wanted, role, desk.officer_agency(officer)
            )
        return Redirect(f"/mot-cua/ho-so/{dossier_id}", status_code=303)

    @post("/thu-phi", name="desk.collect_fee")
    async def collect_fee(
        self, request: Request, officer: NamedDependency[Officer], dossier_id: FromPath[int]
    ) -> Response:
        view = await _visible_dossier(officer, dossier_id)
        _require(officer, flow.Role.RECEPTIONIST)
        form = await request.form()
        try:
            await payments.record_counter_payment(view.row, officer.id, str(form.get("cach", "")))
        except payments.PaymentRefused as exc:
            context = await _dossier_context(officer, view, exc.message)
            return Template("pages/desk/dossier.html", context=context, status_code=422)
        return Redirect(f"/mot-cua/ho-so/{dossier_id}#fee-heading", status_code=303)

    @get("/bien-lai/{payment_id:int}", name="desk.fee_receipt")
    async def fee_receipt(
        self,
        request: Request,
        officer: NamedDependency[Officer],
        dossier_id: FromPath[int],
        payment_id: FromPath[int],
    ) -> Response:
        await _visible_dossier(officer, dossier_id)
        return await fee_receipt_response(request, dossier_id, payment_id)

    @post("/thong-bao/{message_id:int}/gui-lai", name="desk.resend")
    async def resend(
        self,
        officer: NamedDependency[Officer],
        dossier_id: FromPath[int],
        message_id: FromPath[int],
    ) -> Response:
        await _visible_dossier(officer, dossier_id)
        await outbox.resend(message_id, f"dossier:{dossier_id}:")
        return Redirect(f"/mot-cua/ho-so/{dossier_id}#msg-heading", status_code=303)


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
        form = intake.IntakeForm(
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
        procedure = (await get_catalogue()).get(form.procedure_code)
        try:
            if procedure is None:
                raise FormErrors(intake.check(form, None))
            dossier = await intake.register(officer, form, procedure)
        except FormErrors as exc:
            context = await _intake_context(values, exc.errors)
            return Template("pages/desk/intake.html", context=context, status_code=422)
        return Redirect(f"/mot-cua/ho-so/{dossier['id']}?moi=1", status_code=303)


def _require(officer: Officer, role: flow.Role) -> None:
    if role not in officer_roles(officer):
        raise PermissionDeniedException(RECEPTIONISTS_ONLY)


async def _intake_context(values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    catalogue = await get_catalogue()
    chosen = catalogue.get(values.get("thu_tuc", "")) if values.get("thu_tuc") else None
    return {
        "procedures": catalogue.procedures,
        "chosen": chosen,
        "values": values,
        "errors": errors,
    }


class ReconciliationController(Controller):
    path = "/mot-cua/doi-soat"
    dependencies = OFFICER

    @get("/", name="desk.reconciliation")
    async def page(
        self,
        officer: NamedDependency[Officer],
        day: Annotated[str, QueryParameter(name="ngay", max_length=10)] = "",
    ) -> Template:
        report = await reconciliation.day_report(desk.officer_agency(officer), _day(day))
        return Template(
            "pages/desk/reconciliation.html",
            context={
                "report": report,
                "fee_receipt_code": payments.fee_receipt_code,
                "method_labels": fee_receipts.METHOD_LABELS,
            },
        )

    @get("/csv", name="desk.reconciliation.csv")
    async def export(
        self,
        officer: NamedDependency[Officer],
        day: Annotated[str, QueryParameter(name="ngay", max_length=10)] = "",
    ) -> Response[str]:
        report = await reconciliation.day_report(desk.officer_agency(officer), _day(day))
        return Response(
            "\ufeff" + reconciliation.to_csv(report),  # BOM: spreadsheets read it as UTF-8
            media_type="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="doi-soat-{report.day}.csv"',
                "Cache-Control": "private, no-store",
            },
        )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return workflow.local_now().date()
