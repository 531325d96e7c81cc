"""What the statistics pages show: the report, its drill-down lists, the public figures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.statistics import ONE_DAY, Period
from app.domain.statistics_days import GROUPS, columns_from_counts
from app.domain.statistics_figures import (
    DEFAULT_TARGETS,
    Figure,
    Ratio,
    Voice,
    average_days,
    public_figures,
    self_assessment,
)
from app.domain.statistics_periods import PeriodChoice, PeriodInvalid, current_quarter, period_of
from app.models import Dossier, StatisticDossier
from app.services import feedback_figures, statistics_cache
from app.services import statistics_report as report
from app.services.calendar import local_now
from app.settings import get_settings

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


def grouping_of(agencies: dict[int, str], by: str) -> str:
    """The sub-rows asked for, else per agency for several agencies, per sector for one."""
    return by if by in GROUPINGS else ("don-vi" if len(agencies) > 1 else "linh-vuc")


async def build_report(agencies: dict[int, str], period: Period, by: str) -> Report:
    by = grouping_of(agencies, by)
    rows, total = await report.report_rows(agencies, period, by)
    return Report(agencies, period, by, rows, total)


@dataclass
class AgencySatisfaction:
    name: str
    counts: feedback_figures.Satisfaction


async def voice_of(
    agencies: dict[int, str], period: Period, resolved: int
) -> tuple[Voice, list[AgencySatisfaction]]:
    """Ratings and PAKN of the agencies in the period (app/services/feedback_figures.py), and
    the satisfaction of each agency that was rated."""
    ids, end = list(agencies), period.end + ONE_DAY  # feedback_figures: end excluded
    rated = await feedback_figures.satisfaction(period.start, end, ids)
    good = sum(s.very_satisfied + s.satisfied for s in rated)
    handled = await feedback_figures.complaints_on_time(period.start, end, ids)
    flagged = await feedback_figures.flagged_dossiers(period.start, end, ids)
    voice = Voice(
        satisfaction=Ratio(good, sum(s.total for s in rated)),
        complaints_on_time=Ratio(handled.on_time, handled.total),
        flagged=Ratio(flagged, resolved),
    )
    per_agency = [AgencySatisfaction(agencies[s.agency_id], s) for s in rated if s.total]
    return voice, sorted(per_agency, key=lambda a: a.name)


async def figures_for(agencies: dict[int, str], period: Period) -> dict[str, Any]:
    """The public figures and the self-assessment (app/services/statistics_cache.py)."""
    key = ("figures", tuple(sorted(agencies.items())), period.start, period.end)
    return await statistics_cache.remembered(key, lambda: _figures_for(agencies, period))


async def _figures_for(agencies: dict[int, str], period: Period) -> dict[str, Any]:
    rows, total = await report.report_rows(agencies, period, "don-vi")
    cells = total.full
    online = await report.online_procedure_count(list(agencies))
    voice, satisfaction = await voice_of(agencies, period, cells["resolved_count"])
    with_online = len(total.procedures_online)
    figures: list[Figure] = public_figures(cells, with_online, online, voice, targets())
    return {
        "figures": figures,
        "cells": cells,
        "average_days": average_days(cells),
        "rows": rows,
        "satisfaction_by_agency": satisfaction,
        "assessment": self_assessment(cells, with_online, online, voice),
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
