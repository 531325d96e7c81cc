"""The desk's index of dossiers: visibility rows, status counters and the name search rows.

:func:`record` is the one place that keeps them true. It is called with the dossier's row
before and after every change of status, agency, due date or priority, inside the transaction
of that change (``app/services/workflow.py`` ``transition``, ``app/services/desk.py``
``set_priority``), so a committed dossier and its index never disagree. :func:`recount` compares
the counters with a full recount (``motcua check-counts``) and :func:`rebuild` writes the
tables again from ``dossier`` (migrations, bulk loads, ``motcua check-counts --repair``).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.domain.dossier_flow import Status
from app.models import Dossier
from app.services import dossier_search

S = Status
# Each status belongs to exactly one of the desk's plain queues (app/services/desk.py QUEUES).
QUEUE_OF_STATUS = {
    S.SUBMITTED: "moi",
    S.RECEIVED: "dang-xu-ly",
    S.IN_PROGRESS: "dang-xu-ly",
    S.TRANSFERRED: "dang-xu-ly",
    S.PRE_SUPPLEMENT: "cho-bo-sung",
    S.SUPPLEMENT_REQUESTED: "cho-bo-sung",
    S.AWAITING_APPROVAL: "cho-phe-duyet",
    S.RESULT_READY: "tra-ket-qua",
    S.RETURNED: "da-ket-thuc",
    S.REJECTED: "da-ket-thuc",
    S.REFUSED: "da-ket-thuc",
    S.WITHDRAWN: "da-ket-thuc",
    S.HALTED: "da-ket-thuc",
}
CLOCK_STATUSES = (S.RECEIVED, S.IN_PROGRESS, S.AWAITING_APPROVAL, S.TRANSFERRED)
# Listed by due date, those with none last (the desk's table order, app/services/desk_queue.py);
# the others by submission.
DUE_ORDERED_QUEUES = ("dang-xu-ly", "cho-phe-duyet")
NO_DUE_DATE = datetime(9999, 12, 31, tzinfo=UTC)  # sort_at of a due-ordered row without a date
AGENCY_COLUMNS = ("receiving_agency", "current_agency", "resolving_agency")
ENTRY_COLUMNS = (
    "status",
    "queue",
    "clock",
    "priority_rank",
    "sort_at",
    "submitted_at",
    "due_at",
)


@dataclass(frozen=True)
class Entry:
    """What one agency's row of a dossier says (the columns of ``dossier_agency``)."""

    status: str
    queue: str
    clock: bool
    priority_rank: int
    sort_at: datetime
    submitted_at: datetime
    due_at: datetime | None

    def values(self) -> tuple:
        return tuple(getattr(self, c) for c in ENTRY_COLUMNS)

    @property
    def due_hour(self) -> int | None:
        """The ``due_count`` bucket of a dossier whose clock runs."""
        if not self.clock or self.due_at is None:
            return None
        return due_hour(self.due_at)


def due_hour(when: datetime) -> int:
    return math.floor(when.timestamp() / 3600)


def _id(value: Any) -> int | None:
    return value.get("id") if isinstance(value, dict) else value


def entries(row: dict[str, Any] | None) -> dict[int, Entry]:
    """The agencies that see this dossier and what their rows hold; none for a draft."""
    if not row or row["status"] == S.DRAFT.value:
        return {}
    status = S(row["status"])
    queue = QUEUE_OF_STATUS[status]
    submitted = row.get("submitted_at") or row.get("created_at")
    due = row.get("due_at")
    sort_at = (due or NO_DUE_DATE) if queue in DUE_ORDERED_QUEUES else submitted
    entry = Entry(
        status.value,
        queue,
        status in CLOCK_STATUSES,
        0 if row.get("is_priority") else 1,
        sort_at,
        submitted,
        due,
    )
    agencies = {_id(row.get(c)) for c in AGENCY_COLUMNS}
    return {a: entry for a in agencies if a is not None}


def count_deltas(old: dict[int, Entry], new: dict[int, Entry]) -> dict[tuple[int, str], int]:
    deltas: Counter[tuple[int, str]] = Counter()
    for agency, entry in old.items():
        deltas[(agency, entry.status)] -= 1
    for agency, entry in new.items():
        deltas[(agency, entry.status)] += 1
    return {k: v for k, v in deltas.items() if v}


def hour_deltas(old: dict[int, Entry], new: dict[int, Entry]) -> dict[tuple[int, int], int]:
    deltas: Counter[tuple[int, int]] = Counter()
    for sign, side in ((-1, old), (1, new)):
        for agency, entry in side.items():
            if entry.due_hour is not None:
                deltas[(agency, entry.due_hour)] += sign
    return {k: v for k, v in deltas.items() if v}


