"""Application factory: lists routers and plugins, nothing else."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.exceptions import HTTPException, NotFoundException
from litestar.plugins.htmx import HTMXPlugin
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from app import security, templating
from app.input_guard import InputGuard, SafeRequest
from app.routes._errors import BUSY_ERRORS, database_busy
from app.routes._guards import (
    LoginRequired,
    MfaSetupRequired,
    OfficerLoginRequired,
    load_account,
    login_url,
)
from app.routes._hosts import allowed_hosts_middleware
from app.routes.account import AccountController
from app.routes.admin import AdminController
from app.routes.citizen import (
    CitizenController,
    CitizenDossierController,
    request_too_large,
)
from app.routes.desk import (
    DeskController,
    DeskDocumentsController,
    DeskIntakeController,
    ReconciliationController,
)
from app.routes.desk_batch import DeskBatchController
from app.routes.desk_queue import DeskQueueController
from app.routes.desk_work import DeskChecklistController, DeskWorkController
from app.routes.feedback import FeedbackController, RatingController
from app.routes.feedback_desk import (
    DeskFaqController,
    DeskFeedbackController,
    DeskRatingController,
)
from app.routes.guides import GuidesController
from app.routes.mfa import MfaLoginController, SecurityController
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
from app.settings import CSRF_COOKIE, get_settings
from app.settings import check as check_settings

log = logging.getLogger("motcua")
STATISTICS_POLL_SECONDS = 5.0
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


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


def mfa_setup_redirect(request: Request, exc: Exception) -> Response[Any]:
    target = "/mot-cua/bao-mat?bat-buoc=1"
    if request.headers.get("hx-request"):
        return Response("", status_code=204, headers={"HX-Redirect": target})
    return Redirect(target, status_code=303)


def create_app(extra_route_handlers: Sequence[ControllerRouterHandler] = ()) -> Litestar:
    settings = get_settings()
    check_settings(settings)  # an unsafe configuration never serves a request
    sandbox = [SandboxGatewayController] if settings.sandbox_gateway else []
    return Litestar(
        route_handlers=[
            PublicController,
            GuidesController,
            AccountController,
            CitizenController,
            CitizenDossierController,
            DeskController,
            DeskQueueController,
            DeskBatchController,
            DeskWorkController,
            DeskChecklistController,
            TrackingController,
            CitizenPaymentController,
            GatewayController,
            *sandbox,
            DeskDocumentsController,
            DeskIntakeController,
            ReconciliationController,
            AdminController,
            FeedbackController,
            RatingController,
            DeskFeedbackController,
            DeskRatingController,
            DeskFaqController,
            PublicStatisticsController,
            ReportController,
            MfaLoginController,
            SecurityController,
            static_file,
            *extra_route_handlers,
        ],
        template_config=templating.template_config(TEMPLATE_DIR),
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name=CSRF_COOKIE,
            cookie_httponly=False,
            cookie_secure=security.is_https(),
        ),
        compression_config=CompressionConfig(
            backend="gzip", gzip_compress_level=6, minimum_size=500, exclude="^/static/"
        ),
        plugins=[HTMXPlugin()],
        lifespan=[database],
        before_request=load_account,
        before_send=[security.before_send],
        middleware=[allowed_hosts_middleware, InputGuard()],
        request_class=SafeRequest,
        exception_handlers={
            LoginRequired: login_redirect,
            OfficerLoginRequired: desk_login_redirect,
            MfaSetupRequired: mfa_setup_redirect,
            NotFoundException: http_error,
            413: request_too_large,
            HTTPException: http_error,
            **dict.fromkeys(BUSY_ERRORS, database_busy),
            500: server_error,
        },
        openapi_config=None,
        request_max_body_size=settings.max_request_bytes,
    )
