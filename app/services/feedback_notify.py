"""Messages to the sender of a PAKN through the outbox, one per step that concerns them."""

from __future__ import annotations

from typing import Any

from app.domain.feedback_flow import Action
from app.services import outbox
from app.settings import get_settings

MESSAGES = {
    "submitted": "Phản ánh {code} đã được gửi. Tra cứu bằng mã này và 4 số cuối số điện thoại.",
    Action.RECEIVE: "Phản ánh {code} đã được tiếp nhận và đang được xử lý.",
    Action.REFUSE: "Phản ánh {code} không được tiếp nhận. Lý do: {note}",
    Action.REQUEST_INFO: "Phản ánh {code} cần bổ sung thông tin: {note}",
    Action.SUPPLY: "Phản ánh {code}: đã nhận thông tin bổ sung của bạn.",
    Action.TRANSFER: "Phản ánh {code} đã được chuyển đến cơ quan có thẩm quyền. {note}",
    Action.ANSWER: "Phản ánh {code} đã có câu trả lời.",
    Action.PUBLISH: "Câu trả lời phản ánh {code} đã được công khai (không kèm thông tin của bạn).",
}


def tracking_link(code: str) -> str:
    return f"{get_settings().public_url}/phan-anh/tra-cuu?ma={code}"


async def on_step(row: dict[str, Any], step: str, note: str = "") -> int:
    """Queue the message of ``step`` to the sender's e-mail and phone; inside the transaction."""
    template = MESSAGES.get(step)
    if template is None:
        return 0
    text = template.format(code=row["code"], note=note)
    body = f"{text}\nTra cứu: {tracking_link(row['code'])}"
    subject = f"[Dịch vụ công] Phản ánh {row['code']}"
    queued = 0
    for channel, address in (("email", row["email"]), ("sms", row["phone"])):
        if not address:
            continue
        key = f"feedback:{row['id']}:{step}:{row['updated_at'].isoformat()}:{channel}"
        queued += await outbox.enqueue(channel, address, subject, body, key)
    return queued
