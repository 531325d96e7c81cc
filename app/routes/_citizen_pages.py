"""What the citizen's dossier page shows, shared by the dossier and the fee pages."""

from __future__ import annotations

from typing import Any

from litestar.di import Provide
from litestar.exceptions import NotFoundException

from app.domain import dossier_flow as flow
from app.models import Citizen
from app.routes._guards import current_citizen
from app.services import payments, workflow
from app.services import wizard as wz
from app.services.calendar import local_now
from app.services.catalogue import get_catalogue
from app.services.documents import qr_svg
from app.services.dossier_view import DossierView, own_dossier_view
from app.services.tracking import expected_factor
from app.services.tracking_links import tracking_url

CITIZEN = {"citizen": Provide(current_citizen, sync_to_thread=False)}


async def own_view(citizen: Citizen, reference: str) -> DossierView:
    """The citizen's own dossier by reference; anyone else's is 404."""
    view = await own_dossier_view(citizen.id, reference)
    if view is None:
        raise NotFoundException("Không tìm thấy hồ sơ")
    return view


async def dossier_context(view: DossierView, error: str = "") -> dict[str, Any]:
    facts = workflow.facts_of(view.row, local_now().date())
    procedure = (await get_catalogue()).get(view.procedure["code"])
    sections = []
    if procedure is not None:
        attachments = {a["token"]: a for a in view.attachments}
        sections = wz.labelled_answers(await wz.wizard_for(procedure), view.answers, attachments)
    link = tracking_url(view.code) if view.code else ""
    return {
        "dossier": view,
        "actions": flow.options(facts, flow.Role.CITIZEN),
        "flow": flow,
        "qr": qr_svg(link) if link else "",
        "tracking_url": link,
        "tracking_digits": expected_factor(view.row) if view.code else "",
        "answer_sections": sections,
        "visible_actions": flow.CITIZEN_VISIBLE_ACTIONS,
        "error": error,
        **await payments.fee_context(view),
    }
