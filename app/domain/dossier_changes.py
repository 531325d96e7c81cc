"""The columns a decision changes, computed from the facts and the command (pure).

What needs I/O is left to the service and named by the decision's records: the dossier code
(``ISSUE_CODE``), the due date counted on the working calendar from ``due_from``
(``FIX_DUE_DATE``, ``ESTIMATE_DUE_DATE``), the new due date at closing time (``EXTEND_DUE_DATE``)
and the fee receipt number (``ISSUE_FEE_RECEIPT``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.domain.dossier_facts import Command, DossierFacts
from app.domain.dossier_states import SIDE_ACTIONS, Action, Record, Status
from app.domain.fees import FeeStatus, initial_status

A, R = Action, Record

# A note given with these records is the reason shown to the citizen until the next status.
REASON_RECORDS = frozenset(
    {R.ISSUE_REFUSAL, R.ISSUE_SUPPLEMENT_REQUEST, R.ISSUE_APOLOGY, R.ISSUE_HALT_NOTICE}
)

# The fee status each fee action leaves.
FEE_AFTER = {
    A.START_PAYMENT: FeeStatus.AWAITING_CONFIRMATION,
    A.CONFIRM_PAYMENT: FeeStatus.PAID,
    A.PAY_AT_COUNTER: FeeStatus.PAID,
    A.FAIL_PAYMENT: FeeStatus.UNPAID,
}


def changes_for(
    facts: DossierFacts,
    command: Command,
    to_status: Status,
    records: tuple[Record, ...],
    note: str,
) -> tuple[dict[str, Any], datetime | None]:
    """(column → new value, the clock start of a due date to compute, or None)."""
    if command.action in SIDE_ACTIONS:
        return _side_changes(command), None
    now = command.at
    changes: dict[str, Any] = {"status": to_status.value, "updated_at": now}
    changes["status_note"] = note if note and REASON_RECORDS & set(records) else ""
    due_from = _clock_changes(facts, command, records, changes)
    changes.update(_action_changes(facts, command, records))
    return changes, due_from


def _clock_changes(
    facts: DossierFacts, command: Command, records: tuple[Record, ...], changes: dict[str, Any]
) -> datetime | None:
    now, due_from = command.at, None
    if R.ESTIMATE_DUE_DATE in records:
        changes["submitted_at"] = now
        due_from = now
    if R.ISSUE_RECEIPT in records:
        online_receipt = facts.is_online and command.action is A.RECEIVE
        changes["received_at"] = facts.submitted_at if online_receipt else now
    if R.RESTART_CLOCK in records:
        changes["clock_stopped_at"] = None
        changes["received_at"] = now
    if R.FIX_DUE_DATE in records:
        due_from = changes.get("received_at") or now
    if R.STOP_CLOCK in records:
        changes["clock_stopped_at"] = now
    return due_from


def _action_changes(
    facts: DossierFacts, command: Command, records: tuple[Record, ...]
) -> dict[str, Any]:
    action, now = command.action, command.at
    changes: dict[str, Any] = {}
    if action is A.SUBMIT and facts.fee_quote is not None:
        changes["fee_status"] = initial_status(facts.fee_quote).value
        changes["fee_amount_vnd"] = facts.fee_quote.total_vnd
    if R.ISSUE_SUPPLEMENT_REQUEST in records:
        if action is A.REQUEST_PRE_SUPPLEMENT:
            changes["pre_supplement_count"] = facts.pre_supplement_count + 1
        else:
            changes["supplement_count"] = facts.supplement_count + 1
        changes["missing_items"] = list(command.missing_items)
    if R.EXTEND_DUE_DATE in records and command.new_due_on:
        changes["extension_count"] = facts.extension_count + 1
    if action is A.ASSIGN:
        changes["has_processing_started"] = True
        changes["assigned_officer"] = command.officer_id
    if action is A.TRANSFER:
        changes["current_agency"] = command.agency_id
    if action is A.TRANSFER_BACK:
        changes["current_agency"] = facts.resolving_agency_id
    if action is A.REJECT:
        changes["is_rejection"] = True
    if action in (A.APPROVE, A.REJECT):
        changes["finished_at"] = now
    if action is A.SUPPLY:
        changes["missing_items"] = []
        if facts.status is Status.PRE_SUPPLEMENT:
            # the complete online dossier arrives now: the clock will count from here
            changes["submitted_at"] = now
    return changes


def _side_changes(command: Command) -> dict[str, Any]:
    action = command.action
    if action in FEE_AFTER:
        return {"fee_status": FEE_AFTER[action].value}
    if action is A.RECORD_DELIVERY:
        return {"is_delivery_recorded": True, "delivery_info": dict(command.details)}
    return {"is_priority": action is A.MARK_PRIORITY}


def event_data(command: Command) -> dict[str, Any]:
    """What the history row keeps besides the statuses and the note (the service adds the due
    dates before and after)."""
    data: dict[str, Any] = dict(command.details)
    if command.officer_id:
        data["officer_id"] = command.officer_id
    if command.agency_id:
        data["agency_id"] = command.agency_id
    if command.missing_items:
        data["missing_items"] = list(command.missing_items)
    return data
