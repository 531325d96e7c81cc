"""Publishing a PAKN answer: the officer edits what the public list shows.

The public list never shows the sender's name, phone, e-mail or address fields; details the
sender (or the officer) typed into the text itself are the officer's to remove. The form starts
from ``suggested()`` — the texts with the sender's own details already replaced by
``HIDDEN`` — and ``problems()`` refuses a text that still holds them. The originals stay as they
were (the sender's view, the desk, the answer message); the publication's history row says
which parts were edited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from app.domain import feedback_flow as ff
from app.services.feedback_steps import apply

HIDDEN = "[đã ẩn]"
LIMITS = {"subject": 200, "body": 5000, "answer": 5000}
PART_LABELS = {"subject": "tiêu đề", "body": "nội dung", "answer": "câu trả lời"}


@dataclass(frozen=True)
class PublicText:
    subject: str
    body: str
    answer: str

    def parts(self) -> dict[str, str]:
        return {"subject": self.subject, "body": self.body, "answer": self.answer}


def original(row: dict[str, Any]) -> PublicText:
    return PublicText(row["subject"], row["body"], row["answer"])


def _details(row: dict[str, Any]) -> list[str]:
    """The sender's own details, longest first (a name inside an address is found as well)."""
    found = [row.get(k, "").strip() for k in ("address", "email", "name", "phone")]
    return sorted({d for d in found if len(d) >= 3}, key=len, reverse=True)


def _pattern(detail: str) -> re.Pattern[str]:
    if detail.isdigit():  # a phone number, also when typed with spaces or dots
        return re.compile(r"[\s.]?".join(re.escape(c) for c in detail))
    return re.compile(re.escape(detail), re.IGNORECASE)


def suggested(row: dict[str, Any]) -> PublicText:
    """The texts with the sender's name, phone, e-mail and address replaced by HIDDEN."""
    parts = original(row).parts()
    for detail in _details(row):
        pattern = _pattern(detail)
        parts = {k: pattern.sub(HIDDEN, v) for k, v in parts.items()}
    return PublicText(**parts)


def problems(row: dict[str, Any], text: PublicText) -> dict[str, str]:
    """Vietnamese messages keyed by part for a text that cannot be published."""
    out: dict[str, str] = {}
    for part, value in text.parts().items():
        label = PART_LABELS[part]
        if not value.strip():
            out[part] = f"Vui lòng nhập {label} sẽ công khai."
        elif len(value) > LIMITS[part]:
            out[part] = f"{label.capitalize()} dài quá {LIMITS[part]} ký tự."
        elif any(_pattern(d).search(value) for d in _details(row)):
            out[part] = (
                f"{label.capitalize()} vẫn còn họ tên, số điện thoại, thư điện tử hoặc địa chỉ "
                "của người gửi; vui lòng xoá trước khi công khai."
            )
    return out


def edit_note(row: dict[str, Any], text: PublicText) -> str:
    """The history line of the publication: which parts differ from the originals."""
    edited = [
        PART_LABELS[part]
        for part, value in text.parts().items()
        if value.strip() != original(row).parts()[part].strip()
    ]
    return "Đã biên tập trước khi công khai: " + ", ".join(edited) if edited else ""


class NotPublishable(ff.Refused):
    def __init__(self, problems: dict[str, str]):
        super().__init__(next(iter(problems.values())))
        self.problems = problems


async def publish(row: dict[str, Any], officer_id: int, text: PublicText) -> None:
    """Publish the officer's texts (``row``: the PAKN as the officer's agency sees it)."""
    text = replace(text, **{k: v.strip() for k, v in text.parts().items()})
    facts = ff.FeedbackFacts(ff.Status(row["status"]), has_category=bool(row["category"]))
    ff.decide(facts, ff.Action.PUBLISH, ff.Role.OFFICER)  # not answered yet: refused first
    found = problems(row, text)
    if found:
        raise NotPublishable(found)
    decision = ff.decide(facts, ff.Action.PUBLISH, ff.Role.OFFICER, edit_note(row, text))
    await apply(row["id"], decision, "officer", officer_id, public=text.parts())
