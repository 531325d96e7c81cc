"""The words of the dossier lifecycle: statuses, actions, roles, records and their labels.

Pure vocabulary, shared by the table (``dossier_flow``), the services and the templates. The
values are stored in the database; the Vietnamese labels live here, never in the values.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum


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
    # Same status, other facts: the fee, the delivery record, the priority mark.
    START_PAYMENT = "start_payment"  # sent to the gateway, waiting for its IPN
    CONFIRM_PAYMENT = "confirm_payment"  # the gateway's IPN confirmed the payment
    FAIL_PAYMENT = "fail_payment"  # the gateway's IPN reported a failure
    PAY_AT_COUNTER = "pay_at_counter"  # cash or card at the desk
    RECORD_DELIVERY = "record_delivery"  # handed over at the desk, posted or sent online
    MARK_PRIORITY = "mark_priority"
    UNMARK_PRIORITY = "unmark_priority"


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
    ISSUE_CODE = "issue_code"  # the official dossier code, once
    ESTIMATE_DUE_DATE = "estimate_due_date"  # the date expected at submission, before reception
    ISSUE_FEE_RECEIPT = "issue_fee_receipt"  # the electronic fee receipt (biên lai)


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
    Action.START_PAYMENT: "Thanh toán trực tuyến",
    Action.CONFIRM_PAYMENT: "Xác nhận thanh toán trực tuyến",
    Action.FAIL_PAYMENT: "Thanh toán trực tuyến không thành công",
    Action.PAY_AT_COUNTER: "Thu phí tại quầy",
    Action.RECORD_DELIVERY: "Ghi nhận giao kết quả",
    Action.MARK_PRIORITY: "Đánh dấu ưu tiên",
    Action.UNMARK_PRIORITY: "Bỏ đánh dấu ưu tiên",
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

# Actions with their own control on the desk page (fee box, delivery form, priority switch);
# the others are drawn as the generic buttons of the "Xử lý" section.
SIDE_ACTIONS = frozenset(
    {
        Action.START_PAYMENT,
        Action.CONFIRM_PAYMENT,
        Action.FAIL_PAYMENT,
        Action.PAY_AT_COUNTER,
        Action.RECORD_DELIVERY,
        Action.MARK_PRIORITY,
        Action.UNMARK_PRIORITY,
    }
)

# The desk asks once, with a checkbox the server also checks, before these: none can be undone.
DESTRUCTIVE_ACTIONS = frozenset({Action.REFUSE, Action.REJECT, Action.HALT, Action.WITHDRAW})
CONFIRMATION_MISSING = "Hãy đánh dấu ô xác nhận: thao tác này không hoàn tác được."

# The citizen is told of these (services/notifications.py words the messages); a submission at
# the counter is announced by its reception instead.
NOTIFIED_ACTIONS = frozenset(
    {
        Action.SUBMIT,
        Action.RECEIVE,
        Action.REQUEST_PRE_SUPPLEMENT,
        Action.REQUEST_SUPPLEMENT,
        Action.REFUSE,
        Action.APPROVE,
        Action.REJECT,
        Action.RETURN_RESULT,
        Action.EXTEND,
        Action.HALT,
        Action.WITHDRAW,
        Action.SUPPLY,
    }
)

# History entries shown on the citizen's timeline; the others are the agency's internal steps.
CITIZEN_VISIBLE_ACTIONS = frozenset(Action) - {
    Action.ASSIGN,
    Action.SUBMIT_FOR_APPROVAL,
    Action.RETURN_FOR_REWORK,
    Action.TRANSFER,
    Action.TRANSFER_BACK,
    *SIDE_ACTIONS,
}


def missing_items(note: str) -> list[str]:
    """The supplement request's list: one item a line, or items separated by semicolons."""
    lines = [line.strip() for line in note.splitlines() if line.strip()]
    if len(lines) == 1 and ";" in lines[0]:
        lines = [part.strip() for part in lines[0].split(";") if part.strip()]
    return lines


# The agency's time limit runs in these statuses (a late dossier is one of them past its due date).
CLOCK_RUNNING_STATUSES = frozenset(
    {Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_APPROVAL, Status.TRANSFERRED}
)


def is_late(status: str, due_at: datetime | None, now: datetime) -> bool:
    """Past its due date while the agency's clock runs."""
    return due_at is not None and due_at < now and status in CLOCK_RUNNING_STATUSES


def is_terminal(status: Status) -> bool:
    return status in TERMINAL_STATUSES


def is_open(status: Status) -> bool:
    """Submitted and not yet closed."""
    return status != Status.DRAFT and status not in TERMINAL_STATUSES


def public_status(status: Status) -> Status:
    return PUBLIC_STATUS_OF[status]
