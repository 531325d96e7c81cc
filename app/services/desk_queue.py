"""The desk's working queue with filters, sorting and keyset pages, counted per tab.

A view (:class:`app.domain.desk_view.QueueView`) narrows what the officer's agency sees
(:func:`app.services.desk.visible_to`); the tab narrows it by status and due time. Pages go
on from the last row shown (``is_priority``, the sort column, ``id``), so dossiers arriving
meanwhile never shift a row onto the next page twice or off it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from piccolo.columns.base import Column
from piccolo.columns.combination import Where
from piccolo.query.functions.aggregate import Count
from piccolo.querystring import QueryString

from app.domain import desk_view as dv
from app.domain.dossier_flow import Role, Status
from app.domain.fees import FEE_STATUS_LABELS, FeeStatus
from app.models import (
    Dossier,
    DossierFollow,
    Procedure,
    ProcedureSector,
)
from app.services import desk, keyset, queue_pages
from app.services.calendar import LOCAL_TZ, to_local, working_calendar
from app.services.desk_saved import (  # noqa: F401  (re-exported for the desk's pages)
    FEE_LABELS,
    colleagues,
    remember,
    saved_query,
)

PAGE_SIZE = queue_pages.PAGE_SIZE  # one page of the indexed and the filtered table alike
CLOCK_SHOWN = {Status.SUBMITTED, *desk.OPEN_CLOCK}
DUE_SORTED = {"dang-xu-ly", "sap-den-han", "qua-han", "cho-phe-duyet"}
FEE_STATUSES = frozenset(s.value for s in FeeStatus)
NOTHING = Dossier.id == -1


def default_queue(roles: set[Role] | frozenset[Role]) -> str:
    if Role.LEADER in roles:
        return "cho-phe-duyet"
    return "dang-xu-ly" if Role.SPECIALIST in roles else "moi"


def sort_of(view: dv.QueueView, q: str = "") -> str:
    """The column the table is sorted by: the officer's choice, else the tab's own order; a
    search (``q``) lists in the order of receipt, whatever the tab."""
    if view.sort:
        return view.sort
    return "han" if view.queue in DUE_SORTED and not q.strip() else "nhan"


def queue_where(queue: desk.Queue, now: datetime) -> Where:
    where = Dossier.status.is_in([s.value for s in queue.statuses])
    if queue.due == "soon":
        soon = now + timedelta(hours=desk.DUE_SOON_HOURS)
        where &= (Dossier.due_at >= now) & (Dossier.due_at < soon)
    elif queue.due == "overdue":
        where &= Dossier.due_at < now
    return where


def _day_start(day) -> datetime:
    return datetime.combine(day, time(0, 0), LOCAL_TZ)


def _range(column: Column, low, high) -> list[Where]:
    parts = []
    if low:
        parts.append(column >= _day_start(low))
    if high:
        parts.append(column < _day_start(high + timedelta(days=1)))
    return parts


async def _catalogue_parts(view: dv.QueueView) -> list[Where]:
    parts: list[Where] = []
    if view.procedure:
        row = await Procedure.select(Procedure.id).where(Procedure.code == view.procedure).first()
        parts.append(Dossier.procedure == row["id"] if row else NOTHING)
    if view.sector:
        rows = await ProcedureSector.select(ProcedureSector.procedure).where(
            ProcedureSector.sector.code == view.sector
        )
        ids = [r["procedure"] for r in rows]
        parts.append(Dossier.procedure.is_in(ids) if ids else NOTHING)
    return parts


async def filters_where(agency_id: int, view: dv.QueueView, officer_id: int) -> Where:
    """What the agency sees, narrowed by the view's filters (not by its tab)."""
    where = desk.visible_to(agency_id)
    parts = await _catalogue_parts(view)
    if view.channel:
        parts.append(Dossier.channel == view.channel)
    if view.fee_status:
        parts.append(Dossier.fee_status == view.fee_status)
    if view.officer == dv.NO_OFFICER:
        parts.append(Dossier.assigned_officer.is_null())
    elif view.officer_id() is not None:
        parts.append(Dossier.assigned_officer == view.officer_id())
    if view.followed:
        follows = DossierFollow.select(DossierFollow.dossier).where(
            DossierFollow.officer == officer_id
        )
        parts.append(Dossier.id.is_in(follows))
    parts += _range(Dossier.submitted_at, view.received_from, view.received_to)
    parts += _range(Dossier.due_at, view.due_from, view.due_to)
    for part in parts:
        where &= part
    return where


