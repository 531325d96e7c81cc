"""Fee payments: the attempt sent to VNPay, desk payments, fee receipts.

The gateway's answers (IPN, browser return) are in ``payments_ipn``. Every change of the
dossier's fee status is a row of the lifecycle (start_payment, confirm_payment, fail_payment,
pay_at_counter) applied by ``workflow.transition``; the payment rows are written inside the same
transaction (``along``). Fee receipt numbers come from a counter per agency and year that is
incremented in the transaction that marks the payment paid, so numbers have no gaps and no
duplicates.
"""

from __future__ import annotations

import ipaddress
import secrets
from datetime import datetime, timedelta
from typing import Any

from app.db import write_transaction
from app.domain import vnpay
from app.domain.dossier_flow import Action, Refused, Role, Status, is_open, options
from app.domain.fees import FEE_STATUS_LABELS, FeeQuote, FeeStatus
from app.models import Agency, Dossier, Payment
from app.services import sequences, workflow
from app.services.calendar import local_now, to_local
from app.services.workflow import quote_for
from app.settings import get_settings


class PaymentRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


SYSTEM = workflow.Actor("system", None, Role.SYSTEM)
# The counter of fee receipt numbers per series; the key's word predates the name fee_receipt
# and stays, so that numbering continues where it stopped.
FEE_RECEIPT_COUNTER = "receipt:{series}"


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


async def lock_dossier(dossier_id: int) -> dict[str, Any] | None:
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


async def cancel_open_attempts(dossier_id: int, keep: int | None = None) -> None:
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
    locked = await lock_dossier(dossier["id"])
    if locked is None or locked["fee_status"] not in OPEN_FEE:
        raise PaymentRefused("Hồ sơ này không có khoản phí cần thanh toán.")
    now = local_now()
    current = await _open_attempt(dossier["id"])
    if current is not None:
        created = to_local(current["created_at"])
        if created > now - timedelta(minutes=ATTEMPT_MINUTES - 1):
            return current["txn_ref"], created
        await cancel_open_attempts(dossier["id"])  # expired: a late success is refunded
    txn_ref = _txn_ref(dossier["id"])

    async def add_attempt() -> None:
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

    if locked["fee_status"] == FeeStatus.AWAITING_CONFIRMATION:
        await add_attempt()  # the fee already waits for the gateway: only a new attempt
        return txn_ref, now
    payer = workflow.Actor("citizen", dossier.get("citizen"), Role.CITIZEN)
    changes = workflow.Changes(details={"txn_ref": txn_ref})
    try:
        await workflow.transition(
            dossier["id"], Action.START_PAYMENT, payer, changes=changes, along=add_attempt
        )
    except Refused as exc:
        raise PaymentRefused(exc.reason) from exc
    return txn_ref, now


async def start_online_payment(dossier: dict[str, Any], ip: str, return_url: str) -> str:
    """The gateway URL of the dossier's open attempt (created when there is none)."""
    if dossier["fee_status"] not in OPEN_FEE or not is_open(Status(dossier["status"])):
        raise PaymentRefused("Hồ sơ này không có khoản phí cần thanh toán.")
    quote = quote_for(dossier)
    if not quote.is_payable_online:
        raise PaymentRefused("Khoản phí này nộp tại bộ phận một cửa.")
    settings = get_settings()
    async with write_transaction():  # the attempt and the fee status, or neither
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


async def issue_fee_receipt(payment: dict[str, Any], values: dict) -> None:
    """Mark ``payment`` paid with the next fee receipt number; runs inside the transition that
    moves the dossier's fee to paid (confirm_payment, pay_at_counter)."""
    agency = await Agency.select(Agency.code).where(Agency.id == payment["agency"]).first().run()
    now = local_now()
    series = f"{agency['code']}/{now.year}"
    number = await sequences.next_value(FEE_RECEIPT_COUNTER.format(series=series))
    values = {
        **values,
        Payment.status: "paid",
        Payment.paid_at: now,
        Payment.fee_receipt_series: series,
        Payment.fee_receipt_number: number,
    }
    await Payment.update(values).where(Payment.id == payment["id"]).run()


async def record_counter_payment(dossier: dict[str, Any], officer_id: int, method: str) -> int:
    """An officer records a cash or card payment at the desk; returns the payment id.

    The fee must still be open. An online attempt still pending is cancelled: if the gateway
    confirms it later, that money is recorded for refund (``refund_due``), never a second fee
    receipt.
    """
    if method not in ("cash", "card"):
        raise PaymentRefused("Hình thức thanh toán không hợp lệ.")
    quote = quote_for(dossier)
    payment = Payment(
        dossier=dossier["id"],
        agency=dossier["receiving_agency"],
        txn_ref=_txn_ref(dossier["id"]) + "-Q",
        amount_vnd=quote.total_vnd,
        method=method,
        lines=[{"name": n, "amount_vnd": a} for n, a in quote.lines],
    )

    async def take_payment() -> None:
        await cancel_open_attempts(dossier["id"])
        await payment.save().run()
        row = await Payment.select().where(Payment.id == payment.id).first().run()
        await issue_fee_receipt(row, {Payment.recorded_by: officer_id})

    officer = workflow.Actor("officer", officer_id, Role.RECEPTIONIST)
    changes = workflow.Changes(details={"method": method, "amount_vnd": quote.total_vnd})
    async with write_transaction():
        locked = await lock_dossier(dossier["id"])
        if locked is None or locked["fee_status"] not in OPEN_FEE:
            raise PaymentRefused("Hồ sơ không có khoản phí chưa nộp.")
        try:
            await workflow.transition(
                dossier["id"], Action.PAY_AT_COUNTER, officer, changes=changes, along=take_payment
            )
        except Refused as exc:
            raise PaymentRefused(exc.reason) from exc
    return payment.id


def fee_receipt_code(payment: dict[str, Any]) -> str:
    return f"{payment['fee_receipt_series']}-{payment['fee_receipt_number']:07d}"


def paid_on(payment: dict[str, Any]) -> datetime | None:
    return to_local(payment["paid_at"]) if payment["paid_at"] else None


def _can_pay_online(row: dict[str, Any]) -> bool:
    """The citizen's pay button: a new attempt (start_payment row), or another one while the
    gateway has not answered the first."""
    facts = workflow.facts_of(row, local_now().date())
    if Action.START_PAYMENT in options(facts, Role.CITIZEN):
        return True
    waiting = facts.fee_status is FeeStatus.AWAITING_CONFIRMATION
    payable = facts.fee_quote is not None and facts.fee_quote.is_payable_online
    return waiting and payable and is_open(facts.status)


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
        "fee_receipt_code": fee_receipt_code,
        "is_awaiting_confirmation": status is FeeStatus.AWAITING_CONFIRMATION,
        "can_pay_online": _can_pay_online(view.row),
    }
