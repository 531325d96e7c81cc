"""The dossier workflow: transitions, their history, races, the clock, and counter intake."""

import asyncio
import re
from datetime import date, datetime, time, timedelta

import pytest

from app.domain import dossier_flow as flow
from app.domain.calendar import VIETNAM_TZ
from app.domain.dossier_codes import CODE_RE, parse_code
from app.models import Agency
from app.services import workflow
from app.services.calendar import to_local
from tests.integration.builders import (
    CITIZEN_ID,
    HOA_BINH,
    Clients,
    desk_act,
    dossier_by_id,
    events_of,
    officer_id,
    outbox_of,
    post,
    received_dossier,
)

RECEPTIONIST, SPECIALIST, LEADER = "tiepnhan.hoabinh", "xuly.hoabinh", "lanhdao.hoabinh"


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


async def _actor(username: str, role: flow.Role) -> workflow.Actor:
    agency = await Agency.select(Agency.id).where(Agency.code == HOA_BINH).first().run()
    return workflow.Actor("officer", await officer_id(username), role, agency["id"])


async def test_every_step_appends_exactly_one_history_row(clients):
    applicant = await clients.citizen()
    dossier = await applicant.submit_dossier()
    citizen_id = (await dossier_by_id(dossier.id))["citizen"]
    desk = {name: await clients.officer(name) for name in (RECEPTIONIST, SPECIALIST, LEADER)}
    ids = {name: await officer_id(name) for name in desk}
    specialist = str(ids[SPECIALIST])

    def act(name, action, **fields):
        return lambda: desk_act(desk[name], dossier.id, action, **fields)

    def deliver():
        return post(desk[RECEPTIONIST], f"/mot-cua/ho-so/{dossier.id}/giao-ket-qua", {})

    # (who presses, actor, action recorded, from, to, note)
    story = [
        (act(RECEPTIONIST, "receive"), RECEPTIONIST, "receive", "submitted", "received", ""),
        (
            act(RECEPTIONIST, "assign", can_bo=specialist),
            RECEPTIONIST,
            "assign",
            "received",
            "in_progress",
            "",
        ),
        (
            act(SPECIALIST, "request_supplement", ghi_chu="Hợp đồng thuê nhà có công chứng"),
            SPECIALIST,
            "request_supplement",
            "in_progress",
            "supplement_requested",
            "Hợp đồng thuê nhà có công chứng",
        ),
        (
            lambda: applicant.supply(dossier.reference, "Đã bổ sung hợp đồng"),
            "citizen",
            "supply",
            "supplement_requested",
            "received",
            "Đã bổ sung hợp đồng",
        ),
        (act(LEADER, "assign", can_bo=specialist), LEADER, "assign", "received", "in_progress", ""),
        (
            act(SPECIALIST, "submit_for_approval"),
            SPECIALIST,
            "submit_for_approval",
            "in_progress",
            "awaiting_approval",
            "",
        ),
        (
            act(LEADER, "return_for_rework", ghi_chu="Kiểm tra lại địa chỉ"),
            LEADER,
            "return_for_rework",
            "awaiting_approval",
            "in_progress",
            "Kiểm tra lại địa chỉ",
        ),
        (
            act(SPECIALIST, "submit_for_approval"),
            SPECIALIST,
            "submit_for_approval",
            "in_progress",
            "awaiting_approval",
            "",
        ),
        (act(LEADER, "approve"), LEADER, "approve", "awaiting_approval", "result_ready", ""),
        (deliver, RECEPTIONIST, "record_delivery", "result_ready", "result_ready", ""),
        (
            act(RECEPTIONIST, "return_result"),
            RECEPTIONIST,
            "return_result",
            "result_ready",
            "returned",
            "",
        ),
    ]
    for press, who, action, from_status, to_status, note in story:
        before = await events_of(dossier.id)
        response = await press()
        assert response.status_code == 303, (action, response.text[:500])
        after = await events_of(dossier.id)
        assert after[: len(before)] == before  # append-only
        assert len(after) == len(before) + 1, action
        event = after[-1]
        actor = ("citizen", citizen_id) if who == "citizen" else ("officer", ids[who])
        assert (event["action"], event["from_status"], event["to_status"]) == (
            action,
            from_status,
            to_status,
        )
        assert (event["actor_kind"], event["actor_id"]) == actor, action
        assert event["note"] == note, action
        assert (await dossier_by_id(dossier.id))["status"] == to_status
    history = [e["action"] for e in await events_of(dossier.id)]
    assert history == ["submit", *(step[2] for step in story)]


