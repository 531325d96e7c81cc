"""What a dossier decision is made from: the facts, the command, and the guards over the facts.

Pure. The guards return the Vietnamese refusal reason, or None to allow; the TRANSITIONS rows in
``dossier_flow`` name them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.domain.dossier_states import Action, Role, Status
from app.domain.fees import FeeQuote, FeeStatus

# Decree 61/2018 Art. 15: the desk lists everything missing in one go, so once before reception.
MAX_PRE_SUPPLEMENT_REQUESTS = 1
# Art. 19.4: one supplement request during appraisal, as one complete list.
MAX_SUPPLEMENT_REQUESTS = 1
# Art. 19.9: the apology with a new date is allowed once, sent at least 1 day before the due
# date. Calendar days; if the client reads it as working days, pass a due date moved accordingly.
MAX_EXTENSIONS = 1
EXTENSION_NOTICE_DAYS = 1
OPEN_FEE = frozenset({FeeStatus.UNPAID, FeeStatus.AWAITING_CONFIRMATION})


@dataclass(frozen=True)
class DossierFacts:
    """What the guards and the column changes need, loaded by the service from the dossier row
    (``workflow.facts_of``); the counters are columns kept by the decisions themselves.

    ``is_complete`` is established by whoever submits: the wizard (every step valid and the
    declaration ticked) or the desk's intake form; the SUBMIT row refuses without it."""

    status: Status
    today: date
    due_on: date | None = None
    has_processing_started: bool = False  # assigned to a specialist at least once
    pre_supplement_count: int = 0
    supplement_count: int = 0
    extension_count: int = 0
    is_rejection: bool = False  # the outcome waiting to be returned is a rejection notice
    is_delivery_recorded: bool = False  # handed over at the desk, to the post or online
    is_complete: bool = False  # ready to submit: every step valid, the declaration ticked
    is_online: bool = False  # submitted through the portal (not at the counter or by post)
    is_priority: bool = False
    delivery_method: str = "desk"  # desk | post | online, chosen by the applicant
    fee_status: FeeStatus = FeeStatus.NOT_REQUIRED
    fee_quote: FeeQuote | None = None  # what the fees snapshot asks for this channel
    submitted_at: datetime | None = None
    resolving_agency_id: int | None = None


@dataclass(frozen=True)
class Command:
    """What a person (or the gateway) asks for, with what the action brings."""

    action: Action
    role: Role
    note: str = ""
    new_due_on: date | None = None  # extend
    officer_id: int | None = None  # assign
    agency_id: int | None = None  # transfer
    missing_items: tuple[str, ...] = ()  # supplement requests
    details: Mapping[str, Any] = field(default_factory=dict)  # delivery record, payment
    at: datetime | None = None  # when it happens (the service's clock)


Guard = Callable[[DossierFacts], str | None]


def pre_supplement_not_yet_requested(facts: DossierFacts) -> str | None:
    if facts.pre_supplement_count >= MAX_PRE_SUPPLEMENT_REQUESTS:
        return "Đã hướng dẫn bổ sung một lần; nếu hồ sơ vẫn chưa đủ, hãy từ chối tiếp nhận."
    return None


def supplement_not_yet_requested(facts: DossierFacts) -> str | None:
    if facts.supplement_count >= MAX_SUPPLEMENT_REQUESTS:
        return "Hồ sơ đã được yêu cầu bổ sung một lần; không được yêu cầu bổ sung lần nữa."
    return None


def processing_not_started(facts: DossierFacts) -> str | None:
    if facts.has_processing_started:
        return "Hồ sơ đã được chuyển xử lý nên không thể rút; hãy đề nghị cơ quan dừng xử lý."
    return None


def extension_possible(facts: DossierFacts) -> str | None:
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


def result_delivered(facts: DossierFacts) -> str | None:
    return delivery_reason(facts) or (
        "Hồ sơ không được giải quyết: trả văn bản từ chối, không phải kết quả."
        if facts.is_rejection
        else None
    )


def rejection_delivered(facts: DossierFacts) -> str | None:
    return delivery_reason(facts) or (
        None if facts.is_rejection else "Hồ sơ có kết quả giải quyết, không phải văn bản từ chối."
    )


def delivery_reason(facts: DossierFacts) -> str | None:
    # Checked first by both return rows, so an undelivered dossier gets this reason either way.
    if not facts.is_delivery_recorded:
        return "Chưa ghi nhận việc giao kết quả (tại quầy, qua bưu chính hay trực tuyến)."
    return None


def complete(facts: DossierFacts) -> str | None:
    """every step valid and the declaration ticked"""
    if not facts.is_complete:
        return "Hồ sơ chưa đầy đủ: hãy hoàn thành mọi bước và xác nhận lời cam đoan trước khi nộp."
    return None


def delivery_not_recorded(facts: DossierFacts) -> str | None:
    """delivery not recorded yet"""
    if facts.is_delivery_recorded:
        return "Đã ghi nhận việc giao kết quả."
    return None


def fee_open(facts: DossierFacts) -> str | None:
    """fee unpaid or awaiting confirmation"""
    if facts.fee_status not in OPEN_FEE:
        return "Hồ sơ không có khoản phí chưa nộp."
    return None


def fee_payable_online(facts: DossierFacts) -> str | None:
    """fee unpaid, with amounts known (payable online)"""
    if facts.fee_status is not FeeStatus.UNPAID:
        return "Hồ sơ này không có khoản phí cần thanh toán."
    if facts.fee_quote is None or not facts.fee_quote.is_payable_online:
        return "Khoản phí này nộp tại bộ phận một cửa."
    return None


def payment_awaited(facts: DossierFacts) -> str | None:
    """an online payment awaits confirmation"""
    if facts.fee_status is not FeeStatus.AWAITING_CONFIRMATION:
        return "Không có giao dịch thanh toán trực tuyến nào đang chờ xác nhận."
    return None


def can_be_marked(facts: DossierFacts) -> str | None:
    """submitted online, not marked yet"""
    if not facts.is_online:
        return "Chỉ đánh dấu ưu tiên hồ sơ nộp trực tuyến."
    return "Hồ sơ đã được đánh dấu ưu tiên." if facts.is_priority else None


def is_marked(facts: DossierFacts) -> str | None:
    """marked priority"""
    return None if facts.is_priority else "Hồ sơ chưa được đánh dấu ưu tiên."


def delivery_problem(method: str, details: Mapping[str, Any]) -> str | None:
    """What is missing to record a delivery by ``method``."""
    if method == "post" and not str(details.get("postal_tracking", "")).strip():
        return "Vui lòng nhập số hiệu bưu gửi."
    if method == "online" and not details.get("result_token"):
        return "Vui lòng tải lên tệp kết quả đã ký số."
    return None
