"""Fee payments: the VNPay adapter (redirect, browser return, IPN), desk payments, receipts.

Only the server-to-server IPN marks an online payment paid, after the protocol's checks; the
browser's return only shows what is known. Receipt numbers come from a counter per agency and
year that is incremented in the same transaction that marks the payment paid, so numbers have
no gaps and no duplicates.
"""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.db import write_transaction
from app.domain import vnpay
from app.domain.fees import FEE_STATUS_LABELS, Channel, FeeQuote, FeeStatus, amount_due
from app.models import Agency, Dossier, Payment, PaymentCallback
from app.services import sequences
from app.services.calendar import local_now, to_local
from app.settings import get_settings


class PaymentRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def quote_for(dossier: dict[str, Any]) -> FeeQuote:
    fees = (dossier.get("rules") or {}).get("fees", [])
    return amount_due(fees, Channel(dossier.get("channel") or "online"))


def status_for(quote: FeeQuote) -> FeeStatus:
    """Only known amounts make a dossier unpaid; amounts set locally are settled at the desk."""
    if quote.total_vnd > 0:
        return FeeStatus.UNPAID
    return FeeStatus.EXEMPT if quote.exempted else FeeStatus.NOT_REQUIRED


def _ip_or_loopback(text: str) -> str:
    """The payer's address for the gateway; behind an odd proxy it may not be an IP at all."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return "127.0.0.1"


def _txn_ref(dossier_id: int) -> str:
    return f"HS{dossier_id}-{local_now():%y%m%d%H%M%S}-{secrets.token_hex(3)}"


# An attempt sent to the gateway stays open while the gateway would still accept it.
ATTEMPT_MINUTES = 15
OPEN_FEE = (FeeStatus.UNPAID.value, FeeStatus.AWAITING_CONFIRMATION.value)
# Closed by the portal (a desk payment, an expired attempt) but the gateway may still confirm it.
CONFIRMABLE = ("pending", "cancelled")


async def _lock_dossier(dossier_id: int) -> dict[str, Any] | None:
    """The dossier's fee facts, locked until the transaction ends (SQLite: the write lock)."""
    query = Dossier.select(Dossier.id, Dossier.fee_status).where(Dossier.id == dossier_id)
    if get_settings().is_postgres:
        query = query.lock_rows()
    return await query.first().run()


async def _open_attempt(dossier_id: int) -> dict[str, Any] | None:
    return (
        await Payment.select()
        .where(
            (Payment.dossier == dossier_id)
            & (Payment.method == "online")
            & (Payment.status == "pending")
        )
        .order_by(Payment.id, ascending=False)
        .first()
        .run()
    )


async def _cancel_open_attempts(dossier_id: int, keep: int | None = None) -> None:
    where = (
        (Payment.dossier == dossier_id)
        & (Payment.method == "online")
        & (Payment.status == "pending")
    )
    if keep is not None:
        where = where & (Payment.id != keep)
    await Payment.update({Payment.status: "cancelled"}).where(where).run()


async def _attempt_for(dossier: dict[str, Any], quote: FeeQuote) -> tuple[str, datetime]:
    """One open attempt per dossier: the open one while it lasts, else a new one."""
    locked = await _lock_dossier(dossier["id"])
    if locked is None or locked["fee_status"] not in OPEN_FEE:
        raise PaymentRefused("Hồ sơ này không có khoản phí cần thanh toán.")
    now = local_now()
    current = await _open_attempt(dossier["id"])
    if current is not None:
        created = to_local(current["created_at"])
        if created > now - timedelta(minutes=ATTEMPT_MINUTES - 1):
            return current["txn_ref"], created
        await _cancel_open_attempts(dossier["id"])  # expired: a late success is refunded
    txn_ref = _txn_ref(dossier["id"])
    await (
        Payment(
            dossier=dossier["id"],
            agency=dossier["receiving_agency"],
            txn_ref=txn_ref,
            amount_vnd=quote.total_vnd,
            method="online",
            lines=[{"name": n, "amount_vnd": a} for n, a in quote.lines],
            created_at=now,
        )
        .save()
        .run()
    )
    await (
        Dossier.update({Dossier.fee_status: FeeStatus.AWAITING_CONFIRMATION.value})
        .where(Dossier.id == dossier["id"])
        .run()
    )
    return txn_ref, now


async def start_online_payment(dossier: dict[str, Any], ip: str, return_url: str) -> str:
    """The gateway URL of the dossier's open attempt (created when there is none)."""
    if dossier["fee_status"] not in OPEN_FEE:
        raise PaymentRefused("Hồ sơ này không có khoản phí cần thanh toán.")
    quote = quote_for(dossier)
    if not quote.is_payable_online:
        raise PaymentRefused("Khoản phí này nộp tại bộ phận một cửa.")
    settings = get_settings()
    async with write_transaction():
        txn_ref, created = await _attempt_for(dossier, quote)
    request = vnpay.PaymentRequest(
        tmn_code=settings.vnpay_tmn_code,
        amount_vnd=quote.total_vnd,
        txn_ref=txn_ref,
        order_info=vnpay.ascii_order_info(f"Le phi ho so {dossier['code']}"),
        return_url=return_url,
        ip_addr=_ip_or_loopback(ip),
        created_at=created,
        expire_minutes=ATTEMPT_MINUTES,
    )
    return vnpay.payment_url(settings.gateway_url, request, settings.vnpay_secret)


