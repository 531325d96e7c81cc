"""What the desk keeps for an officer (the last view of the queue) and the choices of the queue's
filter form (the officers come from app/services/officers.py; the desk's home reads them with
its heading, app/services/desk_heading.py)."""

from __future__ import annotations

from datetime import datetime

from app.domain import desk_view as dv
from app.domain.fees import FEE_STATUS_LABELS, FeeStatus
from app.models import DeskView
from app.services.officers import colleagues  # noqa: F401  (re-exported)

# The officer's last view -----------------------------------------------------------------------


async def saved_query(officer_id: int) -> str:
    row = await DeskView.select(DeskView.query).where(DeskView.officer == officer_id).first()
    return row["query"] if row else ""


async def remember(
    officer_id: int, view: dv.QueueView, now: datetime, saved: str | None = None
) -> None:
    """Keep a filtered or sorted view for the officer's next visit (one row per officer); an
    unfiltered one forgets it, so the desk opens on the role's own tab again. ``saved``: the
    remembered one, when the caller has read it already."""
    query = dv.query_string(view) if view.has_filters else ""
    if query == (saved if saved is not None else await saved_query(officer_id)):
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
