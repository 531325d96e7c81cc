"""The officers' second factor: the code step of the desk login and the security page."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.response import Redirect, Template
from markupsafe import Markup

from app.models import Officer
from app.routes._guards import current_officer
from app.routes._render import form_values
from app.routes.account import login_client, started_response
from app.services import login, mfa
from app.services.accounts import FormErrors
from app.services.documents import qr_svg
from app.services.sessions import COOKIE

OFFICER = {"officer": Provide(current_officer, sync_to_thread=False)}


def _code_page(errors: dict, status_code: int = 200) -> Template:
    return Template(
        "pages/desk/login_code.html", context={"errors": errors}, status_code=status_code
    )


class MfaLoginController(Controller):
    path = "/mot-cua/dang-nhap/ma-xac-thuc"

    @get("/", name="desk.login.code")
    async def code_form(self, request: Request) -> Response:
        if await login.pending_officer(request.cookies.get(COOKIE, "")) is None:
            return Redirect("/mot-cua/dang-nhap", status_code=303)
        return _code_page({})

    @post("/", name="desk.login.code.submit")
    async def code(self, request: Request) -> Response:
        officer = await login.pending_officer(request.cookies.get(COOKIE, ""))
        if officer is None:
            return Redirect("/mot-cua/dang-nhap", status_code=303)
        form = await form_values(request)
        try:
            started = await login.complete_second_factor(
                officer, form.get("ma", ""), login_client(request)
            )
        except FormErrors as exc:
            return _code_page(exc.errors, exc.status_code)
        return started_response(started)


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
