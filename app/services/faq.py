"""Frequent questions and answers kept with each procedure, edited by the officers of the
agencies that implement it (the procedure's agency levels), searchable from the catalogue."""

from __future__ import annotations

from typing import Any

from app.domain import limits
from app.domain.search import fold
from app.models import Agency, FaqItem, Feedback, Officer, Procedure, ProcedureLevel
from app.services.desk import officer_agency

QUESTION_MAX, ANSWER_MAX = limits.FAQ_QUESTION, limits.LONG_ANSWER


class FaqRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def for_procedure(code: str) -> list[dict[str, Any]]:
    return (
        await FaqItem.select(FaqItem.id, FaqItem.question, FaqItem.answer)
        .where(FaqItem.procedure.code == code)
        .order_by(FaqItem.position)
        .order_by(FaqItem.id)
        .run()
    )


async def search(q: str, limit: int = 5) -> list[dict[str, Any]]:
    words = fold(q).split()[:6]
    if not words:
        return []
    where = FaqItem.search_text.like(f"%{words[0]}%")
    for word in words[1:]:
        where &= FaqItem.search_text.like(f"%{word}%")
    return (
        await FaqItem.select(
            FaqItem.id,
            FaqItem.question,
            FaqItem.procedure.code.as_alias("procedure_code"),
            FaqItem.procedure.name.as_alias("procedure_name"),
        )
        .where(where)
        .limit(limit)
        .run()
    )


async def _procedure_id(officer: Officer, code: str) -> int:
    """The procedure's id when the officer's agency implements it; refused otherwise."""
    procedure = await Procedure.select(Procedure.id).where(Procedure.code == code).first().run()
    agency = await Agency.select(Agency.level).where(Agency.id == officer_agency(officer)).first()
    if procedure is None or agency is None:
        raise FaqRefused("Không tìm thấy thủ tục.")
    allowed = await ProcedureLevel.exists().where(
        (ProcedureLevel.procedure == procedure["id"]) & (ProcedureLevel.level == agency["level"])
    )
    if not allowed:
        raise FaqRefused("Thủ tục này không do cơ quan của bạn thực hiện.")
    return procedure["id"]


def _clean(question: str, answer: str) -> tuple[str, str]:
    question, answer = question.strip(), answer.strip()
    if not question or not answer:
        raise FaqRefused("Vui lòng nhập cả câu hỏi và câu trả lời.")
    if len(question) > QUESTION_MAX or len(answer) > ANSWER_MAX:
        raise FaqRefused(f"Câu hỏi tối đa {QUESTION_MAX}, câu trả lời tối đa {ANSWER_MAX} ký tự.")
    return question, answer


async def add(officer: Officer, code: str, question: str, answer: str, from_feedback=None):
    procedure_id = await _procedure_id(officer, code)
    question, answer = _clean(question, answer)
    await FaqItem(
        procedure=procedure_id,
        question=question,
        answer=answer,
        search_text=fold(f"{question} {answer}"),
        from_feedback=from_feedback,
    ).save()


async def remove(officer: Officer, code: str, item_id: int) -> None:
    procedure_id = await _procedure_id(officer, code)
    await FaqItem.delete().where((FaqItem.id == item_id) & (FaqItem.procedure == procedure_id))


async def draft_from_feedback(officer: Officer, feedback_id: int) -> dict[str, str]:
    """A question sent through the feedback form, to the officer's agency, as a draft item."""
    row = (
        await Feedback.select(
            Feedback.subject, Feedback.body, Feedback.answer, Feedback.procedure.code
        )
        .where((Feedback.id == feedback_id) & (Feedback.agency == officer_agency(officer)))
        .first()
    )
    if row is None:
        return {}
    return {
        "cau_hoi": row["subject"],
        "tra_loi": row["answer"],
        "thu_tuc": row["procedure.code"] or "",
        "tu_phan_anh": str(feedback_id),
    }
