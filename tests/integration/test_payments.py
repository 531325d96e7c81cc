"""Online payment (service level 4) through the VNPay protocol, and fees paid at the desk.

Every test makes its own dossiers. The gateway's calls are made over HTTP to the portal, with
parameters built from the request the portal really signed (``vnpay.gateway_callback_params``)
or hand-built and signed; only the server-to-server IPN may mark a payment paid.
"""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import hashlib
import hmac
import io
from urllib.parse import quote_plus

import pytest

from app.domain import vnpay
from app.domain.fees import FeeStatus
from app.models import Payment
from app.routes import payments as payment_routes
from app.services import payments, payments_ipn, reconciliation
from app.services.calendar import local_now
from app.settings import get_settings
from tests.integration.builders import Clients, officer_id, post
from tests.integration.builders_payments import (
    ONLINE_FEE_VND,
    PEER_IP,
    RECEPTIONIST,
    PeerClients,
    callback,
    callbacks_for,
    dossier_row,
    fee_receipt_numbers,
    fee_receipt_series,
    hoa_binh_id,
    path_and_query,
    payment_by_ref,
    payments_of,
    query_params,
    resigned,
    secret,
    start_payment,
    submitted_dossier,
    unique_phone,
)
from tests.integration.helpers import login, post_form

IPN_PATH = "/thanh-toan/vnpay/ipn"
RETURN_PATH = "/thanh-toan/vnpay/tra-ve"
CONFIRMED = {"RspCode": "00", "Message": "Confirm Success"}


@pytest.fixture
async def clients(demo_db):
    clients = PeerClients()
    yield clients
    await clients.aclose()


async def _new_dossier(delivery: str = "desk") -> dict:
    phone = unique_phone()
    return await submitted_dossier(phone, f"{phone}@example.com", delivery=delivery)


class OnlinePayment:
    """A citizen's dossier and the payment they started over HTTP (pending, at the gateway)."""

    def __init__(self, dossier: dict, client, location: str) -> None:
        self.dossier = dossier
        self.client = client
        self.location = location
        self.request = query_params(location)  # what the portal signed and sent to the gateway
        self.txn_ref = self.request["vnp_TxnRef"]

    async def state(self) -> tuple[str, list[dict]]:
        """The dossier's fee status and every payment row of the dossier."""
        row = await dossier_row(self.dossier["id"])
        return row["fee_status"], await payments_of(self.dossier["id"])

    async def payment(self) -> dict:
        return await payment_by_ref(self.txn_ref)


async def _press_pay(clients: Clients) -> tuple[dict, object, object]:
    """A citizen submits P19 online, logs in and presses "Thanh toán trực tuyến"."""
    phone = unique_phone()
    dossier = await submitted_dossier(phone, f"{phone}@example.com")
    client = await clients.new()
    response = await login(client, phone)
    assert response.status_code == 303, response.text
    reference = dossier["reference"]
    response = await post_form(client, f"/ho-so/{reference}/thanh-toan", {}, f"/ho-so/{reference}")
    return dossier, client, response


async def _pay_online(clients: Clients) -> OnlinePayment:
    dossier, client, response = await _press_pay(clients)
    assert response.status_code == 303, response.text
    return OnlinePayment(dossier, client, response.headers["location"])


