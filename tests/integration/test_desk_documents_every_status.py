"""Every desk document of every status a dossier can reach, as HTML and as PDF: a document the
dossier has answers 200, one it has not yet answers 404, and none answers 500 (issue 13 item 7).

Dossiers reach their statuses by replaying the real transitions, as officers and the citizen
press them; the documents are asked for after every step.
"""

import pytest

from app.domain import dossier_flow as flow
from app.services.desk_documents import KINDS
from tests.integration.builders import (
    TAN_LAP,
    Clients,
    desk_act,
    dossier_by_id,
    officer_id,
    post,
)
from tests.integration.test_dossier_parties import agency_id

RECEPTIONIST, SPECIALIST, LEADER = "tiepnhan.hoabinh", "xuly.hoabinh", "lanhdao.hoabinh"
REACHABLE = set(flow.Status) - {flow.Status.DRAFT}


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


def stories() -> dict[str, list[tuple]]:
    """Paths through the flow that together reach every status but a draft."""
    supply = ("citizen", "supply", {"ghi_chu": "Đã bổ sung"})
    assign = (RECEPTIONIST, "assign", {"can_bo": SPECIALIST})
    extend = (LEADER, "extend", {"ghi_chu": "Cần xác minh thêm", "ngay_hen_moi": "+30"})
    return {
        "long way": [
            (RECEPTIONIST, "request_pre_supplement", {"ghi_chu": "Ảnh CCCD rõ hơn"}),
            supply,
            (RECEPTIONIST, "receive", {}),
            extend,
            assign,
            (SPECIALIST, "request_supplement", {"ghi_chu": "Hợp đồng thuê nhà"}),
            supply,
            (LEADER, "assign", {"can_bo": SPECIALIST}),
            (SPECIALIST, "transfer", {"co_quan": TAN_LAP}),
            ("lanhdao.tanlap", "transfer_back", {}),
            (SPECIALIST, "submit_for_approval", {}),
            (LEADER, "approve", {}),
            (RECEPTIONIST, "deliver", {}),
            (RECEPTIONIST, "return_result", {}),
        ],
        "refused": [(RECEPTIONIST, "refuse", {"ghi_chu": "Không thuộc thẩm quyền"})],
        "withdrawn": [("citizen", "withdraw", {"ly_do": "Không còn nhu cầu"})],
        "halted": [(RECEPTIONIST, "receive", {}), (LEADER, "halt", {"ghi_chu": "Đề nghị dừng"})],
        "rejected": [
            (RECEPTIONIST, "receive", {}),
            assign,
            (SPECIALIST, "submit_for_approval", {}),
            extend,
            (LEADER, "reject", {"ghi_chu": "Không đủ điều kiện"}),
            (RECEPTIONIST, "deliver", {}),
            (RECEPTIONIST, "return_result", {}),
        ],
    }


async def _fields(dossier_id: int, fields: dict[str, str]) -> dict[str, str]:
    fields = dict(fields)
    if "can_bo" in fields:
        fields["can_bo"] = str(await officer_id(fields["can_bo"]))
    if "co_quan" in fields:
        fields["co_quan"] = str(await agency_id(fields["co_quan"]))
    if fields.get("ngay_hen_moi") == "+30":
        due = (await dossier_by_id(dossier_id))["due_at"].date()
        fields["ngay_hen_moi"] = due.replace(year=due.year + 1).isoformat()
    return fields


async def _press(clients, officers, applicant, dossier, step) -> None:
    who, action, fields = step
    if who == "citizen":
        response = await (
            applicant.supply(dossier.reference, fields["ghi_chu"])
            if action == "supply"
            else post(applicant.client, f"/ho-so/{dossier.reference}/rut", fields)
        )
    else:
        if who not in officers:
            officers[who] = await clients.officer(who)
        if action == "deliver":
            path = f"/mot-cua/ho-so/{dossier.id}/giao-ket-qua"
            response = await post(officers[who], path, {})
        else:
            fields = await _fields(dossier.id, fields)
            response = await desk_act(officers[who], dossier.id, action, **fields)
    assert response.status_code == 303, (action, response.text[:300])


async def _check_documents(leader, dossier_id: int, rendered: set[str]) -> str:
    page = await leader.get(f"/mot-cua/ho-so/{dossier_id}")
    assert page.status_code == 200
    status = (await dossier_by_id(dossier_id))["status"]
    for kind in KINDS:
        listed = f"/phieu/{kind}" in page.text
        for suffix in ("", "?pdf=1"):
            response = await leader.get(f"/mot-cua/ho-so/{dossier_id}/phieu/{kind}{suffix}")
            assert response.status_code == (200 if listed else 404), (status, kind, suffix)
            if listed and suffix:
                assert response.content.startswith(b"%PDF-")
                rendered.add(kind)
    return status


async def test_every_document_of_every_status_renders(clients):
    reached: dict[str, set[str]] = {}
    rendered: set[str] = set()
    leader = await clients.officer(LEADER)
    for name, story in stories().items():
        applicant = await clients.citizen()
        dossier = await applicant.submit_dossier()
        officers = {LEADER: leader}
        statuses = {await _check_documents(leader, dossier.id, rendered)}
        for step in story:
            await _press(clients, officers, applicant, dossier, step)
            statuses.add(await _check_documents(leader, dossier.id, rendered))
        reached[name] = statuses
    assert set().union(*reached.values()) == {s.value for s in REACHABLE}
    assert rendered == set(KINDS)
