"""The dossier lifecycle as data: statuses, actions, roles and the TRANSITIONS table.

Pure: no I/O, no clock. The service loads ``DossierFacts``, calls ``decide()`` and stores the
``Decision`` (compare-and-set on the old status, history row, outbox). ``options()`` draws the
buttons from the same rows, so what is shown and what the server accepts never disagree.

Authorisation (which officer, which agency, whose dossier) is checked before, in the routes'
guards; here a role only says which step of the one-stop process a person plays.

Decisions (Decree 61/2018 Art. 17–20, see BRIEF 2.1 and 4.1):

* A supplement asked for during appraisal is answered back to the desk: ``supply`` returns the
  dossier to ``received`` and the time limit restarts from zero (new receipt, new due date).
* A refusal after appraisal is signed by the leader and returned like a result: ``reject`` leads
  to ``result_ready`` with a rejection outcome; returning it ends in ``rejected`` (terminal),
  returning a result ends in ``returned``.
* After processing has started the citizen cannot withdraw; the leader halts instead (the
  halting notice of Circular 03/2025). ``halted`` is terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain import limits


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # online, awaiting reception; clock not running
    PRE_SUPPLEMENT = "pre_supplement"  # desk asks to complete before accepting
    REFUSED = "refused"  # refused at reception
    RECEIVED = "received"  # code + receipt issued, due date fixed
    IN_PROGRESS = "in_progress"  # assigned to a specialist
    SUPPLEMENT_REQUESTED = "supplement_requested"  # clock stopped, restarts when supplied
    AWAITING_APPROVAL = "awaiting_approval"  # waiting for the leader's signature
    TRANSFERRED = "transferred"  # with another agency (liên thông), comes back
    RESULT_READY = "result_ready"  # result or rejection notice waiting to be returned
    RETURNED = "returned"  # result delivered
    REJECTED = "rejected"  # rejection notice delivered
    WITHDRAWN = "withdrawn"
    HALTED = "halted"


class Action(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    REQUEST_PRE_SUPPLEMENT = "request_pre_supplement"
    SUPPLY = "supply"
    REFUSE = "refuse"
    RECEIVE = "receive"
    ASSIGN = "assign"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUBMIT_FOR_APPROVAL = "submit_for_approval"
    APPROVE = "approve"
    RETURN_FOR_REWORK = "return_for_rework"
    REJECT = "reject"
    TRANSFER = "transfer"
    TRANSFER_BACK = "transfer_back"
    EXTEND = "extend"
    RETURN_RESULT = "return_result"
    HALT = "halt"


class Role(StrEnum):
    CITIZEN = "citizen"
    RECEPTIONIST = "receptionist"  # tiếp nhận
    SPECIALIST = "specialist"  # xử lý
    LEADER = "leader"  # phê duyệt
    ADMINISTRATOR = "administrator"  # manages the system, plays no part in a dossier
    SYSTEM = "system"  # integrations: online delivery, inter-agency platform


class Record(StrEnum):
    """What the service must record besides the new status and the history row."""

    ISSUE_RECEIPT = "issue_receipt"  # form 01, with the dossier code and the due date
    FIX_DUE_DATE = "fix_due_date"  # due date = clock start + the procedure's time limit
    STOP_CLOCK = "stop_clock"
    RESTART_CLOCK = "restart_clock"  # the time limit counts again from zero
    EXTEND_DUE_DATE = "extend_due_date"  # to the new date given with the decision
    ISSUE_SUPPLEMENT_REQUEST = "issue_supplement_request"  # form 02
    ISSUE_REFUSAL = "issue_refusal"  # form 03, at reception or after appraisal
    ISSUE_APOLOGY = "issue_apology"  # form 04
    ISSUE_HALT_NOTICE = "issue_halt_notice"  # Circular 03/2025 annex


# Decree 61/2018 Art. 15: the desk lists everything missing in one go, so once before reception.
MAX_PRE_SUPPLEMENT_REQUESTS = 1
# Art. 19.4: one supplement request during appraisal, as one complete list.
MAX_SUPPLEMENT_REQUESTS = 1
# Art. 19.9: the apology with a new date is allowed once, sent at least 1 day before the due
# date. Calendar days; if the client reads it as working days, pass a due date moved accordingly.
MAX_EXTENSIONS = 1
EXTENSION_NOTICE_DAYS = 1


@dataclass(frozen=True)
class DossierFacts:
    """What the guards need to know, loaded by the service (counts come from the history)."""

    status: Status
    today: date
    due_on: date | None = None
    has_processing_started: bool = False  # assigned to a specialist at least once
    pre_supplement_count: int = 0
    supplement_count: int = 0
    extension_count: int = 0
    is_rejection: bool = False  # the outcome waiting to be returned is a rejection notice
    is_delivery_recorded: bool = False  # handed over at the desk, to the post or online


Guard = Callable[[DossierFacts], str | None]


class Refused(Exception):
    """The action cannot be taken; ``reason`` is shown to the user as is."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


