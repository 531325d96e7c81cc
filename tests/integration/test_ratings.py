"""A finished dossier is rated through the signed link in its result message; a "không hài
lòng" opens a follow-up that the leader answers and the citizen then sees."""

import pytest

from app.models import Outbox, Rating
from tests.integration.builders import Clients, post, simultaneously
from tests.integration.builders_feedback import (
    LEADER,
    RECEPTIONIST,
    rating_link_of,
    returned_dossier,
)


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


async def test_the_result_message_links_to_a_rating_page_that_needs_no_login(clients):
    _, dossier, _ = await returned_dossier(clients)
    link = await rating_link_of(dossier.id)
    visitor = await clients.new()
    page = await visitor.get(link)
    assert page.status_code == 200
    assert dossier.code in page.text and "Đánh giá tổng thể dịch vụ" in page.text
    forged = await visitor.get(link[:-3] + "aaa")
    assert forged.status_code == 404


async def test_one_rating_per_dossier_changeable_and_not_satisfied_reaches_the_leader(clients):
    _, dossier, desk = await returned_dossier(clients)
    link = await rating_link_of(dossier.id)
    visitor = await clients.new()
    missing = await post(visitor, link, {"muc_do": "1", "de_su_dung": "2"})
    assert missing.status_code == 422 and "không hài lòng" in missing.text
    first = await post(visitor, link, {"muc_do": "2", "de_su_dung": "2", "chiso1": "a"})
    assert first.status_code == 303
    changed = await post(
        visitor, link, {"muc_do": "1", "de_su_dung": "1", "y_kien": "Phải đi lại ba lần"}
    )
    assert changed.status_code == 303
    rows = await Rating.select().where(Rating.dossier == dossier.id).run()
    assert len(rows) == 1
    assert (rows[0]["level"], rows[0]["follow_up"], rows[0]["comment"]) == (
        1,
        "open",
        "Phải đi lại ba lần",
    )
    leader_page = await desk[LEADER].get("/mot-cua/danh-gia/")
    assert "Phải đi lại ba lần" in leader_page.text
    refused = await post(desk[RECEPTIONIST], f"/mot-cua/danh-gia/{rows[0]['id']}/tra-loi", {})
    assert refused.status_code == 403  # only the leader answers: the route's guard
    assert "Chỉ lãnh đạo cơ quan trả lời ý kiến này." in refused.text
    answer = "Chúng tôi xin lỗi và đã nhắc nhở bộ phận tiếp nhận."
    done = await post(
        desk[LEADER], f"/mot-cua/danh-gia/{rows[0]['id']}/tra-loi", {"tra_loi": answer}
    )
    assert done.status_code == 303
    seen = await visitor.get(link)
    assert answer in seen.text and "Lãnh đạo đã trả lời" in seen.text
    told = (
        await Outbox.select()
        .where((Outbox.dossier == dossier.id) & Outbox.subject.like("%Trả lời ý kiến%"))
        .run()
    )
    assert told


async def test_two_first_ratings_at_once_leave_exactly_one(clients):
    _, dossier, _ = await returned_dossier(clients)
    link = await rating_link_of(dossier.id)
    a, b = await clients.new(), await clients.new()
    responses = await simultaneously(
        [
            (a, link, {"muc_do": "3", "de_su_dung": "3"}),
            (b, link, {"muc_do": "2", "de_su_dung": "2"}),
        ]
    )
    assert sorted(r.status_code for r in responses)[0] == 303
    assert all(r.status_code in (303, 422) for r in responses)
    assert await Rating.count().where(Rating.dossier == dossier.id).run() == 1


async def test_the_desk_records_a_paper_rating_that_the_web_cannot_overwrite(clients):
    _, dossier, desk = await returned_dossier(clients)
    recorded = await post(
        desk[RECEPTIONIST],
        "/mot-cua/danh-gia/ghi-nhan",
        {"ma": dossier.code, "kenh": "paper", "muc_do": "3", "de_su_dung": "2"},
    )
    assert recorded.status_code == 303
    row = await Rating.select().where(Rating.dossier == dossier.id).first().run()
    assert row["channel"] == "paper" and row["recorded_by"] is not None
    visitor = await clients.new()
    link = await rating_link_of(dossier.id)
    page = await visitor.get(link)
    assert "Phiếu giấy tại quầy" in page.text and "Gửi đánh giá" not in page.text
    again = await post(visitor, link, {"muc_do": "1", "de_su_dung": "1", "y_kien": "x"})
    assert again.status_code == 422


async def test_an_unfinished_dossier_cannot_be_rated(clients):
    from app.services.ratings import rating_path
    from tests.integration.builders import received_dossier

    _, dossier = await received_dossier(clients)
    visitor = await clients.new()
    response = await post(visitor, rating_path(dossier.code), {"muc_do": "3", "de_su_dung": "3"})
    assert response.status_code == 422
    assert await Rating.count().where(Rating.dossier == dossier.id).run() == 0
