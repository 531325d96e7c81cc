"""Reconciliation of fee payments per day and agency, on screen and as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from app.domain.spreadsheet import safe_row
from app.models import Payment
from app.services.calendar import LOCAL_TZ, to_local
from app.services.payments import fee_receipt_code

CSV_HEADER = [
    "so_bien_lai",
    "ma_ho_so",
    "nguoi_nop",
    "hinh_thuc",
    "so_tien_vnd",
    "ma_giao_dich",
    "ngan_hang",
    "thoi_gian",
]


@dataclass
class DayReport:
    day: date
    rows: list[dict[str, Any]]
    totals: dict[str, int]
    refunds: list[dict[str, Any]] = field(default_factory=list)  # confirmed after the fee was paid

    @property
    def total(self) -> int:
        return sum(self.totals.values())


async def _rows(agency_id: int, day: date, status: str) -> list[dict[str, Any]]:
    start = datetime.combine(day, time(0, 0), LOCAL_TZ)
    return (
        await Payment.select(
            Payment.all_columns(),
            Payment.dossier.code.as_alias("dossier_code"),
            Payment.dossier.applicant_name.as_alias("applicant_name"),
        )
        .where(
            (Payment.agency == agency_id)
            & (Payment.status == status)
            & (Payment.paid_at >= start)
            & (Payment.paid_at < start + timedelta(days=1))
        )
        .order_by(Payment.fee_receipt_number, Payment.id)
        .run()
    )


async def day_report(agency_id: int, day: date) -> DayReport:
    """The day's fee receipts, and the online payments confirmed that day that are due for
    refund."""
    rows = await _rows(agency_id, day, "paid")
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["method"]] = totals.get(row["method"], 0) + row["amount_vnd"]
    return DayReport(day, rows, totals, await _rows(agency_id, day, "refund_due"))


def to_csv(report: DayReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in report.rows:
        writer.writerow(
            safe_row(
                [
                    fee_receipt_code(row),
                    row["dossier_code"],
                    row["applicant_name"],
                    row["method"],
                    row["amount_vnd"],
                    row["transaction_no"] or row["txn_ref"],
                    row["bank_code"],
                    to_local(row["paid_at"]).strftime("%Y-%m-%d %H:%M:%S"),
                ]
            )
        )
    return out.getvalue()