def _callback_values(callback: vnpay.Callback | None) -> dict:
    if callback is None:
        return {}
    return {
        Payment.response_code: callback.response_code,
        Payment.transaction_no: callback.transaction_no,
        Payment.bank_code: callback.bank_code,
    }


async def _issue_receipt(payment: dict[str, Any], values: dict) -> None:
    """Mark ``payment`` paid with the next receipt number; the caller holds the dossier's lock
    and has just moved the dossier's fee to paid."""
    agency = await Agency.select(Agency.code).where(Agency.id == payment["agency"]).first().run()
    now = local_now()
    series = f"{agency['code']}/{now.year}"
    number = await sequences.next_value(f"receipt:{series}")
    values = {
        **values,
        Payment.status: "paid",
        Payment.paid_at: now,
        Payment.receipt_series: series,
        Payment.receipt_number: number,
    }
    await Payment.update(values).where(Payment.id == payment["id"]).run()
    await (
        Dossier.update({Dossier.fee_status: FeeStatus.PAID.value})
        .where(Dossier.id == payment["dossier"])
        .run()
    )


async def _confirm_online(payment: dict[str, Any], callback: vnpay.Callback) -> str:
    """A gateway success: the receipt when the fee is still open, else a refund is due."""
    locked = await _lock_dossier(payment["dossier"])
    if locked is not None and locked["fee_status"] in OPEN_FEE:
        await _issue_receipt(payment, _callback_values(callback))
        await _cancel_open_attempts(payment["dossier"], keep=payment["id"])
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
    await (
        Dossier.update({Dossier.fee_status: FeeStatus.UNPAID.value})
        .where(
            (Dossier.id == payment["dossier"])
            & (Dossier.fee_status == FeeStatus.AWAITING_CONFIRMATION.value)
        )
        .run()
    )


async def _payment_locked(txn_ref: str) -> dict[str, Any] | None:
    """The payment, read again after its dossier is locked (so concurrent IPNs queue up)."""
    payment = await Payment.select(Payment.dossier).where(Payment.txn_ref == txn_ref).first().run()
    if payment is None:
        return None
    await _lock_dossier(payment["dossier"])
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
        return ReturnView(True, payment, "Thanh toán thành công.", reference)
    code = str(params.get("vnp_ResponseCode", "99"))
    if payment["status"] == "failed" or code != "00":
        return ReturnView(True, payment, vnpay.response_message(code), reference)
    return ReturnView(True, payment, "Đang chờ ngân hàng xác nhận thanh toán.", reference)


async def record_counter_payment(dossier: dict[str, Any], officer_id: int, method: str) -> int:
    """An officer records a cash or card payment at the desk; returns the payment id.

    The fee must still be open. An online attempt still pending is cancelled: if the gateway
    confirms it later, that money is recorded for refund (``refund_due``), never a second receipt.
    """
    if method not in ("cash", "card"):
        raise PaymentRefused("Hình thức thanh toán không hợp lệ.")
    quote = quote_for(dossier)
    async with write_transaction():
        locked = await _lock_dossier(dossier["id"])
        if locked is None or locked["fee_status"] not in OPEN_FEE:
            raise PaymentRefused("Hồ sơ không có khoản phí chưa nộp.")
        await _cancel_open_attempts(dossier["id"])
        payment = Payment(
            dossier=dossier["id"],
            agency=dossier["receiving_agency"],
            txn_ref=_txn_ref(dossier["id"]) + "-Q",
            amount_vnd=quote.total_vnd,
            method=method,
            lines=[{"name": n, "amount_vnd": a} for n, a in quote.lines],
        )
        await payment.save().run()
        row = await Payment.select().where(Payment.id == payment.id).first().run()
        await _issue_receipt(row, {Payment.recorded_by: officer_id})
    return payment.id


def receipt_code(payment: dict[str, Any]) -> str:
    return f"{payment['receipt_series']}-{payment['receipt_number']:07d}"


def paid_on(payment: dict[str, Any]) -> datetime | None:
    return to_local(payment["paid_at"]) if payment["paid_at"] else None


async def fee_context(view: Any) -> dict[str, Any]:
    """What the fee fragment shows, for the citizen's and the officer's dossier pages."""
    paid = (
        await Payment.select()
        .where((Payment.dossier == view.id) & (Payment.status == "paid"))
        .order_by(Payment.id)
        .run()
    )
    refunds = (
        await Payment.select()
        .where((Payment.dossier == view.id) & (Payment.status == "refund_due"))
        .order_by(Payment.id)
        .run()
    )
    status = FeeStatus(view.fee_status)
    quote = quote_for(view.row)
    return {
        "fee_status": status,
        "fee_label": FEE_STATUS_LABELS[status],
        "quote": quote,
        "payments": paid,
        "refunds": refunds,
        "receipt_code": receipt_code,
        "can_pay_online": status in (FeeStatus.UNPAID, FeeStatus.AWAITING_CONFIRMATION)
        and quote.is_payable_online
        and view.code is not None,
    }
