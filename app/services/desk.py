"""The desk's view of dossiers: what an officer may see, queues with counts, search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from piccolo.columns.combination import Where

from app.domain.dossier_codes import is_valid_code, normalize_code, normalize_reference
from app.domain.dossier_flow import Action, Role, Status
from app.domain.search import fold
from app.models import Dossier, Officer
from app.services import workflow
from app.services.calendar import local_now

S = Status
OPEN_CLOCK = [S.RECEIVED, S.IN_PROGRESS, S.AWAITING_APPROVAL, S.TRANSFERRED]
DUE_SOON_HOURS = 48
PAGE_SIZE = 25


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


def visible_to(agency_id: int) -> Where:
    """An officer sees the dossiers received by, resolved by or currently at their agency."""
    return (
        (Dossier.receiving_agency == agency_id)
        | (Dossier.current_agency == agency_id)
        | (Dossier.resolving_agency == agency_id)
    ) & (Dossier.status != S.DRAFT.value)


def _queue_where(queue: Queue, now: datetime) -> Where:
    where = Dossier.status.is_in([s.value for s in queue.statuses])
    if queue.due == "soon":
        where &= (Dossier.due_at >= now) & (Dossier.due_at < now + timedelta(hours=DUE_SOON_HOURS))
    elif queue.due == "overdue":
        where &= Dossier.due_at < now
    return where


# Each visible dossier counted once, by the first of its agency columns that names the agency:
# three index-only scans (see the desk indexes in migrations/) instead of reading every row.
STATUS_COUNTS_SQL = """
SELECT status, COUNT(*) AS n FROM (
    SELECT status FROM dossier WHERE receiving_agency = {}
    UNION ALL
    SELECT status FROM dossier WHERE current_agency = {}
        AND (receiving_agency IS NULL OR receiving_agency <> {})
    UNION ALL
    SELECT status FROM dossier WHERE resolving_agency = {}
        AND (receiving_agency IS NULL OR receiving_agency <> {})
        AND (current_agency IS NULL OR current_agency <> {})
) AS visible
WHERE status <> {}
GROUP BY status
"""


async def status_counts(agency_id: int) -> dict[str, int]:
    """How many dossiers visible to the agency are in each status (drafts are nobody's yet)."""
    rows = await Dossier.raw(STATUS_COUNTS_SQL, *[agency_id] * 6, S.DRAFT.value).run()
    return {r["status"]: r["n"] for r in rows}


async def queue_counts(agency_id: int, now: datetime | None = None) -> dict[str, int]:
    now = now or local_now()
    by_status = await status_counts(agency_id)
    counts = {}
    for queue in QUEUES:
        if queue.due:
            counts[queue.key] = (
                await Dossier.count().where(visible_to(agency_id) & _queue_where(queue, now)).run()
            )
        else:
            counts[queue.key] = sum(by_status.get(s.value, 0) for s in queue.statuses)
    return counts


@dataclass
class QueuePage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


def search_where(text: str) -> Where:
    """A whole dossier code or draft reference is looked up through its unique index; anything
    else is a fragment of a code or of the applicant's name (diacritics ignored)."""
    code = normalize_code(text)
    if is_valid_code(code):
        return Dossier.code == code
    reference = normalize_reference(text)
    if reference is not None:
        return Dossier.reference == reference
    return Dossier.code.like(f"%{code}%") | Dossier.applicant_search.like(f"%{fold(text)}%")


async def list_queue(
    agency_id: int,
    queue_key: str,
    q: str = "",
    page: int = 1,
    now: datetime | None = None,
    counts: dict[str, int] | None = None,
) -> QueuePage:
    """One page of a queue, or of the search results. ``counts`` from :func:`queue_counts`
    (same ``now``) saves counting the queue a second time."""
    now = now or local_now()
    queue = QUEUE_BY_KEY.get(queue_key, QUEUES[0])
    where = visible_to(agency_id)
    if q.strip():
        where &= search_where(q.strip())
    else:
        where &= _queue_where(queue, now)
    if not q.strip() and counts is not None and queue.key in counts:
        total = counts[queue.key]
    else:
        total = await Dossier.count().where(where).run()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    order = Dossier.due_at if queue.due or queue.key in ("dang-xu-ly",) else Dossier.submitted_at
    rows = (
        await Dossier.select(
            Dossier.id,
            Dossier.code,
            Dossier.reference,
            Dossier.status,
            Dossier.applicant_name,
            Dossier.due_at,
            Dossier.submitted_at,
            Dossier.channel,
            Dossier.is_priority,
            Dossier.procedure.name.as_alias("procedure_name"),
        )
        .where(where)
        .order_by(Dossier.is_priority, ascending=False)
        .order_by(order)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .run()
    )
    return QueuePage(rows, total, page, pages)


def officer_agency(officer: Officer) -> int:
    return officer.agency if isinstance(officer.agency, int) else officer.agency.id


async def set_priority(
    dossier_id: int, officer_id: int, on: bool, role: Role, agency_id: int | None = None
) -> None:
    """Mark an online dossier as priority (or not): a row of the lifecycle, in the history."""
    action = Action.MARK_PRIORITY if on else Action.UNMARK_PRIORITY
    actor = workflow.Actor("officer", officer_id, role, agency_id)
    await workflow.transition(dossier_id, action, actor)
