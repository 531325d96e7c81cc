"""The receipt (form 01) of a dossier, from what the dossier recorded."""

from __future__ import annotations

from typing import Any

from app.domain.catalogue_labels import time_limit_label
from app.models import Agency, Attachment, Component
from app.services.calendar import to_local
from app.services.documents import ReceiptData
from app.services.tracking_links import tracking_url
from app.services.wizard import DELIVERY_LABELS, DELIVERY_STEP

CHANNEL_LABELS = {"online": "Trực tuyến", "counter": "Trực tiếp", "post": "Qua bưu chính"}


async def receipt_data(dossier: dict[str, Any], procedure_name: str) -> ReceiptData:
    agency = (
        await Agency.select(Agency.name, Agency.parent, Agency.address)
        .where(Agency.id == dossier["receiving_agency"])
        .first()
        .run()
    )
    parent = None
    if agency and agency["parent"]:
        parent = await Agency.select(Agency.name).where(Agency.id == agency["parent"]).first().run()
    components = (
        await Component.select(Component.name, Component.submission)
        .where(Component.procedure == dossier["procedure"])
        .order_by(Component.position)
        .run()
    )
    rules = dossier["rules"] or {}
    answers = dossier["answers"] or {}
    delivery = dossier["delivery_method"]
    delivery_text = DELIVERY_LABELS.get(delivery, "")
    if delivery == "post":
        address = answers.get(DELIVERY_STEP, {}).get("dia_chi_nhan", "")
        delivery_text += f": {address}" if address else ""
    received = dossier["received_at"] or dossier["submitted_at"]
    return ReceiptData(
        parent_agency=parent["name"] if parent else "",
        receiving_agency=agency["name"] if agency else "",
        code=dossier["code"],
        applicant_name=dossier["applicant_name"],
        applicant_id_number=dossier["applicant_id_number"],
        applicant_address=_address(answers),
        applicant_phone=dossier["applicant_phone"],
        applicant_email=dossier["applicant_email"],
        procedure_name=procedure_name,
        documents=await _documents(dossier, components),
        time_limit=time_limit_label(
            rules.get("time_limit_value"), rules.get("time_limit_unit", "")
        ),
        received_at=to_local(received),
        due_at=to_local(dossier["due_at"]) if dossier["due_at"] else None,
        delivery=delivery_text,
        channel=CHANNEL_LABELS.get(dossier["channel"], ""),
        tracking_url=tracking_url(dossier["code"]),
    )


def _address(answers: dict[str, dict[str, str]]) -> str:
    for step in answers.values():
        for key in ("dia_chi", "noi_cu_tru", "dia_chi_lien_lac"):
            if step.get(key):
                return step[key]
    return ""


async def _documents(dossier: dict[str, Any], components: list[dict[str, Any]]) -> list[str]:
    """What was handed in: the components with an upload, or (at the desk) what was noted."""
    positions = {
        r["component_position"]
        for r in await Attachment.select(Attachment.component_position)
        .where(Attachment.dossier == dossier["id"])
        .run()
    }
    uploaded = [c["name"] for i, c in enumerate(components) if i in positions]
    if uploaded:
        return uploaded
    noted = (dossier["answers"] or {}).get("tiep_nhan", {}).get("ghi_chu", "")
    return [line for line in noted.splitlines() if line.strip()] or ["Tờ khai trực tuyến"]
