"""The electronic fee receipt (biên lai điện tử) of a payment, as a document."""

from __future__ import annotations

from typing import Any

from app.domain.catalogue_labels import format_vnd
from app.models import Agency, Dossier, Payment
from app.services.payments import fee_receipt_code, paid_on
from app.services.pdf import Document

METHOD_LABELS = {"online": "Trực tuyến (VNPay)", "cash": "Tiền mặt", "card": "Thẻ"}


async def load_payment(payment_id: int, dossier_id: int) -> dict[str, Any] | None:
    return (
        await Payment.select()
        .where(
            (Payment.id == payment_id)
            & (Payment.dossier == dossier_id)
            & (Payment.status == "paid")
        )
        .output(load_json=True)
        .first()
        .run()
    )


async def fee_receipt_document(payment: dict[str, Any]) -> Document:
    agency = (
        await Agency.select(Agency.name, Agency.parent)
        .where(Agency.id == payment["agency"])
        .first()
        .run()
    )
    parent = None
    if agency and agency["parent"]:
        parent = await Agency.select(Agency.name).where(Agency.id == agency["parent"]).first().run()
    dossier = (
        await Dossier.select(
            Dossier.code, Dossier.applicant_name, Dossier.procedure.name.as_alias("procedure_name")
        )
        .where(Dossier.id == payment["dossier"])
        .first()
        .run()
    )
    when = paid_on(payment)
    lines = [line for line in payment["lines"] if line.get("amount_vnd")]
    return Document(
        kind="bien-lai",
        title="BIÊN LAI THU PHÍ, LỆ PHÍ",
        parent_agency=parent["name"] if parent else "",
        agency=agency["name"] if agency else "",
        number=fee_receipt_code(payment),
        rows=[
            ("Ký hiệu", payment["fee_receipt_series"]),
            ("Số", f"{payment['fee_receipt_number']:07d}"),
            ("Người nộp", dossier["applicant_name"]),
            ("Mã hồ sơ", dossier["code"]),
            ("Nội dung", dossier["procedure_name"]),
            ("Hình thức thanh toán", METHOD_LABELS.get(payment["method"], payment["method"])),
            ("Mã giao dịch", payment["transaction_no"] or payment["txn_ref"]),
            ("Thời gian", when.strftime("%H:%M ngày %d/%m/%Y") if when else "—"),
        ],
        table_head=["Khoản thu", "Số tiền"],
        table=[[line["name"], format_vnd(line["amount_vnd"])] for line in lines]
        + [["Tổng cộng", format_vnd(payment["amount_vnd"])]],
        # an online payment is signed by the gateway's transaction, not by a cashier
        signers=[] if payment["method"] == "online" else ["NGƯỜI NỘP TIỀN", "NGƯỜI THU TIỀN"],
        dated=when,
    )
