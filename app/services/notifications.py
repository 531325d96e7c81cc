"""Messages to the citizen on every change they need to know about, through the outbox."""

from __future__ import annotations

from typing import Any

from app.domain import dossier_flow as flow
from app.models import Citizen
from app.services import outbox
from app.services.calendar import to_local
from app.services.ratings import rating_url
from app.services.tracking_links import tracking_url

A = flow.Action

# What the citizen is told, per action: the subject says what happened, the first line what it
# means and what to do; {code}, {due} and {note} are filled in.
SUBJECTS: dict[flow.Action, str] = {
    A.SUBMIT: "Đã nộp hồ sơ {code}",
    A.RECEIVE: "Đã tiếp nhận hồ sơ {code}",
    A.REQUEST_PRE_SUPPLEMENT: "Cần bổ sung hồ sơ {code}",
    A.REQUEST_SUPPLEMENT: "Cần bổ sung hồ sơ {code}",
    A.REFUSE: "Hồ sơ {code} không được tiếp nhận",
    A.APPROVE: "Đã có kết quả hồ sơ {code}",
    A.REJECT: "Hồ sơ {code} không được giải quyết",
    A.RETURN_RESULT: "Đã trả kết quả hồ sơ {code}",
    A.EXTEND: "Hồ sơ {code} có ngày hẹn mới",
    A.HALT: "Hồ sơ {code} dừng xử lý",
    A.WITHDRAW: "Đã rút hồ sơ {code}",
    A.SUPPLY: "Đã nhận bổ sung hồ sơ {code}",
}
MESSAGES: dict[flow.Action, str] = {
    A.SUBMIT: "Hồ sơ {code} đã được nộp trực tuyến. Ngày hẹn trả dự kiến: {due}. "
    "Cơ quan sẽ kiểm tra và báo cho bạn khi tiếp nhận.",
    A.RECEIVE: "Hồ sơ {code} đã được tiếp nhận. Ngày hẹn trả kết quả: {due}.",
    A.REQUEST_PRE_SUPPLEMENT: "Hồ sơ {code} cần bổ sung trước khi tiếp nhận. Gửi bổ sung tại "
    "trang hồ sơ trên cổng. Cần bổ sung: {note}",
    A.REQUEST_SUPPLEMENT: "Hồ sơ {code} cần bổ sung; thời hạn giải quyết tạm dừng đến khi bạn "
    "gửi bổ sung tại trang hồ sơ trên cổng. Cần bổ sung: {note}",
    A.REFUSE: "Hồ sơ {code} bị từ chối tiếp nhận. Lý do: {note}",
    A.APPROVE: "Hồ sơ {code} đã có kết quả. Nhận kết quả theo hình thức bạn đã chọn khi nộp "
    "(tại bộ phận một cửa: mang theo giấy tiếp nhận và giấy tờ tùy thân; qua bưu chính; hoặc "
    "tải về trên trang hồ sơ). Nếu còn phí, lệ phí chưa nộp, vui lòng nộp trước khi nhận.",
    A.REJECT: "Hồ sơ {code} không được giải quyết. Lý do: {note}",
    A.RETURN_RESULT: "Kết quả hồ sơ {code} đã được trả.",
    A.EXTEND: "Xin lỗi: hồ sơ {code} chậm so với hẹn. Ngày hẹn mới: {due}. Lý do: {note}",
    A.HALT: "Hồ sơ {code} đã dừng xử lý. Lý do: {note}",
    A.WITHDRAW: "Hồ sơ {code} đã được rút theo yêu cầu của bạn.",
    A.SUPPLY: "Hồ sơ {code}: đã nhận phần bổ sung của bạn; thời hạn giải quyết được tính lại. "
    "Ngày hẹn trả kết quả mới: {due}.",
}


RECIPIENT_SQL = "SELECT email, phone, notify_email, notify_sms FROM citizen WHERE id = {}"


def _recipients(row: dict[str, Any], citizen: dict[str, Any] | None) -> list[tuple[str, str]]:
    if citizen is not None:
        out = []
        if citizen["notify_email"] and citizen["email"]:
            out.append(("email", citizen["email"]))
        if citizen["notify_sms"] and citizen["phone"]:
            out.append(("sms", citizen["phone"]))
        return out
    return [
        (channel, address)
        for channel, address in (("email", row["applicant_email"]), ("sms", row["applicant_phone"]))
        if address
    ]


async def recipients(row: dict[str, Any], action: flow.Action) -> list[tuple[str, str]]:
    """Where the citizen is told of ``action`` (channel, address): read before the transition
    takes the day's code counter, so that no other submission waits for this read."""
    if MESSAGES.get(action) is None:
        return []
    if action is A.SUBMIT and row.get("channel") != "online":
        return []  # a dossier brought to the desk is announced by its reception
    citizen = None
    if row.get("citizen"):
        found = await Citizen.raw(RECIPIENT_SQL, row["citizen"]).run()
        citizen = found[0] if found else None
    return _recipients(row, citizen)


async def on_transition(row: dict[str, Any], action: flow.Action, to: list[tuple[str, str]]) -> int:
    """Queue one message per channel of ``to`` (read by ``recipients``); called inside the
    transition's transaction."""
    template = MESSAGES.get(action)
    if template is None or not row.get("code"):
        return 0
    due = to_local(row["due_at"]).strftime("%H:%M %d/%m/%Y") if row.get("due_at") else "—"
    text = template.format(code=row["code"], due=due, note=row.get("status_note") or "")
    link = tracking_url(row["code"])
    queued = 0
    for channel, address in to:
        body = f"{text}\nTra cứu: {link}"
        if action is A.RETURN_RESULT:
            body += f"\nĐánh giá mức độ hài lòng: {rating_url(row['code'])}"
        subject = "[Dịch vụ công] " + SUBJECTS[action].format(code=row["code"])
        key = f"dossier:{row['id']}:{action.value}:{row['updated_at'].isoformat()}:{channel}"
        if await outbox.enqueue(channel, address, subject, body, key, row["id"]):
            queued += 1
    return queued
