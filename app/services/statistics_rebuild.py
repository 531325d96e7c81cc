"""``motcua rebuild-statistics``: recompute every aggregate from the dossier history, in batches.

The received dossiers are read ``chunk`` at a time. Each chunk is recomputed outside any
transaction and its ``statistic_dossier`` rows written (upserted) in a short transaction of
their own, so the desk's writes never wait long for the lock; the daily and monthly sums, small
next to the dossiers, are kept in memory and replace ``statistic_day`` and ``statistic_month``
in one last transaction together with the watermark. The worker is kept out by the lease
(renewed every chunk); history that arrives meanwhile lies after the watermark taken at the
start and is applied again by the worker afterwards, which replaces a dossier's contribution
whatever it was, so nothing is counted twice.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.db import write_transaction
from app.domain.statistics_days import DAY_COLUMNS
from app.models import Dossier, DossierEvent, StatisticDay, StatisticState
from app.services import statistics as st
from app.services import statistics_cache
from app.settings import get_settings

INDEX = {column: i for i, column in enumerate(DAY_COLUMNS)}
Sums = dict[tuple[int, int, date], list[int]]  # (agency, procedure, day or month) → columns
DOSSIER_COLUMNS = (
    "dossier",
    "agency",
    "procedure",
    "received_on",
    "finished_on",
    "work_days",
    "timeliness",
    "counts",
)


async def _take_lease() -> None:
    for _ in range(st.LEASE_SECONDS * 2):
        if await st._claim(datetime.now(UTC)):
            return
        await asyncio.sleep(0.5)
    raise RuntimeError("the statistics worker holds the lease")


async def _renew_lease() -> None:
    until = datetime.now(UTC) + timedelta(seconds=st.LEASE_SECONDS)
    await (
        StatisticState.update({StatisticState.claimed_until: until})
        .where(StatisticState.name == st.STATE)
        .run()
    )


def _add(sums: Sums, c: st.Contribution) -> None:
    for (day, column), n in c.counts.items():
        cell = sums.get((c.agency, c.procedure, day))
        if cell is None:
            cell = sums[c.agency, c.procedure, day] = [0] * len(DAY_COLUMNS)
        cell[INDEX[column]] += n


def _months(days: Sums) -> Sums:
    months: Sums = {}
    for (agency, procedure, day), cell in days.items():
        total = months.setdefault((agency, procedure, day.replace(day=1)), [0] * len(cell))
        for i, n in enumerate(cell):
            total[i] += n
    return months


async def _insert_many(tx: Any, sql_head: str, rows: list[tuple], sql_tail: str = "") -> None:
    """``executemany`` on the transaction's own driver connection (aiosqlite or asyncpg): the
    rows go to the driver as they are, without building a query string per row."""
    if not rows:
        return
    if get_settings().is_postgres:
        marks = ", ".join(f"${i + 1}" for i in range(len(rows[0])))
    else:
        marks = ", ".join("?" for _ in rows[0])
    await tx.connection.executemany(f"{sql_head} VALUES ({marks}) {sql_tail}", rows)


async def _write_dossiers(contributions: list[st.Contribution]) -> None:
    rows = [
        (
            c.dossier,
            c.agency,
            c.procedure,
            c.facts["received_on"],
            c.facts["finished_on"],
            c.facts["work_days"],
            c.facts["timeliness"],
            json.dumps(st._stored(c.counts)),
        )
        for c in contributions
    ]
    updates = ", ".join(f"{c} = excluded.{c}" for c in DOSSIER_COLUMNS[1:])
    async with write_transaction() as tx:
        await _insert_many(
            tx,
            f"INSERT INTO statistic_dossier ({', '.join(DOSSIER_COLUMNS)})",
            rows,
            f"ON CONFLICT (dossier) DO UPDATE SET {updates}",
        )


async def _replace_sums(tx: Any, table: str, period_column: str, sums: Sums) -> None:
    await StatisticDay.raw(f"DELETE FROM {table}").run()
    width = 7 if period_column == "month" else 10
    rows = [
        (f"{a}:{p}:{when.isoformat()[:width]}", a, p, when, *cell)
        for (a, p, when), cell in sorted(sums.items())
        if any(cell)
    ]
    columns = ", ".join(DAY_COLUMNS)
    head = f"INSERT INTO {table} (key, agency, procedure, {period_column}, {columns})"
    await _insert_many(tx, head, rows)


async def _received_ids(after: int, chunk: int) -> list[int]:
    rows = (
        await Dossier.select(Dossier.id)
        .where((Dossier.id > after) & Dossier.received_at.is_not_null())
        .order_by(Dossier.id)
        .limit(chunk)
        .run()
    )
    return [r["id"] for r in rows]


async def rebuild(chunk: int = 2000) -> int:
    """Recompute every aggregate from the history; returns the number of dossiers."""
    await _take_lease()
    try:
        cal = await st.statistics_calendar()
        top = (
            await DossierEvent.select(DossierEvent.id)
            .order_by(DossierEvent.id, ascending=False)
            .first()
            .run()
        )
        watermark = top["id"] if top else 0
        sums: Sums = {}
        done, last = 0, 0
        while ids := await _received_ids(last, chunk):
            last = ids[-1]
            contributions = await st.contributions_for(ids, cal, span=True)
            for c in contributions:
                _add(sums, c)
            await _write_dossiers(contributions)
            await _renew_lease()
            done += len(contributions)
        async with write_transaction() as tx:
            await StatisticDay.raw(
                "DELETE FROM statistic_dossier WHERE dossier NOT IN "
                "(SELECT id FROM dossier WHERE received_at IS NOT NULL)"
            ).run()
            await _replace_sums(tx, "statistic_day", "day", sums)
            await _replace_sums(tx, "statistic_month", "month", _months(sums))
            await (
                StatisticState.update({StatisticState.watermark: watermark})
                .where(StatisticState.name == st.STATE)
                .run()
            )
        statistics_cache.forget()
        return done
    finally:
        await st._release()
