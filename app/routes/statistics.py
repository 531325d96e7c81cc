"""Statistics: the public page (/thong-ke) and the leaders' report (/mot-cua/bao-cao)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.response import Template
from markupsafe import Markup

from app.domain.dossier_flow import STATUS_LABELS, Role
from app.domain.statistics_periods import KINDS, period_label
from app.models import Officer
from app.routes._guards import current_officer, role_only
from app.services import statistics_cache, statistics_export, statistics_pages, statistics_report
from app.services.statistics_pages import COLUMN_LABELS, GROUPINGS

REPORT_TABLE = "partials/statistics/report_table.html"

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
    """The report's context, without its rows: ``report_of`` builds them."""
    scope = await statistics_report.report_scope(officer)
    agencies = _agency(query, scope)
    context = _period_context(query)
    by = statistics_pages.grouping_of(agencies, query.get("theo", ""))
    unit = next(iter(agencies.values())) if len(agencies) == 1 else "Toàn tỉnh"
    base = {**context["period_query"], "theo": by}
    if len(agencies) == 1:
        base["co_quan"] = str(next(iter(agencies)))
    return {
        **context,
        "officer": officer,
        "scope": scope,
        "agencies": agencies,
        "by": by,
        "groupings": GROUPINGS,
        "unit": unit,
        "base_query": base,
        "urlencode": urlencode,
    }


async def report_of(context: dict[str, Any]) -> statistics_pages.Report:
    return await statistics_pages.build_report(
        context["agencies"], context["period"], context["by"]
    )


async def table_html(request: Request, context: dict[str, Any]) -> Markup:
    """The report's table, rendered once per figures: kept (app/services/statistics_cache.py)
    under everything it shows, the aggregates' watermark among them. A province's table is
    hundreds of linked cells: rendering it cost more than the rest of the request."""
    q, period_q = urlencode(context["base_query"]), urlencode(context["period_query"])
    drills_down = len(context["scope"]) > 1
    key = ("report table", tuple(context["agencies"]), context["period"], q, period_q, drills_down)

    async def render() -> Markup:
        template = request.app.template_engine.engine.get_template(REPORT_TABLE)
        html = template.render(
            report=await report_of(context),
            q=q,
            period_query=context["period_query"],
            drills_down=drills_down,
            groupings=GROUPINGS,
            column_labels=COLUMN_LABELS,
            dossiers_url=request.app.route_reverse("desk.report.dossiers"),
            report_url=request.app.route_reverse("desk.report"),
        )
        return Markup(html)

    return await statistics_cache.remembered(key, render)


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
        context["table_html"] = await table_html(request, context)
        status = 422 if context["error"] else 200
        return Template("pages/statistics/report.html", context=context, status_code=status)

    @get("/xlsx", name="desk.report.xlsx")
    async def xlsx(self, request: Request, officer: NamedDependency[Officer]) -> Response[Any]:
        c = await _report(officer, _query(request))
        body = statistics_export.report_xlsx(await report_of(c), c["unit"], c["period_label"])
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return _download(body, media, f"bieu-II.06a-{c['period'].start}-{c['period'].end}.xlsx")

    @get("/csv", name="desk.report.csv")
    async def csv(self, request: Request, officer: NamedDependency[Officer]) -> Response[Any]:
        c = await _report(officer, _query(request))
        body = statistics_export.report_csv(await report_of(c))
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
