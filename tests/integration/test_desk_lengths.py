"""Desk texts past their declared length are refused with the Vietnamese message, the page shown
again with what was typed (422), and nothing recorded: never cut short in silence."""

import html

import pytest

from app.domain import limits
from app.models import Feedback
from tests.integration.builders import Clients, dossier_by_id, post
from tests.integration.builders_feedback import (
    RECEPTIONIST,
    feedback_act,
    publish_as_suggested,
    send_complaint,
)
from tests.integration.builders_payments import approved_dossier, unique_phone

CATEGORY = "officer_conduct"


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


async def test_a_postal_number_past_its_length_is_refused_and_kept(clients):
    dossier = await approved_dossier(unique_phone(), "buuchinh@example.com", delivery="post")
    desk = await clients.officer(RECEPTIONIST)
    path = f"/mot-cua/ho-so/{dossier['id']}/giao-ket-qua"
    typed = "EB" + "7" * (limits.POSTAL_NUMBER - 1)  # one character too many
    refused = await post(desk, path, {"so_buu_gui": typed})
    assert refused.status_code == 422
    assert limits.too_long_message(limits.POSTAL_NUMBER) in html.unescape(refused.text)
    assert f'value="{typed}"' in refused.text
    assert not (await dossier_by_id(dossier["id"]))["is_delivery_recorded"]

    fits = typed[:-1]
    done = await post(desk, path, {"so_buu_gui": fits})
    assert done.status_code == 303
    row = await dossier_by_id(dossier["id"])
    assert row["delivery_info"]["postal_tracking"] == fits


async def test_a_feedback_note_past_its_length_is_refused_and_kept(clients):
    row = await send_complaint(await clients.new())
    desk = await clients.officer(RECEPTIONIST)
    assert (await feedback_act(desk, row["id"], "receive")).status_code == 303
    before = await Feedback.select().where(Feedback.id == row["id"]).first().run()
    typed = "Đã xác minh với bộ phận tiếp nhận. " * 200  # 7000 characters
    assert len(typed) > limits.FEEDBACK_NOTE
    refused = await feedback_act(desk, row["id"], "answer", ghi_chu=typed, phan_loai=CATEGORY)
    assert refused.status_code == 422
    assert limits.too_long_message(limits.FEEDBACK_NOTE) in html.unescape(refused.text)
    assert typed.strip() in html.unescape(refused.text)
    stored = await Feedback.select().where(Feedback.id == row["id"]).first().run()
    assert (stored["status"], stored["answer"]) == (before["status"], "")

    fits = typed[: limits.FEEDBACK_NOTE]
    assert (
        await feedback_act(desk, row["id"], "answer", ghi_chu=fits, phan_loai=CATEGORY)
    ).status_code == 303
    stored = await Feedback.select().where(Feedback.id == row["id"]).first().run()
    assert stored["status"] == "answered" and stored["answer"] == fits.strip()


async def test_a_public_subject_past_its_length_is_refused_whole(clients):
    row = await send_complaint(await clients.new())
    desk = await clients.officer(RECEPTIONIST)
    await feedback_act(desk, row["id"], "receive")
    answered = await feedback_act(
        desk, row["id"], "answer", ghi_chu="Đã nhắc nhở cán bộ.", phan_loai=CATEGORY
    )
    assert answered.status_code == 303
    typed = "Hẹn lại nhiều lần " * 80  # 1440 characters: once cut at 1000 before checking
    refused = await publish_as_suggested(desk, row["id"], cong_khai_tieu_de=typed)
    assert refused.status_code == 422
    assert "Tiêu đề dài quá 200 ký tự" in refused.text
    assert typed.strip() in html.unescape(refused.text)
    stored = await Feedback.select().where(Feedback.id == row["id"]).first().run()
    assert stored["status"] == "answered"