@dataclass(frozen=True)
class Decision:
    from_status: Status
    action: Action
    to_status: Status
    records: tuple[Record, ...]
    note: str = ""
    new_due_on: date | None = None


def _pre_supplement_not_yet_requested(facts: DossierFacts) -> str | None:
    if facts.pre_supplement_count >= MAX_PRE_SUPPLEMENT_REQUESTS:
        return "Đã hướng dẫn bổ sung một lần; nếu hồ sơ vẫn chưa đủ, hãy từ chối tiếp nhận."
    return None


def _supplement_not_yet_requested(facts: DossierFacts) -> str | None:
    if facts.supplement_count >= MAX_SUPPLEMENT_REQUESTS:
        return "Hồ sơ đã được yêu cầu bổ sung một lần; không được yêu cầu bổ sung lần nữa."
    return None


def _processing_not_started(facts: DossierFacts) -> str | None:
    if facts.has_processing_started:
        return "Hồ sơ đã được chuyển xử lý nên không thể rút; hãy đề nghị cơ quan dừng xử lý."
    return None


def _extension_possible(facts: DossierFacts) -> str | None:
    if facts.extension_count >= MAX_EXTENSIONS:
        return "Hồ sơ đã được hẹn lại ngày trả kết quả; chỉ được hẹn lại một lần."
    if facts.due_on is None:
        return "Hồ sơ chưa có ngày hẹn trả kết quả."
    if facts.today > facts.due_on - timedelta(days=EXTENSION_NOTICE_DAYS):
        return (
            f"Phải xin lỗi và hẹn lại chậm nhất {EXTENSION_NOTICE_DAYS} ngày trước ngày hẹn trả "
            f"({facts.due_on:%d/%m/%Y}); nay đã quá thời điểm đó."
        )
    return None


def _result_delivered(facts: DossierFacts) -> str | None:
    return _delivery_reason(facts) or (
        "Hồ sơ không được giải quyết: trả văn bản từ chối, không phải kết quả."
        if facts.is_rejection
        else None
    )


def _rejection_delivered(facts: DossierFacts) -> str | None:
    return _delivery_reason(facts) or (
        None if facts.is_rejection else "Hồ sơ có kết quả giải quyết, không phải văn bản từ chối."
    )


def _delivery_reason(facts: DossierFacts) -> str | None:
    # Checked first by both return rows, so an undelivered dossier gets this reason either way.
    if not facts.is_delivery_recorded:
        return "Chưa ghi nhận việc giao kết quả (tại quầy, qua bưu chính hay trực tuyến)."
    return None


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


def _extend(status: Status) -> Transition:
    """The apology with a new date: same status, wherever the agency holds a running clock."""
    return Transition(
        status,
        A.EXTEND,
        status,
        LEADER,
        guard=_extension_possible,
        needs_note=True,
        records=(R.ISSUE_APOLOGY, R.EXTEND_DUE_DATE),
        needs_new_due_on=True,
    )


