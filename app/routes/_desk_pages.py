"""What every desk page about one dossier shares: finding the dossier the officer may see, the
page's context, the queue it was opened from and where an action sends the officer next."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.response import Template

from app.domain import dossier_flow as flow
from app.domain.desk_messages import done_message
from app.input_guard import MAX_ID
from app.models import Officer
from app.routes._guards import current_officer
from app.services import (
    desk,
    desk_documents,
    desk_queue_nav,
    desk_work,
    officers,
    payments,
    workflow,
)
from app.services import wizard as wz
from app.services.agencies import other_agencies
from app.services.catalogue import get_catalogue
from app.services.dossier_view import desk_dossier_view
from app.services.officers import officer_roles

OFFICER = {"officer": Provide(current_officer, sync_to_thread=False)}
DOSSIER_PAGE = "pages/desk/dossier.html"
RECEPTIONISTS_ONLY = "Chức năng dành cho cán bộ tiếp nhận"


async def visible_dossier(officer: Officer, dossier_id: int):
    """The dossier as its officers see it; 404 for a dossier of another agency."""
    view = await desk_dossier_view(desk.officer_agency(officer), dossier_id)
    if view is None:
        raise NotFoundException("Không tìm thấy hồ sơ")
    return view


def queue_pairs(text: str) -> dict[str, str]:
    """The queue view a dossier was opened from, carried by its forms as ``hang_doi``."""
    return dict(parse_qsl(text[:2000]))


def after_action(dossier_id: int, done: str, from_queue: dict[str, str]) -> str:
    """The dossier's page with the confirmation of ``done``, still in the queue it came from."""
    query = urlencode({**from_queue, "xong": done})
    return f"/mot-cua/ho-so/{dossier_id}?{query}#xong"


def row_id(value: str) -> int | None:
    """A row id typed in a form; anything else (or beyond the id columns' range) names no row: 0."""
    value = value.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 18 or int(value) > MAX_ID:
        return 0
    return int(value)


async def _answer_sections(procedure, view) -> list:
    if procedure is None:
        return []
    attachments = {a["token"]: a for a in view.attachments}
    return wz.labelled_answers(await wz.wizard_for(procedure), view.answers, attachments)


async def dossier_context(
    officer: Officer, view, error: str = "", query: dict[str, str] | None = None
) -> dict[str, Any]:
    """Everything the dossier page shows this officer: the actions their roles allow now."""
    facts = workflow.facts_of(view.row, workflow.local_now().date())
    roles = officer_roles(officer)
    allowed = flow.allowed(facts, roles)
    agency_id = desk.officer_agency(officer)
    query = query or {}
    colleagues = await officers.colleagues(agency_id)
    procedure = (await get_catalogue()).get(view.procedure["code"])
    components = procedure.components if procedure else []
    return {
        **await payments.fee_context(view),
        "answer_sections": await _answer_sections(procedure, view),
        "officer": officer,
        "dossier": view,
        "documents": desk_documents.available(view),
        "show_actors": True,
        "actions": [a for a in allowed if a not in flow.SIDE_ACTIONS],
        "allowed": {a.value for a in allowed},
        "specialists": [c for c in colleagues if "specialist" in c["roles"]],
        "agencies": await other_agencies(agency_id),
        "flow": flow,
        "error": error,
        "today": facts.today,
        "work": await desk_work.opened(officer.id, view.row["id"]),
        "checklist": await desk_work.checklist(view.row["id"], components, view.attachments),
        "queue_nav": await desk_queue_nav.navigation(agency_id, officer.id, roles, query, view.id),
        "done": done_message(query.get("xong", "")),
    }


async def refused_page(
    officer: Officer, dossier_id: int, error: str, from_queue: dict[str, str], **kept: Any
) -> Template:
    """The dossier page again, with the refusal and what the officer typed (422)."""
    view = await visible_dossier(officer, dossier_id)
    context = await dossier_context(officer, view, error, from_queue)
    context.update(kept)
    return Template(DOSSIER_PAGE, context=context, status_code=422)
