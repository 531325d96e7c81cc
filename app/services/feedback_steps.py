"""Applying a PAKN decision: the deadlines in force, compare-and-set on the old status, the
history row and the sender's message, in one transaction."""

from __future__ import annotations

from typing import Any

from app.db import write_transaction
from app.domain import feedback_flow as ff
from app.domain.feedback_deadlines import Clock, DeadlineRules, next_deadline
from app.domain.search import fold
from app.models import Feedback, FeedbackEvent
from app.services import feedback_notify
from app.services.calendar import local_now, working_calendar
from app.settings import get_settings


class Conflict(ff.Refused):
    pass


def rules() -> DeadlineRules:
    refuse, request_info, answer, publish = get_settings().feedback_days
    return DeadlineRules(refuse, request_info, answer, publish)


async def due_on(status: ff.Status, row: dict[str, Any]):
    clock = Clock(row["clock_started_on"], row.get("answered_on"))
    return next_deadline(status, clock, await working_calendar(), rules())


def _search_text(row: dict[str, Any], answer: str) -> str:
    return fold(f"{row['subject']} {row['body']} {answer}")


async def apply(
    feedback_id: int,
    decision: ff.Decision,
    actor_kind: str,
    actor_id: int | None,
    public: dict[str, str] | None = None,
):
    """Store a decision: compare-and-set on the old status, history row, message to the sender.
    ``public``: for a publication, the subject, body and answer the public list shows."""
    now = local_now()
    async with write_transaction():
        row = await Feedback.select().where(Feedback.id == feedback_id).first().run()
        updates = _updates(row, decision, actor_id, public, now)
        updates["due_on"] = await due_on(decision.to_status, {**row, **updates})
        columns = {Feedback._meta.get_column_by_name(k): v for k, v in updates.items()}
        done = (
            await Feedback.update(columns)
            .where((Feedback.id == feedback_id) & (Feedback.status == decision.from_status.value))
            .returning(Feedback.id)
            .run()
        )
        if not done:
            raise Conflict("Phản ánh vừa được cập nhật bởi người khác. Vui lòng tải lại trang.")
        await (
            FeedbackEvent(
                feedback=feedback_id,
                at=now,
                actor_kind=actor_kind,
                actor_id=actor_id,
                action=decision.action.value,
                from_status=decision.from_status.value,
                to_status=decision.to_status.value,
                note=decision.note,
            )
            .save()
            .run()
        )
        await feedback_notify.on_step({**row, **updates}, decision.action, decision.note)


def _updates(
    row: dict[str, Any],
    decision: ff.Decision,
    actor_id: int | None,
    public: dict[str, str] | None,
    now,
) -> dict[str, Any]:
    """The columns the decision changes (the due date aside)."""
    A = ff.Action
    updates: dict[str, Any] = {"status": decision.to_status.value, "updated_at": now}
    if decision.action in (A.REFUSE, A.REQUEST_INFO, A.TRANSFER):
        updates["status_note"] = decision.note
    if decision.action is A.SUPPLY:
        updates["clock_started_on"] = now.date()  # the answer deadline counts from here
        updates["status_note"] = ""
        updates["body"] = f"{row['body']}\n\nThông tin bổ sung ({now:%d/%m/%Y}): {decision.note}"
    if decision.action is A.ANSWER:
        updates.update(answer=decision.note, answered_by=actor_id, answered_on=now.date())
    if decision.action in (A.REFUSE, A.TRANSFER, A.ANSWER):
        updates["finished_on"] = now.date()
    if decision.action is A.PUBLISH:
        shown = public or {"subject": row["subject"], "body": row["body"], "answer": row["answer"]}
        updates["published_at"] = now
        updates.update({f"public_{part}": text for part, text in shown.items()})
        updates["search_text"] = _search_text(shown, shown["answer"])
    return updates
