"""Application factory: lists routers and plugins, nothing else."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from litestar import Litestar, Request, Response
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.exceptions import HTTPException, NotFoundException
from litestar.plugins.htmx import HTMXPlugin
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from app import templating
from app.routes._guards import LoginRequired, OfficerLoginRequired, load_account, login_url
from app.routes.account import AccountController
from app.routes.admin import AdminController
from app.routes.citizen import CitizenController, CitizenDossierController
from app.routes.desk import (
    DeskController,
    DeskDocumentsController,
    DeskIntakeController,
    ReconciliationController,
)
from app.routes.payments import (
    CitizenPaymentController,
    GatewayController,
    SandboxGatewayController,
)
from app.routes.public import PublicController
from app.routes.static import static_file
from app.routes.statistics import PublicStatisticsController, ReportController
from app.routes.tracking import TrackingController
from app.services import outbox, providers, statistics
from app.settings import get_settings

log = logging.getLogger("motcua")
STATISTICS_POLL_SECONDS = 5.0
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


@lru_cache(maxsize=4)
def content_security_policy(gateway_url: str) -> str:
    """Forms may post only to the portal and to the payment gateway.

    The pay button's answer is a 303 to the gateway, and browsers apply ``form-action`` to the
    redirects that a form submission follows."""
    gateway = urlsplit(gateway_url)
    gateway_origin = f"{gateway.scheme}://{gateway.netloc}" if gateway.netloc else ""
    form_action = " ".join(filter(None, ["'self'", gateway_origin]))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"frame-ancestors 'none'; form-action {form_action}; base-uri 'self'"
    )


@asynccontextmanager
async def database(app: Litestar) -> AsyncIterator[None]:
    from app.piccolo_conf import DB

    settings = get_settings()
    pool = settings.is_postgres and settings.db_pool
    if pool:
        await DB.start_connection_pool()
    worker = None
    if settings.outbox_worker:
        worker = asyncio.create_task(
            outbox.run_worker(providers.senders(), settings.outbox_poll_seconds)
        )
    statistics_worker = None
    if settings.outbox_worker:  # the same switch: tests apply the history explicitly
        statistics_worker = asyncio.create_task(statistics.run_worker(STATISTICS_POLL_SECONDS))
    try:
        yield
    finally:
        if statistics_worker is not None:
            statistics_worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await statistics_worker
        if worker is not None:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        if pool:
            await DB.close_connection_pool()


async def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault(
        "Content-Security-Policy", content_security_policy(get_settings().gateway_url)
    )
    return response


def http_error(request: Request, exc: Exception) -> Response[Any]:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return Template(
        "pages/error.html",
        context={"status": status, "detail": getattr(exc, "detail", "")},
        status_code=status,
    )


def server_error(request: Request, exc: Exception) -> Response[Any]:
    """Anything unexpected: logged with its traceback, answered with the Vietnamese 500 page."""
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return Template("pages/error.html", context={"status": 500, "detail": ""}, status_code=500)


def login_redirect(request: Request, exc: Exception) -> Response[Any]:
    target = login_url(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if request.headers.get("hx-request"):
        return Response("", status_code=204, headers={"HX-Redirect": target})
    return Redirect(target, status_code=303)


def desk_login_redirect(request: Request, exc: Exception) -> Response[Any]:
    if request.headers.get("hx-request"):
        return Response("", status_code=204, headers={"HX-Redirect": "/mot-cua/dang-nhap"})
    return Redirect("/mot-cua/dang-nhap", status_code=303)


def create_app(extra_route_handlers: Sequence[ControllerRouterHandler] = ()) -> Litestar:
    settings = get_settings()
    return Litestar(
        route_handlers=[
            PublicController,
            AccountController,
            CitizenController,
            CitizenDossierController,
            DeskController,
            TrackingController,
            CitizenPaymentController,
            GatewayController,
            SandboxGatewayController,
            DeskDocumentsController,
            DeskIntakeController,
            ReconciliationController,
            AdminController,
            PublicStatisticsController,
            ReportController,
            static_file,
            *extra_route_handlers,
        ],
        template_config=templating.template_config(TEMPLATE_DIR),
        csrf_config=CSRFConfig(secret=settings.secret_key, cookie_httponly=False),
        compression_config=CompressionConfig(
            backend="gzip", gzip_compress_level=6, minimum_size=500, exclude="^/static/"
        ),
        plugins=[HTMXPlugin()],
        lifespan=[database],
        before_request=load_account,
        after_request=add_security_headers,
        exception_handlers={
            LoginRequired: login_redirect,
            OfficerLoginRequired: desk_login_redirect,
            NotFoundException: http_error,
            HTTPException: http_error,
            500: server_error,
        },
        openapi_config=None,
    )
