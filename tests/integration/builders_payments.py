"""Builders and gateway helpers for the online-payment tests (integration and e2e).

Dossiers are made the way citizens make them (the wizard, then submit) and moved on by real
workflow transitions. The gateway side is what VNPay would send: callbacks built by
``vnpay.gateway_callback_params`` from the request parameters the portal really signed.
"""

from __future__ import annotations

import itertools
import secrets
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from litestar.testing import AsyncTestClient
from litestar.testing.transport import TestClientTransport

from app.domain import dossier_flow as flow
from app.domain import vnpay
from app.main import create_app
from app.models import Agency, Dossier, Officer, Payment, PaymentCallback
from app.services import payments, workflow
from app.services.calendar import local_now
from app.settings import get_settings
from tests.integration import builders_notifications
from tests.integration.builders import Clients

HOA_BINH = "000.00.32.H99"
CITIZEN_PASSWORD = builders_notifications.CITIZEN_PASSWORD
DEMO_PASSWORD = "motcua-demo-2026"
RECEPTIONIST, SPECIALIST, LEADER = "tiepnhan.hoabinh", "xuly.hoabinh", "lanhdao.hoabinh"
ONLINE_FEE_VND = 7_000  # P19 "Đăng ký tạm trú", submitted online

PEER_IP = "203.0.113.7"  # TEST-NET-3: the browser's address, as uvicorn reports a TCP peer

_serial = itertools.count(1)


class _PeerTransport(TestClientTransport):
    """Litestar's in-process transport, but the client has an IP address like behind uvicorn
    (the stock transport says ``"testclient"``, which is no address at all)."""

    def parse_request(self, request):
        scope = super().parse_request(request)
        scope["client"] = (PEER_IP, 50_000)
        return scope


class PeerClients(Clients):
    """``builders.Clients`` whose browsers connect from :data:`PEER_IP`."""

    async def new(self) -> AsyncTestClient:
        client = AsyncTestClient(app=create_app())
        client._transport = _PeerTransport(client=client)
        return await self._stack.enter_async_context(client)


_PHONE_START = secrets.randbelow(10**8)


def unique_phone() -> str:
    """A mobile number nobody in this test session (tests and e2e share a database) has used:
    consecutive numbers from a random start."""
    return f"09{(_PHONE_START + next(_serial)) % 10**8:08d}"


async def submitted_dossier(
    phone: str, email: str, procedure_code: str = "P19", delivery: str = "desk"
) -> dict[str, Any]:
    """A dossier submitted through the wizard by a new citizen (password CITIZEN_PASSWORD)."""
    return await builders_notifications.submitted_dossier(phone, email, procedure_code, delivery)


async def officer_actor(username: str, role: flow.Role) -> workflow.Actor:
    officer = (
        await Officer.select(Officer.id, Officer.agency)
        .where(Officer.username == username)
        .first()
        .run()
    )
    return workflow.Actor("officer", officer["id"], role, officer["agency"])


async def approved_dossier(phone: str, email: str, delivery: str = "online") -> dict[str, Any]:
    """A dossier submitted by a citizen, then received, assigned, submitted for approval and
    approved by the Hòa Bình officers: its result is ready to be delivered."""
    dossier = await submitted_dossier(phone, email, delivery=delivery)
    receptionist = await officer_actor(RECEPTIONIST, flow.Role.RECEPTIONIST)
    specialist = await officer_actor(SPECIALIST, flow.Role.SPECIALIST)
    leader = await officer_actor(LEADER, flow.Role.LEADER)
    await workflow.transition(dossier["id"], flow.Action.RECEIVE, receptionist)
    await workflow.transition(
        dossier["id"],
        flow.Action.ASSIGN,
        receptionist,
        changes=workflow.Changes(officer_id=specialist.id),
    )
    await workflow.transition(dossier["id"], flow.Action.SUBMIT_FOR_APPROVAL, specialist)
    after = await workflow.transition(dossier["id"], flow.Action.APPROVE, leader)
    assert after["status"] == flow.Status.RESULT_READY.value
    return after


# --- the gateway's side ------------------------------------------------------------------------


def secret() -> str:
    return get_settings().vnpay_secret


def query_params(url: str) -> dict[str, str]:
    """The parameters of a URL's query, decoded (``+`` → space), as a gateway reads them."""
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def path_and_query(url: str) -> str:
    """``http://host:port/path?query`` → ``/path?query``, for the in-process test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def callback(request_params: dict[str, str], code: str = "00", **extra: Any) -> dict[str, str]:
    """What the gateway sends back (IPN and return) for a request it received and verified."""
    return vnpay.gateway_callback_params(
        request_params,
        secret(),
        response_code=code,
        transaction_no=str(14_000_000 + next(_serial)),
        bank_code="NCB",
        pay_date=local_now(),
        **extra,
    )


def resigned(params: dict[str, str], key: str = "", **changes: str) -> dict[str, str]:
    """``params`` with ``changes`` applied and signed again (with ``key``, else the secret)."""
    changed = {k: v for k, v in params.items() if k != "vnp_SecureHash"}
    changed.update(changes)
    changed["vnp_SecureHash"] = vnpay.sign(changed, key or secret())
    return changed


async def start_payment(dossier_id: int, ip: str = "127.0.0.1") -> dict[str, str]:
    """Start an online payment for a dossier through the service; the signed request params."""
    row = await dossier_row(dossier_id)
    return_url = get_settings().public_url + "/thanh-toan/vnpay/tra-ve"
    return query_params(await payments.start_online_payment(row, ip, return_url))


# --- reading what was recorded -----------------------------------------------------------------


async def dossier_row(dossier_id: int) -> dict[str, Any]:
    return (
        await Dossier.select().where(Dossier.id == dossier_id).output(load_json=True).first().run()
    )


async def payment_by_ref(txn_ref: str) -> dict[str, Any] | None:
    return await Payment.select().where(Payment.txn_ref == txn_ref).first().run()


async def payments_of(dossier_id: int) -> list[dict[str, Any]]:
    return await Payment.select().where(Payment.dossier == dossier_id).order_by(Payment.id).run()


async def callbacks_for(*txn_refs: str, kind: str = "ipn") -> list[dict[str, Any]]:
    return (
        await PaymentCallback.select()
        .where(PaymentCallback.txn_ref.is_in(list(txn_refs)) & (PaymentCallback.kind == kind))
        .order_by(PaymentCallback.id)
        .output(load_json=True)
        .run()
    )


async def hoa_binh_id() -> int:
    row = await Agency.select(Agency.id).where(Agency.code == HOA_BINH).first().run()
    return row["id"]


def fee_receipt_series() -> str:
    """The series the receipts of Hòa Bình get today: ``<agency code>/<year>``."""
    return f"{HOA_BINH}/{local_now().year}"


async def fee_receipt_numbers(series: str) -> list[int]:
    """Every receipt number given in ``series`` so far, whatever became of its payment."""
    rows = (
        await Payment.select(Payment.fee_receipt_number)
        .where((Payment.fee_receipt_series == series) & Payment.fee_receipt_number.is_not_null())
        .run()
    )
    return sorted(row["fee_receipt_number"] for row in rows)
