"""The desk's working queue (/mot-cua): tabs, filters, sort, keyset pages and exports."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Stream, Template

from app.db import point_reads
from app.domain import desk_view as dv
from app.domain import dossier_flow as flow
from app.models import Officer
from app.routes._desk_pages import OFFICER
from app.routes._render import render
from app.services import desk, desk_batch, desk_export, desk_heading, desk_queue, workflow
from app.services.catalogue import get_catalogue
from app.services.officers import officer_roles

VIEW_PARAMS = frozenset(dv.PARAMS.values())


async def read_view(request: Request, officer: Officer, *, restore: bool) -> dv.QueueView:
    """The view the address asks for, or (``restore``, an address without one) the officer's
    last view; the tab defaults to the officer's role."""
    pairs: dict[str, str] = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
    if restore and not VIEW_PARAMS & pairs.keys() and "q" not in pairs:
        pairs = dict(parse_qsl(await saved_view(request, officer)))
    view = dv.parse_view(pairs, desk_queue.FEE_STATUSES)
    if view.queue not in desk.QUEUE_BY_KEY:
        view = replace(view, queue=desk_queue.default_queue(officer_roles(officer)))
    return view


async def saved_view(request: Request, officer: Officer) -> str:
    """The officer's remembered view: read with who is asking, or (another path) on its own."""
    saved = getattr(request.state, "saved_view", None)
    return saved if saved is not None else await desk_queue.saved_query(officer.id)


def _text(request: Request, name: str, limit: int) -> str:
    value = request.query_params.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


class DeskQueueController(Controller):
    path = "/mot-cua"
    dependencies = OFFICER

    @get("/", name="desk.home")
    async def home(self, request: Request, officer: NamedDependency[Officer]) -> Template:
        view = await read_view(request, officer, restore=True)
        q, cursor = _text(request, "q", 100), _text(request, "sau", 200)
        agency_id = desk.officer_agency(officer)
        now = workflow.local_now()
        if VIEW_PARAMS & request.query_params.keys() and not view.errors:
            await desk_queue.remember(officer.id, view, now, await saved_view(request, officer))
        with point_reads() if desk_queue.reads_by_index(view, q) else nullcontext():
            counts = await desk_queue.counts(agency_id, view, now, officer.id)
            result = await desk_queue.page(agency_id, view, now, officer.id, counts, q, cursor)
            heading = await desk_heading.load(agency_id, now.date())
        context = {
            **await _choices(heading.colleagues),
            "officer": officer,
            "agency_name": heading.agency_name,
            "queues": desk.QUEUES,
            "counts": counts,
            "queue": desk.QUEUE_BY_KEY[view.queue],
            "view": view,
            "sort": "nhan" if result.sort_capped else desk_queue.sort_of(view, q),
            "descending": view.descending and not result.sort_capped,
            "dv": dv,
            "q": q,
            "result": result,
            "labels": flow.STATUS_LABELS,
            "now": now,
            "is_restored": not request.query_params and view.has_filters,
            "batch_actions": desk_batch.choices(officer_roles(officer)),
            "feedback_due": heading.feedback_due,
        }
        return render(request, "pages/desk/home.html", "partials/desk/queue.html", context)

    @get(["/xuat/csv", "/xuat/xlsx"], name="desk.export")
    async def export(self, request: Request, officer: NamedDependency[Officer]) -> Stream:
        kind = request.url.path.rsplit("/", 1)[-1]
        view = await read_view(request, officer, restore=False)
        q = _text(request, "q", 100)
        rows = desk_queue.iter_rows(
            desk.officer_agency(officer), view, workflow.local_now(), officer.id, q
        )
        return desk_export.response(kind, rows, view)


async def _choices(colleagues: list[dict]) -> dict[str, Any]:
    catalogue = await get_catalogue()
    return {
        "procedures": sorted(catalogue.procedures, key=lambda p: p.name),
        "sectors": catalogue.sectors,
        "colleagues": colleagues,
        "fee_labels": desk_queue.FEE_LABELS,
    }
