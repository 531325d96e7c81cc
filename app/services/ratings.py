"""Ratings of finished dossiers: the signed link, one rating per dossier (changeable for a
while), ratings recorded at the desk, and the leader's follow-up of a "không hài lòng"."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.db import write_transaction
from app.domain import ratings as rt
from app.models import Dossier, Rating
from app.services import outbox
from app.services.calendar import local_now
from app.settings import get_settings

CRITERIA_FILE = Path(rt.__file__).parent / "satisfaction_criteria.json"


class RatingRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@lru_cache(maxsize=1)
def criteria() -> list[rt.Criterion]:
    return rt.criteria_from(json.loads(CRITERIA_FILE.read_text(encoding="utf-8")))


def signature(code: str) -> str:
    key = get_settings().secret_key.encode()
    mac = hmac.new(key, f"rate:{code}".encode(), hashlib.sha256)
    return base64.b32encode(mac.digest()[:15]).decode().lower()


def is_valid_signature(code: str, candidate: str) -> bool:
    if not candidate.isascii() or not code.isascii():
        return False  # compare_digest takes ASCII only; no signature is anything else
    return hmac.compare_digest(signature(code), candidate.lower())


def rating_path(code: str) -> str:
    return f"/danh-gia/{code}/{signature(code)}"


def rating_url(code: str) -> str:
    return get_settings().public_url + rating_path(code)


async def dossier_by_code(code: str) -> dict[str, Any] | None:
    return (
        await Dossier.select(
            Dossier.id,
            Dossier.code,
            Dossier.status,
            Dossier.citizen,
            Dossier.resolving_agency,
            Dossier.receiving_agency,
            Dossier.procedure.name.as_alias("procedure_name"),
            Dossier.applicant_email,
            Dossier.applicant_phone,
        )
        .where(Dossier.code == code)
        .first()
        .run()
    )


async def rating_of(dossier_id: int) -> dict[str, Any] | None:
    return (
        await Rating.select()
        .where(Rating.dossier == dossier_id)
        .output(load_json=True)
        .first()
        .run()
    )


def can_change(rating: dict[str, Any] | None, now: datetime | None = None) -> bool:
    if rating is None:
        return True
    if rating["channel"] != rt.Channel.WEB.value:
        return False  # recorded from a paper form or the tablet: kept as given
    return rt.can_change(
        rating["created_at"], now or local_now(), get_settings().rating_change_days
    )


async def rate(
    dossier: dict[str, Any],
    given: rt.RatingInput,
    channel: rt.Channel = rt.Channel.WEB,
    officer_id: int | None = None,
) -> dict[str, Any]:
    """Create or change the one rating of a finished dossier."""
    if dossier["status"] not in rt.RATEABLE_STATUSES:
        raise RatingRefused("Chỉ đánh giá được hồ sơ đã trả kết quả hoặc đã trả văn bản từ chối.")
    now = local_now()
    values = {
        "level": int(given.level),
        "ease": int(given.ease),
        "answers": given.answers,
        "comment": given.comment,
        "updated_at": now,
    }
    async with write_transaction():
        current = await rating_of(dossier["id"])
        if current is not None and not can_change(current, now):
            raise RatingRefused("Đã hết thời hạn thay đổi đánh giá của hồ sơ này.")
        follow = rt.follow_up_after(
            given.level, rt.FollowUp(current["follow_up"] if current else "")
        )
        values["follow_up"] = follow.value
        if current is None:
            agency = dossier["resolving_agency"] or dossier["receiving_agency"]
            inserted = await Rating.raw(
                "INSERT INTO rating (dossier, agency, level, ease, answers, comment, channel, "
                "recorded_by, follow_up, follow_up_answer, created_at, updated_at) VALUES "
                "({}, {}, {}, {}, {}, {}, {}, {}, {}, '', {}, {}) "
                "ON CONFLICT (dossier) DO NOTHING RETURNING id",
                dossier["id"],
                agency,
                values["level"],
                values["ease"],
                json.dumps(values["answers"]),
                values["comment"],
                channel.value,
                officer_id,
                values["follow_up"],
                now,
                now,
            ).run()
            if not inserted:
                raise RatingRefused("Hồ sơ này vừa được đánh giá. Vui lòng tải lại trang.")
        else:
            columns = {Rating._meta.get_column_by_name(k): v for k, v in values.items()}
            await Rating.update(columns).where(Rating.id == current["id"]).run()
    return await rating_of(dossier["id"])


async def open_follow_ups(agency_id: int) -> list[dict[str, Any]]:
    return (
        await Rating.select(
            Rating.id,
            Rating.comment,
            Rating.level,
            Rating.created_at,
            Rating.follow_up,
            Rating.dossier.code.as_alias("code"),
            Rating.dossier.id.as_alias("dossier_id"),
        )
        .where((Rating.agency == agency_id) & (Rating.follow_up == rt.FollowUp.OPEN.value))
        .order_by(Rating.created_at)
        .run()
    )


async def answer_follow_up(agency_id: int, rating_id: int, leader_id: int, answer: str) -> None:
    answer = answer.strip()
    if not answer:
        raise RatingRefused("Vui lòng nhập câu trả lời cho người dân.")
    if len(answer) > rt.ANSWER_MAX:
        raise RatingRefused(f"Câu trả lời dài quá {rt.ANSWER_MAX} ký tự.")
    now = local_now()
    async with write_transaction():
        done = (
            await Rating.update(
                {
                    Rating.follow_up: rt.FollowUp.ANSWERED.value,
                    Rating.follow_up_answer: answer,
                    Rating.follow_up_by: leader_id,
                    Rating.follow_up_answered_at: now,
                }
            )
            .where(
                (Rating.id == rating_id)
                & (Rating.agency == agency_id)
                & (Rating.follow_up == rt.FollowUp.OPEN.value)
            )
            .returning(Rating.dossier)
            .run()
        )
        if not done:
            raise RatingRefused("Ý kiến này đã được trả lời hoặc không thuộc cơ quan của bạn.")
        dossier = await Dossier.select().where(Dossier.id == done[0]["dossier"]).first().run()
        text = (
            f"Lãnh đạo đã trả lời ý kiến của bạn về hồ sơ {dossier['code']}.\n"
            f"Xem: {rating_url(dossier['code'])}"
        )
        for channel, address in (
            ("email", dossier["applicant_email"]),
            ("sms", dossier["applicant_phone"]),
        ):
            if address:
                key = f"rating:{rating_id}:answer:{now.isoformat()}:{channel}"
                subject = f"[Dịch vụ công] Trả lời ý kiến về hồ sơ {dossier['code']}"
                await outbox.enqueue(channel, address, subject, text, key, dossier["id"])


async def dossier_at_agency(code: str, agency_id: int) -> dict[str, Any] | None:
    """The dossier with this code if the agency's officers may see it, else None."""
    from app.services.desk import visible_to  # desk → workflow → notifications → here

    dossier = await dossier_by_code(code)
    if dossier is None:
        return None
    visible = (
        await Dossier.exists().where((Dossier.id == dossier["id"]) & visible_to(agency_id)).run()
    )
    return dossier if visible else None