async def counts(
    agency_id: int, view: dv.QueueView, now: datetime, officer_id: int
) -> dict[str, int]:
    """How many dossiers each tab holds under the view's filters."""
    if not view.has_filters:
        return await desk.queue_counts(agency_id, now)
    where = await filters_where(agency_id, view, officer_id)
    now, soon = now.astimezone(UTC), (now + timedelta(hours=desk.DUE_SOON_HOURS)).astimezone(UTC)
    due = '"dossier"."due_at"'
    rows = (  # one pass over the filtered rows: per status, and how many are due soon or late
        await Dossier.select(
            Dossier.status,
            Count(Dossier.id, alias="n"),
            QueryString(
                f"SUM(CASE WHEN {due} >= {{}} AND {due} < {{}} THEN 1 ELSE 0 END)",
                now,
                soon,
                alias="soon",
            ),
            QueryString(f"SUM(CASE WHEN {due} < {{}} THEN 1 ELSE 0 END)", now, alias="late"),
        )
        .where(where)
        .group_by(Dossier.status)
    )
    result = {}
    for queue in desk.QUEUES:
        column = {"soon": "soon", "overdue": "late"}.get(queue.due, "n")
        result[queue.key] = sum(
            int(r[column] or 0) for r in rows if r["status"] in {s.value for s in queue.statuses}
        )
    return result


# Keyset order ----------------------------------------------------------------------------------


def _after(column: Column, value: object, last_id: int, ascending: bool) -> Where:
    """Rows after ``(value, last_id)`` inside one priority group; empty values come last."""
    if value is None:
        return column.is_null() & (Dossier.id > last_id if ascending else Dossier.id < last_id)
    beyond = column > value if ascending else column < value
    tie = (column == value) & (Dossier.id > last_id if ascending else Dossier.id < last_id)
    return beyond | tie | column.is_null()


def keyset_where(sort: str, descending: bool, cursor: tuple[bool, object, int]) -> Where:
    priority, value, last_id = cursor
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ)
    column = getattr(Dossier, dv.SORTS[sort])
    inside = _after(column, value, last_id, not descending)
    if priority:
        return (Dossier.is_priority == False) | ((Dossier.is_priority == True) & inside)  # noqa: E712
    return (Dossier.is_priority == False) & inside  # noqa: E712


def ordered(query, sort: str, descending: bool):
    column = getattr(Dossier, dv.SORTS[sort])
    empty_last = QueryString(f'"dossier"."{column._meta.db_column_name}" IS NULL')
    return (
        query.order_by(Dossier.is_priority, ascending=False)
        .order_by(empty_last)
        .order_by(column, ascending=not descending)
        .order_by(Dossier.id, ascending=not descending)
    )


ROW_COLUMNS = (
    Dossier.id,
    Dossier.code,
    Dossier.reference,
    Dossier.status,
    Dossier.applicant_name,
    Dossier.channel,
    Dossier.submitted_at,
    Dossier.received_at,
    Dossier.due_at,
    Dossier.fee_status,
    Dossier.is_priority,
    Dossier.updated_at,
    Dossier.procedure.name.as_alias("procedure_name"),
    Dossier.assigned_officer.full_name.as_alias("officer_name"),
)


@dataclass
class QueuePage:
    rows: list[dict[str, Any]]
    total: int
    next_cursor: str
    is_first: bool
    total_exact: bool = True  # False: a search with very many matches, ``total`` a lower bound
    # a search with very many matches is listed in the order of receipt, whatever the sort
    sort_capped: bool = False


async def view_where(
    agency_id: int, view: dv.QueueView, now: datetime, officer_id: int, q: str = ""
) -> Where:
    """The rows of the tab under the view's filters; a search looks through every dossier the
    agency sees (a code typed is meant to be found, whatever the filters)."""
    if q.strip():
        return desk.visible_to(agency_id) & desk.search_where(q.strip())
    where = await filters_where(agency_id, view, officer_id)
    return where & queue_where(desk.QUEUE_BY_KEY[view.queue], now)


async def rows_after(
    where: Where, view: dv.QueueView, cursor: str, size: int, q: str = ""
) -> tuple[list[dict[str, Any]], str]:
    """``size`` rows after ``cursor`` (the first ones without it) and the next page's cursor."""
    sort = sort_of(view, q)
    position = dv.decode_cursor(cursor, sort) if cursor else None
    if position is not None:
        where &= keyset_where(sort, view.descending, position)
    query = ordered(Dossier.select(*ROW_COLUMNS).where(where), sort, view.descending)
    rows = await query.limit(size + 1)
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = ""
    if more:
        last = rows[-1]
        next_cursor = dv.encode_cursor((last["is_priority"], last[dv.SORTS[sort]], last["id"]))
    return rows, next_cursor


async def page(
    agency_id: int,
    view: dv.QueueView,
    now: datetime,
    officer_id: int,
    tab_counts: dict[str, int],
    q: str = "",
    cursor: str = "",
) -> QueuePage:
    search, exact = q.strip(), True
    if search:  # counted up to a cap through the agency's index (queue_pages.search_plan)
        found, cap = await queue_pages.search_plan(search)
        total, exact = await queue_pages.count_rows(agency_id, found, cap)
        plan = found if in_index_order(view) or not exact else None
    else:
        plan, total = indexed_plan(view, now), tab_counts[view.queue]
    if plan is not None:
        rows, next_cursor = await indexed_rows_after(agency_id, plan, cursor, officer_id)
    else:
        where = await view_where(agency_id, view, now, officer_id, q)
        rows, next_cursor = await rows_after(where, view, cursor, PAGE_SIZE, q)
    await describe(rows, now, officer_id)
    capped = bool(search) and not exact and not in_index_order(view)
    return QueuePage(rows, total, next_cursor, not cursor, exact, capped)