async def record(before: dict[str, Any] | None, after: dict[str, Any]) -> None:
    """Bring the index of one dossier from ``before`` (None: a new row) to ``after``.

    Run it inside the transaction that changed the dossier; it writes nothing when nothing the
    desk reads has changed."""
    old, new = entries(before), entries(after)
    dossier_id = after["id"]
    gone = [a for a in old if a not in new]
    if gone:
        await Dossier.raw(
            "DELETE FROM dossier_agency WHERE dossier = {} AND agency IN ("
            + ", ".join("{}" for _ in gone)
            + ")",
            dossier_id,
            *gone,
        ).run()
    changed = [(a, e) for a, e in new.items() if old.get(a) != e]
    if changed:
        await _upsert_rows(dossier_id, changed)
    deltas = count_deltas(old, new)
    if deltas:
        await _add_counts("queue_count", "status", deltas)
    hours = hour_deltas(old, new)
    if hours:
        await _add_counts("due_count", "hour", hours)
    await dossier_search.record(before if old else None, after if new else None)


async def _upsert_rows(dossier_id: int, changed: list[tuple[int, Entry]]) -> None:
    columns = ", ".join(ENTRY_COLUMNS)
    marks = ", ".join(["{}"] * (len(ENTRY_COLUMNS) + 2))
    sets = ", ".join(f"{c} = excluded.{c}" for c in ENTRY_COLUMNS)
    values = ", ".join(f"({marks})" for _ in changed)
    args = [x for agency, entry in changed for x in (dossier_id, agency, *entry.values())]
    await Dossier.raw(
        f"INSERT INTO dossier_agency (dossier, agency, {columns}) VALUES {values} "
        f"ON CONFLICT (agency, dossier) DO UPDATE SET {sets}",
        *args,
    ).run()


async def _add_counts(table: str, key: str, deltas: dict[tuple[int, Any], int]) -> None:
    """Add the deltas to the counters (one statement); due hours back at zero are removed so
    sums over ``due_count`` read only live hours (statuses are few: their rows stay)."""
    values = ", ".join("({}, {}, {})" for _ in deltas)
    args = [x for (agency, k), n in sorted(deltas.items()) for x in (agency, k, n)]
    await Dossier.raw(
        f"INSERT INTO {table} (agency, {key}, n) VALUES {values} "
        f"ON CONFLICT (agency, {key}) DO UPDATE SET n = {table}.n + excluded.n",
        *args,
    ).run()
    lowered = [k for k, n in sorted(deltas.items()) if n < 0]
    if lowered and table == "due_count":
        which = " OR ".join(f"(agency = {{}} AND {key} = {{}})" for _ in lowered)
        args = [x for pair in lowered for x in pair]
        await Dossier.raw(f"DELETE FROM {table} WHERE n = 0 AND ({which})", *args).run()


def _case(mapping: dict[Status, str]) -> str:
    whens = " ".join(f"WHEN '{s.value}' THEN '{v}'" for s, v in mapping.items())
    return f"CASE status {whens} END"


def visible_rows_sql() -> str:
    """SELECT of what ``dossier_agency`` should hold, computed from ``dossier`` alone."""
    clock = ", ".join(f"'{s.value}'" for s in CLOCK_STATUSES)
    due_first = ", ".join(f"'{q}'" for q in DUE_ORDERED_QUEUES)
    return f"""
    SELECT dossier, agency, status, queue,
        CASE WHEN status IN ({clock}) THEN {{true}} ELSE {{false}} END AS clock,
        CASE WHEN is_priority THEN 0 ELSE 1 END AS priority_rank,
        CASE WHEN queue IN ({due_first}) THEN COALESCE(due_at, {{no_due}}) ELSE submitted_at
            END AS sort_at,
        submitted_at, due_at
    FROM (
        SELECT d.id AS dossier, a.agency, d.status, {_case(QUEUE_OF_STATUS)} AS queue,
            d.is_priority, COALESCE(d.submitted_at, d.created_at) AS submitted_at, d.due_at
        FROM dossier d JOIN (
            SELECT id, receiving_agency AS agency FROM dossier WHERE receiving_agency IS NOT NULL
            UNION SELECT id, current_agency FROM dossier WHERE current_agency IS NOT NULL
            UNION SELECT id, resolving_agency FROM dossier WHERE resolving_agency IS NOT NULL
        ) a ON a.id = d.id
        WHERE d.status <> '{S.DRAFT.value}'
    ) v"""


