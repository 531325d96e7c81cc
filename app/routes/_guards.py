"""Who is asking: the session cookie, loaded once per request, and the guards that need it."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Request
from litestar.exceptions import NotAuthorizedException

from app.domain import addresses
from app.models import Citizen, Officer
from app.services import mfa
from app.services.sessions import COOKIE, read_session
from app.settings import get_settings


async def load_account(request: Request) -> None:
    """before_request hook: put the logged-in account (or None) on ``request.state.account``."""
    request.state.account = None
    token = request.cookies.get(COOKIE)
    if not token:
        return
    info = await read_session(token)
    if info is None:
        return
    if info.account_kind == "citizen":
        request.state.account = await Citizen.objects().where(Citizen.id == info.account_id).first()
    elif info.account_kind == "officer":
        request.state.account = (
            await Officer.objects()
            .where(
                (Officer.id == info.account_id) & (Officer.is_active == True)  # noqa: E712
            )
            .first()
        )
        if request.state.account is not None:
            request.state.needs_mfa_setup = await mfa.setup_needed(request.state.account)


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
