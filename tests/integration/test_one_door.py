"""Every change to a dossier is one decision in one transaction, with its history row.

The fee, the delivery record and the priority mark are rows of the lifecycle like the status
changes; a crash between the column update and the history row leaves nothing behind.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from app.domain import dossier_flow as flow
from app.domain.fees import FeeStatus
from app.models import Dossier, DossierEvent, Payment
from app.services import delivery, desk, intake, payments, payments_ipn, wizard, workflow
from app.services.catalogue import get_catalogue
from tests.integration.builders import events_of
from tests.integration.builders_payments import (
    LEADER,
    RECEPTIONIST,
    approved_dossier,
    callback,
    dossier_row,
    officer_actor,
    payments_of,
    start_payment,
    submitted_dossier,
    unique_phone,
)


class Crash(Exception):
    pass


async def _new_dossier(**kwargs) -> dict:
    phone = unique_phone()
    return await submitted_dossier(phone, f"{phone}@example.com", **kwargs)


async def _crash(*args, **kwargs):
    raise Crash("between the status update and the history row")


async def _actions(dossier_id: int) -> list[str]:
    return [e["action"] for e in await events_of(dossier_id)]


async def test_a_crash_before_the_history_row_leaves_the_dossier_unchanged(demo_db, monkeypatch):
    dossier = await _new_dossier()
    before = await dossier_row(dossier["id"])
    receptionist = await officer_actor(RECEPTIONIST, flow.Role.RECEPTIONIST)
    monkeypatch.setattr(workflow, "_append_event", _crash)
    with pytest.raises(Crash):
        await workflow.transition(dossier["id"], flow.Action.RECEIVE, receptionist)
    after = await dossier_row(dossier["id"])
    assert after == before
    assert after["status"] == flow.Status.SUBMITTED.value
    assert await _actions(dossier["id"]) == ["submit"]


async def test_the_same_transition_without_the_crash_is_recorded(demo_db):
    dossier = await _new_dossier()
    receptionist = await officer_actor(RECEPTIONIST, flow.Role.RECEPTIONIST)
    await workflow.transition(dossier["id"], flow.Action.RECEIVE, receptionist)
    assert (await dossier_row(dossier["id"]))["status"] == flow.Status.RECEIVED.value
    assert await _actions(dossier["id"]) == ["submit", "receive"]


async def test_a_crash_while_registering_at_the_desk_leaves_no_dossier(demo_db, monkeypatch):
    officer = await officer_actor(RECEPTIONIST, flow.Role.RECEPTIONIST)
    procedure = (await get_catalogue()).get("P19")
    name = f"Nguyễn Văn Quầy {unique_phone()}"
    form = intake.IntakeForm(
        procedure_code=procedure.code,
        channel="counter",
        applicant_name=name,
        applicant_id_number="",
        applicant_phone="",
        applicant_email="",
        applicant_address="",
        delivery_method="desk",
        received_components=(),
    )

    real = workflow._append_event
    calls = []

    async def crash_on_receive(dossier_id, row, decision, *rest):
        calls.append(decision.action)
        if decision.action is flow.Action.RECEIVE:
            raise Crash("after the submission, before the reception's history row")
        await real(dossier_id, row, decision, *rest)

    monkeypatch.setattr(workflow, "_append_event", crash_on_receive)
    with pytest.raises(Crash):
        await intake.register(
            SimpleNamespace(id=officer.id, agency=officer.agency_id), form, procedure
        )
    assert calls == [flow.Action.SUBMIT, flow.Action.RECEIVE]
    assert not await Dossier.exists().where(Dossier.applicant_name == name).run()


async def test_a_crash_while_starting_a_payment_leaves_no_attempt(demo_db, monkeypatch):
    dossier = await _new_dossier()
    assert (await dossier_row(dossier["id"]))["fee_status"] == FeeStatus.UNPAID.value
    monkeypatch.setattr(workflow, "_append_event", _crash)
    with pytest.raises(Crash):
        await start_payment(dossier["id"])
    assert (await dossier_row(dossier["id"]))["fee_status"] == FeeStatus.UNPAID.value
    assert await payments_of(dossier["id"]) == []


async def test_a_crash_while_paying_at_the_counter_issues_no_fee_receipt(demo_db, monkeypatch):
    dossier = await _new_dossier()
    officer = await officer_actor(RECEPTIONIST, flow.Role.RECEPTIONIST)
    monkeypatch.setattr(workflow, "_append_event", _crash)
    with pytest.raises(Crash):
        await payments.record_counter_payment(await dossier_row(dossier["id"]), officer.id, "cash")
    assert (await dossier_row(dossier["id"]))["fee_status"] == FeeStatus.UNPAID.value
    assert await payments_of(dossier["id"]) == []


async def test_the_fee_changes_are_in_the_history(demo_db):
    dossier = await _new_dossier()
    request = await start_payment(dossier["id"])
    assert (await dossier_row(dossier["id"]))["fee_status"] == "awaiting_confirmation"
    await payments_ipn.handle_ipn(callback(request, "24"), "127.0.0.1")  # cancelled by the payer
    assert (await dossier_row(dossier["id"]))["fee_status"] == FeeStatus.UNPAID.value
    request = await start_payment(dossier["id"])
    answer = await payments_ipn.handle_ipn(callback(request, "00"), "127.0.0.1")
    assert answer["RspCode"] == "00"
    assert (await dossier_row(dossier["id"]))["fee_status"] == FeeStatus.PAID.value
    assert await _actions(dossier["id"]) == [
        "submit",
        "start_payment",
        "fail_payment",
        "start_payment",
        "confirm_payment",
    ]
    events = await events_of(dossier["id"])
    assert {e["from_status"] for e in events[1:]} == {"submitted"}
    assert {e["to_status"] for e in events[1:]} == {"submitted"}


async def test_a_desk_payment_is_in_the_history(demo_db):
    dossier = await _new_dossier()
    officer = await officer_actor(RECEPTIONIST, flow.Role.RECEPTIONIST)
    await payments.record_counter_payment(await dossier_row(dossier["id"]), officer.id, "card")
    assert await _actions(dossier["id"]) == ["submit", "pay_at_counter"]
    (event,) = [e for e in await events_of(dossier["id"]) if e["action"] == "pay_at_counter"]
    assert (event["actor_kind"], event["actor_id"]) == ("officer", officer.id)
    (paid,) = await Payment.select().where(Payment.dossier == dossier["id"]).run()
    assert paid["status"] == "paid" and paid["fee_receipt_number"] is not None


async def test_delivery_and_priority_are_rows_of_the_lifecycle(demo_db):
    dossier = await approved_dossier(unique_phone(), "giao@example.com", delivery="post")
    officer = await officer_actor(RECEPTIONIST, flow.Role.RECEPTIONIST)
    with pytest.raises(flow.Refused, match="số hiệu bưu gửi"):
        await delivery.record_delivery(dossier["id"], officer.id, "post", {})
    await delivery.record_delivery(dossier["id"], officer.id, "post", {"postal_tracking": "EB1"})
    with pytest.raises(flow.Refused, match="Đã ghi nhận"):
        await delivery.record_delivery(dossier["id"], officer.id, "post", {"postal_tracking": "X"})
    row = await dossier_row(dossier["id"])
    assert row["is_delivery_recorded"] and row["delivery_info"]["postal_tracking"] == "EB1"
    await desk.set_priority(dossier["id"], officer.id, True, flow.Role.RECEPTIONIST)
    assert (await dossier_row(dossier["id"]))["is_priority"] is True
    with pytest.raises(flow.Refused, match="đã được đánh dấu"):
        await desk.set_priority(dossier["id"], officer.id, True, flow.Role.RECEPTIONIST)
    await desk.set_priority(dossier["id"], officer.id, False, flow.Role.LEADER)
    assert (await dossier_row(dossier["id"]))["is_priority"] is False
    actions = await _actions(dossier["id"])
    assert actions[-3:] == ["record_delivery", "mark_priority", "unmark_priority"]
    events = await DossierEvent.select().where(DossierEvent.dossier == dossier["id"]).run()
    assert {e["action"] for e in events} <= {a.value for a in flow.Action}


async def test_a_submission_needs_the_declaration_and_every_step(demo_db):
    phone = unique_phone()
    dossier = await submitted_dossier(phone, f"{phone}@example.com")
    procedure = (await get_catalogue()).get("P19")
    flowed = await wizard.wizard_for(procedure)
    citizen = SimpleNamespace(
        id=dossier["citizen"], full_name="Người nộp", citizen_id="", phone=phone, email=""
    )
    draft = await wizard.start_or_resume(citizen, procedure)
    assert draft["status"] == "draft" and draft["id"] != dossier["id"]
    draft = {**draft, "answers": dossier["answers"]}
    await wizard.save_answers(draft["id"], dossier["answers"], flowed.steps[-1].key)
    with pytest.raises(flow.Refused, match="cam đoan"):
        await wizard.submit(citizen, draft, procedure, flowed, declared=False)
    with pytest.raises(flow.Refused, match="cam đoan"):
        await wizard.submit(citizen, {**draft, "answers": {}}, procedure, flowed, declared=True)
    assert (await dossier_row(draft["id"]))["status"] == "draft"
    after = await wizard.submit(citizen, draft, procedure, flowed, declared=True)
    assert after["status"] == "submitted" and after["code"]


async def test_two_officers_marking_priority_at_once_make_one_mark(demo_db):
    dossier = await _new_dossier()
    receptionist = await officer_actor(RECEPTIONIST, flow.Role.RECEPTIONIST)
    leader = await officer_actor(LEADER, flow.Role.LEADER)
    results = await asyncio.gather(
        desk.set_priority(dossier["id"], receptionist.id, True, flow.Role.RECEPTIONIST),
        desk.set_priority(dossier["id"], leader.id, True, flow.Role.LEADER),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, flow.Refused)]
    assert len(refused) == 1, results
    assert (await _actions(dossier["id"])).count("mark_priority") == 1
    assert (await dossier_row(dossier["id"]))["is_priority"] is True
