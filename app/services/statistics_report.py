"""Form II.06a and the public figures, read from the daily aggregates only.

For a period [start, end] and a set of agencies: three grouped sums — the days in the period
(cols 4, 5, 8–10 and the other counters), the running ``open``/``overdue`` deltas up to ``end``
(cols 11–13) and the running ``open`` before ``start`` (col 6). Each reads the whole months of
the range from ``statistic_month`` and only the edge days of a partial month from
``statistic_day`` (app/domain/statistics_ranges.py), so a year costs twelve rows per agency and
procedure, whatever the number of dossiers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.domain.statistics import LEAF_COLUMNS, ONE_DAY, Period, totals
from app.domain.statistics_ranges import split
from app.models import (
    Agency,
    Procedure,
    ProcedureLevel,
    ProcedureSector,
    StatisticDay,
)
from app.models.account import Officer
from app.services import statistics_cache

PERIOD_SUMS = ("c4", "c5", "c8", "c9", "c10", "fee_due", "paid_online", "digitised", "e_result")
PERIOD_SUMS += ("resolved_days", "resolved_count")
Key = tuple[int, int]  # (agency, procedure)


@dataclass
class Row:
    """A row of the report: its label, the 13 columns and the other counters."""

    key: int | None
    label: str
    cells: dict[str, int] = field(default_factory=dict)
    procedures_online: set[int] = field(default_factory=set)

    @property
    def full(self) -> dict[str, int]:
        return {**dict.fromkeys(PERIOD_SUMS, 0), **self.cells, **totals(self.cells)}


def _in(ids: list[int]) -> str:
    return ", ".join("{}" for _ in ids)


async def _grouped(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await StatisticDay.raw(sql, *args).run()


async def cells_by_key(agencies: list[int], period: Period) -> dict[Key, dict[str, int]]:
    """The leaf columns and counters per (agency, procedure) (app/services/statistics_cache.py)."""
    key = ("cells", tuple(sorted(agencies)), period.start, period.end)
    return await statistics_cache.remembered(key, lambda: _cells_by_key(agencies, period))


def _range_sql(
    agencies: list[int], lo: date | None, hi: date, columns: str
) -> tuple[str, list[Any]]:
    """SELECT agency, procedure, <columns> over [lo, hi] (lo None: from the beginning), read
    from the whole months of ``statistic_month`` and the edge days of ``statistic_day``."""
    where, parts, args = f"agency IN ({_in(agencies)})", [], []
    part = split(lo, hi)
    if part.months is not None:
        first, last = part.months
        since = "" if lo is None else " AND month >= {}"
        parts.append(f"SELECT agency, procedure, {columns} FROM statistic_month WHERE {where}"
                     f"{since} AND month <= {{}}")  # fmt: skip
        args += [*agencies, *([first] if lo is not None else []), last]
    for day_lo, day_hi in part.days:
        parts.append(f"SELECT agency, procedure, {columns} FROM statistic_day WHERE {where} "
                     "AND day >= {} AND day <= {}")  # fmt: skip
        args += [*agencies, day_lo, day_hi]
    return " UNION ALL ".join(parts), args


async def _sums(
    agencies: list[int], lo: date | None, hi: date, columns: tuple[str, ...]
) -> list[dict[str, Any]]:
    inner, args = _range_sql(agencies, lo, hi, ", ".join(columns))
    if not inner:
        return []
    sums = ", ".join(f"SUM({c}) AS {c}" for c in columns)
    return await _grouped(
        f"SELECT agency, procedure, {sums} FROM ({inner}) AS part GROUP BY agency, procedure",
        *args,
    )


async def _cells_by_key(agencies: list[int], period: Period) -> dict[Key, dict[str, int]]:
    if not agencies:
        return {}
    out: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(LEAF_COLUMNS, 0))
    for row in await _sums(agencies, period.start, period.end, PERIOD_SUMS):
        out[row["agency"], row["procedure"]].update({c: int(row[c] or 0) for c in PERIOD_SUMS})
    for row in await _sums(agencies, None, period.end, ("open_delta", "overdue_delta")):
        opened, overdue = int(row["open_delta"] or 0), int(row["overdue_delta"] or 0)
        if opened or overdue:
            cell = out[row["agency"], row["procedure"]]
            cell["c13"], cell["c12"] = overdue, opened - overdue
    for row in await _sums(agencies, None, period.start - ONE_DAY, ("open_delta",)):
        if row["open_delta"]:
            out[row["agency"], row["procedure"]]["c6"] = int(row["open_delta"])
    return dict(out)


def _add(row: Row, cells: dict[str, int], procedure: int) -> None:
    for column, n in cells.items():
        row.cells[column] = row.cells.get(column, 0) + n
    if cells.get("c4"):
        row.procedures_online.add(procedure)


async def sector_of_procedures() -> dict[int, tuple[int, str]]:
    rows = (
        await ProcedureSector.select(
            ProcedureSector.procedure, ProcedureSector.sector, ProcedureSector.sector.name
        )
        .order_by(ProcedureSector.position)
        .run()
    )
    out: dict[int, tuple[int, str]] = {}
    for r in rows:
        out.setdefault(r["procedure"], (r["sector"], r["sector.name"]))
    return out


async def procedure_names() -> dict[int, str]:
    return {r["id"]: r["name"] for r in await Procedure.select(Procedure.id, Procedure.name).run()}


async def report_rows(agencies: dict[int, str], period: Period, by: str) -> tuple[list[Row], Row]:
    """Rows by agency (``don-vi``), sector (``linh-vuc``) or procedure (``thu-tuc``), and the
    total row."""
    cells = await cells_by_key(list(agencies), period)
    total = Row(None, "Tổng cộng")
    rows: dict[int, Row] = {}
    sectors = await sector_of_procedures() if by == "linh-vuc" else {}
    names = await procedure_names() if by == "thu-tuc" else {}
    for (agency, procedure), cell in cells.items():
        if by == "don-vi":
            key, label = agency, agencies.get(agency, str(agency))
        elif by == "linh-vuc":
            key, label = sectors.get(procedure, (0, "Chưa phân lĩnh vực"))
        else:
            key, label = procedure, names.get(procedure, str(procedure))
        _add(rows.setdefault(key, Row(key, label)), cell, procedure)
        _add(total, cell, procedure)
    if by == "don-vi":
        for agency, name in agencies.items():
            rows.setdefault(agency, Row(agency, name))
    ordered = sorted(rows.values(), key=lambda r: r.label)
    return ordered, total


async def report_scope(officer: Officer) -> dict[int, str]:
    """The agencies a leader reports on: the whole province for a provincial agency, else
    their own agency."""
    agency_id = officer.agency if isinstance(officer.agency, int) else officer.agency.id
    return await statistics_cache.remembered(("scope", agency_id), lambda: _scope(agency_id))


async def _scope(agency_id: int) -> dict[int, str]:
    own = (
        await Agency.select(Agency.id, Agency.name, Agency.level.key)
        .where(Agency.id == agency_id)
        .first()
        .run()
    )
    if own["level.key"] != "tinh":
        return {own["id"]: own["name"]}
    rows = await Agency.select(Agency.id, Agency.name).order_by(Agency.name).run()
    return {r["id"]: r["name"] for r in rows}


async def public_agencies() -> dict[int, str]:
    return await statistics_cache.remembered("public agencies", _public_agencies)


async def _public_agencies() -> dict[int, str]:
    rows = (
        await Agency.select(Agency.id, Agency.name)
        .where(Agency.level.is_active == True)  # noqa: E712
        .order_by(Agency.name)
        .run()
    )
    return {r["id"]: r["name"] for r in rows}


async def online_procedure_count(agencies: list[int]) -> int:
    """Procedures with an online service (level 3 or 4) at the levels of these agencies."""
    levels = {
        r["level"] for r in await Agency.select(Agency.level).where(Agency.id.is_in(agencies)).run()
    }
    if not levels:
        return 0
    rows = (
        await ProcedureLevel.select(ProcedureLevel.procedure)
        .where(
            ProcedureLevel.level.is_in(sorted(levels))
            & (ProcedureLevel.procedure.service_level >= 3)
        )
        .distinct()
        .run()
    )
    return len(rows)
