"""A fee is never paid twice: concurrent pay presses, confirmations and desk payments.

The attacker (or an unlucky citizen with two tabs) starts several attempts, the gateway confirms
more than one, an officer takes cash while an online payment is pending, and the gateway sends
the same IPN twenty times at once. Whatever the order, a dossier gets one receipt; money
confirmed for a fee already paid is recorded for refund; every IPN is logged and answered with
a VNPay code, never a 500. Run on SQLite and on PostgreSQL (``MOTCUA_TEST_DATABASE_URL``).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from app.domain.fees import FeeStatus
from app.models import Payment
from app.services import payments, payments_ipn, reconciliation
from app.services.calendar import local_now
from e2e.support import live_portal
from tests.integration.builders import officer_id, post
from tests.integration.builders_payments import (
    RECEPTIONIST,
    PeerClients,
    callback,
    callbacks_for,
    dossier_row,
    fee_receipt_numbers,
    fee_receipt_series,
    payments_of,
    start_payment,
    submitted_dossier,
    unique_phone,
)
from tests.integration.helpers import login

IPN_PATH = "/thanh-toan/vnpay/ipn"
CONFIRMED = {"RspCode": "00", "Message": "Confirm Success"}
ALREADY = {"RspCode": "02", "Message": "Order already confirmed"}


@pytest.fixture(scope="module")
def portal(demo_db, tmp_path_factory) -> Iterator[str]:
    """``motcua serve`` in a subprocess, so that requests really run at the same time."""
    log_path = tmp_path_factory.mktemp("attack-payments") / "server.log"
    with live_portal(os.environ.copy(), log_path) as url:
        yield url


@pytest.fixture
async def clients(demo_db):
    clients = PeerClients()
    yield clients
    await clients.aclose()


async def _new_dossier() -> dict:
    phone = unique_phone()
    return {**await submitted_dossier(phone, f"{phone}@example.com"), "phone": phone}


async def _receipted(dossier_id: int) -> list[dict]:
    return [p for p in await payments_of(dossier_id) if p["fee_receipt_number"] is not None]


async def _age_open_attempt(dossier_id: int) -> None:
    """The open attempt was sent to the gateway longer ago than the gateway accepts it."""
    old = local_now() - timedelta(minutes=payments.ATTEMPT_MINUTES + 5)
    await (
        Payment.update({Payment.created_at: old})
        .where((Payment.dossier == dossier_id) & (Payment.status == "pending"))
        .run()
    )


async def test_concurrent_pay_presses_share_one_open_attempt(clients):
    dossier = await _new_dossier()
    phone = dossier["phone"]
    client = await clients.new()
    assert (await login(client, phone)).status_code == 303
    reference = dossier["reference"]
    page = await client.get(f"/ho-so/{reference}")
    assert page.status_code == 200

    presses = await asyncio.gather(
        *(post(client, f"/ho-so/{reference}/thanh-toan", {}) for _ in range(6))
    )

    assert [r.status_code for r in presses] == [303] * 6, [r.text[:200] for r in presses]
    refs = {r.headers["location"].split("vnp_TxnRef=")[1].split("&")[0] for r in presses}
    rows = await payments_of(dossier["id"])
    assert [(p["status"], p["method"]) for p in rows] == [("pending", "online")]
    assert refs == {rows[0]["txn_ref"]}


async def test_concurrent_service_starts_create_one_attempt(demo_db):
    dossier = await _new_dossier()

    requests = await asyncio.gather(*(start_payment(dossier["id"]) for _ in range(8)))

    assert len({r["vnp_TxnRef"] for r in requests}) == 1
    assert len(await payments_of(dossier["id"])) == 1
    assert (await dossier_row(dossier["id"]))["fee_status"] == FeeStatus.AWAITING_CONFIRMATION


async def test_two_attempts_both_confirmed_give_one_receipt_and_one_refund(demo_db):
    dossier = await _new_dossier()
    first = await start_payment(dossier["id"])
    await _age_open_attempt(dossier["id"])
    second = await start_payment(dossier["id"])  # the first expired: a new attempt
    assert first["vnp_TxnRef"] != second["vnp_TxnRef"]
    series = fee_receipt_series()
    before = await fee_receipt_numbers(series)

    answers = await asyncio.gather(
        payments_ipn.handle_ipn(callback(first, "00"), "127.0.0.1"),
        payments_ipn.handle_ipn(callback(second, "00"), "127.0.0.1"),
    )

    assert answers == [CONFIRMED, CONFIRMED]  # both were real money: the gateway must stop
    rows = await payments_of(dossier["id"])
    assert sorted(p["status"] for p in rows) == ["paid", "refund_due"]
    assert len(await _receipted(dossier["id"])) == 1
    assert len(await fee_receipt_numbers(series)) == len(before) + 1
    assert (await dossier_row(dossier["id"]))["fee_status"] == FeeStatus.PAID


async def test_a_desk_payment_while_online_is_pending_leaves_the_late_ipn_for_refund(clients):
    dossier = await _new_dossier()
    request = await start_payment(dossier["id"])
    desk = await clients.officer(RECEPTIONIST)
    panel = await desk.get(f"/mot-cua/ho-so/{dossier['id']}")
    assert "Thu tại quầy sẽ hủy giao dịch đó" in panel.text  # the officer is told first

    response = await post(desk, f"/mot-cua/ho-so/{dossier['id']}/thu-phi", {"cach": "cash"})
    assert response.status_code == 303, response.text
    answer = await payments_ipn.handle_ipn(callback(request, "00"), "127.0.0.1")

    assert answer == CONFIRMED
    rows = {p["method"]: p for p in await payments_of(dossier["id"])}
    assert rows["cash"]["status"] == "paid" and rows["cash"]["fee_receipt_number"]
    assert rows["online"]["status"] == "refund_due"
    assert rows["online"]["fee_receipt_number"] is None
    [logged] = await callbacks_for(request["vnp_TxnRef"])
    assert "hoàn trả" in logged["answer_message"]
    page = await desk.get(f"/mot-cua/ho-so/{dossier['id']}")
    assert "Cần hoàn trả" in page.text
    day = local_now().date().isoformat()
    screen = await desk.get(f"/mot-cua/doi-soat?ngay={day}")
    assert "Cần hoàn trả" in screen.text and dossier["code"] in screen.text
    report = await reconciliation.day_report(rows["online"]["agency"], local_now().date())
    assert rows["online"]["id"] in [r["id"] for r in report.refunds]
    assert rows["online"]["id"] not in [r["id"] for r in report.rows]


async def test_desk_and_online_at_once_give_one_receipt(demo_db):
    dossier = await _new_dossier()
    request = await start_payment(dossier["id"])
    row = await dossier_row(dossier["id"])
    officer = await officer_id(RECEPTIONIST)

    desk, answer = await asyncio.gather(
        payments.record_counter_payment(row, officer, "card"),
        payments_ipn.handle_ipn(callback(request, "00"), "127.0.0.1"),
        return_exceptions=True,
    )

    assert answer == CONFIRMED
    [receipt] = await _receipted(dossier["id"])
    statuses = sorted(p["status"] for p in await payments_of(dossier["id"]))
    if isinstance(desk, payments.PaymentRefused):  # the gateway won: nothing taken at the desk
        assert receipt["method"] == "online" and statuses == ["paid"]
    else:  # the desk won: the online money is refunded
        assert receipt["id"] == desk and statuses == ["paid", "refund_due"]
    assert (await dossier_row(dossier["id"]))["fee_status"] == FeeStatus.PAID


async def test_twenty_identical_ipns_at_once_are_all_logged_and_answered(portal):
    dossier = await _new_dossier()
    request = await start_payment(dossier["id"])
    notification = callback(request, "00")
    series = fee_receipt_series()
    before = await fee_receipt_numbers(series)

    # a real server: the in-process test client handles one request at a time
    async with httpx.AsyncClient(base_url=portal, timeout=60) as gateway:
        responses = await asyncio.gather(
            *(gateway.get(IPN_PATH, params=notification) for _ in range(20))
        )

    assert [r.status_code for r in responses] == [200] * 20
    answers = [r.json() for r in responses]
    assert answers.count(CONFIRMED) == 1, answers
    assert answers.count(ALREADY) == 19, answers
    assert len(await _receipted(dossier["id"])) == 1
    assert len(await fee_receipt_numbers(series)) == len(before) + 1
    logged = await callbacks_for(request["vnp_TxnRef"])
    assert len(logged) == 20
    assert sorted(c["answer_code"] for c in logged) == ["00"] + ["02"] * 19


async def test_an_ipn_that_keeps_meeting_a_busy_database_is_answered_99_and_logged(
    demo_db, monkeypatch
):
    dossier = await _new_dossier()
    request = await start_payment(dossier["id"])

    class Busy(Exception):
        sqlstate = "40001"  # what asyncpg raises on a serialization failure

    async def always_busy(params, txn_ref):
        raise Busy("could not serialize access")

    monkeypatch.setattr(payments_ipn, "_apply_ipn", always_busy)
    answer = await payments_ipn.handle_ipn(callback(request, "00"), "127.0.0.1")

    assert answer["RspCode"] == "99"
    [logged] = await callbacks_for(request["vnp_TxnRef"])
    assert logged["answer_code"] == "99"
    assert (await payments_of(dossier["id"]))[0]["status"] == "pending"


async def test_twenty_identical_ipns_at_once_in_the_service(demo_db):
    dossier = await _new_dossier()
    request = await start_payment(dossier["id"])
    notification = callback(request, "00")

    answers = await asyncio.gather(
        *(payments_ipn.handle_ipn(notification, "127.0.0.1") for _ in range(20)),
        return_exceptions=True,
    )

    assert answers.count(CONFIRMED) == 1, answers
    assert answers.count(ALREADY) == 19, answers
    assert len(await _receipted(dossier["id"])) == 1
    assert len(await callbacks_for(request["vnp_TxnRef"])) == 20
