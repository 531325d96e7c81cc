"""The gateway's answers: the server-to-server IPN and the browser's return.

Only the IPN marks an online payment paid, after the protocol's checks (``domain/vnpay``); the
browser's return only shows what is known. Every IPN is logged and answered; a database that
keeps refusing gets code 99 so that VNPay tries again.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from typing import Any

from app.db import write_transaction
from app.domain import vnpay
from app.domain.dossier_flow import Action
from app.domain.fees import FeeStatus
from app.models import Payment, PaymentCallback
from app.services import workflow
from app.services.calendar import local_now
from app.services.payments import (
    CONFIRMABLE,
    OPEN_FEE,
    SYSTEM,
    cancel_open_attempts,
    issue_fee_receipt,
    lock_dossier,
)
from app.settings import get_settings


def _callback_values(callback: vnpay.Callback | None) -> dict:
    if callback is None:
        return {}
    return {
        Payment.response_code: callback.response_code,
        Payment.transaction_no: callback.transaction_no,
        Payment.bank_code: callback.bank_code,
    }


async def _confirm_online(payment: dict[str, Any], callback: vnpay.Callback) -> str:
    """A gateway success: the fee receipt when the fee is still open, else a refund is due."""
    locked = await lock_dossier(payment["dossier"])
    if locked is not None and locked["fee_status"] in OPEN_FEE:

        async def paid() -> None:
            await issue_fee_receipt(payment, _callback_values(callback))
            await cancel_open_attempts(payment["dossier"], keep=payment["id"])

        changes = workflow.Changes(details={"txn_ref": payment["txn_ref"]})
        await workflow.transition(
            payment["dossier"], Action.CONFIRM_PAYMENT, SYSTEM, changes=changes, along=paid
        )
        return ""
    values = {
        **_callback_values(callback),
        Payment.status: "refund_due",
        Payment.paid_at: local_now(),
    }
    await Payment.update(values).where(Payment.id == payment["id"]).run()
    return "Khoản phí đã được nộp trước đó: số tiền này được ghi nhận để hoàn trả."


async def _fail_online(payment: dict[str, Any], callback: vnpay.Callback) -> None:
    await (
        Payment.update({Payment.status: "failed", Payment.response_code: callback.response_code})
        .where((Payment.id == payment["id"]) & (Payment.status == "pending"))
        .run()
    )
    locked = await lock_dossier(payment["dossier"])
    if locked is not None and locked["fee_status"] == FeeStatus.AWAITING_CONFIRMATION:
        changes = workflow.Changes(details={"txn_ref": payment["txn_ref"]})
        await workflow.transition(payment["dossier"], Action.FAIL_PAYMENT, SYSTEM, changes=changes)


async def _payment_locked(txn_ref: str) -> dict[str, Any] | None:
    """The payment, read again after its dossier is locked (so concurrent IPNs queue up)."""
    payment = await Payment.select(Payment.dossier).where(Payment.txn_ref == txn_ref).first().run()
    if payment is None:
        return None
    await lock_dossier(payment["dossier"])
    return await Payment.select().where(Payment.txn_ref == txn_ref).first().run()


async def _apply_ipn(params: dict[str, str], txn_ref: str) -> tuple[vnpay.IpnDecision, str]:
    payment = await _payment_locked(txn_ref)
    order = None
    if payment is not None:
        order = vnpay.OrderFacts(
            txn_ref=payment["txn_ref"],
            amount_vnd=payment["amount_vnd"],
            already_confirmed=payment["status"] not in CONFIRMABLE,
        )
    decision = vnpay.decide_ipn(params, get_settings().vnpay_secret, order)
    note = decision.message
    if decision.outcome is vnpay.Outcome.PAID:
        note = await _confirm_online(payment, decision.callback) or note
    elif decision.outcome is vnpay.Outcome.FAILED:
        await _fail_online(payment, decision.callback)
    return decision, note


async def _log_ipn(params: dict[str, str], txn_ref: str, code: str, note: str, addr: str) -> None:
    await (
        PaymentCallback(
            kind="ipn",
            txn_ref=txn_ref,
            params=dict(params),
            answer_code=code,
            answer_message=note,
            remote_addr=addr[:45],
        )
        .save()
        .run()
    )


# PostgreSQL: serialization failure, deadlock, unique violation; SQLite: a lock that outlasted
# the busy timeout. The whole transaction is tried again.
RETRY_SQLSTATES = frozenset({"40001", "40P01", "23505"})
IPN_TRIES = 5


def _retryable(exc: Exception) -> bool:
    if getattr(exc, "sqlstate", None) in RETRY_SQLSTATES:
        return True
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


async def handle_ipn(params: dict[str, str], remote_addr: str) -> dict[str, str]:
    """The IPN: the protocol's checks, then paid, refund due or failed, idempotently; every call
    is logged and answered with a VNPay code (99 when the database kept refusing: VNPay retries)."""
    txn_ref = str(params.get("vnp_TxnRef", ""))[:100]
    for attempt in range(IPN_TRIES):
        try:
            async with write_transaction():
                decision, note = await _apply_ipn(params, txn_ref)
                await _log_ipn(params, txn_ref, decision.answer.value, note, remote_addr)
            return decision.body()
        except Exception as exc:
            if not _retryable(exc):
                raise
            await asyncio.sleep(0.02 * (attempt + 1))
    unknown = vnpay.IpnDecision(vnpay.IpnAnswer.UNKNOWN_ERROR)
    await _log_ipn(params, txn_ref, unknown.answer.value, "Cơ sở dữ liệu bận", remote_addr)
    return unknown.body()


@dataclass(frozen=True)
class ReturnView:
    ok_signature: bool
    payment: dict[str, Any] | None
    message: str
    reference: str
    outcome: str = "failed"  # paid | waiting (for the bank's confirmation) | failed

    @property
    def is_paid(self) -> bool:
        return self.outcome == "paid"

    @property
    def is_waiting(self) -> bool:
        return self.outcome == "waiting"


async def handle_return(params: dict[str, str], remote_addr: str) -> ReturnView:
    """What the browser shows on return; it never changes a payment (only the IPN does)."""
    settings = get_settings()
    ok = vnpay.verify(params, settings.vnpay_secret)
    txn_ref = str(params.get("vnp_TxnRef", ""))[:100]
    payment = None
    reference = ""
    if ok:
        payment = (
            await Payment.select(
                Payment.all_columns(), Payment.dossier.reference.as_alias("reference")
            )
            .where(Payment.txn_ref == txn_ref)
            .first()
            .run()
        )
        reference = payment["reference"] if payment else ""
    await (
        PaymentCallback(
            kind="return",
            txn_ref=txn_ref,
            params=dict(params),
            answer_code="ok" if ok else "97",
            remote_addr=remote_addr[:45],
        )
        .save()
        .run()
    )
    if not ok or payment is None:
        return ReturnView(False, None, "Kết quả thanh toán không hợp lệ.", reference)
    if payment["status"] == "paid":
        return ReturnView(True, payment, "Thanh toán thành công.", reference, "paid")
    code = str(params.get("vnp_ResponseCode", "99"))
    if payment["status"] == "failed" or code != "00":
        return ReturnView(True, payment, vnpay.response_message(code), reference)
    waiting = "waiting" if payment["status"] == "pending" else "failed"
    return ReturnView(True, payment, "Đang chờ ngân hàng xác nhận thanh toán.", reference, waiting)
