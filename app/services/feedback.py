"""PAKN for senders and the public: submit with attachments, track by code and phone digits,
supply information, the public list of published answers and its votes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from litestar.datastructures import UploadFile

from app.db import write_transaction
from app.domain import feedback_flow as ff
from app.domain.dossier_codes import new_reference
from app.domain.feedback_form import Submission
from app.domain.search import fold
from app.domain.text import ascii_digits
from app.models import (
    Agency,
    Dossier,
    Feedback,
    FeedbackAttachment,
    FeedbackEvent,
    FeedbackVote,
    Procedure,
)
from app.services import feedback_notify, rate_limit
from app.services.calendar import local_now
from app.services.feedback_steps import apply, due_on
from app.services.files import StoredFile

LOOKUP_PER_ADDRESS = rate_limit.Limit("feedback-address", 20, 15 * 60)
# Counted before the factor is compared, per code and address (a stranger elsewhere cannot lock
# the sender out) and, more loosely, per code from every address.
FACTORS_PER_CODE_AND_ADDRESS = rate_limit.Limit("feedback-code-address", 10, 24 * 3600)
FACTORS_PER_CODE = rate_limit.Limit("feedback-code", 100, 24 * 3600)
PUBLIC_PAGE = 20


class TooManyLookups(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after


def factor_of(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())[-4:]


async def agency_choices() -> list[dict[str, Any]]:
    return await Agency.select(Agency.id, Agency.code, Agency.name).order_by(Agency.name).run()


async def submit(
    data: Submission,
    files: list[tuple[UploadFile, StoredFile]],
    citizen_id: int | None,
) -> dict[str, Any]:
    """Store a new PAKN with its attachments, history and acknowledgement in one transaction."""
    now = local_now()
    row = await _new_row(data, citizen_id, now)
    row["due_on"] = await due_on(ff.Status.SUBMITTED, row)
    async with write_transaction():
        saved = await Feedback.insert(Feedback(**row)).returning(Feedback.id).run()
        row["id"] = saved[0]["id"]
        for upload, stored in files:
            await _attach(row["id"], upload, stored)
        await (
            FeedbackEvent(
                feedback=row["id"],
                at=now,
                actor_kind="sender",
                actor_id=citizen_id,
                action="submit",
                from_status="",
                to_status=row["status"],
            )
            .save()
            .run()
        )
        await feedback_notify.on_step(row, "submitted")
    return row


async def _new_row(data: Submission, citizen_id: int | None, now) -> dict[str, Any]:
    """The PAKN's columns: the agency, procedure and (own) dossier it names, by their codes."""
    agency = await Agency.select(Agency.id).where(Agency.code == data.agency_code).first().run()
    procedure = None
    if data.procedure_code:
        procedure = (
            await Procedure.select(Procedure.id)
            .where(Procedure.code == data.procedure_code)
            .first()
            .run()
        )
    dossier = None
    if data.dossier_code and citizen_id is not None:  # only one's own dossier can be named
        dossier = (
            await Dossier.select(Dossier.id)
            .where((Dossier.code == data.dossier_code) & (Dossier.citizen == citizen_id))
            .first()
            .run()
        )
    return {
        "code": "PA-" + new_reference(secrets.randbelow),
        "kind": data.kind.value,
        "status": ff.Status.SUBMITTED.value,
        "citizen": citizen_id,
        "name": data.name,
        "phone": data.phone,
        "email": data.email,
        "address": data.address,
        "subject": data.subject,
        "body": data.body,
        "agency": agency["id"],
        "procedure": procedure["id"] if procedure else None,
        "dossier": dossier["id"] if dossier else None,
        "clock_started_on": now.date(),
        "created_at": now,
        "updated_at": now,
    }


async def _attach(feedback_id: int, upload: UploadFile, stored: StoredFile) -> None:
    await (
        FeedbackAttachment(
            token=secrets.token_urlsafe(16),
            feedback=feedback_id,
            sha256=stored.sha256,
            size=stored.size,
            media_type=stored.media_type,
            original_name=(upload.filename or "")[:255],
        )
        .save()
        .run()
    )


@dataclass
class SenderView:
    row: dict[str, Any]
    attachments: list[dict[str, Any]]
    events: list[dict[str, Any]]

    @property
    def status(self) -> ff.Status:
        return ff.Status(self.row["status"])


