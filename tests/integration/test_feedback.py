"""PAKN: sent by anyone with a photo, tracked by code and phone digits, handled by the agency
it is addressed to through its statuses, published without the sender's details."""

import pytest

from app.models import Feedback, FeedbackAttachment, FeedbackVote, Outbox
from tests.integration.builders import TAN_LAP, Clients, post, simultaneously
from tests.integration.builders_feedback import (
    RECEPTIONIST,
    complaint_form,
    feedback_act,
    publish_as_suggested,
    send_complaint,
)


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


def _track(row):
    return f"/phan-anh/tra-cuu?ma={row['code']}&xac_thuc={row['phone'][-4:]}"


async def test_name_and_phone_are_required_and_what_was_typed_is_kept(clients):
    visitor = await clients.new()
    form = complaint_form(ho_ten="", dien_thoai="12")
    response = await post(visitor, "/phan-anh/", form)
    assert response.status_code == 422
    assert 'href="#f-ho_ten"' in response.text and 'href="#f-dien_thoai"' in response.text
    assert form["tieu_de"] in response.text and form["noi_dung"] in response.text


async def test_an_executable_renamed_as_a_photo_is_refused(clients):
    visitor = await clients.new()
    response = await post(
        visitor, "/phan-anh/", complaint_form(), files={"tep": ("anh.jpg", b"MZ" + b"\0" * 64)}
    )
    assert response.status_code == 422 and "Chỉ nhận ảnh" in response.text


async def test_a_complaint_goes_through_its_statuses_and_is_published_without_the_sender(clients):
    visitor = await clients.new()
    row = await send_complaint(visitor)
    assert await FeedbackAttachment.count().where(FeedbackAttachment.feedback == row["id"]).run()
    tracked = await visitor.get(_track(row))
    assert tracked.status_code == 200 and "Chờ tiếp nhận" in tracked.text
    wrong = await visitor.get(f"/phan-anh/tra-cuu?ma={row['code']}&xac_thuc=0000")
    assert wrong.status_code == 404
    desk = await clients.officer(RECEPTIONIST)
    queue = await desk.get("/mot-cua/phan-anh/?hang=sap-den-han")
    assert row["code"] in queue.text  # two working days to receive or refuse
    assert (await feedback_act(desk, row["id"], "receive")).status_code == 303
    asked = await feedback_act(desk, row["id"], "request_info", ghi_chu="Ngày giờ đến nộp?")
    assert asked.status_code == 303
    supplied = await post(
        visitor,
        "/phan-anh/tra-cuu",
        {"ma": row["code"], "xac_thuc": row["phone"][-4:], "noi_dung": "Sáng 3, 5 và 7/11"},
    )
    assert supplied.status_code == 200 and "Đang xử lý" in supplied.text
    unclassified = await feedback_act(desk, row["id"], "answer", ghi_chu="Đã kiểm tra.")
    assert unclassified.status_code == 422 and "phân loại" in unclassified.text
    answer = "Đã kiểm tra và nhắc nhở cán bộ; hồ sơ của ông được ưu tiên giải quyết."
    answered = await feedback_act(
        desk, row["id"], "answer", ghi_chu=answer, phan_loai="officer_conduct"
    )
    assert answered.status_code == 303
    assert (await publish_as_suggested(desk, row["id"])).status_code == 303
    public = await (await clients.new()).get("/phan-anh/cong-khai?q=nhac nho can bo")
    assert answer in public.text and row["subject"] in public.text
    for private in (row["name"], row["phone"], row["email"], row["address"]):
        assert private not in public.text
    steps = (
        await Outbox.select(Outbox.body)
        .where(Outbox.dedupe_key.like(f"feedback:{row['id']}:%") & (Outbox.channel == "email"))
        .run()
    )
    assert len(steps) == 6  # sent, received, asked, supplied, answered, published


