"""What the statistics pages show: the report, its drill-down lists, the public figures."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.statistics import Period
from app.domain.statistics_days import GROUPS, columns_from_counts
from app.domain.statistics_figures import (
    DEFAULT_TARGETS,
    Figure,
    Ratio,
    average_days,
    public_figures,
    self_assessment,
)
from app.domain.statistics_periods import PeriodChoice, PeriodInvalid, current_quarter, period_of
from app.models import Dossier, StatisticDossier
from app.services import statistics_report as report
from app.services.calendar import local_now
from app.settings import get_settings

# Where satisfaction comes from once ratings exist: an async function (agencies, period) →
# Ratio | None. None (the default): shown as "chưa có dữ liệu".
SatisfactionSource = Callable[[list[int], Period], Awaitable[Ratio | None]]
satisfaction_source: SatisfactionSource | None = None
COLUMN_LABELS = {
    "c3": "Tổng số hồ sơ nhận giải quyết",
    "c4": "Nhận trong kỳ trực tuyến",
    "c5": "Nhận trong kỳ trực tiếp, bưu chính",
    "c6": "Từ kỳ trước chuyển sang",
    "c7": "Đã giải quyết",
    "c8": "Đã giải quyết trước hạn",
    "c9": "Đã giải quyết đúng hạn",
    "c10": "Đã giải quyết quá hạn",
    "c11": "Đang giải quyết",
    "c12": "Đang giải quyết trong hạn",
    "c13": "Đang giải quyết quá hạn",
}
GROUPINGS = {"don-vi": "Đơn vị", "linh-vuc": "Lĩnh vực", "thu-tuc": "Thủ tục"}


def targets() -> dict[str, float]:
    """The province's targets: MOTCUA_STATISTICS_TARGETS (JSON, percent) over the defaults."""
    raw = get_settings().statistics_targets
    try:
        given = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        given = {}
    return {**DEFAULT_TARGETS, **{k: float(v) for k, v in given.items() if k in DEFAULT_TARGETS}}


def _int(value: str, default: int) -> int:
    return int(value) if value.strip().isdigit() and len(value) < 6 else default


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def choice_from(query: dict[str, str]) -> tuple[PeriodChoice, Period, str]:
    """The period asked for in the query string, or the current quarter and the reason."""
    today = local_now().date()
    fallback = current_quarter(today)
    kind = query.get("ky", "") or fallback.kind
    choice = PeriodChoice(
        kind=kind,
        year=_int(query.get("nam", ""), today.year),
        number=_int(query.get("so", ""), fallback.number if kind == "quy" else today.month),
        start=_day(query.get("tu", "")),
        end=_day(query.get("den", "")),
    )
    try:
        return choice, period_of(choice), ""
    except PeriodInvalid as exc:
        return fallback, period_of(fallback), str(exc)


def query_of(choice: PeriodChoice) -> dict[str, str]:
    q = {"ky": choice.kind, "nam": str(choice.year), "so": str(choice.number)}
    if choice.kind == "khoang" and choice.start and choice.end:
        q.update(tu=choice.start.isoformat(), den=choice.end.isoformat())
    return q


@dataclass
class Report:
    agencies: dict[int, str]
    period: Period
    by: str
    rows: list[report.Row]
    total: report.Row


async def build_report(agencies: dict[int, str], period: Period, by: str) -> Report:
    by = by if by in GROUPINGS else ("don-vi" if len(agencies) > 1 else "linh-vuc")
    rows, total = await report.report_rows(agencies, period, by)
    return Report(agencies, period, by, rows, total)


async def figures_for(agencies: dict[int, str], period: Period) -> dict[str, Any]:
    rows, total = await report.report_rows(agencies, period, "don-vi")
    cells = total.full
    online = await report.online_procedure_count(list(agencies))
    source = satisfaction_source
    satisfaction = await source(list(agencies), period) if source else None
    figures: list[Figure] = public_figures(
        cells, len(total.procedures_online), online, satisfaction, targets()
    )
    return {
        "figures": figures,
        "cells": cells,
        "average_days": average_days(cells),
        "rows": rows,
        "assessment": self_assessment(cells, len(total.procedures_online), online),
    }


async def drill_down(
    agencies: list[int], period: Period, column: str, procedures: set[int] | None, limit: int = 200
) -> tuple[list[dict[str, Any]], int]:
    """The dossiers behind one number of the report (the same arithmetic as the report)."""
    wanted = set(GROUPS.get(column, (column,)))
    query = StatisticDossier.select(StatisticDossier.dossier, StatisticDossier.counts).where(
        StatisticDossier.agency.is_in(agencies or [0])
        & (StatisticDossier.received_on <= period.end)
        & (StatisticDossier.finished_on.is_null() | (StatisticDossier.finished_on >= period.start))
    )
    if procedures is not None:
        query = query.where(StatisticDossier.procedure.is_in(sorted(procedures) or [0]))
    ids = []
    for row in await query.output(load_json=True).run():
        counts = {(date.fromisoformat(d), c): n for d, c, n in row["counts"]}
        if columns_from_counts(counts, period.start, period.end) & wanted:
            ids.append(row["dossier"])
    ids.sort()
    rows = (
        await Dossier.select(
            Dossier.id,
            Dossier.code,
            Dossier.applicant_name,
            Dossier.status,
            Dossier.channel,
            Dossier.due_at,
            Dossier.procedure.name,
        )
        .where(Dossier.id.is_in(ids[:limit] or [0]))
        .order_by(Dossier.id)
        .run()
    )
    return rows, len(ids)


async def procedures_of_row(by: str, key: int | None) -> set[int] | None:
    """The procedures behind a report row: one procedure, a sector's, or all (None)."""
    if key is None or by == "don-vi":
        return None
    if by == "thu-tuc":
        return {key}
    sectors = await report.sector_of_procedures()
    return {p for p, (sector, _) in sectors.items() if sector == key}
