"""Fee payments (online through the gateway, or at the desk), their fee receipts and callbacks."""

from piccolo.columns import JSON, BigInt, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.models.account import Officer
from app.models.agency import Agency
from app.models.dossier import Dossier


class Payment(Table, tablename="payment"):
    """One attempt to pay a dossier's fees; only the gateway's IPN (or an officer) marks it paid."""

    dossier = ForeignKey(references=Dossier, on_delete=OnDelete.restrict, index=True)
    agency = ForeignKey(references=Agency, on_delete=OnDelete.restrict)  # the collecting agency
    txn_ref = Varchar(length=40, unique=True)  # vnp_TxnRef
    amount_vnd = BigInt()
    method = Varchar(length=10, default="online")  # online | cash | card
    status = Varchar(length=12, default="pending", index=True)  # pending | paid | failed
    response_code = Varchar(length=4, default="")
    transaction_no = Varchar(length=40, default="")
    bank_code = Varchar(length=20, default="")
    recorded_by = ForeignKey(references=Officer, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    paid_at = Timestamptz(null=True, default=None, index=True)
    fee_receipt_series = Varchar(length=40, default="")  # e.g. 000.00.32.H99/2026
    fee_receipt_number = Integer(null=True, default=None)
    lines = JSON(default=[])  # [{"name", "amount_vnd"}] as quoted


class PaymentCallback(Table, tablename="payment_callback"):
    """Every return and IPN call as received, with the answer given: the audit trail."""

    received_at = Timestamptz(default=TimestamptzNow())
    kind = Varchar(length=10)  # ipn | return
    txn_ref = Varchar(length=100, default="", index=True)
    params = JSON(default={})
    answer_code = Varchar(length=4, default="")
    answer_message = Text(default="")
    remote_addr = Varchar(length=45, default="")