async def test_an_action_outside_the_role_is_refused_with_a_reason_and_changes_nothing(clients):
    _, dossier = await received_dossier(clients)
    before = await dossier_by_id(dossier.id)
    receptionist = await clients.officer(RECEPTIONIST)
    response = await desk_act(receptionist, dossier.id, "approve")
    assert response.status_code == 422
    assert "Không thể phê duyệt" in response.text  # the table's own reason, in Vietnamese
    assert await dossier_by_id(dossier.id) == before
    assert [e["action"] for e in await events_of(dossier.id)] == ["submit", "receive"]


async def test_refusing_at_reception_requires_a_reason(clients):
    applicant = await clients.citizen()
    dossier = await applicant.submit_dossier()
    before = await dossier_by_id(dossier.id)
    receptionist = await clients.officer(RECEPTIONIST)
    response = await desk_act(receptionist, dossier.id, "refuse", ghi_chu="   ")
    assert response.status_code == 422
    assert "Vui lòng nhập lý do từ chối tiếp nhận." in response.text
    assert await dossier_by_id(dossier.id) == before
    assert [e["action"] for e in await events_of(dossier.id)] == ["submit"]


async def test_a_refusal_is_taken_only_once_the_officer_confirms_it_on_the_server_too(clients):
    applicant = await clients.citizen()
    dossier = await applicant.submit_dossier()
    before = await dossier_by_id(dossier.id)
    receptionist = await clients.officer(RECEPTIONIST)
    reason = "Hồ sơ không thuộc thẩm quyền của phường"
    response = await desk_act(receptionist, dossier.id, "refuse", ghi_chu=reason, xac_nhan="")
    assert response.status_code == 422
    assert flow.CONFIRMATION_MISSING in response.text
    assert f">{reason}</textarea>" in response.text  # what was typed is kept
    assert await dossier_by_id(dossier.id) == before
    confirmed = await desk_act(receptionist, dossier.id, "refuse", ghi_chu=reason)
    assert confirmed.status_code == 303
    assert (await dossier_by_id(dossier.id))["status"] == "refused"


async def test_two_receptions_racing_let_exactly_one_win(clients):
    applicant = await clients.citizen()
    dossier = await applicant.submit_dossier()
    actor = await _actor(RECEPTIONIST, flow.Role.RECEPTIONIST)
    outcomes = await asyncio.gather(
        workflow.transition(dossier.id, flow.Action.RECEIVE, actor),
        workflow.transition(dossier.id, flow.Action.RECEIVE, actor),
        return_exceptions=True,
    )
    won = [o for o in outcomes if isinstance(o, dict)]
    lost = [o for o in outcomes if not isinstance(o, dict)]
    assert len(won) == 1 and won[0]["status"] == "received"
    assert len(lost) == 1
    assert isinstance(lost[0], flow.Refused), repr(lost[0])  # told, not crashed
    assert [e["action"] for e in await events_of(dossier.id)] == ["submit", "receive"]


# Fixed moments for the clock: June has no public holiday in Vietnam.
SUPPLEMENT_ASKED = datetime(2031, 6, 10, 9, 0, tzinfo=VIETNAM_TZ)  # Tuesday
SUPPLIED = datetime(2031, 6, 17, 10, 30, tzinfo=VIETNAM_TZ)  # Tuesday a week later
DUE_AFTER_SUPPLY = datetime(2031, 6, 20, 17, 0, tzinfo=VIETNAM_TZ)  # 3 working days: Friday


