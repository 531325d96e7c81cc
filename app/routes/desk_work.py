"""Following a dossier and private annotations (/mot-cua/ho-so/{id}/theo-doi, …/ghi-chu-noi-bo)."""

from __future__ import annotations

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.models import Officer
from app.routes._desk_pages import OFFICER, dossier_context, visible_dossier
from app.routes._render import form_values
from app.services import desk, desk_work
from app.services.catalogue import get_catalogue


async def _check(officer: Officer, dossier_id: int) -> None:
    if not await desk_work.is_visible(desk.officer_agency(officer), dossier_id):
        raise NotFoundException("Không tìm thấy hồ sơ")


class DeskWorkController(Controller):
    path = "/mot-cua/ho-so/{dossier_id:int}"
    dependencies = OFFICER

    @post("/theo-doi", name="desk.follow")
    async def follow(
        self, request: Request, officer: NamedDependency[Officer], dossier_id: FromPath[int]
    ) -> Response:
        await _check(officer, dossier_id)
        form = await form_values(request)
        await desk_work.follow(officer.id, dossier_id, form.get("theo_doi") == "1")
        return Redirect(f"/mot-cua/ho-so/{dossier_id}?xong=theo-doi#work-heading", status_code=303)

    @post("/ghi-chu-noi-bo", name="desk.annotate")
    async def annotate(
        self, request: Request, officer: NamedDependency[Officer], dossier_id: FromPath[int]
    ) -> Response:
        await _check(officer, dossier_id)
        form = await form_values(request)
        try:
            await desk_work.annotate(dossier_id, officer.id, form.get("noi_dung", ""))
        except desk_work.AnnotationRefused as exc:
            view = await visible_dossier(officer, dossier_id)
            context = await dossier_context(officer, view)
            context["annotation_error"] = exc.message
            context["annotation_text"] = form.get("noi_dung", "")[:4000]
            return Template("pages/desk/dossier.html", context=context, status_code=422)
        return Redirect(f"/mot-cua/ho-so/{dossier_id}?xong=ghi-chu#work-heading", status_code=303)


class DeskChecklistController(Controller):
    path = "/mot-cua/ho-so/{dossier_id:int}/kiem-tra"
    dependencies = OFFICER

    @post("/", name="desk.checklist")
    async def save(
        self, request: Request, officer: NamedDependency[Officer], dossier_id: FromPath[int]
    ) -> Response:
        view = await visible_dossier(officer, dossier_id)
        data = await request.form()
        ticked = {
            int(v)
            for k, v in data.multi_items()
            if k == "thanh_phan" and isinstance(v, str) and v.isdigit() and len(v) < 6
        }
        procedure = (await get_catalogue()).get(view.procedure["code"])
        positions = {c["position"] for c in procedure.components} if procedure else set()
        await desk_work.set_checks(dossier_id, officer.id, ticked, positions)
        return Redirect(f"/mot-cua/ho-so/{dossier_id}?xong=kiem-tra#xong", status_code=303)
