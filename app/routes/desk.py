"""The one-stop desk (/mot-cua): the officer's login, a dossier's page and its lifecycle actions.

The fee, the delivery and the priority mark have their own forms (``desk_side_actions``); the
dossier's documents are in ``desk_dossier_files``, the intake in ``desk_intake``."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.domain import dossier_flow as flow
from app.models import Officer
from app.routes._desk_pages import (
    DOSSIER_PAGE,
    OFFICER,
    after_action,
    dossier_context,
    queue_pairs,
    row_id,
    visible_dossier,
)
from app.routes._guards import officer_only
from app.routes._render import form_values, render
from app.routes.account import login_client, started_response
from app.services import desk, login, workflow
from app.services.accounts import FormErrors
from app.services.officers import officer_roles

DOSSIER_MAIN = "partials/desk/dossier_main.html"


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
        view = await visible_dossier(officer, dossier_id)
        query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        context = await dossier_context(officer, view, query=query)
        return Template(DOSSIER_PAGE, context=context)

    @post(
        "/ho-so/{dossier_id:int}/xu-ly",
        name="desk.act",
        dependencies=OFFICER,
        guards=[officer_only],
    )
    async def act(
        self, request: Request, officer: NamedDependency[Officer], dossier_id: FromPath[int]
    ) -> Response:
        view = await visible_dossier(officer, dossier_id)
        form = await form_values(request)
        action = _lifecycle_action(form.get("action", ""))
        error = await _attempt(officer, view, action, form) if action else "Thao tác không hợp lệ."
        from_queue = queue_pairs(form.get("hang_doi", ""))
        if error:
            context = await dossier_context(officer, view, error, from_queue)
            context["form"] = form
            return render(request, DOSSIER_PAGE, DOSSIER_MAIN, context, status_code=422)
        if request.headers.get("hx-request"):
            view = await visible_dossier(officer, dossier_id)
            done = {**from_queue, "xong": action.value}
            context = await dossier_context(officer, view, query=done)
            return Template(DOSSIER_MAIN, context=context)
        return Redirect(after_action(dossier_id, action.value, from_queue), status_code=303)


def _lifecycle_action(value: str) -> flow.Action | None:
    """The action a dossier form asks for; the fee, delivery and priority have their own forms."""
    try:
        action = flow.Action(value)
    except ValueError:
        return None
    return None if action in flow.SIDE_ACTIONS else action


async def _attempt(officer: Officer, view, action: flow.Action, form: dict[str, str]) -> str:
    """Take ``action`` on the dossier as this officer: the refusal's reason, or "" when done."""
    if action in flow.DESTRUCTIVE_ACTIONS and form.get("xac_nhan") != "1":
        return flow.CONFIRMATION_MISSING
    facts = workflow.facts_of(view.row, workflow.local_now().date())
    roles = officer_roles(officer)
    role = flow.role_for(roles, facts, action)
    if role is None:
        note = form.get("ghi_chu") or "-"
        attempt = flow.Command(action, flow.Role.ADMINISTRATOR, note, facts.due_on)
        return flow.refusal_reason(roles, facts, attempt)
    try:
        await workflow.transition(
            view.id,
            action,
            workflow.Actor("officer", officer.id, role, desk.officer_agency(officer)),
            note=form.get("ghi_chu", ""),
            changes=_changes(form),
        )
    except flow.Refused as exc:
        return str(exc)
    return ""


def _changes(form: dict[str, str]) -> workflow.Changes:
    new_due = form.get("ngay_hen_moi", "")
    try:
        new_due_on = date.fromisoformat(new_due) if new_due else None
    except ValueError:
        new_due_on = None
    items = flow.missing_items(form.get("ghi_chu", ""))
    return workflow.Changes(
        officer_id=row_id(form.get("can_bo", "")),
        agency_id=row_id(form.get("co_quan", "")),
        new_due_on=new_due_on,
        missing_items=items,
    )
