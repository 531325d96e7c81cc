"""Keeping the statistics aggregates up to date from the append-only dossier history.

Every server process runs ``run_worker``: it takes a lease on the ``statistic_state`` row (so one
process applies at a time), reads the history rows after the watermark, recomputes each touched
dossier from its whole history (app/domain/statistics*.py), takes back what the dossier
contributed before and adds what it contributes now, and moves the watermark — all in one
transaction. app/services/statistics_rebuild.py recomputes everything from the history
(``motcua rebuild-statistics``); a test checks that both give the same tables.

On PostgreSQL ids are taken before commit, so a row with a smaller id can become visible after a
larger one: the watermark only passes rows older than ``SETTLE_SECONDS``.
"""

from __future__ import annotations

import asyncio
import logging
import time as monotonic
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.db import write_transaction
from app.domain.calendar import WorkingCalendar
from app.domain.statistics import (
    NATIONAL,
    Outcome,
    Reading,
    resolution_working_days,
    resolved_timeliness,
    timeline_of,
)
from app.domain.statistics_days import DAY_COLUMNS, Flags, day_counts
from app.models import (
    Attachment,
    CalendarDay,
    Dossier,
    DossierEvent,
    Payment,
    StatisticDay,
    StatisticDossier,
    StatisticState,
)
from app.services import statistics_cache
from app.services.calendar import local_now, to_local
from app.settings import get_settings

log = logging.getLogger("motcua.statistics")
STATE = "history"
LEASE_SECONDS = 60
SETTLE_SECONDS = 5
FIRST_YEAR = 2015
_calendar: tuple[float, WorkingCalendar] | None = None

DayTotals = dict[str, dict[str, int]]  # key → column → n


async def statistics_calendar() -> WorkingCalendar:
    """The working-day calendar over every year the history may cover (cached 10 minutes)."""
    global _calendar
    if _calendar and monotonic.monotonic() - _calendar[0] < 600:
        return _calendar[1]
    overrides = await CalendarDay.select().run()
    calendar = WorkingCalendar.from_holidays_package(
        years=range(FIRST_YEAR, local_now().year + 3),
        extra_days_off=[r["day"] for r in overrides if not r["is_working_day"]],
        working_days=[r["day"] for r in overrides if r["is_working_day"]],
    )
    _calendar = (monotonic.monotonic(), calendar)
    return calendar


@dataclass(frozen=True)
class Contribution:
    dossier: int
    agency: int
    procedure: int
    counts: dict[tuple[date, str], int]
    facts: dict[str, Any]


def _local_event(event: dict[str, Any]) -> dict[str, Any]:
    data = dict(event.get("data") or {})
    for key in ("due_before", "due_after"):
        if data.get(key):
            data[key] = to_local(datetime.fromisoformat(data[key]))
    return {**event, "at": to_local(event["at"]), "data": data}


def contribution_of(
    row: dict[str, Any],
    events: list[dict[str, Any]],
    has_attachment: bool,
    paid_online: bool,
    cal: WorkingCalendar,
    reading: Reading = NATIONAL,
) -> Contribution:
    rules = row["rules"] or {}
    limit = rules.get("time_limit_value") if rules.get("time_limit_unit") == "working_day" else None
    timeline = timeline_of([_local_event(e) for e in events], row["channel"], limit)
    flags = Flags(
        fee_due=row["fee_amount_vnd"] > 0,
        paid_online=paid_online,
        digitised=has_attachment,
        e_result=row["delivery_method"] == "online" and row["is_delivery_recorded"],
    )
    finished = timeline.finished_at
    facts = {
        "received_on": timeline.received_at.date() if timeline.received_at else None,
        "finished_on": finished.date() if finished else None,
        "work_days": resolution_working_days(timeline, cal)
        if timeline.outcome in (Outcome.RESOLVED, Outcome.REJECTED)
        else None,
        "timeliness": resolved_timeliness(timeline, cal, reading).value if finished else "",
    }
    return Contribution(
        dossier=row["id"],
        agency=row["resolving_agency"] or row["receiving_agency"] or 0,
        procedure=row["procedure"],
        counts=day_counts(timeline, cal, flags, reading),
        facts=facts,
    )