async def test_a_supplement_stops_the_clock_and_supplying_restarts_it(clients):
    _, dossier = await received_dossier(clients)  # P19: 3 working days
    citizen_id = (await dossier_by_id(dossier.id))["citizen"]
    citizen = workflow.Actor("citizen", citizen_id, flow.Role.CITIZEN)
    specialist = await _actor(SPECIALIST, flow.Role.SPECIALIST)
    await workflow.transition(
        dossier.id,
        flow.Action.ASSIGN,
        await _actor(RECEPTIONIST, flow.Role.RECEPTIONIST),
        changes=workflow.Changes(officer_id=specialist.id),
        now=SUPPLEMENT_ASKED - timedelta(hours=1),
    )
    first_due = (await dossier_by_id(dossier.id))["due_at"]

    await workflow.transition(
        dossier.id,
        flow.Action.REQUEST_SUPPLEMENT,
        specialist,
        note="Hợp đồng thuê nhà có công chứng",
        changes=workflow.Changes(missing_items=["Hợp đồng thuê nhà có công chứng"]),
        now=SUPPLEMENT_ASKED,
    )
    waiting = await dossier_by_id(dossier.id)
    assert waiting["status"] == "supplement_requested"
    assert waiting["clock_stopped_at"] == SUPPLEMENT_ASKED
    assert waiting["missing_items"] == ["Hợp đồng thuê nhà có công chứng"]
    assert waiting["due_at"] == first_due

    await workflow.transition(dossier.id, flow.Action.SUPPLY, citizen, now=SUPPLIED)
    restarted = await dossier_by_id(dossier.id)
    assert restarted["status"] == "received"
    assert restarted["clock_stopped_at"] is None
    assert restarted["received_at"] == SUPPLIED
    assert restarted["due_at"] == DUE_AFTER_SUPPLY  # the whole limit again, from the supply
    assert restarted["missing_items"] == []


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(17, 0), VIETNAM_TZ)


async def test_an_extension_is_allowed_once_and_sets_the_new_due_date(clients):
    _, dossier = await received_dossier(clients)
    leader = await clients.officer(LEADER)
    old_due = to_local((await dossier_by_id(dossier.id))["due_at"]).date()

    not_later = await desk_act(
        leader, dossier.id, "extend", ghi_chu="Cần xác minh", ngay_hen_moi=old_due.isoformat()
    )
    assert not_later.status_code == 422
    assert f"Ngày hẹn mới phải sau ngày hẹn cũ ({old_due:%d/%m/%Y})" in not_later.text

    new_due = old_due + timedelta(days=7)
    extended = await desk_act(
        leader,
        dossier.id,
        "extend",
        ghi_chu="Cần xác minh nơi cư trú trước đây",
        ngay_hen_moi=new_due.isoformat(),
    )
    assert extended.status_code == 303
    row = await dossier_by_id(dossier.id)
    assert row["due_at"] == _end_of(new_due)
    assert row["extension_count"] == 1 and row["status"] == "received"
    assert row["status_note"] == "Cần xác minh nơi cư trú trước đây"
    event = (await events_of(dossier.id))[-1]
    assert (event["action"], event["from_status"], event["to_status"]) == (
        "extend",
        "received",
        "received",
    )

    again = await desk_act(
        leader,
        dossier.id,
        "extend",
        ghi_chu="Lại chậm",
        ngay_hen_moi=(new_due + timedelta(days=7)).isoformat(),
    )
    assert again.status_code == 422
    assert "Chưa thực hiện được" in again.text
    assert (await dossier_by_id(dossier.id))["due_at"] == _end_of(new_due)
    assert [e["action"] for e in await events_of(dossier.id)].count("extend") == 1


