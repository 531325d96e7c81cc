"""From a dossier back to its queue: "Về hàng đợi" and "Hồ sơ tiếp theo" for a dossier opened
from a queue view (the view travels with the dossier's forms as ``hang_doi``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from app.domain import desk_view as dv
from app.domain.dossier_flow import Role
from app.models import Dossier
from app.services import desk, keyset, queue_index, queue_pages
from app.services.calendar import local_now
from app.services.desk_queue import (
    FEE_STATUSES,
    default_queue,
    keyset_where,
    ordered,
    plan_of,
    sort_of,
    view_where,
)


def _key_in(plan: queue_pages.Plan, queue_key: str, row: dict[str, Any]) -> keyset.Key | None:
    """Where a dossier stands in the plan's order, from its own dates (app/services/
    queue_index.py writes the index's the same way): it may have left the queue since."""
    if plan.key_column == "sort_at" and queue_key in queue_index.DUE_ORDERED_QUEUES:
        at = row["due_at"] or queue_index.NO_DUE_DATE
    else:
        at = row["due_at"] if plan.key_column == "due_at" else row["submitted_at"]
    if at is None:
        return None
    return keyset.Key(0 if row["is_priority"] else 1, at, row["id"])


NAV_KEYS = frozenset(dv.PARAMS.values()) | {"q"}


@dataclass
class QueueNav:
    query: str  # the view the dossier was opened from, to carry through its forms
    back: str
    next_id: int | None


def view_of(pairs: dict[str, str], roles: set[Role]) -> dv.QueueView:
    view = dv.parse_view(pairs, FEE_STATUSES)
    if view.queue not in desk.QUEUE_BY_KEY:
        view = dv.QueueView(**{**view.__dict__, "queue": default_queue(roles)})
    return view


async def navigation(
    agency_id: int, officer_id: int, roles: set[Role], pairs: dict[str, str], dossier_id: int
) -> QueueNav:
    """ "Back to the queue" and "next dossier" for a dossier opened from a queue view: the next
    one is the row after this dossier in that view's order (whether or not it is still there)."""
    kept = {k: v[:200] for k, v in pairs.items() if k in NAV_KEYS and v}
    view = view_of(kept, roles)
    q = kept.get("q", "")[:100]
    query = dv.query_string(view) + (f"&{urlencode({'q': q})}" if q else "")
    sort = sort_of(view, q)
    column = getattr(Dossier, dv.SORTS[sort])
    row = (
        await Dossier.select(
            Dossier.is_priority, Dossier.submitted_at, Dossier.due_at, column, Dossier.id
        )
        .where(Dossier.id == dossier_id)
        .first()
    )
    next_id = None
    now = local_now()
    plan = await plan_of(agency_id, view, now, q)
    key = _key_in(plan, view.queue, row) if plan and row else None
    if key is not None:  # the next row of the index's range: a look-up, not a sort
        after = await queue_pages.page_rows(agency_id, plan, key, size=1)
        return QueueNav(query, f"/mot-cua?{query}", after[0]["id"] if after else None)
    if row:
        where = await view_where(agency_id, view, now, officer_id, q)
        where &= keyset_where(
            sort, view.descending, (row["is_priority"], row[column._meta.name], row["id"])
        )
        found = await ordered(
            Dossier.select(Dossier.id).where(where), sort, view.descending
        ).first()
        next_id = found["id"] if found else None
    return QueueNav(query, f"/mot-cua?{query}", next_id)