def _booleans(sql: str, postgres: bool) -> str:
    no_due = "TIMESTAMPTZ '9999-12-31 00:00:00+00'" if postgres else f"'{NO_DUE_DATE}'"
    return (
        sql.replace("{true}", "TRUE" if postgres else "1")
        .replace("{false}", "FALSE" if postgres else "0")
        .replace("{no_due}", no_due)
    )


RECOUNT_SQL = """
SELECT agency, status, COUNT(*) AS n FROM ({visible}) r GROUP BY agency, status
"""


def hour_sql(column: str, postgres: bool) -> str:
    """SQL of :func:`due_hour` for a timestamp column."""
    if postgres:
        return f"CAST(floor(extract(epoch FROM {column}) / 3600) AS INTEGER)"
    return f"(CAST(strftime('%s', {column}) AS INTEGER) / 3600)"


def hours_sql(source: str, postgres: bool) -> str:
    hour = hour_sql("due_at", postgres)
    true = "TRUE" if postgres else "1"
    return (
        f"SELECT agency, {hour} AS hour, COUNT(*) AS n FROM {source} "
        f"WHERE clock = {true} AND due_at IS NOT NULL GROUP BY agency, {hour}"
    )


async def rebuild() -> None:
    """Write ``dossier_agency``, ``queue_count`` and the search rows again from ``dossier``."""
    from app.db import DB, write_transaction
    from app.settings import get_settings

    postgres = get_settings().is_postgres
    visible = _booleans(visible_rows_sql(), postgres)
    columns = ", ".join(("dossier", "agency", *ENTRY_COLUMNS))
    async with write_transaction():
        await DB.run_ddl("DELETE FROM dossier_agency")
        await DB.run_ddl(f"INSERT INTO dossier_agency ({columns}) {visible}")
        await DB.run_ddl("DELETE FROM queue_count")
        await DB.run_ddl(
            "INSERT INTO queue_count (agency, status, n) "
            "SELECT agency, status, COUNT(*) FROM dossier_agency GROUP BY agency, status"
        )
        await DB.run_ddl("DELETE FROM due_count")
        await DB.run_ddl(
            f"INSERT INTO due_count (agency, hour, n) {hours_sql('dossier_agency', postgres)}"
        )
        await dossier_search.rebuild()


@dataclass
class Mismatch:
    counter: str  # "queue_count" | "due_count"
    agency: int
    key: str  # the status, or the due hour
    counted: int  # the counter
    actual: int  # the full recount


def _differences(
    counter: str, counted: dict[tuple, int], actual: dict[tuple, int]
) -> list[Mismatch]:
    return [
        Mismatch(counter, k[0], str(k[1]), counted.get(k, 0), actual.get(k, 0))
        for k in sorted(set(actual) | set(counted), key=str)
        if actual.get(k, 0) != counted.get(k, 0)
    ]


async def _pairs(sql: str, key: str) -> dict[tuple, int]:
    return {(r["agency"], r[key]): r["n"] for r in await Dossier.raw(sql).run()}


async def recount() -> list[Mismatch]:
    """Every counter that differs from a full recount of ``dossier`` (empty: all agree)."""
    from app.settings import get_settings

    postgres = get_settings().is_postgres
    visible = _booleans(visible_rows_sql(), postgres)
    statuses = _differences(
        "queue_count",
        await _pairs("SELECT agency, status, n FROM queue_count", "status"),
        await _pairs(RECOUNT_SQL.format(visible=visible), "status"),
    )
    hours = _differences(
        "due_count",
        await _pairs("SELECT agency, hour, n FROM due_count", "hour"),
        await _pairs(hours_sql(f"({visible}) h", postgres), "hour"),
    )
    return statuses + hours


async def rows_out_of_date() -> int:
    """How many visibility rows differ from what ``dossier`` says (missing, extra or stale)."""
    from app.settings import get_settings

    visible = _booleans(visible_rows_sql(), get_settings().is_postgres)
    cols = "dossier, agency, status, queue, clock, priority_rank, sort_at, submitted_at, due_at"
    should = f"SELECT {cols} FROM ({visible}) v"
    has = f"SELECT {cols} FROM dossier_agency"
    rows = await Dossier.raw(
        f"SELECT (SELECT COUNT(*) FROM ({should} EXCEPT {has}) x) "
        f"+ (SELECT COUNT(*) FROM ({has} EXCEPT {should}) y) AS n"
    ).run()
    return rows[0]["n"]
