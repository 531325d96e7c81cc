"""The officers' second factor: the code step of the desk login and the security page."""

from __future__ import annotations

from datetime import timedelta

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect, Template
from markupsafe import Markup

from app.domain import mfa as rules
from app.domain.accounts import officer_landing
from app.models import Officer
from app.routes._guards import client_address, current_officer
from app.routes._render import form_values
from app.routes.account import logged_in_redirect
from app.services import mfa
from app.services.accounts import FormErrors
from app.services.documents import qr_svg
from app.services.officers import active_officer, officer_roles
from app.services.sessions import COOKIE, open_session, read_session
from app.settings import get_settings

OFFICER = {"officer": Provide(current_officer, sync_to_thread=False)}
PENDING = "mfa"  # a session kind that is not a login: the password was right, the code not yet
PENDING_LIFETIME = timedelta(minutes=10)
CODE_PAGE = "/mot-cua/dang-nhap/ma-xac-thuc"


async def after_password(request: Request, officer: Officer) -> Response:
    """Desk login after a correct password: the code step when TOTP is on, else a session
    (sent to the security page when the officer's role requires TOTP)."""
    address, agent = client_address(request), request.headers.get("user-agent", "")
    old = request.cookies.get(COOKIE, "")
    if await mfa.is_enabled(officer.id):
        token = await open_session(PENDING, officer.id, address, agent, old, PENDING_LIFETIME)
        response = Redirect(CODE_PAGE, status_code=303)
        response.cookies.append(_pending_cookie(token))
        return response
    token = await open_session("officer", officer.id, address, agent, old_token=old)
    roles = [r.value for r in officer_roles(officer)]
    if rules.required(roles, await mfa.required_roles()):
        return logged_in_redirect("/mot-cua/bao-mat?bat-buoc=1", token)
    landing = "/quan-tri" if officer_landing(officer_roles(officer)) == "admin" else "/mot-cua"
    return logged_in_redirect(landing, token)


def _pending_cookie(token: str) -> Cookie:
    return Cookie(
        key=COOKIE,
        value=token,
        httponly=True,
        samesite="lax",
        secure=get_settings().base_url.startswith("https"),
        max_age=int(PENDING_LIFETIME.total_seconds()),
        path="/",
    )


async def _pending_officer(request: Request) -> Officer | None:
    info = await read_session(request.cookies.get(COOKIE, ""))
    if info is None or info.account_kind != PENDING:
        return None
    return await active_officer(info.account_id)


def _code_page(errors: dict, status_code: int = 200) -> Template:
    return Template(
        "pages/desk/login_code.html", context={"errors": errors}, status_code=status_code
    )


class MfaLoginController(Controller):
    path = "/mot-cua/dang-nhap/ma-xac-thuc"

    @get("/", name="desk.login.code")
    async def code_form(self, request: Request) -> Response:
        if await _pending_officer(request) is None:
            return Redirect("/mot-cua/dang-nhap", status_code=303)
        return _code_page({})

    @post("/", name="desk.login.code.submit")
    async def code(self, request: Request) -> Response:
        officer = await _pending_officer(request)
        if officer is None:
            return Redirect("/mot-cua/dang-nhap", status_code=303)
        form = await form_values(request)
        try:
            await mfa.check_login_code(officer.id, form.get("ma", ""), client_address(request))
        except FormErrors as exc:
            return _code_page(exc.errors, exc.status_code)
        token = await open_session(
            "officer",
            officer.id,
            client_address(request),
            request.headers.get("user-agent", ""),
            old_token=request.cookies.get(COOKIE, ""),
        )
        landing = "/quan-tri" if officer_landing(officer_roles(officer)) == "admin" else "/mot-cua"
        return logged_in_redirect(landing, token)


class SecurityController(Controller):
    path = "/mot-cua/bao-mat"
    dependencies = OFFICER

    @get("/", name="desk.security")
    async def page(self, request: Request, officer: NamedDependency[Officer]) -> Template:
        return await _security_page(officer, request.query_params.get("bat-buoc") == "1", {})

    @post("/xac-nhan", name="desk.security.confirm")
    async def confirm(self, officer: NamedDependency[Officer], request: Request) -> Template:
        form = await form_values(request)
        try:
            codes = await mfa.confirm(officer.id, form.get("ma", ""))
        except FormErrors as exc:
            return await _security_page(officer, False, exc.errors, exc.status_code)
        # Shown once, never stored in clear: this answer is the only place they appear.
        return Template(
            "pages/desk/security.html",
            context={"enabled": True, "codes": codes, "errors": {}},
            headers={"Cache-Control": "no-store"},
        )


async def _security_page(
    officer: Officer, required: bool, errors: dict, status_code: int = 200
) -> Template:
    context: dict = {"enabled": await mfa.is_enabled(officer.id), "errors": errors}
    context["required"] = required
    if not context["enabled"]:
        secret = await mfa.pending_secret(officer.id)
        context["secret"] = secret
        context["qr"] = Markup(qr_svg(mfa.provisioning_uri(secret, officer.username)))
    return Template(
        "pages/desk/security.html",
        context=context,
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )
