"""Satisfaction with a finished dossier: levels, channels, the optional national criteria, and
when a rating may still be changed. Pure: the criteria and "now" are passed in.

One rating per dossier (returned or rejected), changeable for ``change_days`` days after it was
first given. A "không hài lòng" opens a follow-up for the agency's leader, closed by an answer
the citizen sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from typing import Any

from app.domain import limits

RATEABLE_STATUSES = frozenset({"returned", "rejected"})
COMMENT_MAX = limits.RATING_COMMENT
ANSWER_MAX = limits.LONG_ANSWER


class Level(IntEnum):
    DISSATISFIED = 1
    SATISFIED = 2
    VERY_SATISFIED = 3


LEVEL_LABELS = {
    Level.VERY_SATISFIED: "Rất hài lòng",
    Level.SATISFIED: "Hài lòng",
    Level.DISSATISFIED: "Không hài lòng",
}


class Channel(StrEnum):
    WEB = "web"  # the citizen, through the signed link
    PAPER = "paper"  # a paper form, recorded by the desk
    TABLET = "tablet"  # the counter tablet, recorded by the desk


CHANNEL_LABELS = {
    Channel.WEB: "Trực tuyến",
    Channel.PAPER: "Phiếu giấy tại quầy",
    Channel.TABLET: "Máy tính bảng tại quầy",
}


class FollowUp(StrEnum):
    NONE = ""
    OPEN = "open"  # waiting for the leader's answer
    ANSWERED = "answered"


FOLLOW_UP_LABELS = {
    FollowUp.OPEN: "Chờ lãnh đạo trả lời",
    FollowUp.ANSWERED: "Lãnh đạo đã trả lời",
}


@dataclass(frozen=True)
class Criterion:
    key: str  # "chiso1"…
    title: str
    choices: dict[str, str]  # "a" → text


def criteria_from(data: dict[str, Any]) -> list[Criterion]:
    """The optional criteria (indices 1–9) of the national evaluation file; 10 and 11 are the
    ease-of-use and overall questions asked of everyone."""
    block = data["tieuChiDanhGiaHaiLong"][0]
    out = []
    for key, item in block.items():
        if key in ("chiso10", "chiso11"):
            continue
        out.append(Criterion(key, item["tieuDe"], dict(item["cauTraLoi"])))
    return sorted(out, key=lambda c: int(c.key.removeprefix("chiso")))


@dataclass(frozen=True)
class RatingInput:
    level: Level
    ease: Level
    comment: str = ""
    answers: dict[str, str] = field(default_factory=dict)


def _level(value: str) -> Level | None:
    try:
        return Level(int(value))
    except (TypeError, ValueError):
        return None


def parse(form: dict[str, str], criteria: list[Criterion]) -> tuple[RatingInput | None, dict]:
    """The rating from the form fields, or the errors keyed by field (Vietnamese)."""
    errors: dict[str, str] = {}
    level = _level(form.get("muc_do", ""))
    ease = _level(form.get("de_su_dung", ""))
    if level is None:
        errors["muc_do"] = "Vui lòng chọn mức độ hài lòng chung."
    if ease is None:
        errors["de_su_dung"] = "Vui lòng chọn mức độ thuận tiện khi sử dụng dịch vụ."
    comment = form.get("y_kien", "").strip()
    if len(comment) > COMMENT_MAX:
        errors["y_kien"] = f"Ý kiến dài quá {COMMENT_MAX} ký tự; vui lòng viết ngắn hơn."
    if level is Level.DISSATISFIED and not comment and "y_kien" not in errors:
        errors["y_kien"] = "Vui lòng cho biết điều gì làm bạn không hài lòng."
    answers = {}
    for c in criteria:
        value = form.get(c.key, "")
        if value and value in c.choices:
            answers[c.key] = value
    if errors:
        return None, errors
    return RatingInput(level, ease, comment, answers), {}


def can_change(first_rated_at: datetime, now: datetime, change_days: int) -> bool:
    return now <= first_rated_at + timedelta(days=change_days)


def follow_up_after(level: Level, current: FollowUp) -> FollowUp:
    """A new "không hài lòng" (re)opens the follow-up; a better level leaves it as it is."""
    if level is Level.DISSATISFIED:
        return FollowUp.OPEN
    return current
