"""PAKN at the desk: what an officer may see (their agency's only), the due-soon and overdue
queues, classification and transitions with history and messages in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain import feedback_flow as ff
from app.domain.feedback_deadlines import Urgency, urgency
from app.models import Feedback, FeedbackAttachment, FeedbackEvent
from app.services.calendar import local_now, working_calendar
from app.services.feedback_steps import apply, rules

S = ff.Status
OPEN = (S.SUBMITTED, S.IN_PROGRESS, S.ANSWERED)  # statuses with a deadline running


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    statuses: tuple[ff.Status, ...]
    urgency: Urgency = Urgency.NONE


QUEUES = (
    Queue("sap-den-han", "Sắp đến hạn", OPEN, Urgency.DUE_SOON),
    Queue("qua-han", "Quá hạn", OPEN, Urgency.OVERDUE),
    Queue("cho-tiep-nhan", "Chờ tiếp nhận", (S.SUBMITTED,)),
    Queue("dang-xu-ly", "Đang xử lý", (S.IN_PROGRESS, S.INFO_REQUESTED)),
    Queue("cho-cong-khai", "Đã trả lời, chờ công khai", (S.ANSWERED,)),
    Queue("da-xong", "Đã kết thúc", (S.REFUSED, S.TRANSFERRED, S.PUBLISHED)),
)
QUEUE_BY_KEY = {q.key: q for q in QUEUES}


async def _open_rows(agency_id: int) -> list[dict[str, Any]]:
    return (
        await Feedback.select(
            Feedback.id,
            Feedback.code,
            Feedback.kind,
            Feedback.subject,
            Feedback.status,
            Feedback.due_on,
            Feedback.created_at,
        )
        .where((Feedback.agency == agency_id) & Feedback.status.is_in([s.value for s in OPEN]))
        .order_by(Feedback.due_on)
        .run()
    )


async def queues(agency_id: int, today: date | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every queue's rows for the officer's agency (a PAKN is never shown to another agency)."""
    out: dict[str, list[dict[str, Any]]] = {q.key: [] for q in QUEUES}
    out.update(await _urgent(agency_id, today))
    for q in QUEUES:
        if q.urgency is Urgency.NONE:
            out[q.key] = (
                await Feedback.select(
                    Feedback.id,
                    Feedback.code,
                    Feedback.kind,
                    Feedback.subject,
                    Feedback.status,
                    Feedback.due_on,
                    Feedback.created_at,
                )
                .where(
                    (Feedback.agency == agency_id)
                    & Feedback.status.is_in([s.value for s in q.statuses])
                )
                .order_by(Feedback.id, ascending=False)
                .limit(50)
                .run()
            )
    return out


async def _urgent(agency_id: int, today: date | None) -> dict[str, list[dict[str, Any]]]:
    """The open PAKN due soon and overdue (one statement over the agency's open ones)."""
    today = today or local_now().date()
    cal, r = await working_calendar(), rules()
    out: dict[str, list[dict[str, Any]]] = {"sap-den-han": [], "qua-han": []}
    for row in await _open_rows(agency_id):
        level = urgency(row["due_on"], today, cal, r)
        if level is not Urgency.NONE:
            out["sap-den-han" if level is Urgency.DUE_SOON else "qua-han"].append(row)
    return out


async def due_counts(agency_id: int, today: date | None = None) -> dict[str, int]:
    """For the desk's navigation: how many PAKN are due soon and overdue."""
    return {key: len(rows) for key, rows in (await _urgent(agency_id, today)).items()}


async def for_officer(agency_id: int, feedback_id: int) -> dict[str, Any] | None:
    """The whole PAKN, only when it is addressed to the officer's agency."""
    row = (
        await Feedback.select()
        .where((Feedback.id == feedback_id) & (Feedback.agency == agency_id))
        .first()
        .run()
    )
    if row is None:
        return None
    row["attachments"] = (
        await FeedbackAttachment.select().where(FeedbackAttachment.feedback == feedback_id).run()
    )
    row["events"] = (
        await FeedbackEvent.select()
        .where(FeedbackEvent.feedback == feedback_id)
        .order_by(FeedbackEvent.id)
        .run()
    )
    return row


async def classify(agency_id: int, feedback_id: int, category: str) -> None:
    value = ff.Category(category).value  # ValueError for anything else
    await (
        Feedback.update({Feedback.category: value})
        .where((Feedback.id == feedback_id) & (Feedback.agency == agency_id))
        .run()
    )


async def act(agency_id: int, feedback_id: int, action: ff.Action, officer_id: int, note: str):
    row = await for_officer(agency_id, feedback_id)
    if row is None:
        raise ff.Refused("Không tìm thấy phản ánh")
    facts = ff.FeedbackFacts(ff.Status(row["status"]), has_category=bool(row["category"]))
    decision = ff.decide(facts, action, ff.Role.OFFICER, note)
    await apply(feedback_id, decision, "officer", officer_id)
