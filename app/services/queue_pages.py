"""The SQL of one desk page: a queue or a search, read through ``dossier_agency``'s indexes.

A page is ``(rank 0 part) UNION ALL (rank 1 part)``: each part is one ordered range of one index
of ``dossier_agency`` (LIMIT page + 1), so a page costs the same at any depth and any table size.
:class:`Plan` says which rows and in which order; ``desk_queue`` and ``app/services/desk.py``
build their lists from :func:`queue_plan` / :func:`search_plan` and :func:`page_rows`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from app.domain.dossier_codes import is_valid_code, normalize_code, normalize_reference
from app.models import Dossier
from app.services import dossier_search, keyset

PAGE_SIZE = 25
SEARCH_SPARSE_LIMIT = 2000  # fewer matches than this: filter by the trigram index's answer
SEARCH_COUNT_CAP = 1000  # more visible matches than this: "hơn 1.000"
ROW_COLUMNS = (
    "d.id, d.code, d.reference, d.status, d.applicant_name, d.due_at, d.submitted_at, "
    "d.received_at, d.channel, d.fee_status, d.is_priority, d.updated_at, "
    "p.name AS procedure_name, o.full_name AS officer_name"
)
DOSSIER_JOIN = " JOIN dossier ds ON ds.id = da.dossier"


@dataclass(frozen=True)
class Plan:
    """Rows of ``dossier_agency da`` (for one agency) and their order.

    ``where``: SQL with ``{}`` placeholders for ``args``, over ``da`` (and ``ds``, the dossier,
    when ``join`` is DOSSIER_JOIN); ``key_column``: the timestamp after the priority rank in the
    order — it must be the one of the index that serves ``where``."""

    where: str
    args: list[Any] = field(default_factory=list)
    key_column: str = "sort_at"
    join: str = ""


def queue_plan(queue: Any, now: datetime, soon_hours: int) -> Plan:
    """A desk queue (app/services/desk.py ``Queue``): its status group, or a due-date range of
    the dossiers whose clock runs (index ``dossier_agency_due``)."""
    if queue.due == "soon":
        soon = now + timedelta(hours=soon_hours)
        where = "da.clock = {} AND da.due_at >= {} AND da.due_at < {}"
        return Plan(where, [True, now, soon], "due_at")
    if queue.due == "overdue":
        return Plan("da.clock = {} AND da.due_at < {}", [True, now], "due_at")
    return Plan("da.queue = {}", [queue.key])


async def search_plan(text: str) -> tuple[Plan, int]:
    """The rows a search shows, in submission order, and the count cap that keeps counting
    them cheap: a whole code or reference is one dossier; on SQLite a fragment with fewer than
    SEARCH_SPARSE_LIMIT matches is filtered by the trigram index's answer; a more common one
    (or one too short for trigrams) is checked row by row while walking the agency's index in
    order, which finds a page of a common name after a few dozen rows. On PostgreSQL both are
    the same ``LIKE`` (the planner chooses between the GIN indexes and the walk), so the
    matches are not counted first (that count read the whole GIN answer of a common name:
    21 ms of a 28 ms search at 100,000 dossiers). Matches are counted up to SEARCH_COUNT_CAP."""
    code = normalize_code(text)
    if is_valid_code(code):
        return Plan("ds.code = {}", [code], "submitted_at", DOSSIER_JOIN), 1
    reference = normalize_reference(text)
    if reference is not None:
        return Plan("ds.reference = {}", [reference], "submitted_at", DOSSIER_JOIN), 1
    frag = dossier_search.fragment(text)
    own_index = frag.indexed and not dossier_search.is_postgres()
    if own_index and not await dossier_search.matches_at_least(frag, SEARCH_SPARSE_LIMIT):
        sql, args = dossier_search.match_condition(frag, "ds.id")
        return Plan(sql, args, "submitted_at", DOSSIER_JOIN), SEARCH_COUNT_CAP
    sql, args = dossier_search.like_condition(frag, "ds")
    return Plan(sql, args, "submitted_at", DOSSIER_JOIN), SEARCH_COUNT_CAP


def _part(
    agency_id: int, plan: Plan, rank: int, key: keyset.Key | None, size: int
) -> tuple[str, list]:
    col = f"da.{plan.key_column}"
    after, after_args = keyset.after_sql(key, rank, col, "da.dossier")
    sql = (
        f"SELECT * FROM (SELECT da.dossier, da.priority_rank AS k_rank, {col} AS k_at "
        f"FROM dossier_agency da{plan.join} WHERE da.agency = {{}} AND da.priority_rank = {{}} "
        f"AND {plan.where}{after} ORDER BY {col}, da.dossier LIMIT {{}}) p{rank}"
    )
    return sql, [agency_id, rank, *plan.args, *after_args, size]


async def page_rows(
    agency_id: int,
    plan: Plan,
    key: keyset.Key | None,
    follower: int = 0,
    size: int = PAGE_SIZE + 1,
) -> list[dict[str, Any]]:
    """Up to ``size`` rows after ``key`` (a page and one more, which tells whether a next page
    exists), with the table's columns and, as ``follow_seen_at``, when ``follower`` (an
    officer's id) last opened each dossier he follows (NULL: not followed) — one statement."""
    parts = [_part(agency_id, plan, rank, key, size) for rank in keyset.ranks_after(key)]
    union = " UNION ALL ".join(sql for sql, _ in parts)
    rows = await Dossier.raw(
        f"SELECT {ROW_COLUMNS}, f.seen_at AS follow_seen_at, k.k_rank, k.k_at FROM ({union}) k "
        "JOIN dossier d ON d.id = k.dossier JOIN procedure p ON p.id = d.procedure "
        "LEFT JOIN officer o ON o.id = d.assigned_officer "
        "LEFT JOIN dossier_follow f ON f.dossier = d.id AND f.officer = {} "
        "ORDER BY k.k_rank, k.k_at, d.id LIMIT {}",
        *[a for _, args in parts for a in args],
        follower,
        size,
    ).run()
    return rows


async def count_rows(agency_id: int, plan: Plan, cap: int) -> tuple[int, bool]:
    """How many rows the plan has, counting at most ``cap`` (then: ``cap``, not exact)."""
    rows = await Dossier.raw(
        f"SELECT COUNT(*) AS n FROM (SELECT 1 FROM dossier_agency da{plan.join} "
        f"WHERE da.agency = {{}} AND {plan.where} LIMIT {{}}) x",
        agency_id,
        *plan.args,
        cap + 1,
    ).run()
    n = int(rows[0]["n"])
    return min(n, cap), n <= cap