def _of(column: Any, ids: list[int], span: bool) -> Any:
    """``column IN ids``, or with ``span`` the range ids[0]..ids[-1] (a rebuild's chunk of
    consecutive ids: no list of parameters to build; other dossiers in it are not used)."""
    return (column >= ids[0]) & (column <= ids[-1]) if span else column.is_in(ids)


async def contributions_for(
    ids: list[int], cal: WorkingCalendar, span: bool = False
) -> list[Contribution]:
    """Recompute the given dossiers (sorted ids) from their history."""
    if not ids:
        return []
    wanted = set(ids)
    rows = (
        await Dossier.select(
            Dossier.id,
            Dossier.channel,
            Dossier.rules,
            Dossier.procedure,
            Dossier.resolving_agency,
            Dossier.receiving_agency,
            Dossier.fee_amount_vnd,
            Dossier.delivery_method,
            Dossier.is_delivery_recorded,
        )
        .where(_of(Dossier.id, ids, span))
        .output(load_json=True)
        .run()
    )
    events = await _events_by_dossier(ids, span)
    attached = await _with_attachments(ids, span)
    paid = await _paid_online(ids, span)
    reading = get_settings().statistics_reading
    return [
        contribution_of(
            row, events[row["id"]], row["id"] in attached, row["id"] in paid, cal, reading
        )
        for row in rows
        if row["id"] in wanted
    ]


async def _events_by_dossier(ids: list[int], span: bool) -> dict[int, list[dict[str, Any]]]:
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in (
        await DossierEvent.select(
            DossierEvent.dossier,
            DossierEvent.at,
            DossierEvent.action,
            DossierEvent.from_status,
            DossierEvent.to_status,
            DossierEvent.data,
        )
        .where(_of(DossierEvent.dossier, ids, span))
        .order_by(DossierEvent.id)
        .output(load_json=True)
        .run()
    ):
        events[event["dossier"]].append(event)
    return events


async def _with_attachments(ids: list[int], span: bool) -> set[int]:
    """The dossiers, among ``ids``, with at least one file attached."""
    found = (
        await Attachment.select(Attachment.dossier)
        .where(_of(Attachment.dossier, ids, span))
        .distinct()
        .run()
    )
    return {r["dossier"] for r in found}


async def _paid_online(ids: list[int], span: bool) -> set[int]:
    """The dossiers, among ``ids``, whose fee was paid online."""
    found = (
        await Payment.select(Payment.dossier)
        .where(
            _of(Payment.dossier, ids, span)
            & (Payment.status == "paid")
            & (Payment.method == "online")
        )
        .distinct()
        .run()
    )
    return {r["dossier"] for r in found}


def day_key(agency: int, procedure: int, day: date) -> str:
    return f"{agency}:{procedure}:{day.isoformat()}"


def add_counts(totals: DayTotals, agency: int, procedure: int, counts, sign: int = 1) -> None:
    for (day, column), n in counts:
        day = day if isinstance(day, date) else date.fromisoformat(day)
        totals.setdefault(day_key(agency, procedure, day), {})
        cell = totals[day_key(agency, procedure, day)]
        cell[column] = cell.get(column, 0) + sign * n


def _stored(counts: dict[tuple[date, str], int]) -> list[list[Any]]:
    return [[day.isoformat(), column, n] for (day, column), n in sorted(counts.items())]


def month_totals(totals: DayTotals) -> DayTotals:
    """The daily totals summed per calendar month (keys "<agency>:<procedure>:<YYYY-MM>")."""
    months: DayTotals = {}
    for key, cell in totals.items():
        cells = months.setdefault(key[: key.rindex("-")], {})
        for column, n in cell.items():
            cells[column] = cells.get(column, 0) + n
    return months


def _key_parts(key: str) -> tuple[int, int, date]:
    agency, procedure, when = key.split(":")
    return int(agency), int(procedure), date.fromisoformat(when if len(when) > 7 else when + "-01")


async def _upsert(table: str, period_column: str, totals: DayTotals) -> None:
    columns = ", ".join(DAY_COLUMNS)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in DAY_COLUMNS)
    placeholders = ", ".join("{}" for _ in range(4 + len(DAY_COLUMNS)))
    sql = (
        f"INSERT INTO {table} (key, agency, procedure, {period_column}, {columns}) "
        f"VALUES ({placeholders}) ON CONFLICT (key) DO UPDATE SET {updates}"
    )
    for key, cell in sorted(totals.items()):
        if not any(cell.values()):
            continue
        values = [cell.get(c, 0) for c in DAY_COLUMNS]
        await StatisticDay.raw(sql, key, *_key_parts(key), *values).run()


