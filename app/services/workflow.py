"""The only door to a dossier's columns: load, decide(), compare-and-set, history, outbox.

Every change (status, fee, delivery record, priority mark) is a row of ``TRANSITIONS`` applied
by ``transition()`` in one transaction; messages go to the outbox in that same transaction and
are delivered after commit by the delivery worker. Creating a dossier and keeping a draft's
answers are here too (``create_dossier``, ``save_draft``): nothing else writes the table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from app.db import write_transaction
from app.domain import dossier_flow as flow
from app.domain import dossier_parties as parties
from app.domain.calendar import due_at
from app.domain.dossier_codes import format_code, sequence_key
from app.domain.fees import Channel, FeeQuote, FeeStatus, amount_due
from app.models import Agency, Dossier, DossierEvent, Officer
from app.services import notifications, queue_index, rows, sequences
from app.services.calendar import OFFICE_HOURS, local_now, to_local, working_calendar


@dataclass(frozen=True)
class Actor:
    kind: str  # citizen | officer | system
    id: int | None
    role: flow.Role
    agency_id: int | None = None


@dataclass
class Changes:
    """What an action brings besides its note."""

    officer_id: int | None = None  # assign
    agency_id: int | None = None  # transfer
    new_due_on: date | None = None  # extend
    missing_items: list[str] = field(default_factory=list)  # supplement requests
    details: dict[str, Any] = field(default_factory=dict)  # delivery record, payment


class Conflict(flow.Refused):
    pass


def facts_of(row: dict[str, Any], today: date) -> flow.DossierFacts:
    """The facts of a dossier row (``is_complete`` is the submitter's to establish)."""
    due = to_local(row["due_at"]).date() if row["due_at"] else None
    return flow.DossierFacts(
        status=flow.Status(row["status"]),
        today=today,
        due_on=due,
        has_processing_started=row["has_processing_started"],
        pre_supplement_count=row["pre_supplement_count"],
        supplement_count=row["supplement_count"],
        extension_count=row["extension_count"],
        is_rejection=row["is_rejection"],
        is_delivery_recorded=row["is_delivery_recorded"],
        is_online=row["channel"] == "online",
        is_priority=row["is_priority"],
        delivery_method=row["delivery_method"],
        fee_status=FeeStatus(row["fee_status"]),
        fee_quote=quote_for(row),
        submitted_at=row["submitted_at"],
        resolving_agency_id=row["resolving_agency"],
    )


def quote_for(dossier: dict[str, Any]) -> FeeQuote:
    """What the dossier's fees snapshot asks for its channel."""
    fees = (dossier.get("rules") or {}).get("fees", [])
    return amount_due(fees, Channel(dossier.get("channel") or "online"))


async def issue_code(agency_id: int, on: datetime) -> str:
    agency = await Agency.select(Agency.code).where(Agency.id == agency_id).first().run()
    day = to_local(on).date()
    sequence = await sequences.next_value(sequence_key(agency["code"], day))
    return format_code(agency["code"], day, sequence)


async def compute_due(rules: dict[str, Any], start: datetime) -> datetime | None:
    calendar = await working_calendar()
    return due_at(
        to_local(start),
        rules.get("time_limit_value"),
        rules.get("time_limit_unit", "working_day"),
        calendar,
        OFFICE_HOURS,
        rules.get("after_cutoff_next_day", False),
    )


def command_of(action: flow.Action, actor: Actor, note: str, changes: Changes, now: datetime):
    return flow.Command(
        action=action,
        role=actor.role,
        note=note,
        new_due_on=changes.new_due_on,
        officer_id=changes.officer_id,
        agency_id=changes.agency_id,
        missing_items=tuple(changes.missing_items),
        details=changes.details,
        at=now,
    )


async def _io_updates(row: dict[str, Any], decision: flow.Decision, now: datetime) -> dict:
    """The decision's column changes plus the due dates, which need the database (the code is
    issued later, see ``transition``)."""
    updates = dict(decision.changes)
    records = set(decision.records)
    if decision.due_from is not None:
        updates["due_at"] = await compute_due(row["rules"], decision.due_from)
    if flow.Record.EXTEND_DUE_DATE in records and decision.new_due_on:
        updates["due_at"] = datetime.combine(
            decision.new_due_on, OFFICE_HOURS.closes_at, OFFICE_HOURS.tz
        )
    return updates


LOAD_ROW_SQL = f"SELECT {rows.columns_sql(Dossier, 'd')} FROM dossier d WHERE d.id = {{}}"


async def load_row(dossier_id: int) -> dict[str, Any]:
    found = await Dossier.raw(LOAD_ROW_SQL, dossier_id).run()
    if not found:
        raise flow.Refused("Không tìm thấy hồ sơ")
    return rows.decoded(Dossier, found[0])


async def transition(
    dossier_id: int,
    action: flow.Action,
    actor: Actor,
    note: str = "",
    changes: Changes | None = None,
    now: datetime | None = None,
    along: Callable[[], Awaitable[Any]] | None = None,
    is_complete: bool = False,
    filled_in: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Apply ``action`` to a dossier or raise ``Refused`` (also when someone else was faster).

    One transaction (joined when the caller already holds one): load, ``decide()``, the
    recipients, the compare-and-set on the old status, the history row, the code, ``along``,
    the desk index and the outbox messages (a refusal or a lost race rolls all back).
    ``along`` runs once the action is accepted (e.g. adding the supplied files, issuing the fee
    receipt), so a refused action leaves nothing behind. ``is_complete``: the submitter checked
    the dossier is complete (the SUBMIT row refuses otherwise). ``filled_in``: the applicant's
    columns a submission brings (agency, contact, fee snapshot), read before deciding."""
    changes = changes or Changes()
    now = now or local_now()
    async with write_transaction():
        row = await load_row(dossier_id)
        if filled_in:
            if action is not flow.Action.SUBMIT:
                raise ValueError("only a submission fills in the applicant's columns")
            row = {**row, **filled_in}
        facts = replace(facts_of(row, to_local(now).date()), is_complete=is_complete)
        decision = flow.decide(facts, command_of(action, actor, note, changes, now))
        if actor.kind == "officer":
            await check_parties(row, action, actor, changes)
        updates = {**(filled_in or {}), **await _io_updates(row, decision, now)}
        to = await notifications.recipients({**row, **updates}, action) if decision.notifies else []
        await _compare_and_set(dossier_id, row, updates)
        await _append_event(dossier_id, row, decision, actor, now, updates)
        if flow.Record.ISSUE_CODE in decision.records and not row["code"]:
            updates["code"] = await _set_code(dossier_id, row["receiving_agency"], now)
        if along is not None:
            await along()
        after = {**row, **updates}
        await queue_index.record(row, after)
        if decision.notifies:
            await notifications.on_transition(after, action, to)
    return after


async def _set_code(dossier_id: int, agency_id: int, now: datetime) -> str:
    """Issue the dossier's code and write it. The day's code counter, and after it the desk's
    counts, are rows every submission to the agency writes: on PostgreSQL other transactions
    wait for them from here to the commit, so the code comes after the compare-and-set and the
    history row (a second submission of the same dossier waits at the compare-and-set, before
    it takes any lock on the counter)."""
    code = await issue_code(agency_id, now)
    await Dossier.raw("UPDATE dossier SET code = {} WHERE id = {}", code, dossier_id).run()
    return code


def _columns(values: dict[str, Any]) -> dict:
    return {Dossier._meta.get_column_by_name(k): v for k, v in values.items()}


async def create_dossier(**values: Any) -> dict[str, Any]:
    """A new draft (online) or a dossier keyed in at the desk, still ``draft``: only
    ``transition()`` moves it on."""
    values["status"] = flow.Status.DRAFT.value
    dossier = Dossier(**values)
    await dossier.save().run()
    return await load_row(dossier.id)


async def save_draft(dossier_id: int, answers: dict[str, dict[str, str]], step_key: str) -> None:
    """Keep what was typed, valid or not, under a draft (no decision: nothing is submitted)."""
    values = {"answers": answers, "current_step": step_key, "updated_at": local_now()}
    await (
        Dossier.update(_columns(values))
        .where((Dossier.id == dossier_id) & (Dossier.status == flow.Status.DRAFT.value))
        .run()
    )


# Facts a side row both reads and writes: the update also compares their old value, so that two
# concurrent decisions on them (two priority marks, a desk payment and an IPN) cannot both pass.
COMPARED = ("fee_status", "is_priority", "is_delivery_recorded")


async def _compare_and_set(dossier_id: int, row: dict[str, Any], updates: dict) -> None:
    sets, args = rows.assignments(Dossier, updates)
    where, compared = ["id = {}", "status = {}"], [dossier_id, row["status"]]
    for name in COMPARED:
        if name in updates:
            if row[name] is None:
                where.append(f"{name} IS NULL")
            else:
                where.append(f"{name} = {{}}")
                compared.append(row[name])
    done = await Dossier.raw(
        f"UPDATE dossier SET {sets} WHERE {' AND '.join(where)} RETURNING id", *args, *compared
    ).run()
    if not done:
        raise Conflict("Hồ sơ vừa được cập nhật bởi người khác. Vui lòng tải lại trang.")


async def _append_event(
    dossier_id: int,
    row: dict[str, Any],
    decision: flow.Decision,
    actor: Actor,
    now: datetime,
    updates: dict[str, Any],
) -> None:
    sql, args = rows.insert(
        DossierEvent,
        {
            "dossier": dossier_id,
            "at": now,
            "actor_kind": actor.kind,
            "actor_id": actor.id,
            "action": decision.action.value,
            "from_status": decision.from_status.value,
            "to_status": decision.to_status.value,
            "note": decision.note,
            "data": {**decision.event_data, **_due_change(row, updates)},
        },
    )
    await DossierEvent.raw(sql, *args).run()


async def check_parties(
    row: dict[str, Any], action: flow.Action, actor: Actor, changes: Changes
) -> None:
    """Refuse an officer's action their agency may not take, or a wrong target or assignee."""
    reason = parties.agency_refusal(
        action, actor.agency_id, row["resolving_agency"] or row["receiving_agency"]
    )
    if reason is None and action is flow.Action.TRANSFER:
        known = []
        if changes.agency_id is not None:
            found = Agency.select(Agency.id).where(Agency.id == changes.agency_id)
            known = [r["id"] for r in await found.run()]
        reason = parties.transfer_refusal(changes.agency_id, actor.agency_id, known)
    if reason is None and action is flow.Action.ASSIGN:
        reason = parties.assignee_refusal(actor.agency_id, await _assignee(changes.officer_id))
    if reason:
        raise flow.Refused(reason)


async def _assignee(officer_id: int | None) -> parties.Assignee | None:
    if officer_id is None:
        return None
    row = (
        await Officer.select(Officer.agency, Officer.roles, Officer.is_active)
        .where(Officer.id == officer_id)
        .output(load_json=True)
        .first()
        .run()
    )
    if row is None:
        return None
    return parties.Assignee(row["agency"], frozenset(row["roles"]), row["is_active"])


def _due_change(row: dict[str, Any], updates: dict[str, Any]) -> dict[str, Any]:
    if "due_at" not in updates or updates["due_at"] == row["due_at"]:
        return {}
    return {
        "due_before": row["due_at"].isoformat() if row["due_at"] else None,
        "due_after": updates["due_at"].isoformat() if updates["due_at"] else None,
    }
