"""Builders for the citizen-voice tests: a finished dossier replayed through the real desk
steps, and a PAKN sent through the public form."""

from __future__ import annotations

import re

from litestar.testing import AsyncTestClient

from app.models import Feedback, Outbox
from tests.integration.builders import (
    HOA_BINH,
    Clients,
    desk_act,
    jpeg_bytes,
    next_serial,
    officer_id,
    post,
    received_dossier,
)

RECEPTIONIST, SPECIALIST, LEADER = "tiepnhan.hoabinh", "xuly.hoabinh", "lanhdao.hoabinh"
RATING_LINK = re.compile(r"(/danh-gia/[^\s/]+/[a-z2-7]+)")


async def returned_dossier(clients: Clients):
    """A dossier received at Hòa Bình, processed, approved and returned to its citizen."""
    applicant, dossier = await received_dossier(clients)
    desk = {name: await clients.officer(name) for name in (RECEPTIONIST, SPECIALIST, LEADER)}
    specialist = str(await officer_id(SPECIALIST))
    steps = [
        lambda: desk_act(desk[RECEPTIONIST], dossier.id, "assign", can_bo=specialist),
        lambda: desk_act(desk[SPECIALIST], dossier.id, "submit_for_approval"),
        lambda: desk_act(desk[LEADER], dossier.id, "approve"),
        lambda: post(desk[RECEPTIONIST], f"/mot-cua/ho-so/{dossier.id}/giao-ket-qua", {}),
        lambda: desk_act(desk[RECEPTIONIST], dossier.id, "return_result"),
    ]
    for step in steps:
        response = await step()
        assert response.status_code == 303, response.text[:300]
    return applicant, dossier, desk


async def rating_link_of(dossier_id: int) -> str:
    """The signed link in the result message the citizen received."""
    rows = (
        await Outbox.select(Outbox.body)
        .where((Outbox.dossier == dossier_id) & Outbox.body.like("%/danh-gia/%"))
        .run()
    )
    assert rows, "the result message carries no rating link"
    return RATING_LINK.search(rows[-1]["body"]).group(1)


def complaint_form(agency: str = HOA_BINH, **overrides: str) -> dict[str, str]:
    n = next_serial()
    phone = f"09{n:08d}"[-10:]
    return {
        "loai": "phan_anh",
        "co_quan": agency,
        "tieu_de": f"Cán bộ hẹn lại nhiều lần {n}",
        "noi_dung": f"Tôi đến nộp hồ sơ ba lần đều được hẹn lại mà không rõ lý do (lần {n}).",
        "ho_ten": "Lê Văn Cường",
        "dien_thoai": phone,
        "thu_dien_tu": f"cuong.{n}@example.com",
        "dia_chi": "Số 5 đường Trần Phú",
        **overrides,
    }


async def send_complaint(client: AsyncTestClient, **overrides: str) -> dict:
    """An anonymous visitor sends a complaint with a photo; returns its row."""
    form = complaint_form(**overrides)
    response = await post(
        client, "/phan-anh/", form, files={"tep": ("anh.jpg", jpeg_bytes(), "image/jpeg")}
    )
    assert response.status_code == 303, response.text[:500]
    code = response.headers["location"].rsplit("/", 1)[1]
    return await Feedback.select().where(Feedback.code == code).first().run()


async def feedback_act(client: AsyncTestClient, feedback_id: int, action: str, **fields: str):
    return await post(
        client, f"/mot-cua/phan-anh/{feedback_id}/xu-ly", {"action": action, **fields}
    )


async def publish_as_suggested(client: AsyncTestClient, feedback_id: int, **changes: str):
    """Publish with the texts the desk suggests (the sender's details hidden), changed by
    ``changes`` (cong_khai_tieu_de, cong_khai_noi_dung, cong_khai_tra_loi)."""
    from app.services import feedback_publish

    row = await Feedback.select().where(Feedback.id == feedback_id).first().run()
    text = feedback_publish.suggested(row)
    fields = {
        "cong_khai_tieu_de": text.subject,
        "cong_khai_noi_dung": text.body,
        "cong_khai_tra_loi": text.answer,
        **changes,
    }
    return await feedback_act(client, feedback_id, "publish", **fields)