async def _upsert_days(totals: DayTotals) -> None:
    """Add the changes to the days and to their months."""
    await _upsert("statistic_day", "day", totals)
    await _upsert("statistic_month", "month", month_totals(totals))


async def _apply(contributions: Iterable[Contribution]) -> None:
    """Inside a write transaction: replace what these dossiers contributed."""
    contributions = list(contributions)
    ids = [c.dossier for c in contributions]
    old = {
        r["dossier"]: r
        for r in await StatisticDossier.select()
        .where(StatisticDossier.dossier.is_in(ids or [0]))
        .output(load_json=True)
        .run()
    }
    totals: DayTotals = {}
    for c in contributions:
        before = old.get(c.dossier)
        if before is not None:
            stored = [((d, col), n) for d, col, n in before["counts"]]
            add_counts(totals, before["agency"], before["procedure"], stored, -1)
        add_counts(totals, c.agency, c.procedure, c.counts.items())
        values = {
            StatisticDossier.agency: c.agency,
            StatisticDossier.procedure: c.procedure,
            StatisticDossier.counts: _stored(c.counts),
            **{StatisticDossier._meta.get_column_by_name(k): v for k, v in c.facts.items()},
        }
        if before is None:
            await StatisticDossier.insert(
                StatisticDossier(dossier=c.dossier, **{k._meta.name: v for k, v in values.items()})
            ).run()
        else:
            await StatisticDossier.update(values).where(StatisticDossier.dossier == c.dossier).run()
    await _upsert_days(totals)


async def _state() -> dict[str, Any]:
    row = await StatisticState.select().where(StatisticState.name == STATE).first().run()
    if row is None:
        await StatisticState.raw(
            "INSERT INTO statistic_state (name, watermark) VALUES ({}, 0) "
            "ON CONFLICT (name) DO NOTHING",
            STATE,
        ).run()
        row = await StatisticState.select().where(StatisticState.name == STATE).first().run()
    return row


async def _claim(now: datetime) -> bool:
    await _state()
    claimed = (
        await StatisticState.update(
            {StatisticState.claimed_until: now + timedelta(seconds=LEASE_SECONDS)}
        )
        .where(
            (StatisticState.name == STATE)
            & (StatisticState.claimed_until.is_null() | (StatisticState.claimed_until < now))
        )
        .returning(StatisticState.id)
        .run()
    )
    return bool(claimed)


async def _release() -> None:
    await (
        StatisticState.update({StatisticState.claimed_until: None})
        .where(StatisticState.name == STATE)
        .run()
    )


async def refresh(batch: int = 500, settle_seconds: float = SETTLE_SECONDS) -> int:
    """Apply the history rows after the watermark; returns how many were applied."""
    now = datetime.now(UTC)
    if not await _claim(now):
        return 0
    try:
        watermark = (await _state())["watermark"]
        settled = now - timedelta(seconds=settle_seconds)
        rows = (
            await DossierEvent.select(DossierEvent.id, DossierEvent.dossier, DossierEvent.at)
            .where(DossierEvent.id > watermark)
            .order_by(DossierEvent.id)
            .limit(batch)
            .run()
        )
        new = []
        for row in rows:  # stop at the first row that may still have a concurrent neighbour
            if settle_seconds and row["at"] > settled:
                break
            new.append(row)
        if not new:
            return 0
        cal = await statistics_calendar()
        ids = sorted({r["dossier"] for r in new})
        contributions = await contributions_for(ids, cal)
        async with write_transaction():
            await _apply(contributions)
            await (
                StatisticState.update({StatisticState.watermark: new[-1]["id"]})
                .where(StatisticState.name == STATE)
                .run()
            )
        statistics_cache.forget()
        return len(new)
    finally:
        await _release()


async def run_worker(poll_seconds: float) -> None:
    """Apply new history forever (started with each server process; stops when cancelled)."""
    while True:
        try:
            while await refresh():
                pass
        except asyncio.CancelledError:
            raise
        except Exception:  # the database may be briefly unavailable: try again next round
            log.exception("statistics round failed")
        await asyncio.sleep(poll_seconds)
