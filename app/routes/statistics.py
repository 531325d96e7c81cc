"""Statistics: the public page (/thong-ke) and the leaders' report (/mot-cua/bao-cao)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.response import Template

from app.domain.dossier_flow import STATUS_LABELS, Role
from app.domain.statistics_periods import KINDS, period_label
from app.models import Officer
from app.routes._guards import current_officer, role_only
from app.services import statistics_export, statistics_pages, statistics_report
from app.services.statistics_pages import COLUMN_LABELS, GROUPINGS

CHART_KEYS = (
    "on_time",
    "online_share",
    "online_payment",
    "procedures_with_online",
    "satisfaction",
)


LEADER = {"officer": Provide(current_officer, sync_to_thread=False)}
LEADERS_ONLY = "Chỉ lãnh đạo được xem báo cáo thống kê."


def _query(request: Request) -> dict[str, str]:
    return {k: str(v)[:20] for k, v in request.query_params.items()}


def _agency(query: dict[str, str], scope: dict[int, str]) -> dict[int, str]:
    """The agency chosen in ``co_quan`` (within the scope), or the whole scope."""
    raw = query.get("co_quan", "")
    if not raw:
        return scope
    if not raw.isdigit() or int(raw) not in scope:
        raise NotFoundException("Không tìm thấy đơn vị")
    return {int(raw): scope[int(raw)]}


def _period_context(query: dict[str, str]) -> dict[str, Any]:
    choice, period, error = statistics_pages.choice_from(query)
    return {
        "choice": choice,
        "period": period,
        "period_label": period_label(choice, period),
        "period_query": statistics_pages.query_of(choice),
        "kinds": KINDS,
        "error": error,
    }


async def _report(officer: Officer, query: dict[str, str]) -> dict[str, Any]:
    scope = await statistics_report.report_scope(officer)
    agencies = _agency(query, scope)
    context = _period_context(query)
    rep = await statistics_pages.build_report(agencies, context["period"], query.get("theo", ""))
    unit = next(iter(agencies.values())) if len(agencies) == 1 else "Toàn tỉnh"
    base = {**context["period_query"], "theo": rep.by}
    if len(agencies) == 1:
        base["co_quan"] = str(next(iter(agencies)))
    return {
        **context,
        "officer": officer,
        "scope": scope,
        "agencies": agencies,
        "unit": unit,
        "report": rep,
        "groupings": GROUPINGS,
        "column_labels": COLUMN_LABELS,
        "base_query": base,
        "urlencode": urlencode,
    }


def _download(body: bytes | str, media_type: str, filename: str) -> Response[Any]:
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


class ReportController(Controller):
    path = "/mot-cua/bao-cao"
    dependencies = LEADER
    guards = [role_only(Role.LEADER, LEADERS_ONLY)]

    @get("/", name="desk.report")
    async def page(self, request: Request, officer: NamedDependency[Officer]) -> Template:
        context = await _report(officer, _query(request))
        status = 422 if context["error"] else 200
        return Template("pages/statistics/report.html", context=context, status_code=status)

    @get("/xlsx", name="desk.report.xlsx")
    async def xlsx(self, request: Request, officer: NamedDependency[Officer]) -> Response[Any]:
        c = await _report(officer, _query(request))
        body = statistics_export.report_xlsx(c["report"], c["unit"], c["period_label"])
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return _download(body, media, f"bieu-II.06a-{c['period'].start}-{c['period'].end}.xlsx")

    @get("/csv", name="desk.report.csv")
    async def csv(self, request: Request, officer: NamedDependency[Officer]) -> Response[Any]:
        c = await _report(officer, _query(request))
        body = statistics_export.report_csv(c["report"])
        return _download(body, "text/csv", f"bieu-II.06a-{c['period'].start}-{c['period'].end}.csv")

    @get("/ho-so", name="desk.report.dossiers")
    async def dossiers(self, request: Request, officer: NamedDependency[Officer]) -> Template:
        query = _query(request)
        scope = await statistics_report.report_scope(officer)
        agencies = _agency(query, scope)
        context = _period_context(query)
        column = query.get("cot", "c3")
        if column not in COLUMN_LABELS:
            raise NotFoundException("Không có cột này trong biểu mẫu")
        by, key = query.get("theo", "don-vi"), query.get("ma", "")
        key_id = int(key) if key.isdigit() else None
        if by == "don-vi" and key_id is not None:
            if key_id not in scope:
                raise NotFoundException("Không tìm thấy đơn vị")
            agencies = {key_id: scope[key_id]}
        procedures = await statistics_pages.procedures_of_row(by, key_id)
        rows, total = await statistics_pages.drill_down(
            list(agencies), context["period"], column, procedures
        )
        return Template(
            "pages/statistics/dossiers.html",
            context={
                **context,
                "column_label": COLUMN_LABELS[column],
                "rows": rows,
                "total": total,
                "labels": STATUS_LABELS,
                "back": urlencode({**context["period_query"], "theo": by}),
            },
        )

    @get("/tu-danh-gia", name="desk.report.assessment")
    async def assessment(self, request: Request, officer: NamedDependency[Officer]) -> Template:
        query = _query(request)
        scope = await statistics_report.report_scope(officer)
        agencies = _agency(query, scope)
        context = _period_context(query)
        figures = await statistics_pages.figures_for(agencies, context["period"])
        return Template(
            "pages/statistics/assessment.html",
            context={**context, **figures, "scope": scope, "agencies": agencies},
        )


async def _public(request: Request) -> dict[str, Any]:
    query = _query(request)
    scope = await statistics_report.public_agencies()
    agencies = _agency(query, scope)
    context = _period_context(query)
    figures = await statistics_pages.figures_for(agencies, context["period"])
    chart = [f for f in figures["figures"] if f.key in CHART_KEYS]
    return {
        **context,
        **figures,
        "chart": chart,
        "scope": scope,
        "agencies": agencies,
        "chosen": query.get("co_quan", ""),
        "nav": "statistics",
    }


class PublicStatisticsController(Controller):
    path = "/thong-ke"

    @get("/", name="public.statistics", cache=False)
    async def page(self, request: Request) -> Template:
        context = await _public(request)
        status = 422 if context["error"] else 200
        return Template("pages/statistics/public.html", context=context, status_code=status)

    @get("/csv", name="public.statistics.csv")
    async def csv(self, request: Request) -> Response[Any]:
        c = await _public(request)
        body = statistics_export.figures_csv(c["figures"], c["period_label"])
        return _download(body, "text/csv", f"thong-ke-{c['period'].start}-{c['period'].end}.csv")
