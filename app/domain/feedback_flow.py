"""Feedback and complaints (phản ánh, kiến nghị — PAKN): statuses, actions and the table.

Pure: no I/O, no clock. Same shape as ``dossier_flow``: the service loads ``FeedbackFacts``,
calls ``decide()`` and stores the decision with a compare-and-set on the old status.

Decisions (FEEDBACK.md 2.1; Decision 766 formula 5.2):

* A submission waits for receipt; the agency refuses it (with a reason), asks for more
  information, or accepts it for handling.
* More information asked for stops the clock; when the sender supplies it the answer deadline
  counts again from that day (like a dossier's supplement).
* Transferred to the competent agency ends the matter here (the national index counts it as done).
* An answer is sent to the sender; publishing it (sender's details removed) is a separate step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    SUBMITTED = "submitted"  # waiting for receipt
    REFUSED = "refused"  # refused with a reason
    INFO_REQUESTED = "info_requested"  # more information asked of the sender; clock stopped
    IN_PROGRESS = "in_progress"  # received, being handled
    TRANSFERRED = "transferred"  # sent to the competent agency
    ANSWERED = "answered"  # answer sent to the sender
    PUBLISHED = "published"  # answer on the public list


class Action(StrEnum):
    RECEIVE = "receive"
    REFUSE = "refuse"
    REQUEST_INFO = "request_info"
    SUPPLY = "supply"
    TRANSFER = "transfer"
    ANSWER = "answer"
    PUBLISH = "publish"


class Role(StrEnum):
    SENDER = "sender"  # whoever sent it, identified by the code and second factor
    OFFICER = "officer"  # any officer of the agency it is addressed to


class Kind(StrEnum):
    COMPLAINT = "phan_anh"  # phản ánh
    PROPOSAL = "kien_nghi"  # kiến nghị
    QUESTION = "cau_hoi"  # a question about a procedure


class Category(StrEnum):
    REGULATION = "regulation"  # Quy định, chính sách, thủ tục hành chính
    OFFICER_CONDUCT = "officer_conduct"  # Hành vi của cán bộ, công chức
    OTHER = "other"


STATUS_LABELS = {
    Status.SUBMITTED: "Chờ tiếp nhận",
    Status.REFUSED: "Từ chối tiếp nhận",
    Status.INFO_REQUESTED: "Chờ bổ sung thông tin",
    Status.IN_PROGRESS: "Đang xử lý",
    Status.TRANSFERRED: "Đã chuyển cơ quan có thẩm quyền",
    Status.ANSWERED: "Đã trả lời",
    Status.PUBLISHED: "Đã công khai",
}
ACTION_LABELS = {
    Action.RECEIVE: "Tiếp nhận",
    Action.REFUSE: "Từ chối tiếp nhận",
    Action.REQUEST_INFO: "Yêu cầu bổ sung thông tin",
    Action.SUPPLY: "Bổ sung thông tin",
    Action.TRANSFER: "Chuyển cơ quan có thẩm quyền",
    Action.ANSWER: "Trả lời",
    Action.PUBLISH: "Công khai câu trả lời",
}
KIND_LABELS = {
    Kind.COMPLAINT: "Phản ánh",
    Kind.PROPOSAL: "Kiến nghị",
    Kind.QUESTION: "Câu hỏi",
}
CATEGORY_LABELS = {
    Category.REGULATION: "Quy định, chính sách, thủ tục hành chính",
    Category.OFFICER_CONDUCT: "Hành vi của cán bộ, công chức",
    Category.OTHER: "Khác",
}
# Where the national index stops counting the handling time.
FINISHED = frozenset({Status.REFUSED, Status.TRANSFERRED, Status.ANSWERED, Status.PUBLISHED})


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FeedbackFacts:
    status: Status
    has_category: bool = False  # classified before it is answered (index 5.1)


@dataclass(frozen=True)
class Transition:
    from_status: Status
    action: Action
    to_status: Status
    role: Role
    needs_note: bool = False
    note_label: str = "Nội dung"


@dataclass(frozen=True)
class Decision:
    from_status: Status
    action: Action
    to_status: Status
    note: str


S, A = Status, Action
TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.SUBMITTED, A.RECEIVE, S.IN_PROGRESS, Role.OFFICER),
    Transition(S.SUBMITTED, A.REFUSE, S.REFUSED, Role.OFFICER, True, "Lý do từ chối"),
    Transition(S.SUBMITTED, A.REQUEST_INFO, S.INFO_REQUESTED, Role.OFFICER, True, "Cần bổ sung"),
    Transition(S.IN_PROGRESS, A.REQUEST_INFO, S.INFO_REQUESTED, Role.OFFICER, True, "Cần bổ sung"),
    Transition(S.INFO_REQUESTED, A.SUPPLY, S.IN_PROGRESS, Role.SENDER, True, "Thông tin bổ sung"),
    Transition(S.IN_PROGRESS, A.TRANSFER, S.TRANSFERRED, Role.OFFICER, True, "Lý do chuyển"),
    Transition(S.IN_PROGRESS, A.ANSWER, S.ANSWERED, Role.OFFICER, True, "Nội dung trả lời"),
    Transition(S.ANSWERED, A.PUBLISH, S.PUBLISHED, Role.OFFICER),
)


def _row(status: Status, action: Action) -> Transition | None:
    return next((t for t in TRANSITIONS if t.from_status is status and t.action is action), None)


def options(facts: FeedbackFacts, role: Role) -> list[Transition]:
    """The transitions ``role`` may take now, in table order (the buttons drawn)."""
    return [t for t in TRANSITIONS if t.from_status is facts.status and t.role is role]


def decide(facts: FeedbackFacts, action: Action, role: Role, note: str = "") -> Decision:
    row = _row(facts.status, action)
    if row is None:
        raise Refused(
            f"Không thể “{ACTION_LABELS[action].lower()}” khi phản ánh đang ở trạng thái "
            f"“{STATUS_LABELS[facts.status].lower()}”."
        )
    if row.role is not role:
        raise Refused("Bạn không có quyền thực hiện thao tác này.")
    note = note.strip()
    if row.needs_note and not note:
        raise Refused(f"Vui lòng nhập {row.note_label.lower()}.")
    if action is A.ANSWER and not facts.has_category:
        raise Refused("Vui lòng phân loại phản ánh trước khi trả lời.")
    return Decision(facts.status, action, row.to_status, note)
