"""Fee payments: the VNPay adapter (redirect, browser return, IPN), desk payments, receipts.

Only the server-to-server IPN marks an online payment paid, after the protocol's checks; the
browser's return only shows what is known. Receipt numbers come from a counter per agency and
year that is incremented in the same transaction that marks the payment paid, so numbers have
no gaps and no duplicates.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime
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


async def start_online_payment(dossier: dict[str, Any], ip: str, return_url: str) -> str:
    """Create a pending payment and return the gateway URL to redirect the citizen to."""
    if dossier["fee_status"] not in (FeeStatus.UNPAID, FeeStatus.AWAITING_CONFIRMATION):
        raise PaymentRefused("Hồ sơ này không có khoản phí cần thanh toán.")
    quote = quote_for(dossier)
    if not quote.is_payable_online:
        raise PaymentRefused("Khoản phí này nộp tại bộ phận một cửa.")
    settings = get_settings()
    txn_ref = _txn_ref(dossier["id"])
    await (
        Payment(
            dossier=dossier["id"],
            agency=dossier["receiving_agency"],
            txn_ref=txn_ref,
            amount_vnd=quote.total_vnd,
            method="online",
            lines=[{"name": n, "amount_vnd": a} for n, a in quote.lines],
        )
        .save()
        .run()
    )
    await (
        Dossier.update({Dossier.fee_status: FeeStatus.AWAITING_CONFIRMATION.value})
        .where((Dossier.id == dossier["id"]) & (Dossier.fee_status == FeeStatus.UNPAID.value))
        .run()
    )
    request = vnpay.PaymentRequest(
        tmn_code=settings.vnpay_tmn_code,
        amount_vnd=quote.total_vnd,
        txn_ref=txn_ref,
        order_info=vnpay.ascii_order_info(f"Le phi ho so {dossier['code']}"),
        return_url=return_url,
        ip_addr=_ip_or_loopback(ip),
        created_at=local_now(),
    )
    return vnpay.payment_url(settings.gateway_url, request, settings.vnpay_secret)


async def _mark_paid(payment: dict[str, Any], callback: vnpay.Callback | None, officer_id=None):
    agency = await Agency.select(Agency.code).where(Agency.id == payment["agency"]).first().run()
    now = local_now()
    series = f"{agency['code']}/{now.year}"
    number = await sequences.next_value(f"receipt:{series}")
    values = {
        Payment.status: "paid",
        Payment.paid_at: now,
        Payment.receipt_series: series,
        Payment.receipt_number: number,
    }
    if callback is not None:
        values.update(
            {
                Payment.response_code: callback.response_code,
                Payment.transaction_no: callback.transaction_no,
                Payment.bank_code: callback.bank_code,
            }
        )
    if officer_id is not None:
        values[Payment.recorded_by] = officer_id
    done = (
        await Payment.update(values)
        .where((Payment.id == payment["id"]) & (Payment.status == "pending"))
        .returning(Payment.id)
        .run()
    )
    if not done:
        raise PaymentRefused("Khoản thanh toán đã được xác nhận trước đó.")
    await (
        Dossier.update({Dossier.fee_status: FeeStatus.PAID.value})
        .where(Dossier.id == payment["dossier"])
        .run()
    )


async def handle_ipn(params: dict[str, str], remote_addr: str) -> dict[str, str]:
    """The IPN: the protocol's checks, then paid or failed, idempotently; every call logged."""
    settings = get_settings()
    txn_ref = str(params.get("vnp_TxnRef", ""))[:100]
    async with write_transaction():
        payment = await Payment.select().where(Payment.txn_ref == txn_ref).first().run()
        order = None
        if payment is not None:
            order = vnpay.OrderFacts(
                txn_ref=payment["txn_ref"],
                amount_vnd=payment["amount_vnd"],
                already_confirmed=payment["status"] != "pending",
            )
        decision = vnpay.decide_ipn(params, settings.vnpay_secret, order)
        if decision.outcome is vnpay.Outcome.PAID:
            await _mark_paid(payment, decision.callback)
        elif decision.outcome is vnpay.Outcome.FAILED:
            await (
                Payment.update(
                    {
                        Payment.status: "failed",
                        Payment.response_code: decision.callback.response_code,
                    }
                )
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
        await (
            PaymentCallback(
                kind="ipn",
                txn_ref=txn_ref,
                params=dict(params),
                answer_code=decision.answer.value,
                answer_message=decision.message,
                remote_addr=remote_addr[:45],
            )
            .save()
            .run()
        )
    return decision.body()


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
    """An officer records a cash or card payment at the desk; returns the payment id."""
    if method not in ("cash", "card"):
        raise PaymentRefused("Hình thức thanh toán không hợp lệ.")
    if dossier["fee_status"] not in (FeeStatus.UNPAID, FeeStatus.AWAITING_CONFIRMATION):
        raise PaymentRefused("Hồ sơ không có khoản phí chưa nộp.")
    quote = quote_for(dossier)
    async with write_transaction():
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
        await _mark_paid(row, None, officer_id)
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
    status = FeeStatus(view.fee_status)
    quote = quote_for(view.row)
    return {
        "fee_status": status,
        "fee_label": FEE_STATUS_LABELS[status],
        "quote": quote,
        "payments": paid,
        "receipt_code": receipt_code,
        "can_pay_online": status in (FeeStatus.UNPAID, FeeStatus.AWAITING_CONFIRMATION)
        and quote.is_payable_online
        and view.code is not None,
    }
