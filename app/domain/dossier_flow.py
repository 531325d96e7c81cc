"""The dossier lifecycle as data: the facts, the TRANSITIONS table, ``decide()``, ``options()``.

Pure: no I/O, no clock (the time of the command comes with it). The service loads
``DossierFacts``, calls ``decide()`` and stores the ``Decision`` in one transaction: the column
changes with compare-and-set on the old status, the history event, the messages for the outbox.
``options()`` draws every desk control from the same rows, so what is shown and what the server
accepts never disagree. The words (statuses, actions, labels) are in ``dossier_states``.

Every change to a dossier is a row, also those that keep its status: the fee (paid online, failed,
paid at the counter), the delivery record and the priority mark.

Authorisation (which officer, which agency, whose dossier) is checked before, in the routes'
guards and ``dossier_parties``; here a role only says which step of the one-stop process a person
plays.

Decisions (Decree 61/2018 Art. 17–20, see BRIEF 2.1 and 4.1):

* A supplement asked for during appraisal is answered back to the desk: ``supply`` returns the
  dossier to ``received`` and the time limit restarts from zero (new receipt, new due date).
* A refusal after appraisal is signed by the leader and returned like a result: ``reject`` leads
  to ``result_ready`` with a rejection outcome; returning it ends in ``rejected`` (terminal),
  returning a result ends in ``returned``.
* After processing has started the citizen cannot withdraw; the leader halts instead (the
  halting notice of Circular 03/2025). ``halted`` is terminal.
* A fee is paid, and a dossier marked priority, only while the dossier is open (submitted and
  not closed).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.domain import limits
from app.domain.dossier_changes import changes_for, event_data
from app.domain.dossier_facts import (  # noqa: F401  (re-exported)
    EXTENSION_NOTICE_DAYS,
    MAX_EXTENSIONS,
    MAX_PRE_SUPPLEMENT_REQUESTS,
    MAX_SUPPLEMENT_REQUESTS,
    OPEN_FEE,
    Command,
    DossierFacts,
    Guard,
    can_be_marked,
    complete,
    delivery_not_recorded,
    delivery_problem,
    extension_possible,
    fee_open,
    fee_payable_online,
    is_marked,
    payment_awaited,
    pre_supplement_not_yet_requested,
    processing_not_started,
    rejection_delivered,
    result_delivered,
    supplement_not_yet_requested,
)
from app.domain.dossier_states import (  # noqa: F401  (re-exported: the lifecycle's words)
    ACTION_LABELS,
    CITIZEN_VISIBLE_ACTIONS,
    CLOCK_RUNNING_STATUSES,
    CONFIRMATION_MISSING,
    DESTRUCTIVE_ACTIONS,
    NOTE_LABELS,
    NOTIFIED_ACTIONS,
    PUBLIC_STATUS_OF,
    PUBLIC_STATUSES,
    ROLE_LABELS,
    SIDE_ACTIONS,
    STATUS_LABELS,
    TERMINAL_STATUSES,
    Action,
    Record,
    Role,
    Status,
    is_late,
    is_open,
    is_terminal,
    missing_items,
    public_status,
)


class Refused(Exception):
    """The action cannot be taken; ``reason`` is shown to the user as is. ``about_role``: the
    refusal only says this role plays no part in the action (another role may)."""

    def __init__(self, reason: str, about_role: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.about_role = about_role


@dataclass(frozen=True)
class Transition:
    from_status: Status
    action: Action
    to_status: Status
    roles: frozenset[Role]
    guard: Guard | None = None  # returns the refusal reason, or None to allow
    needs_note: bool = False
    records: tuple[Record, ...] = ()
    needs_new_due_on: bool = False
    needs_delivery_details: bool = False  # the post's tracking number, the signed result file


@dataclass(frozen=True)
class Decision:
    """The whole outcome: the new status, the column changes, the history event and whether the
    citizen is told. The service adds what needs I/O, named by ``records`` (the dossier code, due
    dates from the working calendar, the fee receipt number)."""

    from_status: Status
    action: Action
    to_status: Status
    records: tuple[Record, ...]
    note: str = ""
    new_due_on: date | None = None
    changes: Mapping[str, Any] = field(default_factory=dict)
    due_from: datetime | None = None  # the clock start the due date is counted from
    event_data: Mapping[str, Any] = field(default_factory=dict)
    notifies: bool = False  # a message to the citizen goes to the outbox


S, A, R = Status, Action, Record
CITIZEN = frozenset({Role.CITIZEN})
APPLICANT = frozenset({Role.CITIZEN, Role.RECEPTIONIST})  # the desk keys in paper documents
DESK = frozenset({Role.RECEPTIONIST})
DISPATCHERS = frozenset({Role.RECEPTIONIST, Role.LEADER})
SPECIALIST = frozenset({Role.SPECIALIST})
HANDLERS = frozenset({Role.SPECIALIST, Role.LEADER})
PARTNERS = frozenset({Role.SPECIALIST, Role.LEADER, Role.SYSTEM})
LEADER = frozenset({Role.LEADER})
DELIVERERS = frozenset({Role.RECEPTIONIST, Role.SYSTEM})
SYSTEM = frozenset({Role.SYSTEM})


def _extend(status: Status) -> Transition:
    """The apology with a new date: same status, wherever the agency holds a running clock."""
    return Transition(
        status,
        A.EXTEND,
        status,
        LEADER,
        guard=extension_possible,
        needs_note=True,
        records=(R.ISSUE_APOLOGY, R.EXTEND_DUE_DATE),
        needs_new_due_on=True,
    )


def _halt(status: Status, records: tuple[Record, ...]) -> Transition:
    """Processing stopped by the agency, e.g. when the citizen asks to withdraw too late."""
    return Transition(status, A.HALT, S.HALTED, LEADER, needs_note=True, records=records)


def _side_rows() -> tuple[Transition, ...]:
    """Rows that keep the status, for every open status: the fee and the priority mark."""
    rows = []
    for status in Status:
        if not is_open(status):
            continue
        rows += [
            Transition(status, A.START_PAYMENT, status, CITIZEN, guard=fee_payable_online),
            Transition(
                status,
                A.CONFIRM_PAYMENT,
                status,
                SYSTEM,
                guard=fee_open,
                records=(R.ISSUE_FEE_RECEIPT,),
            ),
            Transition(status, A.FAIL_PAYMENT, status, SYSTEM, guard=payment_awaited),
            Transition(
                status,
                A.PAY_AT_COUNTER,
                status,
                DESK,
                guard=fee_open,
                records=(R.ISSUE_FEE_RECEIPT,),
            ),
            Transition(status, A.MARK_PRIORITY, status, DISPATCHERS, guard=can_be_marked),
            Transition(status, A.UNMARK_PRIORITY, status, DISPATCHERS, guard=is_marked),
        ]
    return tuple(rows)


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        S.DRAFT,
        A.SUBMIT,
        S.SUBMITTED,
        APPLICANT,
        guard=complete,
        records=(R.ISSUE_CODE, R.ESTIMATE_DUE_DATE),
    ),
    Transition(S.SUBMITTED, A.RECEIVE, S.RECEIVED, DESK, records=(R.ISSUE_RECEIPT, R.FIX_DUE_DATE)),
    Transition(
        S.SUBMITTED,
        A.REQUEST_PRE_SUPPLEMENT,
        S.PRE_SUPPLEMENT,
        DESK,
        guard=pre_supplement_not_yet_requested,
        needs_note=True,
        records=(R.ISSUE_SUPPLEMENT_REQUEST,),
    ),
    Transition(S.SUBMITTED, A.REFUSE, S.REFUSED, DESK, needs_note=True, records=(R.ISSUE_REFUSAL,)),
    Transition(S.SUBMITTED, A.WITHDRAW, S.WITHDRAWN, CITIZEN, needs_note=True),
    Transition(S.PRE_SUPPLEMENT, A.SUPPLY, S.SUBMITTED, APPLICANT),
    Transition(S.PRE_SUPPLEMENT, A.WITHDRAW, S.WITHDRAWN, CITIZEN, needs_note=True),
    Transition(S.RECEIVED, A.ASSIGN, S.IN_PROGRESS, DISPATCHERS),
    _extend(S.RECEIVED),
    Transition(
        S.RECEIVED,
        A.WITHDRAW,
        S.WITHDRAWN,
        CITIZEN,
        guard=processing_not_started,
        needs_note=True,
        records=(R.STOP_CLOCK,),
    ),
    _halt(S.RECEIVED, (R.STOP_CLOCK, R.ISSUE_HALT_NOTICE)),
    Transition(S.IN_PROGRESS, A.SUBMIT_FOR_APPROVAL, S.AWAITING_APPROVAL, SPECIALIST),
    Transition(
        S.IN_PROGRESS,
        A.REQUEST_SUPPLEMENT,
        S.SUPPLEMENT_REQUESTED,
        SPECIALIST,
        guard=supplement_not_yet_requested,
        needs_note=True,
        records=(R.STOP_CLOCK, R.ISSUE_SUPPLEMENT_REQUEST),
    ),
    Transition(S.IN_PROGRESS, A.TRANSFER, S.TRANSFERRED, HANDLERS),
    Transition(S.IN_PROGRESS, A.ASSIGN, S.IN_PROGRESS, LEADER),  # to another specialist
    _extend(S.IN_PROGRESS),
    _halt(S.IN_PROGRESS, (R.STOP_CLOCK, R.ISSUE_HALT_NOTICE)),
    Transition(
        S.SUPPLEMENT_REQUESTED,
        A.SUPPLY,
        S.RECEIVED,
        APPLICANT,
        records=(R.RESTART_CLOCK, R.FIX_DUE_DATE, R.ISSUE_RECEIPT),
    ),
    _halt(S.SUPPLEMENT_REQUESTED, (R.ISSUE_HALT_NOTICE,)),  # the clock is already stopped
    Transition(S.AWAITING_APPROVAL, A.APPROVE, S.RESULT_READY, LEADER, records=(R.STOP_CLOCK,)),
    Transition(
        S.AWAITING_APPROVAL,
        A.REJECT,
        S.RESULT_READY,
        LEADER,
        needs_note=True,
        records=(R.STOP_CLOCK, R.ISSUE_REFUSAL),
    ),
    Transition(S.AWAITING_APPROVAL, A.RETURN_FOR_REWORK, S.IN_PROGRESS, LEADER, needs_note=True),
    _extend(S.AWAITING_APPROVAL),
    _halt(S.AWAITING_APPROVAL, (R.STOP_CLOCK, R.ISSUE_HALT_NOTICE)),
    Transition(S.TRANSFERRED, A.TRANSFER_BACK, S.IN_PROGRESS, PARTNERS),
    _extend(S.TRANSFERRED),
    _halt(S.TRANSFERRED, (R.STOP_CLOCK, R.ISSUE_HALT_NOTICE)),
    # One action, two rows: the outcome decides the end state; the guards exclude each other.
    Transition(S.RESULT_READY, A.RETURN_RESULT, S.RETURNED, DELIVERERS, guard=result_delivered),
    Transition(S.RESULT_READY, A.RETURN_RESULT, S.REJECTED, DELIVERERS, guard=rejection_delivered),
    Transition(
        S.RESULT_READY,
        A.RECORD_DELIVERY,
        S.RESULT_READY,
        DESK,
        guard=delivery_not_recorded,
        needs_delivery_details=True,
    ),
    *_side_rows(),
)


def _verb(action: Action) -> str:
    label = ACTION_LABELS[action]
    return label[0].lower() + label[1:]


def _reason(row: Transition, facts: DossierFacts) -> str | None:
    return row.guard(facts) if row.guard else None


def _row_for(facts: DossierFacts, action: Action, role: Role) -> Transition:
    """The row that applies, or Refused with the most useful reason."""
    status_label = STATUS_LABELS[facts.status]
    rows = [t for t in TRANSITIONS if t.from_status == facts.status and t.action == action]
    if not rows:
        raise Refused(f"Không thể {_verb(action)} khi hồ sơ đang «{status_label}».")
    rows = [t for t in rows if role in t.roles]
    if not rows:
        raise Refused(
            f"Không thể {_verb(action)} với vai trò {ROLE_LABELS[role]} "
            f"khi hồ sơ đang «{status_label}».",
            about_role=True,
        )
    reasons = [_reason(row, facts) for row in rows]
    if None in reasons:  # the return rows exclude each other, so at most one passes
        return rows[reasons.index(None)]
    raise Refused(str(reasons[0]))


def _command_problem(row: Transition, facts: DossierFacts, command: Command) -> str | None:
    if row.needs_note and not command.note.strip():
        return f"Vui lòng nhập {NOTE_LABELS[command.action]}."
    if len(command.note.strip()) > limits.NOTE:
        return f"Nội dung ghi chú dài quá {limits.NOTE} ký tự; vui lòng viết ngắn hơn."
    if row.needs_new_due_on:
        if command.new_due_on is None:
            return "Vui lòng chọn ngày hẹn trả kết quả mới."
        if facts.due_on is not None and command.new_due_on <= facts.due_on:
            return f"Ngày hẹn mới phải sau ngày hẹn cũ ({facts.due_on:%d/%m/%Y})."
    if row.needs_delivery_details:
        return delivery_problem(facts.delivery_method, command.details)
    return None


def decide(
    facts: DossierFacts,
    command: Command | Action,
    role: Role | None = None,
    note: str = "",
    new_due_on: date | None = None,
) -> Decision:
    """Apply the row for (status, action, role), or raise Refused with a Vietnamese reason.

    ``decide(facts, action, role, note, new_due_on)`` is short for a ``Command`` with only those."""
    if not isinstance(command, Command):
        command = Command(command, role or Role.ADMINISTRATOR, note, new_due_on)
    row = _row_for(facts, command.action, command.role)
    problem = _command_problem(row, facts, command)
    if problem:
        raise Refused(problem)
    note = command.note.strip()
    changes, due_from = changes_for(facts, command, row.to_status, row.records, note)
    return Decision(
        from_status=facts.status,
        action=command.action,
        to_status=row.to_status,
        records=row.records,
        note=note,
        new_due_on=command.new_due_on if row.needs_new_due_on else None,
        changes=changes,
        due_from=due_from,
        event_data=event_data(command),
        notifies=command.action in NOTIFIED_ACTIONS
        and (command.action is not Action.SUBMIT or facts.is_online),
    )


def options(facts: DossierFacts, role: Role) -> list[Action]:
    """The actions ``decide()`` accepts now for this role (the note, new date and details come
    with the form), in table order."""
    actions = (
        row.action
        for row in TRANSITIONS
        if row.from_status == facts.status and role in row.roles and _reason(row, facts) is None
    )
    return list(dict.fromkeys(actions))


def buttons(facts: DossierFacts, role: Role) -> list[Action]:
    """The options drawn as the generic buttons; the side actions have their own controls."""
    return [action for action in options(facts, role) if action not in SIDE_ACTIONS]


def allowed(facts: DossierFacts, roles: Collection[Role]) -> list[Action]:
    """Everything a person holding ``roles`` may do now, in table order."""
    seen: dict[Action, None] = {}
    for role in sorted(roles):
        for action in options(facts, role):
            seen.setdefault(action)
    return list(seen)


def role_for(roles: Collection[Role], facts: DossierFacts, action: Action) -> Role | None:
    """The first of ``roles`` that may take ``action`` now, if any."""
    for role in sorted(roles):
        if action in options(facts, role):
            return role
    return None


def refusal_reason(roles: Collection[Role], facts: DossierFacts, command: Command) -> str:
    """The most specific reason the table gives for refusing ``command`` to every one of
    ``roles``: a guard's reason before "not with this role"."""
    refusals: list[Refused] = []
    for role in sorted(roles):
        try:
            decide(facts, Command(**{**command.__dict__, "role": role}))
        except Refused as exc:
            refusals.append(exc)
    specific = [r for r in refusals if not r.about_role]
    chosen = specific or refusals
    return chosen[0].reason if chosen else "Bạn không thể thực hiện thao tác này."
