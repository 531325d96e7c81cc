"""Applying a dossier transition: load, decide(), compare-and-set, history, notifications.

Everything happens in one transaction; messages go to the outbox in that same transaction and
are delivered after commit by the delivery worker.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.db import write_transaction
from app.domain import dossier_flow as flow
from app.domain import dossier_parties as parties
from app.domain.calendar import due_at
from app.domain.dossier_codes import format_code, sequence_key
from app.models import Agency, Dossier, DossierEvent, Officer
from app.services import notifications, payments, queue_index, sequences
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


class Conflict(flow.Refused):
    pass


def facts_of(row: dict[str, Any], today: date) -> flow.DossierFacts:
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
    )


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


async def _updates(
    row: dict[str, Any],
    decision: flow.Decision,
    action: flow.Action,
    changes: Changes,
    now: datetime,
) -> dict[str, Any]:
    R = flow.Record
    updates: dict[str, Any] = {"status": decision.to_status.value, "updated_at": now}
    records = set(decision.records)
    if action is flow.Action.SUBMIT:
        updates["submitted_at"] = now
        if not row["code"]:
            updates["code"] = await issue_code(row["receiving_agency"], now)
        updates["due_at"] = await compute_due(row["rules"], now)
        quote = payments.quote_for(row)
        updates["fee_status"] = payments.status_for(quote).value
        updates["fee_amount_vnd"] = quote.total_vnd
    if R.ISSUE_RECEIPT in records:
        start = (
            row["submitted_at"]
            if row["channel"] == "online" and action is flow.Action.RECEIVE
            else now
        )
        updates["received_at"] = start
    if R.RESTART_CLOCK in records:
        updates["clock_stopped_at"] = None
        updates["received_at"] = now
    if R.FIX_DUE_DATE in records:
        updates["due_at"] = await compute_due(row["rules"], updates.get("received_at") or now)
    if R.STOP_CLOCK in records:
        updates["clock_stopped_at"] = now
    if R.ISSUE_SUPPLEMENT_REQUEST in records:
        counter = (
            "pre_supplement_count"
            if action is flow.Action.REQUEST_PRE_SUPPLEMENT
            else "supplement_count"
        )
        updates[counter] = row[counter] + 1
        updates["missing_items"] = changes.missing_items
    if R.EXTEND_DUE_DATE in records and changes.new_due_on:
        updates["due_at"] = datetime.combine(
            changes.new_due_on, OFFICE_HOURS.closes_at, OFFICE_HOURS.tz
        )
        updates["extension_count"] = row["extension_count"] + 1
    if action is flow.Action.ASSIGN:
        updates["has_processing_started"] = True
        updates["assigned_officer"] = changes.officer_id
    if action is flow.Action.TRANSFER:
        updates["current_agency"] = changes.agency_id
    if action is flow.Action.TRANSFER_BACK:
        updates["current_agency"] = row["resolving_agency"]
    if action is flow.Action.REJECT:
        updates["is_rejection"] = True
    if action in (flow.Action.APPROVE, flow.Action.REJECT):
        updates["finished_at"] = now
    if action is flow.Action.SUPPLY:
        updates["missing_items"] = []
        if row["status"] == flow.Status.PRE_SUPPLEMENT:
            # the complete online dossier arrives now: the clock will count from here
            updates["submitted_at"] = now
    return updates


async def transition(
    dossier_id: int,
    action: flow.Action,
    actor: Actor,
    note: str = "",
    changes: Changes | None = None,
    now: datetime | None = None,
    along: Callable[[], Awaitable[Any]] | None = None,
) -> dict[str, Any]:
    """Apply ``action`` to a dossier or raise ``Refused`` (also when someone else was faster).

    ``along`` runs inside the same transaction once the action is accepted (e.g. adding the
    supplied files), so a refused action leaves nothing behind."""
    changes = changes or Changes()
    now = now or local_now()
    async with write_transaction():
        row = (
            await Dossier.select()
            .where(Dossier.id == dossier_id)
            .output(load_json=True)
            .first()
            .run()
        )
        if row is None:
            raise flow.Refused("Không tìm thấy hồ sơ")
        facts = facts_of(row, to_local(now).date())
        decision = flow.decide(facts, action, actor.role, note, new_due_on=changes.new_due_on)
        if actor.kind == "officer":
            await check_parties(row, action, actor, changes)
        updates = await _updates(row, decision, action, changes, now)
        updates["status_note"] = ""  # a reason belongs to the status it explains
        if note and any(
            r in decision.records
            for r in (
                flow.Record.ISSUE_REFUSAL,
                flow.Record.ISSUE_SUPPLEMENT_REQUEST,
                flow.Record.ISSUE_APOLOGY,
                flow.Record.ISSUE_HALT_NOTICE,
            )
        ):
            updates["status_note"] = note
        columns = {Dossier._meta.get_column_by_name(k): v for k, v in updates.items()}
        done = (
            await Dossier.update(columns)
            .where((Dossier.id == dossier_id) & (Dossier.status == row["status"]))
            .returning(Dossier.id)
            .run()
        )
        if not done:
            raise Conflict("Hồ sơ vừa được cập nhật bởi người khác. Vui lòng tải lại trang.")
        if along is not None:
            await along()
        await (
            DossierEvent(
                dossier=dossier_id,
                at=now,
                actor_kind=actor.kind,
                actor_id=actor.id,
                action=action.value,
                from_status=row["status"],
                to_status=decision.to_status.value,
                note=note,
                data=_event_data(row, updates, changes),
            )
            .save()
            .run()
        )
        after = {**row, **updates}
        await queue_index.record(row, after)
        await notifications.on_transition(after, action)
    return after


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


def _event_data(row: dict[str, Any], updates: dict[str, Any], changes: Changes) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if "due_at" in updates and updates["due_at"] != row["due_at"]:
        data["due_before"] = row["due_at"].isoformat() if row["due_at"] else None
        data["due_after"] = updates["due_at"].isoformat() if updates["due_at"] else None
    if changes.officer_id:
        data["officer_id"] = changes.officer_id
    if changes.agency_id:
        data["agency_id"] = changes.agency_id
    if changes.missing_items:
        data["missing_items"] = changes.missing_items
    return data