def reads_by_index(view: dv.QueueView, q: str) -> bool:
    """Whether the page's reads are all look-ups through the agency's index (point reads, see
    app/sqlite_engine.py): a tab without a search or filters; those two may read many rows."""
    return not q.strip() and not view.has_filters


def in_index_order(view: dv.QueueView) -> bool:
    """Whether a search is listed in the order of the index (receipt), not one picked."""
    return view.sort in ("", "nhan") and not view.descending


async def plan_of(
    agency_id: int, view: dv.QueueView, now: datetime, q: str
) -> queue_pages.Plan | None:
    """The index range that lists the view (a search, or a tab without filters) in the
    table's order; None when the table is sorted from the matching rows instead. A search
    in another order is sorted only when its matches were all counted (SEARCH_COUNT_CAP):
    sorting a hundred thousand of them for one page took a second at a million dossiers."""
    if not q.strip():
        return indexed_plan(view, now)
    found, cap = await queue_pages.search_plan(q.strip())
    if in_index_order(view):
        return found
    _, exact = await queue_pages.count_rows(agency_id, found, cap)
    return None if exact else found


def indexed_plan(view: dv.QueueView, now: datetime) -> queue_pages.Plan | None:
    """A tab without filters, in its own order, is one range of ``dossier_agency``'s index
    (app/services/queue_pages.py), whatever the number of dossiers: the same rows in the same
    order as :func:`rows_after`, read without touching the other dossiers."""
    default = sort_of(dv.QueueView(queue=view.queue))
    if view.has_filters or view.descending or sort_of(view) != default:
        return None
    return queue_pages.queue_plan(desk.QUEUE_BY_KEY[view.queue], now, desk.DUE_SOON_HOURS)


async def indexed_rows_after(
    agency_id: int, plan: queue_pages.Plan, cursor: str, officer_id: int = 0
) -> tuple[list[dict[str, Any]], str]:
    """A page of the plan after ``cursor`` (a keyset cursor), with the table's columns."""
    keyed = await queue_pages.page_rows(agency_id, plan, keyset.decode(cursor), officer_id)
    more = len(keyed) > PAGE_SIZE
    rows = keyed[:PAGE_SIZE]
    return rows, keyset.encode(keyset.key_of(rows[-1])) if more else ""


async def iter_rows(
    agency_id: int, view: dv.QueueView, now: datetime, officer_id: int, q: str = "", batch=1000
) -> AsyncIterator[list[dict[str, Any]]]:
    """Every row of the view, a batch at a time, in the order of the table: the ids in order
    first (one sort), then the rows of each batch by primary key."""
    where = await view_where(agency_id, view, now, officer_id, q)
    sort = sort_of(view, q)
    ids = [
        r["id"]
        for r in await ordered(Dossier.select(Dossier.id).where(where), sort, view.descending)
    ]
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        found = {
            r["id"]: r for r in await Dossier.select(*ROW_COLUMNS).where(Dossier.id.is_in(chunk))
        }
        rows = [found[i] for i in chunk if i in found]
        await describe(rows, now, officer_id)
        if rows:
            yield rows


async def describe(rows: list[dict[str, Any]], now: datetime, officer_id: int) -> None:
    """Add the words a person reads: due in working days, fee status, followed and changed."""
    calendar = await working_calendar()
    today = to_local(now).date()
    if rows and "follow_seen_at" in rows[0]:  # read with the rows (queue_pages.page_rows)
        seen = {r["id"]: r["follow_seen_at"] for r in rows if r["follow_seen_at"] is not None}
    else:
        seen = await _seen_at(officer_id, [r["id"] for r in rows])
    for row in rows:
        shown = row["due_at"] and row["status"] in CLOCK_SHOWN
        row["due_words"] = (
            dv.due_words(to_local(row["due_at"]).date(), today, calendar) if shown else ""
        )
        row["is_overdue"] = bool(shown and row["due_at"] < now)
        # the dates as the table shows them, formatted here once rather than in the template
        row["received_on"] = (
            to_local(row["submitted_at"]).strftime("%d/%m/%Y") if row["submitted_at"] else ""
        )
        row["due_text"] = (
            to_local(row["due_at"]).strftime("%H:%M %d/%m/%Y") if row["due_at"] else ""
        )
        row["fee_label"] = FEE_STATUS_LABELS.get(row["fee_status"], row["fee_status"])
        row["channel_label"] = dv.CHANNELS.get(row["channel"], row["channel"])
        row["is_followed"] = row["id"] in seen
        row["has_changed"] = row["id"] in seen and row["updated_at"] > seen[row["id"]]


async def _seen_at(officer_id: int, ids: list[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    rows = await DossierFollow.select(DossierFollow.dossier, DossierFollow.seen_at).where(
        (DossierFollow.officer == officer_id) & DossierFollow.dossier.is_in(ids)
    )
    return {r["dossier"]: r["seen_at"] for r in rows}
