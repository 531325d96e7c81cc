"""The day's fee reconciliation of the officer's agency (/mot-cua/doi-soat), as a page and CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from app.models import Officer
from app.routes._desk_pages import OFFICER
from app.services import desk, fee_receipts, payments, reconciliation, workflow


class ReconciliationController(Controller):
    path = "/mot-cua/doi-soat"
    dependencies = OFFICER

    @get("/", name="desk.reconciliation")
    async def page(
        self,
        officer: NamedDependency[Officer],
        day: Annotated[str, QueryParameter(name="ngay", max_length=10)] = "",
    ) -> Template:
        report = await reconciliation.day_report(desk.officer_agency(officer), _day(day))
        return Template(
            "pages/desk/reconciliation.html",
            context={
                "report": report,
                "fee_receipt_code": payments.fee_receipt_code,
                "method_labels": fee_receipts.METHOD_LABELS,
            },
        )

    @get("/csv", name="desk.reconciliation.csv")
    async def export(
        self,
        officer: NamedDependency[Officer],
        day: Annotated[str, QueryParameter(name="ngay", max_length=10)] = "",
    ) -> Response[str]:
        report = await reconciliation.day_report(desk.officer_agency(officer), _day(day))
        return Response(
            "\ufeff" + reconciliation.to_csv(report),  # BOM: spreadsheets read it as UTF-8
            media_type="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="doi-soat-{report.day}.csv"',
                "Cache-Control": "private, no-store",
            },
        )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return workflow.local_now().date()
