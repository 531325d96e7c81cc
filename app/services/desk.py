"""The desk's view of dossiers: what an officer may see, queues with counts, search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.columns.combination import Where, WhereRaw

from app.domain.dossier_codes import is_valid_code, normalize_code, normalize_reference
from app.domain.dossier_flow import Action, Role, Status
from app.models import Dossier, Officer
from app.services import dossier_search, keyset, queue_index, queue_pages, workflow
from app.services.calendar import local_now

S = Status
OPEN_CLOCK = [S.RECEIVED, S.IN_PROGRESS, S.AWAITING_APPROVAL, S.TRANSFERRED]
DUE_SOON_HOURS = 48
PAGE_SIZE = queue_pages.PAGE_SIZE


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    statuses: tuple[Status, ...] = ()
    due: str = ""  # "" | "soon" | "overdue"


QUEUES = (
    Queue("moi", "Mới nộp, chờ tiếp nhận", (S.SUBMITTED,)),
    Queue("dang-xu-ly", "Đang xử lý", (S.RECEIVED, S.IN_PROGRESS, S.TRANSFERRED)),
    Queue("sap-den-han", "Sắp đến hạn", tuple(OPEN_CLOCK), "soon"),
    Queue("qua-han", "Quá hạn", tuple(OPEN_CLOCK), "overdue"),
    Queue("cho-bo-sung", "Chờ bổ sung", (S.PRE_SUPPLEMENT, S.SUPPLEMENT_REQUESTED)),
    Queue("cho-phe-duyet", "Chờ phê duyệt", (S.AWAITING_APPROVAL,)),
    Queue("tra-ket-qua", "Chờ trả kết quả", (S.RESULT_READY,)),
    Queue(
        "da-ket-thuc",
        "Đã kết thúc",
        (S.RETURNED, S.REJECTED, S.REFUSED, S.WITHDRAWN, S.HALTED),
    ),
)
QUEUE_BY_KEY = {q.key: q for q in QUEUES}


def visible_to(agency_id: int) -> WhereRaw:
    """An officer sees the dossiers received by, resolved by or currently at their agency (never
    a draft): one look-up in the unique index of ``dossier_agency`` (app/services/queue_index.py
    keeps it), for a condition on ``dossier`` rows in any Piccolo query."""
    return WhereRaw(
        "EXISTS (SELECT 1 FROM dossier_agency va WHERE va.agency = {} AND va.dossier = dossier.id)",
        agency_id,
    )


async def status_counts(agency_id: int) -> dict[str, int]:
    """How many dossiers visible to the agency are in each status (the counters)."""
    rows = await Dossier.raw(
        "SELECT status, n FROM queue_count WHERE agency = {} AND n <> 0", agency_id
    ).run()
    return {r["status"]: int(r["n"]) for r in rows}


async def queue_counts(agency_id: int, now: datetime | None = None) -> dict[str, int]:
    """Every queue's count in one statement, whatever the number of dossiers: the status
    counters, and for the due queues whole hours of ``due_count`` plus the rows of the (at most
    three) hours cut by ``now`` and ``now + DUE_SOON_HOURS``."""
    now = now or local_now()
    soon = now + timedelta(hours=DUE_SOON_HOURS)
    h_now, h_soon = queue_index.due_hour(now), queue_index.due_hour(soon)
    rows = await Dossier.raw(
        COUNTS_SQL,
        *[agency_id],
        *[agency_id, h_now],
        *[agency_id, h_now, h_soon],
        *[agency_id, True, _hour_start(h_now), now],
        *[agency_id, True, now, _hour_start(h_now + 1)],
        *[agency_id, True, _hour_start(h_soon), soon],
    ).run()
    parts = {r["k"]: int(r["n"] or 0) for r in rows if r["kind"] != "s"}
    by_status = {r["k"]: int(r["n"]) for r in rows if r["kind"] == "s"}
    counts = {}
    for queue in QUEUES:
        counts[queue.key] = sum(by_status.get(s.value, 0) for s in queue.statuses)
    counts["qua-han"] = parts["past"] + parts["now_before"]
    counts["sap-den-han"] = parts["now_after"] + parts["mid"] + parts["soon_part"]
    return counts


def _hour_start(hour: int) -> datetime:
    return datetime.fromtimestamp(hour * 3600, UTC)


_RANGE = "SELECT 'r', '{}', COUNT(*) FROM dossier_agency WHERE agency = {{}} AND clock = {{}} "
COUNTS_SQL = (
    "SELECT 's' AS kind, status AS k, n FROM queue_count WHERE agency = {} "
    "UNION ALL SELECT 'h', 'past', COALESCE(SUM(n), 0) FROM due_count "
    "WHERE agency = {} AND hour < {} "
    "UNION ALL SELECT 'h', 'mid', COALESCE(SUM(n), 0) FROM due_count "
    "WHERE agency = {} AND hour > {} AND hour < {} "
    "UNION ALL " + _RANGE.format("now_before") + "AND due_at >= {} AND due_at < {} "
    "UNION ALL " + _RANGE.format("now_after") + "AND due_at >= {} AND due_at < {} "
    "UNION ALL " + _RANGE.format("soon_part") + "AND due_at >= {} AND due_at < {}"
)


@dataclass
class QueuePage:
    """One page: ``total`` is exact unless ``total_exact`` is False (a search with very many
    matches: then it is a lower bound, queue_pages.SEARCH_COUNT_CAP); ``next_cursor`` opens the
    next page (None on the last one); ``first`` says whether this is the first page."""

    rows: list[dict[str, Any]]
    total: int
    next_cursor: str | None
    first: bool
    total_exact: bool = True


def search_where(text: str) -> Where | WhereRaw:
    """A whole dossier code or draft reference is looked up through its unique index; anything
    else is a fragment of a code or of the applicant's name (diacritics ignored), found through
    the trigram index (app/services/dossier_search.py)."""
    code = normalize_code(text)
    if is_valid_code(code):
        return Dossier.code == code
    reference = normalize_reference(text)
    if reference is not None:
        return Dossier.reference == reference
    sql, args = dossier_search.match_condition(dossier_search.fragment(text))
    return WhereRaw(sql, *args)


async def list_queue(
    agency_id: int,
    queue_key: str,
    q: str = "",
    cursor: str | None = None,
    now: datetime | None = None,
    counts: dict[str, int] | None = None,
) -> QueuePage:
    """One page of a queue, or of the search results, after ``cursor`` (keyset pagination, see
    app/services/keyset.py). ``counts`` from :func:`queue_counts` (same ``now``) gives the
    queue's total without counting again."""
    now = now or local_now()
    queue = QUEUE_BY_KEY.get(queue_key, QUEUES[0])
    key = keyset.decode(cursor)
    if q.strip():
        plan, cap = await queue_pages.search_plan(q.strip())
        total, exact = await queue_pages.count_rows(agency_id, plan, cap)
    else:
        plan = queue_pages.queue_plan(queue, now, DUE_SOON_HOURS)
        exact = True
        if counts is not None and queue.key in counts:
            total = counts[queue.key]
        else:
            total = (await queue_counts(agency_id, now))[queue.key]
    rows = await queue_pages.page_rows(agency_id, plan, key)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    after = keyset.encode(keyset.key_of(rows[-1])) if more else None
    return QueuePage(rows, total, after, key is None, exact)


def officer_agency(officer: Officer) -> int:
    return officer.agency if isinstance(officer.agency, int) else officer.agency.id


async def set_priority(
    dossier_id: int, officer_id: int, on: bool, role: Role, agency_id: int | None = None
) -> None:
    """Mark an online dossier as priority (or not): a row of the lifecycle, in the history."""
    action = Action.MARK_PRIORITY if on else Action.UNMARK_PRIORITY
    actor = workflow.Actor("officer", officer_id, role, agency_id)
    await workflow.transition(dossier_id, action, actor)
