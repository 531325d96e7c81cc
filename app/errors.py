"""How the portal answers what a handler did not: every error becomes a Vietnamese page.

Listed once in ``EXCEPTION_HANDLERS`` for main.py. A missing login becomes a redirect to the right
login page (an HTMX request gets ``HX-Redirect``), a busy database the "send again" page
(routes/_errors.py), a body over the limit the wizard step or the 413 page, anything unexpected a
logged 500.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException
from litestar.response import Redirect, Template
from litestar.types import ExceptionHandlersMap

from app.routes._errors import BUSY_ERRORS, database_busy
from app.routes._guards import LoginRequired, MfaSetupRequired, OfficerLoginRequired, login_url
from app.routes.citizen import request_too_large

log = logging.getLogger("motcua")


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


def _redirect(request: Request, target: str) -> Response[Any]:
    if request.headers.get("hx-request"):
        return Response("", status_code=204, headers={"HX-Redirect": target})
    return Redirect(target, status_code=303)


def login_redirect(request: Request, exc: Exception) -> Response[Any]:
    query = f"?{request.url.query}" if request.url.query else ""
    return _redirect(request, login_url(request.url.path + query))


def desk_login_redirect(request: Request, exc: Exception) -> Response[Any]:
    return _redirect(request, request.app.route_reverse("desk.login"))


def mfa_setup_redirect(request: Request, exc: Exception) -> Response[Any]:
    return _redirect(request, request.app.route_reverse("desk.security") + "?bat-buoc=1")


def busy_or_error(request: Request, exc: Exception) -> Response[Any]:
    """503 for a busy database (nothing was written, send again); any other database error 500."""
    return database_busy(request, exc) or server_error(request, exc)


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    LoginRequired: login_redirect,
    OfficerLoginRequired: desk_login_redirect,
    MfaSetupRequired: mfa_setup_redirect,
    NotFoundException: http_error,
    413: request_too_large,
    HTTPException: http_error,
    **dict.fromkeys(BUSY_ERRORS, busy_or_error),
    500: server_error,
}
