"""Who may act on a dossier beyond status and role: the agency of the officer, the transfer
target and the assignee (issue 13 item 6), and supplements refused without keeping files."""

import pytest

from app.domain import dossier_flow as flow
from app.models import Agency
from app.services import workflow
from tests.integration.builders import (
    HOA_BINH,
    TAN_LAP,
    Clients,
    attachments_of,
    desk_act,
    dossier_by_id,
    events_of,
    officer_id,
    received_dossier,
)
from tests.integration.builders_payments import officer_actor

HB_SPECIALIST, HB_LEADER = "xuly.hoabinh", "lanhdao.hoabinh"


async def agency_id(code: str) -> int:
    row = await Agency.select(Agency.id).where(Agency.code == code).first().run()
    return row["id"]


async def in_progress(clients: Clients):
    applicant, dossier = await received_dossier(clients)
    receptionist = await clients.officer("tiepnhan.hoabinh")
    specialist = str(await officer_id(HB_SPECIALIST))
    response = await desk_act(receptionist, dossier.id, "assign", can_bo=specialist)
    assert response.status_code == 303, response.text
    return applicant, dossier


async def refused(client, dossier_id: int, action: str, message: str, **fields: str) -> None:
    before = await dossier_by_id(dossier_id)
    events = len(await events_of(dossier_id))
    response = await desk_act(client, dossier_id, action, **fields)
    assert response.status_code == 422
    assert message in response.text
    after = await dossier_by_id(dossier_id)
    assert (after["status"], after["current_agency"], after["assigned_officer"]) == (
        before["status"],
        before["current_agency"],
        before["assigned_officer"],
    )
    assert len(await events_of(dossier_id)) == events


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


async def test_a_partner_agency_hands_back_but_cannot_halt_or_extend(clients):
    _, dossier = await in_progress(clients)
    specialist = await clients.officer(HB_SPECIALIST)
    tan_lap = str(await agency_id(TAN_LAP))
    response = await desk_act(specialist, dossier.id, "transfer", co_quan=tan_lap)
    assert response.status_code == 303, response.text
    assert (await dossier_by_id(dossier.id))["current_agency"] == int(tan_lap)

    partner = await clients.officer("lanhdao.tanlap")
    await refused(
        partner, dossier.id, "halt", "Chỉ cơ quan giải quyết hồ sơ mới được", ghi_chu="Không rõ"
    )
    due = (await dossier_by_id(dossier.id))["due_at"].date()
    await refused(
        partner,
        dossier.id,
        "extend",
        "Chỉ cơ quan giải quyết hồ sơ mới được",
        ghi_chu="Cần xác minh",
        ngay_hen_moi=due.replace(year=due.year + 1).isoformat(),
    )
    response = await desk_act(partner, dossier.id, "transfer_back")
    assert response.status_code == 303, response.text
    assert (await dossier_by_id(dossier.id))["current_agency"] == await agency_id(HOA_BINH)


async def test_the_resolving_leader_still_halts_a_transferred_dossier(clients):
    _, dossier = await in_progress(clients)
    specialist = await clients.officer(HB_SPECIALIST)
    tan_lap = str(await agency_id(TAN_LAP))
    assert (await desk_act(specialist, dossier.id, "transfer", co_quan=tan_lap)).status_code == 303
    leader = await clients.officer(HB_LEADER)
    response = await desk_act(leader, dossier.id, "halt", ghi_chu="Người nộp đề nghị dừng")
    assert response.status_code == 303, response.text
    assert (await dossier_by_id(dossier.id))["status"] == "halted"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("", "Vui lòng chọn cơ quan nhận hồ sơ liên thông"),
        ("999999", "Cơ quan nhận hồ sơ liên thông không tồn tại"),
        ("99999999999999999999", "Cơ quan nhận hồ sơ liên thông không tồn tại"),
        ("١٢", "Cơ quan nhận hồ sơ liên thông không tồn tại"),
        ("own", "Không thể chuyển liên thông cho chính cơ quan"),
    ],
)
async def test_a_transfer_needs_a_real_other_agency(clients, target, message):
    _, dossier = await in_progress(clients)
    specialist = await clients.officer(HB_SPECIALIST)
    if target == "own":
        target = str(await agency_id(HOA_BINH))
    await refused(specialist, dossier.id, "transfer", message, co_quan=target)