async def test_the_history_keeps_the_due_dates_before_and_after_an_extension(clients):
    _, dossier = await received_dossier(clients)
    leader = await clients.officer(LEADER)
    old_due = (await dossier_by_id(dossier.id))["due_at"]
    new_due = to_local(old_due).date() + timedelta(days=7)
    response = await desk_act(
        leader, dossier.id, "extend", ghi_chu="Cần xác minh", ngay_hen_moi=new_due.isoformat()
    )
    assert response.status_code == 303
    event = (await events_of(dossier.id))[-1]
    assert event["action"] == "extend"
    assert {"due_before", "due_after"} <= set(event["data"]), event["data"]
    assert datetime.fromisoformat(event["data"]["due_before"]) == old_due
    assert datetime.fromisoformat(event["data"]["due_after"]) == _end_of(new_due)


COUNTER_FORM = {
    "thu_tuc": "P19",
    "kenh": "counter",
    "ho_ten": "Phạm  Thị Dung",
    "so_dinh_danh": CITIZEN_ID,
    "dien_thoai": "0912 000 333",
    "thu_dien_tu": "",
    "dia_chi": "Số 7 đường Lý Thường Kiệt, phường Hòa Bình",
    "cach_nhan": "desk",
    "giay_to": "Tờ khai thay đổi thông tin cư trú (bản chính)",
    "ghi_chu": "",
}


async def _counter_intake(clients):
    receptionist = await clients.officer(RECEPTIONIST)
    response = await post(receptionist, "/mot-cua/tiep-nhan", COUNTER_FORM)
    assert response.status_code == 303, response.text[:500]
    match = re.fullmatch(r"/mot-cua/ho-so/(\d+)\?moi=1", response.headers["location"])
    assert match, response.headers["location"]
    return receptionist, int(match.group(1))


async def test_counter_intake_creates_a_received_dossier_with_an_official_code(clients):
    _, dossier_id = await _counter_intake(clients)
    row = await dossier_by_id(dossier_id)
    assert (row["status"], row["channel"], row["citizen"]) == ("received", "counter", None)
    assert row["applicant_name"] == "Phạm Thị Dung"
    assert row["applicant_phone"] == "0912000333"
    assert CODE_RE.fullmatch(row["code"]), row["code"]
    code = parse_code(row["code"])
    assert code.agency_code == HOA_BINH
    assert code.received_on == to_local(row["received_at"]).date()
    assert row["due_at"] > row["received_at"]
    receptionist = await officer_id(RECEPTIONIST)
    assert [
        (e["action"], e["from_status"], e["to_status"], e["actor_kind"], e["actor_id"])
        for e in await events_of(dossier_id)
    ] == [
        ("submit", "draft", "submitted", "officer", receptionist),
        ("receive", "submitted", "received", "officer", receptionist),
    ]


async def test_counter_intake_offers_the_receipt_to_print(clients):
    receptionist, dossier_id = await _counter_intake(clients)
    code = (await dossier_by_id(dossier_id))["code"]
    page = await receptionist.get(f"/mot-cua/ho-so/{dossier_id}?moi=1")
    assert page.status_code == 200
    position = page.text.find("Giấy tiếp nhận")
    assert position >= 0, "the desk's dossier page offers no receipt (Giấy tiếp nhận)"
    link = re.search(r'href="([^"]+)"', page.text[position:])
    receipt = await receptionist.get(link.group(1).replace("&amp;", "&"))
    assert receipt.status_code == 200
    assert code in receipt.text and "Giấy tiếp nhận" in receipt.text


async def test_counter_intake_does_not_tell_the_applicant_they_applied_online(clients):
    _, dossier_id = await _counter_intake(clients)
    messages = await outbox_of(dossier_id)
    assert messages, "the applicant's phone should be told the dossier was received"
    assert not [m["body"] for m in messages if "nộp trực tuyến" in m["body"]]
    assert all("đã được tiếp nhận" in m["body"] for m in messages)