async def test_no_officer_of_another_agency_and_no_other_citizen_can_read_it(clients):
    row = await send_complaint(await clients.new())
    other_desk = await clients.officer("tiepnhan.tanlap")
    assert (await other_desk.get(f"/mot-cua/phan-anh/{row['id']}")).status_code == 404
    queue = await other_desk.get("/mot-cua/phan-anh/?hang=sap-den-han")
    assert row["code"] not in queue.text
    acted = await feedback_act(other_desk, row["id"], "refuse", ghi_chu="x")
    assert acted.status_code == 404
    token = (
        await FeedbackAttachment.select()
        .where(FeedbackAttachment.feedback == row["id"])
        .first()
        .run()
    )["token"]
    attachment = await other_desk.get(f"/mot-cua/phan-anh/{row['id']}/tep/{token}")
    assert attachment.status_code == 404
    other = await clients.citizen()
    for path in (f"/phan-anh/tra-cuu?ma={row['code']}&xac_thuc=1234", "/phan-anh/cong-khai"):
        page = await other.client.get(path)
        assert row["body"] not in page.text
    anonymous = await clients.new()
    assert (
        await anonymous.get(f"/mot-cua/phan-anh/{row['id']}", follow_redirects=False)
    ).status_code == 303
    assert (await Feedback.select(Feedback.status).where(Feedback.id == row["id"]).first().run())[
        "status"
    ] == "submitted"


async def test_a_complaint_sent_to_another_agency_is_not_on_this_desk(clients):
    row = await send_complaint(await clients.new(), co_quan=TAN_LAP)
    desk = await clients.officer(RECEPTIONIST)
    assert (await desk.get(f"/mot-cua/phan-anh/{row['id']}")).status_code == 404


async def test_a_reader_counts_once_even_clicking_twice_at_once(clients):
    visitor = await clients.new()
    row = await send_complaint(visitor)
    desk = await clients.officer(RECEPTIONIST)
    await feedback_act(desk, row["id"], "receive")
    await feedback_act(desk, row["id"], "answer", ghi_chu="Trả lời", phan_loai="regulation")
    await publish_as_suggested(desk, row["id"])
    reader = await clients.new()
    await reader.get("/phan-anh/cong-khai")  # the reader's cookie
    path = f"/phan-anh/cong-khai/{row['id']}/binh-chon"
    responses = await simultaneously([(reader, path, {"huu_ich": "1"})] * 4)
    assert all(r.status_code == 303 for r in responses)
    counted = await Feedback.select(Feedback.useful_count).where(Feedback.id == row["id"]).run()
    assert counted[0]["useful_count"] == 1
    assert await FeedbackVote.count().where(FeedbackVote.feedback == row["id"]).run() == 1
    await post(await clients.new(), path, {"huu_ich": "0"})
    counted = await Feedback.select(Feedback.not_useful_count).where(Feedback.id == row["id"]).run()
    assert counted[0]["not_useful_count"] == 1


async def test_an_unpublished_answer_cannot_be_voted_on(clients):
    row = await send_complaint(await clients.new())
    response = await post(
        await clients.new(), f"/phan-anh/cong-khai/{row['id']}/binh-chon", {"huu_ich": "1"}
    )
    assert response.status_code == 303
    assert await FeedbackVote.count().where(FeedbackVote.feedback == row["id"]).run() == 0


async def test_two_officers_receiving_at_once_make_one_step(clients):
    row = await send_complaint(await clients.new())
    a, b = await clients.officer(RECEPTIONIST), await clients.officer("xuly.hoabinh")
    path = f"/mot-cua/phan-anh/{row['id']}/xu-ly"
    responses = await simultaneously(
        [(a, path, {"action": "receive"}), (b, path, {"action": "receive"})]
    )
    assert sorted(r.status_code for r in responses) == [303, 422]


async def test_the_officer_removes_personal_details_typed_in_the_text_before_publishing(clients):
    card = "093095001234"
    visitor = await clients.new()
    body = f"Tôi là Lê Văn Cường, CCCD {card}, ở Số 5 đường Trần Phú; cán bộ hẹn lại ba lần."
    row = await send_complaint(visitor, noi_dung=body)
    desk = await clients.officer(RECEPTIONIST)
    await feedback_act(desk, row["id"], "receive")
    answer = f"Kính gửi ông Lê Văn Cường (số {row['phone']}): đã nhắc nhở cán bộ tiếp nhận."
    await feedback_act(desk, row["id"], "answer", ghi_chu=answer, phan_loai="officer_conduct")

    page = (await desk.get(f"/mot-cua/phan-anh/{row['id']}")).text
    assert "Tôi là [đã ẩn], CCCD 093095001234, ở [đã ẩn]; cán bộ hẹn lại ba lần." in page
    assert "Kính gửi ông [đã ẩn] (số [đã ẩn]): đã nhắc nhở cán bộ tiếp nhận." in page

    # the sender's phone typed back (with spaces) is refused; what was typed is kept
    spaced = " ".join(row["phone"][i : i + 4] for i in range(0, 10, 4))
    typed = f"Liên hệ {spaced}; đã nhắc nhở cán bộ tiếp nhận."
    refused = await publish_as_suggested(desk, row["id"], cong_khai_tra_loi=typed)
    assert refused.status_code == 422
    assert "vẫn còn họ tên, số điện thoại" in refused.text and typed in refused.text
    empty = await publish_as_suggested(desk, row["id"], cong_khai_noi_dung="  ")
    assert empty.status_code == 422 and "Vui lòng nhập nội dung sẽ công khai" in empty.text

    edited = "Tôi bị cán bộ hẹn lại ba lần."
    done = await publish_as_suggested(desk, row["id"], cong_khai_noi_dung=edited)
    assert done.status_code == 303
    public = (await (await clients.new()).get("/phan-anh/cong-khai?q=hen lai ba lan")).text
    assert edited in public and "Kính gửi ông [đã ẩn]" in public
    for private in (card, row["name"], row["phone"], row["address"], body):
        assert private not in public
    stored = await Feedback.select().where(Feedback.id == row["id"]).first().run()
    assert (stored["body"], stored["answer"], stored["status"]) == (body, answer, "published")
    events = (await desk.get(f"/mot-cua/phan-anh/{row['id']}")).text
    assert "Đã biên tập trước khi công khai: nội dung, câu trả lời" in events
    tracked = (await visitor.get(_track(row))).text
    assert "đã nhắc nhở cán bộ tiếp nhận" in tracked


async def test_an_officer_of_another_agency_cannot_publish_it(clients):
    row = await send_complaint(await clients.new())
    desk = await clients.officer(RECEPTIONIST)
    await feedback_act(desk, row["id"], "receive")
    await feedback_act(desk, row["id"], "answer", ghi_chu="Trả lời", phan_loai="regulation")
    other = await clients.officer("tiepnhan.tanlap")
    assert (await publish_as_suggested(other, row["id"])).status_code == 404
    status = await Feedback.select(Feedback.status).where(Feedback.id == row["id"]).run()
    assert status[0]["status"] == "answered"


async def test_the_desk_counts_the_due_soon_and_overdue_pakn_its_queues_list(clients):
    from datetime import timedelta

    from app.services import feedback_desk
    from app.services.calendar import local_now

    visitor = await clients.new()
    soon, late = await send_complaint(visitor), await send_complaint(visitor)
    await (
        Feedback.update({Feedback.due_on: local_now().date() - timedelta(days=3)})
        .where(Feedback.id == late["id"])
        .run()
    )
    agency = (await Feedback.select(Feedback.agency).where(Feedback.id == soon["id"]).first())[
        "agency"
    ]
    queues = await feedback_desk.queues(agency)
    assert soon["id"] in {r["id"] for r in queues["sap-den-han"]}
    assert late["id"] in {r["id"] for r in queues["qua-han"]}
    counts = await feedback_desk.due_counts(agency)
    assert counts == {k: len(queues[k]) for k in ("sap-den-han", "qua-han")}