@pytest.mark.parametrize(
    ("assignee", "message"),
    [
        ("xuly.tanlap", "chuyên viên của cơ quan mình"),
        ("lanhdao.tanlap", "chuyên viên của cơ quan mình"),
        ("tiepnhan.hoabinh", "không phải chuyên viên xử lý"),
        (None, "Vui lòng chọn chuyên viên"),
        ("999999", "Vui lòng chọn chuyên viên"),
    ],
)
async def test_a_dossier_is_assigned_only_to_a_specialist_of_the_agency(clients, assignee, message):
    _, dossier = await received_dossier(clients)
    receptionist = await clients.officer("tiepnhan.hoabinh")
    fields = {}
    if assignee is not None:
        fields["can_bo"] = assignee if assignee.isdigit() else str(await officer_id(assignee))
    await refused(receptionist, dossier.id, "assign", message, **fields)


async def test_files_supplied_when_none_were_asked_for_are_not_kept(clients):
    applicant, dossier = await received_dossier(clients)
    before = await attachments_of(dossier.id)
    events = len(await events_of(dossier.id))
    response = await applicant.supply(dossier.reference, "Gửi thêm")
    assert response.status_code == 422
    assert "bổ sung" in response.text
    assert await attachments_of(dossier.id) == before
    assert len(await events_of(dossier.id)) == events


async def test_files_supplied_when_asked_are_kept_with_the_supplement(clients):
    applicant, dossier = await in_progress(clients)
    specialist = await clients.officer(HB_SPECIALIST)
    asked = await desk_act(specialist, dossier.id, "request_supplement", ghi_chu="Hợp đồng thuê")
    assert asked.status_code == 303, asked.text
    before = len(await attachments_of(dossier.id))
    response = await applicant.supply(dossier.reference, "Đã gửi")
    assert response.status_code == 303, response.text
    kept = await attachments_of(dossier.id)
    assert [a["field_key"] for a in kept[before:]] == ["bo_sung"]
    assert (await events_of(dossier.id))[-1]["action"] == "supply"


async def _handed_back_to_approval(clients: Clients):
    """Transferred to Tân Lập for liên thông, handed back, and sent for approval at Hòa Bình."""
    _, dossier = await in_progress(clients)
    specialist = await clients.officer(HB_SPECIALIST)
    tan_lap = str(await agency_id(TAN_LAP))
    assert (await desk_act(specialist, dossier.id, "transfer", co_quan=tan_lap)).status_code == 303
    partner = await clients.officer("lanhdao.tanlap")
    assert (await desk_act(partner, dossier.id, "transfer_back")).status_code == 303
    response = await desk_act(specialist, dossier.id, "submit_for_approval", ghi_chu="Đủ điều kiện")
    assert response.status_code == 303, response.text
    return dossier


@pytest.mark.parametrize(
    ("action", "role", "fragment"),
    [
        (flow.Action.APPROVE, flow.Role.LEADER, "phê duyệt"),
        (flow.Action.RETURN_FOR_REWORK, flow.Role.LEADER, "trả lại để xử lý lại"),
    ],
)
async def test_a_partner_agency_leader_cannot_decide_on_a_dossier_it_received(
    clients, action, role, fragment
):
    dossier = await _handed_back_to_approval(clients)
    before = await dossier_by_id(dossier.id)
    partner = await officer_actor("lanhdao.tanlap", role)
    with pytest.raises(flow.Refused, match=fragment):
        await workflow.transition(dossier.id, action, partner, note="Đồng ý")
    assert (await dossier_by_id(dossier.id))["status"] == before["status"]
    leader = await officer_actor(HB_LEADER, flow.Role.LEADER)
    await workflow.transition(dossier.id, action, leader, note="Đồng ý")


async def test_a_partner_agency_cannot_assign_a_dossier_it_received(clients):
    _, dossier = await in_progress(clients)
    specialist = await clients.officer(HB_SPECIALIST)
    tan_lap = str(await agency_id(TAN_LAP))
    assert (await desk_act(specialist, dossier.id, "transfer", co_quan=tan_lap)).status_code == 303
    partner = await clients.officer("lanhdao.tanlap")
    assert (await desk_act(partner, dossier.id, "transfer_back")).status_code == 303
    partner_leader = await officer_actor("lanhdao.tanlap", flow.Role.LEADER)
    changes = workflow.Changes(officer_id=await officer_id("xuly.tanlap"))
    with pytest.raises(flow.Refused, match="phân công xử lý"):
        await workflow.transition(dossier.id, flow.Action.ASSIGN, partner_leader, changes=changes)
    assert (await dossier_by_id(dossier.id))["assigned_officer"] == await officer_id(HB_SPECIALIST)