async def _view(row: dict[str, Any]) -> SenderView:
    attachments = (
        await FeedbackAttachment.select()
        .where(FeedbackAttachment.feedback == row["id"])
        .order_by(FeedbackAttachment.id)
        .run()
    )
    events = (
        await FeedbackEvent.select()
        .where(FeedbackEvent.feedback == row["id"])
        .order_by(FeedbackEvent.id)
        .run()
    )
    return SenderView(row, attachments, events)


async def look_up(code: str, factor: str, address: str) -> SenderView | None:
    """The sender's view, or None for a wrong code or factor (the same answer)."""
    verdict = await rate_limit.hit(LOOKUP_PER_ADDRESS, address)
    if not verdict.allowed:
        raise TooManyLookups(verdict.retry_after)
    code = code.strip().upper()
    pairs = [(FACTORS_PER_CODE_AND_ADDRESS, f"{code}@{address}"), (FACTORS_PER_CODE, code)]
    counted = await rate_limit.hit_all(pairs)
    if not counted.allowed:
        raise TooManyLookups(counted.retry_after)
    row = await Feedback.select().where(Feedback.code == code).first().run()
    digits = "".join(ch for ch in ascii_digits(factor) if ch in "0123456789")
    expected = factor_of(row["phone"]) if row else "no-feedback"
    if row is None or not hmac.compare_digest(expected, digits):
        return None
    await rate_limit.reset(FACTORS_PER_CODE_AND_ADDRESS, f"{code}@{address}")
    await rate_limit.give_back(FACTORS_PER_CODE, code)
    return await _view(row)


async def supply(code: str, factor: str, note: str, address: str) -> SenderView | None:
    """The sender answers a request for more information; the answer clock restarts."""
    view = await look_up(code, factor, address)
    if view is None:
        return None
    decision = ff.decide(ff.FeedbackFacts(view.status), ff.Action.SUPPLY, ff.Role.SENDER, note)
    await apply(view.row["id"], decision, "sender", None)
    return await _view(await Feedback.select().where(Feedback.id == view.row["id"]).first().run())


def published_where(q: str):
    where = Feedback.status == ff.Status.PUBLISHED.value
    for word in fold(q).split()[:6]:
        where &= Feedback.search_text.like(f"%{word}%")
    return where


async def published(q: str = "", page: int = 1) -> list[dict[str, Any]]:
    """Published answers, newest first; never the sender's name, phone, e-mail or address."""
    return (
        await Feedback.select(
            Feedback.id,
            Feedback.code,
            Feedback.kind,
            Feedback.category,
            Feedback.subject,
            Feedback.body,
            Feedback.answer,
            Feedback.public_subject,
            Feedback.public_body,
            Feedback.public_answer,
            Feedback.published_at,
            Feedback.useful_count,
            Feedback.not_useful_count,
            Feedback.agency.name.as_alias("agency_name"),
        )
        .where(published_where(q))
        .order_by(Feedback.published_at, ascending=False)
        .limit(PUBLIC_PAGE)
        .offset((page - 1) * PUBLIC_PAGE)
        .run()
    )


async def vote(feedback_id: int, reader: str, is_useful: bool) -> bool:
    """One vote per reader (their hashed cookie); returns False when already counted."""
    key = f"{feedback_id}:" + hashlib.sha256(reader.encode()).hexdigest()[:64]
    async with write_transaction():
        exists = (
            await Feedback.exists()
            .where((Feedback.id == feedback_id) & (Feedback.status == ff.Status.PUBLISHED.value))
            .run()
        )
        if not exists:
            return False
        # Two clicks at once: the unique key lets exactly one insert through.
        inserted = await FeedbackVote.raw(
            "INSERT INTO feedback_vote (key, feedback, is_useful, created_at) "
            "VALUES ({}, {}, {}, {}) ON CONFLICT (key) DO NOTHING RETURNING id",
            key,
            feedback_id,
            is_useful,
            local_now(),
        ).run()
        if not inserted:
            return False
        column = Feedback.useful_count if is_useful else Feedback.not_useful_count
        await Feedback.update({column: column + 1}).where(Feedback.id == feedback_id).run()
    return True
