"""Batch actions on the dossiers selected in a queue (/mot-cua/lo), with or without JavaScript."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.response import Template

from app.models import Officer
from app.routes._desk_pages import OFFICER, row_id
from app.services import desk, desk_batch, desk_queue
from app.services.officers import officer_roles


class DeskBatchController(Controller):
    path = "/mot-cua/lo"
    dependencies = OFFICER

    @post("/", name="desk.batch")
    async def run(self, request: Request, officer: NamedDependency[Officer]) -> Response:
        data = await request.form()
        values = [v for k, v in data.multi_items() if k == "ho_so" and isinstance(v, str)]
        ids = desk_batch.parse_ids(values)
        action = str(data.get("thao_tac", ""))[:40]
        note = str(data.get("ly_do", ""))[:2000]
        assignee = row_id(str(data.get("can_bo_giao", "")))
        back = str(data.get("quay_lai", ""))[:1000]
        context: dict[str, Any] = {
            "officer": officer,
            "ids": ids,
            "action": action,
            "note": note,
            "assignee": assignee,
            "back": back if back.startswith("/mot-cua") else "/mot-cua",
            "choices": desk_batch.choices(officer_roles(officer)),
            "colleagues": await desk_queue.colleagues(desk.officer_agency(officer)),
            "limit": desk_batch.MAX_BATCH,
            "errors": {},
            "outcomes": [],
        }
        try:
            if action in desk_batch.PRINTS:
                body, outcomes = await desk_batch.print_pdf(officer, action, ids)
                if any(o.done for o in outcomes):
                    return _pdf(action, body)
            else:
                confirmed = data.get("xac_nhan") == "1"
                outcomes = await desk_batch.run(officer, action, ids, note, assignee, confirmed)
        except desk_batch.BatchRefused as exc:
            context["errors"] = exc.errors
            context["codes"] = await desk_batch.codes(desk.officer_agency(officer), ids)
            return Template("pages/desk/batch.html", context=context, status_code=422)
        context["outcomes"] = outcomes
        context["label"] = desk_batch.LABELS[action]
        return Template("pages/desk/batch.html", context=context)


def _pdf(action: str, body: bytes) -> Response:
    name = "giay-tiep-nhan" if action == "print_receipts" else "phieu-kiem-soat"
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )
