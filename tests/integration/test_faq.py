"""Frequent questions: kept with a procedure by its agencies' officers, shown on the procedure
page, found by the catalogue search, and made from a citizen's question."""

import pytest

from app.models import FaqItem
from tests.integration.builders import TEMPORARY_RESIDENCE, Clients, next_serial, post
from tests.integration.builders_feedback import RECEPTIONIST, feedback_act, send_complaint


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


async def test_a_citizens_question_becomes_a_frequent_question_of_the_procedure(clients):
    word = f"khongdau{next_serial()}"
    question = await send_complaint(
        await clients.new(),
        loai="cau_hoi",
        thu_tuc=TEMPORARY_RESIDENCE,
        tieu_de=f"Có cần sổ hộ khẩu {word} khi đăng ký tạm trú không?",
    )
    desk = await clients.officer(RECEPTIONIST)
    await feedback_act(desk, question["id"], "receive")
    answer = "Không cần; cơ quan tra cứu trong Cơ sở dữ liệu quốc gia về dân cư."
    await feedback_act(desk, question["id"], "answer", ghi_chu=answer, phan_loai="regulation")
    item_page = await desk.get(f"/mot-cua/phan-anh/{question['id']}")
    assert "Đưa vào câu hỏi thường gặp" in item_page.text
    draft = await desk.get(f"/mot-cua/cau-hoi/?tu_phan_anh={question['id']}")
    assert word in draft.text and answer in draft.text
    saved = await post(
        desk,
        "/mot-cua/cau-hoi/",
        {
            "thu_tuc": TEMPORARY_RESIDENCE,
            "cau_hoi": question["subject"],
            "tra_loi": answer,
            "tu_phan_anh": str(question["id"]),
        },
    )
    assert saved.status_code == 303
    visitor = await clients.new()
    procedure = await visitor.get(f"/thu-tuc/{TEMPORARY_RESIDENCE}")
    assert question["subject"] in procedure.text and answer in procedure.text
    found = await visitor.get(f"/thu-tuc?q={word}")
    assert 'id="faq-hits"' in found.text and question["subject"] in found.text
    row = await FaqItem.select().where(FaqItem.from_feedback == question["id"]).first()
    assert row is not None


async def test_an_empty_or_foreign_frequent_question_is_refused(clients):
    desk = await clients.officer(RECEPTIONIST)
    empty = await post(desk, "/mot-cua/cau-hoi/", {"thu_tuc": TEMPORARY_RESIDENCE, "cau_hoi": "x"})
    assert empty.status_code == 422 and "cả câu hỏi và câu trả lời" in empty.text
    unknown = await post(
        desk, "/mot-cua/cau-hoi/", {"thu_tuc": "KHONG-CO", "cau_hoi": "a", "tra_loi": "b"}
    )
    assert unknown.status_code == 422
    anonymous = await clients.new()
    response = await anonymous.get("/mot-cua/cau-hoi/", follow_redirects=False)
    assert response.status_code == 303
