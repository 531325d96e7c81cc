"""The time a procedure really takes: its finished dossiers of the last 12 months.

Read from ``statistic_dossier`` (one small row per dossier, indexed by procedure and end date)
and kept in memory for ``TTL_SECONDS`` per worker, so a busy procedure page costs one query per
procedure every few minutes.
"""

from __future__ import annotations

import statistics as stats
import time
from dataclasses import dataclass
from datetime import timedelta

from app.models import StatisticDossier
from app.services.calendar import local_now

MIN_DOSSIERS = 20  # fewer than this: show nothing
TTL_SECONDS = 600
_cache: dict[int, tuple[float, ProcedureTimes | None]] = {}


@dataclass(frozen=True)
class ProcedureTimes:
    count: int
    median_days: float
    p90_days: float
    on_time_percent: float


def summarise(days: list[int], on_time: int) -> ProcedureTimes | None:
    if len(days) < MIN_DOSSIERS:
        return None
    p90 = stats.quantiles(days, n=10, method="inclusive")[-1]
    return ProcedureTimes(
        len(days), float(stats.median(days)), round(p90, 1), round(100 * on_time / len(days), 1)
    )


async def procedure_times(procedure_id: int) -> ProcedureTimes | None:
    cached = _cache.get(procedure_id)
    if cached and time.monotonic() - cached[0] < TTL_SECONDS:
        return cached[1]
    since = local_now().date() - timedelta(days=365)
    rows = (
        await StatisticDossier.select(StatisticDossier.work_days, StatisticDossier.timeliness)
        .where(
            (StatisticDossier.procedure == procedure_id)
            & (StatisticDossier.finished_on >= since)
            & StatisticDossier.work_days.is_not_null()
        )
        .run()
    )
    result = summarise(
        [r["work_days"] for r in rows],
        sum(1 for r in rows if r["timeliness"] in ("early", "on_time")),
    )
    _cache[procedure_id] = (time.monotonic(), result)
    return result