async def _ipn(client, params: dict[str, str]) -> dict[str, str]:
    """The gateway's server-to-server notification; the JSON answer."""
    response = await client.get(IPN_PATH, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def _hand_signature(params: dict[str, str], key: str) -> str:
    """VNPay's hash computed without ``app.domain.vnpay``: sorted non-empty vnp_* fields but the
    hash itself, ``quote_plus``-encoded as ``key=value`` joined by ``&``; HMAC-SHA512, hex."""
    data = "&".join(
        f"{quote_plus(name)}={quote_plus(value)}"
        for name, value in sorted(params.items())
        if name.startswith("vnp_") and name not in ("vnp_SecureHash", "vnp_SecureHashType")
        if value
    )
    return hmac.new(key.encode("utf-8"), data.encode("utf-8"), hashlib.sha512).hexdigest()


# --- starting a payment -----------------------------------------------------------------------


async def test_the_citizen_is_sent_to_the_gateway_with_a_signed_request(clients):
    paying = await _pay_online(clients)
    settings = get_settings()

    assert paying.location.startswith(settings.gateway_url + "?")
    params = paying.request
    assert vnpay.verify(params, secret())
    assert params["vnp_Amount"] == "700000"  # 7,000 VND × 100
    assert params["vnp_TmnCode"] == settings.vnpay_tmn_code
    assert params["vnp_Command"] == "pay"
    assert params["vnp_CurrCode"] == "VND"
    assert params["vnp_Version"] == "2.1.0"
    assert params["vnp_ReturnUrl"] == settings.public_url + RETURN_PATH
    assert params["vnp_IpAddr"] == PEER_IP
    assert paying.dossier["code"] in params["vnp_OrderInfo"]
    assert "vnp_SecureHashType" not in params

    fee_status, rows = await paying.state()
    assert fee_status == FeeStatus.AWAITING_CONFIRMATION
    assert [(r["txn_ref"], r["amount_vnd"], r["status"], r["method"]) for r in rows] == [
        (paying.txn_ref, ONLINE_FEE_VND, "pending", "online")
    ]
    assert rows[0]["fee_receipt_number"] is None

    gateway = await paying.client.get(path_and_query(paying.location))
    assert gateway.status_code == 200
    assert "Cổng thanh toán thử nghiệm" in gateway.text
    assert "7.000 ₫" in gateway.text
    assert paying.txn_ref in gateway.text


async def test_a_peer_address_that_is_not_an_ip_does_not_break_the_payment_button(demo_db):
    """Litestar's stock test client connects as "testclient"; a request without a peer address
    (a Unix socket, an ASGI server that omits it) reads "unknown" in ``client_address``. Neither
    is an IP address for ``vnp_IpAddr``: the citizen should still reach the gateway, or at
    least be told something, never get an internal error."""
    stock = Clients()
    try:
        _, _, response = await _press_pay(stock)
    finally:
        await stock.aclose()
    assert response.status_code != 500, "POST /ho-so/{ref}/thanh-toan answered 500"
    assert response.status_code in (303, 422)
    if response.status_code == 303:
        assert vnpay.verify(query_params(response.headers["location"]), secret())


async def test_the_sandbox_gateway_refuses_a_request_whose_signature_is_wrong(clients):
    paying = await _pay_online(clients)
    forged = resigned(paying.request, key="not-the-merchant-secret", vnp_Amount="100")
    response = await paying.client.get(path_and_query(get_settings().gateway_url), params=forged)
    assert response.status_code == 400
    assert "Sai chữ ký" in response.text


# --- the IPN ----------------------------------------------------------------------------------


async def test_a_valid_success_ipn_is_confirmed_and_the_receipt_numbered(clients):
    paying = await _pay_online(clients)
    series = fee_receipt_series()
    before = await fee_receipt_numbers(series)
    ipn = callback(paying.request, "00")

    assert await _ipn(paying.client, ipn) == CONFIRMED

    payment = await paying.payment()
    assert payment["status"] == "paid"
    assert payment["paid_at"] is not None
    assert payment["response_code"] == "00"
    assert payment["transaction_no"] == ipn["vnp_TransactionNo"]
    assert payment["bank_code"] == "NCB"
    assert payment["fee_receipt_series"] == series
    assert payment["fee_receipt_number"] == max(before, default=0) + 1
    assert (await dossier_row(paying.dossier["id"]))["fee_status"] == FeeStatus.PAID
    assert [
        (c["answer_code"], c["answer_message"]) for c in await callbacks_for(paying.txn_ref)
    ] == [("00", "Confirm Success")]


async def test_a_replayed_ipn_is_answered_02_and_changes_nothing(clients):
    paying = await _pay_online(clients)
    ipn = callback(paying.request, "00")
    assert await _ipn(paying.client, ipn) == CONFIRMED
    confirmed = await paying.state()

    for _ in range(2):
        answer = await _ipn(paying.client, ipn)
        assert answer == {"RspCode": "02", "Message": "Order already confirmed"}
    # a later notification saying the payment failed does not undo it either
    assert (await _ipn(paying.client, callback(paying.request, "24")))["RspCode"] == "02"

    assert await paying.state() == confirmed
    fee_status, rows = confirmed
    assert fee_status == FeeStatus.PAID
    assert [r["status"] for r in rows] == ["paid"]
    logged = [c["answer_code"] for c in await callbacks_for(paying.txn_ref)]
    assert logged == ["00", "02", "02", "02"]


async def test_a_tampered_amount_is_answered_04_and_nothing_is_recorded(clients):
    paying = await _pay_online(clients)
    ipn = callback(paying.request, "00")
    pending = await paying.state()

    tampered = resigned(ipn, vnp_Amount="100000")  # 1,000 VND, properly signed
    assert vnpay.verify(tampered, secret())
    assert await _ipn(paying.client, tampered) == {"RspCode": "04", "Message": "Invalid amount"}
    assert await paying.state() == pending
    assert (await paying.payment())["status"] == "pending"

    # once paid, a different amount is still reported, never taken for a replay
    assert await _ipn(paying.client, ipn) == CONFIRMED
    paid = await paying.state()
    more = resigned(ipn, vnp_Amount="7000000")
    assert (await _ipn(paying.client, more))["RspCode"] == "04"
    assert await paying.state() == paid

    logged = [
        (c["answer_code"], c["params"]["vnp_Amount"]) for c in await callbacks_for(paying.txn_ref)
    ]
    assert logged == [("04", "100000"), ("00", "700000"), ("04", "7000000")]


def _one_character_changed(params: dict[str, str]) -> dict[str, str]:
    digest = params["vnp_SecureHash"]
    return {**params, "vnp_SecureHash": digest[:-1] + ("0" if digest[-1] != "0" else "1")}


def _signed_with_another_secret(params: dict[str, str]) -> dict[str, str]:
    return resigned(params, key="another-merchant-secret")


def _field_changed_after_signing(params: dict[str, str]) -> dict[str, str]:
    return {**params, "vnp_TransactionNo": params["vnp_TransactionNo"] + "1"}


def _without_signature(params: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in params.items() if k != "vnp_SecureHash"}


@pytest.mark.parametrize(
    "forge",
    [
        _one_character_changed,
        _signed_with_another_secret,
        _field_changed_after_signing,
        _without_signature,
    ],
    ids=["one-character", "other-secret", "field-changed", "no-hash"],
)
async def test_a_bad_signature_is_answered_97_and_refused(clients, forge):
    paying = await _pay_online(clients)
    pending = await paying.state()

    answer = await _ipn(paying.client, forge(callback(paying.request, "00")))

    assert answer == {"RspCode": "97", "Message": "Invalid signature"}
    assert await paying.state() == pending
    fee_status, rows = pending
    assert fee_status == FeeStatus.AWAITING_CONFIRMATION
    assert [r["status"] for r in rows] == ["pending"]
    logged = await callbacks_for(paying.txn_ref)
    assert [(c["answer_code"], c["answer_message"]) for c in logged] == [
        ("97", "Invalid signature")
    ]


async def test_an_unknown_order_is_answered_01(clients):
    paying = await _pay_online(clients)
    pending = await paying.state()
    unknown = f"HS0-{local_now():%y%m%d%H%M%S}-{unique_phone()[-6:]}"
    ipn = resigned(callback(paying.request, "00"), vnp_TxnRef=unknown)
    assert vnpay.verify(ipn, secret())

    assert await _ipn(paying.client, ipn) == {"RspCode": "01", "Message": "Order not found"}

    assert await paying.state() == pending
    assert await payment_by_ref(unknown) is None
    assert [c["answer_code"] for c in await callbacks_for(unknown)] == ["01"]


async def test_a_declined_payment_is_answered_00_and_the_dossier_is_unpaid_again(clients):
    paying = await _pay_online(clients)
    ipn = callback(paying.request, "24")  # the payer cancelled at the gateway
    assert ipn["vnp_TransactionStatus"] == "02"

    assert await _ipn(paying.client, ipn) == CONFIRMED

    payment = await paying.payment()
    assert payment["status"] == "failed"
    assert payment["response_code"] == "24"
    assert payment["fee_receipt_number"] is None
    assert (await dossier_row(paying.dossier["id"]))["fee_status"] == FeeStatus.UNPAID
    assert [c["answer_code"] for c in await callbacks_for(paying.txn_ref)] == ["00"]

    # the citizen may pay again: a new attempt with a new transaction reference
    reference = paying.dossier["reference"]
    again = await post_form(
        paying.client, f"/ho-so/{reference}/thanh-toan", {}, f"/ho-so/{reference}"
    )
    assert again.status_code == 303
    retry = query_params(again.headers["location"])
    assert retry["vnp_TxnRef"] != paying.txn_ref
    assert await _ipn(paying.client, callback(retry, "00")) == CONFIRMED
    assert (await dossier_row(paying.dossier["id"]))["fee_status"] == FeeStatus.PAID
    assert [r["status"] for r in await payments_of(paying.dossier["id"])] == ["failed", "paid"]


async def test_every_ipn_call_is_logged_with_the_answer_given(clients):
    paying = await _pay_online(clients)
    success = callback(paying.request, "00")
    unknown = f"HS0-{local_now():%y%m%d%H%M%S}-{unique_phone()[-6:]}"
    calls = [
        (_one_character_changed(success), "97"),
        (_signed_with_another_secret(success), "97"),
        (resigned(success, vnp_Amount="800000"), "04"),
        (resigned(success, vnp_TxnRef=unknown), "01"),
        (success, "00"),
        (success, "02"),
    ]
    for params, code in calls:
        assert (await _ipn(paying.client, params))["RspCode"] == code

    logged = await callbacks_for(paying.txn_ref, unknown)
    assert [(c["answer_code"], c["params"]) for c in logged] == [(code, p) for p, code in calls]
    assert {c["kind"] for c in logged} == {"ipn"}
    assert all(c["answer_message"] == vnpay.IPN_MESSAGES[c["answer_code"]] for c in logged)
    assert {c["remote_addr"] for c in logged} == {PEER_IP}


# --- the browser's return ---------------------------------------------------------------------


async def test_the_return_alone_never_marks_a_payment_paid(clients):
    paying = await _pay_online(clients)
    pending = await paying.state()
    success = callback(paying.request, "00")

    page = await paying.client.get(RETURN_PATH, params=success)

    assert page.status_code == 200
    assert "Kết quả thanh toán" in page.text
    assert "Đang chờ ngân hàng xác nhận thanh toán." in page.text
    assert "Thanh toán thành công." not in page.text
    assert await paying.state() == pending
    assert (await paying.payment())["status"] == "pending"
    assert [c["answer_code"] for c in await callbacks_for(paying.txn_ref, kind="return")] == ["ok"]
    assert await callbacks_for(paying.txn_ref) == []  # no IPN was received or invented

    # the IPN then confirms it, and the same return now says so
    assert await _ipn(paying.client, success) == CONFIRMED
    page = await paying.client.get(RETURN_PATH, params=success)
    assert "Thanh toán thành công." in page.text
    assert "7.000 ₫" in page.text


async def test_a_return_with_a_bad_signature_says_the_result_is_invalid(clients):
    paying = await _pay_online(clients)
    pending = await paying.state()

    page = await paying.client.get(
        RETURN_PATH, params=_one_character_changed(callback(paying.request, "00"))
    )

    assert page.status_code == 200
    assert "Kết quả thanh toán không hợp lệ." in page.text
    assert "Thanh toán thành công." not in page.text
    assert await paying.state() == pending
    assert [c["answer_code"] for c in await callbacks_for(paying.txn_ref, kind="return")] == ["97"]


async def test_a_return_for_a_declined_payment_explains_why(clients):
    paying = await _pay_online(clients)
    declined = callback(paying.request, "51")
    assert await _ipn(paying.client, declined) == CONFIRMED

    page = await paying.client.get(RETURN_PATH, params=declined)

    assert "Tài khoản không đủ số dư để thực hiện giao dịch." in page.text
    assert (await dossier_row(paying.dossier["id"]))["fee_status"] == FeeStatus.UNPAID


# --- signatures computed independently ----------------------------------------------------------


async def test_hand_computed_signatures_match_the_sandbox(clients, monkeypatch):
    paying = await _pay_online(clients)
    key = secret()
    assert paying.request["vnp_SecureHash"] == _hand_signature(paying.request, key)

    sent: list[str] = []  # the sandbox's server-to-server IPN, caught instead of sent over TCP
    monkeypatch.setattr(payment_routes, "_call_ipn", sent.append)
    gateway = path_and_query(paying.location)
    decided = await post_form(
        paying.client, "/sandbox/vnpay/xu-ly", {**paying.request, "ket_qua": "00"}, gateway
    )
    assert decided.status_code == 303, decided.text

    assert len(sent) == 1
    assert sent[0].startswith(get_settings().public_url + IPN_PATH + "?")
    ipn = query_params(sent[0])
    assert ipn["vnp_SecureHash"] == _hand_signature(ipn, key)
    assert ipn["vnp_SecureHash"] != _hand_signature(ipn, key + "x")
    assert ipn["vnp_TxnRef"] == paying.txn_ref
    assert ipn["vnp_Amount"] == "700000"
    assert ipn["vnp_OrderInfo"] == paying.request["vnp_OrderInfo"]
    assert " " in ipn["vnp_OrderInfo"]  # encoded as "+" in the signed data
    assert (ipn["vnp_ResponseCode"], ipn["vnp_TransactionStatus"]) == ("00", "00")
    assert "vnp_SecureHashType" not in ipn

    back = decided.headers["location"]
    assert back.startswith(paying.request["vnp_ReturnUrl"] + "?")
    assert query_params(back) == ipn  # the browser carries the same signed result

    assert await _ipn(paying.client, ipn) == CONFIRMED
    page = await paying.client.get(path_and_query(back))
    assert "Thanh toán thành công." in page.text


async def test_the_sandbox_cannot_sign_payments_for_a_real_gateway(clients, monkeypatch):
    """In production MOTCUA_VNPAY_URL and MOTCUA_VNPAY_SECRET are VNPay's. The built-in sandbox
    signs its callbacks with that secret: it must not be there to sign a success nobody paid."""
    production = dataclasses.replace(
        get_settings(),
        vnpay_url="https://pay.vnpay.example/paymentv2/vpcpay.html",
        vnpay_secret="the-merchant-secret-from-vnpay",
    )
    for module in (payment_routes, payments):
        monkeypatch.setattr(module, "get_settings", lambda: production)
    sent: list[str] = []
    monkeypatch.setattr(payment_routes, "_call_ipn", sent.append)
    paying = await _pay_online(clients)
    assert paying.location.startswith(production.vnpay_url + "?")
    assert vnpay.verify(paying.request, production.vnpay_secret)

    # a citizen posts the signed request to the portal's own sandbox instead of paying VNPay
    decided = await post_form(
        paying.client, "/sandbox/vnpay/xu-ly", {**paying.request, "ket_qua": "00"}
    )
    for url in sent:  # what the sandbox told the IPN, delivered
        await _ipn(paying.client, query_params(url))

    payment = await paying.payment()
    assert payment["status"] == "pending", (
        f"the portal's sandbox signed a success with the merchant secret and the IPN recorded "
        f"it: receipt {payments.fee_receipt_code(payment)}, no money paid"
    )
    assert decided.status_code in (403, 404)
    assert sent == []


def test_a_hand_built_vector_matches_the_signing_code():
    params = {
        "vnp_Version": "2.1.0",
        "vnp_Command": "pay",
        "vnp_TmnCode": "MOTCUA01",
        "vnp_Amount": "1234500",
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": "HS42-261122083000-a1b2c3",
        "vnp_OrderInfo": "Le phi ho so 000.00.32.H99-261122-0001: cap lai, ban sao",
        "vnp_OrderType": "other",
        "vnp_Locale": "vn",
        "vnp_ReturnUrl": "https://motcua.example.vn/thanh-toan/vnpay/tra-ve?a=1&b=2",
        "vnp_IpAddr": "2001:db8::1",
        "vnp_CreateDate": "20261122083000",
        "vnp_BankCode": "",  # empty: left out of the signed data
        "vnp_SecureHashType": "HmacSHA512",  # never signed
        "other": "ignored",  # not a vnp_ field
    }
    key = "sandbox-secret-not-for-production"
    expected = _hand_signature(params, key)
    assert "vnp_OrderInfo=Le+phi+ho+so+000.00.32.H99-261122-0001%3A+cap+lai%2C+ban+sao" in (
        vnpay.canonical_query(params)
    )
    assert vnpay.sign(params, key) == expected
    assert vnpay.verify({**params, "vnp_SecureHash": expected.upper()}, key)


# --- receipt numbering under concurrency ------------------------------------------------------


def _assert_consecutive(before: list[int], new: list[int], after: list[int]) -> None:
    start = max(before, default=0) + 1
    assert sorted(new) == list(range(start, start + len(new))), (before, new)
    assert len(after) == len(set(after)), "a receipt number was given twice"
    assert after == list(range(1, len(after) + 1)), "the series has a gap"


async def test_concurrent_desk_payments_get_consecutive_receipt_numbers(demo_db):
    count = 8
    dossiers = [await _new_dossier() for _ in range(count)]
    rows = [await dossier_row(d["id"]) for d in dossiers]
    officer = await officer_id(RECEPTIONIST)
    series = fee_receipt_series()
    before = await fee_receipt_numbers(series)

    results = await asyncio.gather(
        *(payments.record_counter_payment(row, officer, "cash") for row in rows),
        return_exceptions=True,
    )

    assert [r for r in results if isinstance(r, BaseException)] == []
    paid = await Payment.select().where(Payment.id.is_in(list(results))).run()
    assert {p["status"] for p in paid} == {"paid"}
    assert {p["fee_receipt_series"] for p in paid} == {series}
    _assert_consecutive(
        before, [p["fee_receipt_number"] for p in paid], await fee_receipt_numbers(series)
    )


async def test_concurrent_ipns_get_consecutive_receipt_numbers(demo_db):
    count = 8
    dossiers = [await _new_dossier() for _ in range(count)]
    requests = [await start_payment(d["id"]) for d in dossiers]
    notifications = [callback(r, "00") for r in requests]
    series = fee_receipt_series()
    before = await fee_receipt_numbers(series)

    answers = await asyncio.gather(
        *(payments_ipn.handle_ipn(n, "127.0.0.1") for n in notifications), return_exceptions=True
    )

    assert answers == [CONFIRMED] * count
    paid = [await payment_by_ref(r["vnp_TxnRef"]) for r in requests]
    assert {p["status"] for p in paid} == {"paid"}
    _assert_consecutive(
        before, [p["fee_receipt_number"] for p in paid], await fee_receipt_numbers(series)
    )
    assert {(await dossier_row(d["id"]))["fee_status"] for d in dossiers} == {FeeStatus.PAID}


# --- at the desk ------------------------------------------------------------------------------


async def test_a_desk_payment_is_receipted_and_exported_for_reconciliation(clients):
    dossier = await _new_dossier()
    desk = await clients.officer(RECEPTIONIST)
    series = fee_receipt_series()
    before = await fee_receipt_numbers(series)

    response = await post(desk, f"/mot-cua/ho-so/{dossier['id']}/thu-phi", {"cach": "cash"})

    assert response.status_code == 303, response.text
    [payment] = await payments_of(dossier["id"])
    assert (payment["status"], payment["method"], payment["amount_vnd"]) == (
        "paid",
        "cash",
        ONLINE_FEE_VND,
    )
    assert payment["recorded_by"] == await officer_id(RECEPTIONIST)
    assert payment["agency"] == await hoa_binh_id()
    assert payment["fee_receipt_number"] == max(before, default=0) + 1
    assert (await dossier_row(dossier["id"]))["fee_status"] == FeeStatus.PAID
    code = payments.fee_receipt_code(payment)
    page = await desk.get(f"/mot-cua/ho-so/{dossier['id']}")
    assert f"Biên lai {code}" in page.text

    # collected once: a second press is refused, nothing is added
    again = await post(desk, f"/mot-cua/ho-so/{dossier['id']}/thu-phi", {"cach": "card"})
    assert again.status_code == 422
    assert "Hồ sơ không có khoản phí chưa nộp." in again.text
    assert len(await payments_of(dossier["id"])) == 1

    export = await desk.get(f"/mot-cua/doi-soat/csv?ngay={local_now().date().isoformat()}")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert table[0] == reconciliation.CSV_HEADER
    mine = [row for row in table[1:] if row[0] == code]
    assert len(mine) == 1, table
    row = dict(zip(reconciliation.CSV_HEADER, mine[0], strict=True))
    assert row["ma_ho_so"] == dossier["code"]
    assert row["hinh_thuc"] == "cash"
    assert row["so_tien_vnd"] == str(ONLINE_FEE_VND)

    screen = await desk.get(f"/mot-cua/doi-soat?ngay={local_now().date().isoformat()}")
    assert screen.status_code == 200
    assert code in screen.text
    assert "<td>Tiền mặt</td>" in screen.text  # the method in words, not the stored key
    quiet_day = await desk.get("/mot-cua/doi-soat?ngay=2020-01-01")
    assert "Không có khoản thu nào" in quiet_day.text
    assert "<strong>0 ₫</strong>" in quiet_day.text  # nothing collected is 0 ₫, not "free"


async def test_a_receipt_is_shown_only_to_its_citizen_and_only_once_paid(clients):
    paying = await _pay_online(clients)
    pending = await paying.payment()
    reference = paying.dossier["reference"]
    receipt = f"/ho-so/{reference}/bien-lai/{pending['id']}"
    assert (await paying.client.get(receipt)).status_code == 404  # not paid yet

    assert await _ipn(paying.client, callback(paying.request, "00")) == CONFIRMED
    page = await paying.client.get(receipt)
    assert page.status_code == 200
    assert payments.fee_receipt_code(await paying.payment()) in page.text
    assert "NGƯỜI THU TIỀN" not in page.text  # paid online: no cashier signs it
    pdf = await paying.client.get(receipt, params={"pdf": "1"})
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")

    stranger = await clients.citizen()  # another citizen, logged in
    assert (await stranger.client.get(receipt)).status_code == 404
    assert (await stranger.client.get(receipt, params={"pdf": "1"})).status_code == 404


async def test_the_reconciliation_of_another_agency_does_not_list_the_receipt(clients):
    dossier = await _new_dossier()
    desk = await clients.officer(RECEPTIONIST)
    response = await post(desk, f"/mot-cua/ho-so/{dossier['id']}/thu-phi", {"cach": "card"})
    assert response.status_code == 303
    [payment] = await payments_of(dossier["id"])
    code = payments.fee_receipt_code(payment)
    day = local_now().date().isoformat()
    assert code in (await desk.get(f"/mot-cua/doi-soat/csv?ngay={day}")).text

    elsewhere = await clients.officer("tiepnhan.tanlap")
    export = await elsewhere.get(f"/mot-cua/doi-soat/csv?ngay={day}")
    assert export.status_code == 200
    assert code not in export.text
    assert dossier["code"] not in export.text
    # nor can Tân Lập record a payment for Hòa Bình's dossier
    refused = await post(elsewhere, f"/mot-cua/ho-so/{dossier['id']}/thu-phi", {"cach": "cash"})
    assert refused.status_code == 404
    assert len(await payments_of(dossier["id"])) == 1