def _halt(status: Status, records: tuple[Record, ...]) -> Transition:
    """Processing stopped by the agency, e.g. when the citizen asks to withdraw too late."""
    return Transition(status, A.HALT, S.HALTED, LEADER, needs_note=True, records=records)


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, A.SUBMIT, S.SUBMITTED, APPLICANT),
    Transition(S.SUBMITTED, A.RECEIVE, S.RECEIVED, DESK, records=(R.ISSUE_RECEIPT, R.FIX_DUE_DATE)),
    Transition(
        S.SUBMITTED,
        A.REQUEST_PRE_SUPPLEMENT,
        S.PRE_SUPPLEMENT,
        DESK,
        guard=_pre_supplement_not_yet_requested,
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
        guard=_processing_not_started,
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
        guard=_supplement_not_yet_requested,
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
    Transition(S.RESULT_READY, A.RETURN_RESULT, S.RETURNED, DELIVERERS, guard=_result_delivered),
    Transition(S.RESULT_READY, A.RETURN_RESULT, S.REJECTED, DELIVERERS, guard=_rejection_delivered),
)

STATUS_LABELS: dict[Status, str] = {
    Status.DRAFT: "Nháp",
    Status.SUBMITTED: "Đã nộp, chờ tiếp nhận",
    Status.PRE_SUPPLEMENT: "Yêu cầu bổ sung (trước tiếp nhận)",
    Status.REFUSED: "Từ chối tiếp nhận",
    Status.RECEIVED: "Đã tiếp nhận",
    Status.IN_PROGRESS: "Đang xử lý",
    Status.SUPPLEMENT_REQUESTED: "Chờ bổ sung",
    Status.AWAITING_APPROVAL: "Chờ phê duyệt",
    Status.TRANSFERRED: "Đang liên thông",
    Status.RESULT_READY: "Đã có kết quả",
    Status.RETURNED: "Đã trả kết quả",
    Status.REJECTED: "Không giải quyết",
    Status.WITHDRAWN: "Đã rút",
    Status.HALTED: "Dừng xử lý",
}

ACTION_LABELS: dict[Action, str] = {
    Action.SUBMIT: "Nộp hồ sơ",
    Action.WITHDRAW: "Rút hồ sơ",
    Action.REQUEST_PRE_SUPPLEMENT: "Hướng dẫn bổ sung",
    Action.SUPPLY: "Bổ sung hồ sơ",
    Action.REFUSE: "Từ chối tiếp nhận",
    Action.RECEIVE: "Tiếp nhận",
    Action.ASSIGN: "Chuyển xử lý",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung, hoàn thiện",
    Action.SUBMIT_FOR_APPROVAL: "Trình ký",
    Action.APPROVE: "Phê duyệt",
    Action.RETURN_FOR_REWORK: "Trả lại chuyên viên",
    Action.REJECT: "Từ chối giải quyết",
    Action.TRANSFER: "Chuyển liên thông",
    Action.TRANSFER_BACK: "Chuyển trả sau liên thông",
    Action.EXTEND: "Xin lỗi và hẹn lại",
    Action.RETURN_RESULT: "Trả kết quả",
    Action.HALT: "Dừng xử lý",
}

# The label of the note field, for the actions whose rows require a note.
NOTE_LABELS: dict[Action, str] = {
    Action.WITHDRAW: "lý do rút hồ sơ",
    Action.REQUEST_PRE_SUPPLEMENT: "danh sách giấy tờ cần bổ sung (ghi đầy đủ một lần)",
    Action.REFUSE: "lý do từ chối tiếp nhận",
    Action.REQUEST_SUPPLEMENT: "danh sách giấy tờ cần bổ sung, hoàn thiện (ghi đầy đủ một lần)",
    Action.RETURN_FOR_REWORK: "nội dung cần xử lý lại",
    Action.REJECT: "lý do không giải quyết",
    Action.EXTEND: "lý do chậm trả kết quả",
    Action.HALT: "lý do dừng xử lý",
}

