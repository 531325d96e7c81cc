"""Who is asking: the session cookie, loaded once per request, and the guards that need it.

The guards are declared on the audience routers (app/routes/audiences.py) and, for one role, on a
controller: a handler never checks a role itself."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.types import Guard

from app.domain import addresses
from app.domain.dossier_flow import Role
from app.models import Citizen, Officer
from app.services import request_account
from app.services.officers import officer_roles
from app.services.sessions import COOKIE
from app.settings import get_settings


async def load_account(request: ASGIConnection) -> None:
    """Put the logged-in account (or None) on ``request.state.account``, once per request: the
    audience guards need it first (guards run before the before_request hook)."""
    if getattr(request.state, "account_loaded", False):
        return
    request.state.account_loaded = True
    found = await request_account.load(request.cookies.get(COOKIE, ""))
    request.state.account = found.account
    request.state.needs_mfa_setup = found.needs_mfa_setup
    if isinstance(found.account, Officer):
        request.state.saved_view = found.saved_view


class LoginRequired(NotAuthorizedException):
    """Raised for pages that need a citizen's login; answered with a redirect to the login page."""


def current_citizen(request: Request) -> Citizen:
    account = getattr(request.state, "account", None)
    if not isinstance(account, Citizen):
        raise LoginRequired()
    return account


def login_url(next_path: str) -> str:
    return f"/dang-nhap?tiep={quote(next_path, safe='/')}"


def client_address(request: Request) -> str:
    """The client's address: X-Forwarded-For is read only from MOTCUA_TRUSTED_PROXIES."""
    peer = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for", "")
    return addresses.client_address(peer, forwarded, get_settings().trusted_proxies)


class OfficerLoginRequired(NotAuthorizedException):
    """Raised for desk pages without an officer's session."""


class MfaSetupRequired(NotAuthorizedException):
    """Raised for desk pages while the officer's role requires TOTP and it is not on yet."""


def current_officer(request: Request) -> Officer:
    account = getattr(request.state, "account", None)
    if not isinstance(account, Officer):
        raise OfficerLoginRequired()
    if getattr(request.state, "needs_mfa_setup", False) and not request.url.path.startswith(
        "/mot-cua/bao-mat"
    ):
        raise MfaSetupRequired()
    return account


async def citizen_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: a citizen's session, else a redirect to the login page (LoginRequired)."""
    await load_account(connection)
    current_citizen(connection)  # type: ignore[arg-type]


async def officer_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: an officer's session (and the second factor where the role requires it)."""
    await load_account(connection)
    current_officer(connection)  # type: ignore[arg-type]


def role_only(role: Role | frozenset[Role], refusal: str) -> Guard:
    """Guard factory: an officer holding ``role`` (or one of a set of roles); any other officer
    gets 403 with ``refusal``."""
    wanted = frozenset({role}) if isinstance(role, Role) else role

    async def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        await officer_only(connection, handler)
        if not wanted & officer_roles(connection.state.account):
            raise PermissionDeniedException(refusal)

    return guard
