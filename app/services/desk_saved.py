"""What the desk keeps for an officer (the last view of the queue) and the choices of the queue's
filter form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.domain import desk_view as dv
from app.domain.fees import FEE_STATUS_LABELS, FeeStatus
from app.models import Agency, DeskView, Officer

# The officer's last view -----------------------------------------------------------------------


async def saved_query(officer_id: int) -> str:
    row = await DeskView.select(DeskView.query).where(DeskView.officer == officer_id).first()
    return row["query"] if row else ""


async def remember(officer_id: int, view: dv.QueueView, now: datetime) -> None:
    """Keep a filtered or sorted view for the officer's next visit (one row per officer); an
    unfiltered one forgets it, so the desk opens on the role's own tab again."""
    query = dv.query_string(view) if view.has_filters else ""
    if query == await saved_query(officer_id):
        return  # the usual case, paging or coming back: no write
    if not query:
        await DeskView.delete().where(DeskView.officer == officer_id)
        return
    await DeskView.insert(DeskView(officer=officer_id, query=query, updated_at=now)).on_conflict(
        target=DeskView.officer,
        action="DO UPDATE",
        values=[DeskView.query, DeskView.updated_at],
    )


# Choices of the filter form --------------------------------------------------------------------

FEE_LABELS = {s.value: FEE_STATUS_LABELS[s] for s in FeeStatus}


async def agency_name(agency_id: int) -> str:
    row = await Agency.select(Agency.name).where(Agency.id == agency_id).first()
    return row["name"] if row else ""


async def colleagues(agency_id: int) -> list[dict[str, Any]]:
    """The active officers of the agency, by name (those a dossier may be assigned to)."""
    rows = (
        await Officer.select(Officer.id, Officer.full_name, Officer.roles)
        .where((Officer.agency == agency_id) & (Officer.is_active == True))  # noqa: E712
        .order_by(Officer.full_name)
        .output(load_json=True)
    )
    return rows