ROLE_LABELS: dict[Role, str] = {
    Role.CITIZEN: "công dân",
    Role.RECEPTIONIST: "cán bộ tiếp nhận",
    Role.SPECIALIST: "chuyên viên xử lý",
    Role.LEADER: "lãnh đạo phê duyệt",
    Role.ADMINISTRATOR: "quản trị hệ thống",
    Role.SYSTEM: "hệ thống",
}

TERMINAL_STATUSES = frozenset(
    {Status.REFUSED, Status.RETURNED, Status.REJECTED, Status.WITHDRAWN, Status.HALTED}
)

# What citizens and the public lookup see: internal steps of the agency fold into "Đang xử lý".
PUBLIC_STATUS_OF: dict[Status, Status] = {
    **{status: status for status in Status},
    Status.AWAITING_APPROVAL: Status.IN_PROGRESS,
    Status.TRANSFERRED: Status.IN_PROGRESS,
}
PUBLIC_STATUSES = frozenset(PUBLIC_STATUS_OF.values())

# History entries shown on the citizen's timeline; the others are the agency's internal steps.
CITIZEN_VISIBLE_ACTIONS = frozenset(Action) - {
    Action.ASSIGN,
    Action.SUBMIT_FOR_APPROVAL,
    Action.RETURN_FOR_REWORK,
    Action.TRANSFER,
    Action.TRANSFER_BACK,
}


def missing_items(note: str) -> list[str]:
    """The supplement request's list: one item a line, or items separated by semicolons."""
    lines = [line.strip() for line in note.splitlines() if line.strip()]
    if len(lines) == 1 and ";" in lines[0]:
        lines = [part.strip() for part in lines[0].split(";") if part.strip()]
    return lines


def is_terminal(status: Status) -> bool:
    return status in TERMINAL_STATUSES


def is_open(status: Status) -> bool:
    """Submitted and not yet closed."""
    return status != Status.DRAFT and status not in TERMINAL_STATUSES


def public_status(status: Status) -> Status:
    return PUBLIC_STATUS_OF[status]


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
            f"khi hồ sơ đang «{status_label}»."
        )
    reasons = [_reason(row, facts) for row in rows]
    if None in reasons:  # the return rows exclude each other, so at most one passes
        return rows[reasons.index(None)]
    raise Refused(str(reasons[0]))


def decide(
    facts: DossierFacts,
    action: Action,
    role: Role,
    note: str = "",
    new_due_on: date | None = None,
) -> Decision:
    """Apply the row for (status, action, role), or raise Refused with a Vietnamese reason."""
    row = _row_for(facts, action, role)
    note = note.strip()
    if row.needs_note and not note:
        raise Refused(f"Vui lòng nhập {NOTE_LABELS[action]}.")
    if len(note) > limits.NOTE:
        raise Refused(f"Nội dung ghi chú dài quá {limits.NOTE} ký tự; vui lòng viết ngắn hơn.")
    if row.needs_new_due_on:
        if new_due_on is None:
            raise Refused("Vui lòng chọn ngày hẹn trả kết quả mới.")
        if facts.due_on is not None and new_due_on <= facts.due_on:
            raise Refused(f"Ngày hẹn mới phải sau ngày hẹn cũ ({facts.due_on:%d/%m/%Y}).")
    return Decision(
        from_status=facts.status,
        action=action,
        to_status=row.to_status,
        records=row.records,
        note=note,
        new_due_on=new_due_on if row.needs_new_due_on else None,
    )


def options(facts: DossierFacts, role: Role) -> list[Action]:
    """The actions ``decide()`` accepts now for this role (the note and new date come with the
    form), in table order."""
    actions = (
        row.action
        for row in TRANSITIONS
        if row.from_status == facts.status and role in row.roles and _reason(row, facts) is None
    )
    return list(dict.fromkeys(actions))
