"""Citizen accounts: register, log in and out, reset a forgotten password, profile."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from app.models import Citizen
from app.routes._guards import citizen_only, client_address, current_citizen
from app.routes._render import form_values
from app.services import accounts, login, places, registration
from app.services.calendar import local_now
from app.services.sessions import COOKIE, close_session, open_session
from app.settings import CSRF_COOKIE, get_settings

CITIZEN = {"citizen": Provide(current_citizen, sync_to_thread=False)}


def _safe_next(value: str | None) -> str:
    """Only same-site paths: never redirect to another host after login."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/ho-so"


def _session_cookie(token: str, lifetime: timedelta | None = None) -> Cookie:
    seconds = lifetime.total_seconds() if lifetime else get_settings().session_hours * 3600
    return Cookie(
        key=COOKIE,
        value=token,
        httponly=True,
        samesite="lax",
        secure=get_settings().base_url.startswith("https"),
        max_age=int(seconds),
        path="/",
    )


def logged_in_redirect(path: str, token: str, lifetime: timedelta | None = None) -> Response:
    """The answer to a successful login: the new session cookie, and the CSRF cookie removed
    so the next page issues a fresh token (a token known before login is worth nothing after)."""
    response = Redirect(path, status_code=303)
    response.cookies.append(_session_cookie(token, lifetime))
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


OFFICER_PATHS = {
    login.Step.CODE: "/mot-cua/dang-nhap/ma-xac-thuc",
    login.Step.SETUP: "/mot-cua/bao-mat?bat-buoc=1",
}


def started_response(started: login.Started, next_path: str = "/ho-so") -> Response:
    """Where a login goes next, for both audiences: the code or security page for an officer
    when the second factor says so, else the account's landing page."""
    if started.landing == "citizen":
        path = next_path
    else:
        path = OFFICER_PATHS.get(started.step) or (
            "/quan-tri" if started.landing == "admin" else "/mot-cua"
        )
    return logged_in_redirect(path, started.token, started.lifetime)


def login_client(request: Request) -> login.Client:
    return login.Client(
        client_address(request),
        request.headers.get("user-agent", ""),
        request.cookies.get(COOKIE, ""),
    )


NO_STORE = {"Cache-Control": "no-store"}
# Pages opened from a link that carries a secret: never cached, never sent on as a referrer.
PRIVATE_LINK = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _page(
    name: str, context: dict[str, Any], status_code: int = 200, headers: dict | None = None
) -> Template:
    return Template(
        f"pages/account/{name}.html", context=context, status_code=status_code, headers=headers
    )


def _link_base(request: Request) -> str:
    """Links in messages come from configuration only, never from the request's Host."""
    return get_settings().public_url


class AccountController(Controller):
    path = "/"

    @get("/dang-ky", name="account.register")
    async def register_form(self) -> Template:
        return _page("register", {"values": {}, "errors": {}})

    @post("/dang-ky", name="account.register.submit")
    async def register(self, request: Request) -> Template:
        form = await form_values(request)
        try:
            await registration.start(
                form.get("ho_ten", ""),
                form.get("dinh_danh", ""),
                form.get("mat_khau", ""),
                form.get("nhap_lai", ""),
                client_address(request),
                _link_base(request),
            )
        except accounts.FormErrors as exc:
            values = {k: v for k, v in form.items() if not k.startswith("mat_khau")}
            values.pop("nhap_lai", None)
            return _page("register", {"values": values, "errors": exc.errors}, exc.status_code)
        sent_to = " ".join(form.get("dinh_danh", "").split())
        return _page("register", {"values": {}, "errors": {}, "sent_to": sent_to})

    @get("/dang-ky/xac-nhan/{token:str}", name="account.register.confirm")
    async def confirm_form(self, token: FromPath[str]) -> Template:
        valid = await registration.is_valid(token)
        context = {"token": token, "errors": {}, "valid": valid}
        return _page("confirm", context, 200 if valid else 410, PRIVATE_LINK)

    @post("/dang-ky/xac-nhan/{token:str}", name="account.register.confirm.submit")
    async def confirm(self, request: Request, token: FromPath[str]) -> Response:
        try:
            citizen = await registration.confirm(token)
        except accounts.FormErrors as exc:
            context = {"token": token, "errors": exc.errors, "valid": False}
            return _page("confirm", context, exc.status_code, PRIVATE_LINK)
        client = login_client(request)
        session = await open_session(
            "citizen", citizen.id, client.address, client.user_agent, client.old_token
        )
        return logged_in_redirect("/tai-khoan?moi=1", session)

    @get("/dang-nhap", name="account.login")
    async def login_form(self, request: Request) -> Template:
        return _page(
            "login",
            {"values": {}, "errors": {}, "next": _safe_next(request.query_params.get("tiep"))},
        )

    @post("/dang-nhap", name="account.login.submit")
    async def login(self, request: Request) -> Response:
        form = await form_values(request)
        next_path = _safe_next(form.get("tiep"))
        try:
            started = await login.log_in(
                "citizen",
                form.get("dinh_danh", ""),
                form.get("mat_khau", ""),
                login_client(request),
            )
        except accounts.FormErrors as exc:
            values = {"dinh_danh": form.get("dinh_danh", "")}
            context = {"values": values, "errors": exc.errors, "next": next_path}
            return _page("login", context, exc.status_code)
        return started_response(started, next_path)

    @post("/dang-xuat", name="account.logout")
    async def logout(self, request: Request) -> Response:
        token = request.cookies.get(COOKIE)
        if token:
            await close_session(token)
        response = Redirect("/", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @get("/quen-mat-khau", name="account.forgot")
    async def forgot_form(self) -> Template:
        return _page("forgot", {"values": {}, "errors": {}, "sent": False})

    @post("/quen-mat-khau", name="account.forgot.submit")
    async def forgot(self, request: Request) -> Template:
        form = await form_values(request)
        try:
            await accounts.request_reset(
                form.get("dinh_danh", ""), client_address(request), _link_base(request)
            )
        except accounts.FormErrors as exc:
            return _page(
                "forgot", {"values": form, "errors": exc.errors, "sent": False}, exc.status_code
            )
        return _page("forgot", {"values": {}, "errors": {}, "sent": True})

    @get("/dat-lai-mat-khau/{token:str}", name="account.reset")
    async def reset_form(self, token: FromPath[str]) -> Template:
        valid = await accounts.reset_is_valid(token)
        return Template(
            "pages/account/reset.html",
            context={"token": token, "errors": {}, "valid": valid},
            status_code=200 if valid else 410,
            headers={"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"},
        )

    @post("/dat-lai-mat-khau/{token:str}", name="account.reset.submit")
    async def reset(self, request: Request, token: FromPath[str]) -> Response:
        form = await form_values(request)
        try:
            await accounts.reset_password(token, form.get("mat_khau", ""), form.get("nhap_lai", ""))
        except accounts.FormErrors as exc:
            valid = exc.status_code != 410
            context = {"token": token, "errors": exc.errors, "valid": valid}
            return Template(
                "pages/account/reset.html",
                context=context,
                status_code=exc.status_code,
                headers={"Referrer-Policy": "no-referrer"},
            )
        return Redirect("/dang-nhap?da_doi=1", status_code=303)

    @get("/tai-khoan", name="account.profile", dependencies=CITIZEN, guards=[citizen_only])
    async def profile(self, request: Request, citizen: NamedDependency[Citizen]) -> Template:
        return _page("profile", _profile_context(citizen, _values_of(citizen), {}))

    @post("/tai-khoan", name="account.profile.save", dependencies=CITIZEN, guards=[citizen_only])
    async def save_profile(self, request: Request, citizen: NamedDependency[Citizen]) -> Response:
        data = await request.form()
        form = {k: v for k, v in data.items() if isinstance(v, str)}
        form["thong_bao_email"] = "1" if "thong_bao_email" in data else ""
        form["thong_bao_sms"] = "1" if "thong_bao_sms" in data else ""
        if "chon_tinh" in data:  # without JavaScript: show the communes of the chosen province
            form["xa"] = ""
            return _page("profile", _profile_context(citizen, form, {}))
        try:
            await accounts.admit_profile_save(citizen.id, client_address(request))
            await accounts.update_profile(
                citizen,
                accounts.ProfileInput(
                    full_name=form.get("ho_ten", ""),
                    citizen_id=form.get("so_dinh_danh", ""),
                    date_of_birth=form.get("ngay_sinh", ""),
                    phone=form.get("dien_thoai", ""),
                    email=form.get("thu_dien_tu", ""),
                    province_code=form.get("tinh", ""),
                    ward_code=form.get("xa", ""),
                    street=form.get("dia_chi", ""),
                    notify_email=bool(form["thong_bao_email"]),
                    notify_sms=bool(form["thong_bao_sms"]),
                ),
                local_now().date(),
            )
        except accounts.FormErrors as exc:
            return _page("profile", _profile_context(citizen, form, exc.errors), exc.status_code)
        return Redirect("/tai-khoan?da_luu=1", status_code=303)

    @get(
        "/tai-khoan/mat-khau", name="account.password", dependencies=CITIZEN, guards=[citizen_only]
    )
    async def password_form(self, citizen: NamedDependency[Citizen]) -> Template:
        return _page("password", {"errors": {}}, headers=NO_STORE)

    @post(
        "/tai-khoan/mat-khau",
        name="account.password.save",
        dependencies=CITIZEN,
        guards=[citizen_only],
    )
    async def change_password(
        self, request: Request, citizen: NamedDependency[Citizen]
    ) -> Response:
        form = await form_values(request)
        change = login.PasswordChange(
            form.get("mat_khau_cu", ""), form.get("mat_khau", ""), form.get("nhap_lai", "")
        )
        try:
            await login.change_password(citizen, change, login_client(request))
        except accounts.FormErrors as exc:
            return _page("password", {"errors": exc.errors}, exc.status_code, NO_STORE)
        return Redirect("/tai-khoan?doi_mat_khau=1", status_code=303)

    @get("/tai-khoan/xa", name="account.wards")
    async def ward_options(
        self, province: Annotated[str, QueryParameter(name="tinh", max_length=4)] = ""
    ) -> Template:
        code = int(province) if province.isdigit() else 0
        return Template(
            "partials/account/ward_options.html",
            context={"wards": places.wards(code), "selected": ""},
        )


def _values_of(citizen: Citizen) -> dict[str, str]:
    return {
        "ho_ten": citizen.full_name,
        "so_dinh_danh": citizen.citizen_id,
        "ngay_sinh": citizen.date_of_birth.isoformat() if citizen.date_of_birth else "",
        "dien_thoai": citizen.phone or "",
        "thu_dien_tu": citizen.email or "",
        "tinh": str(citizen.province_code or ""),
        "xa": str(citizen.ward_code or ""),
        "dia_chi": citizen.street,
        "thong_bao_email": "1" if citizen.notify_email else "",
        "thong_bao_sms": "1" if citizen.notify_sms else "",
    }


def _profile_context(citizen: Citizen, values: dict[str, str], errors: dict) -> dict[str, Any]:
    province = int(values["tinh"]) if values.get("tinh", "").isdigit() else 0
    return {
        "citizen": citizen,
        "values": values,
        "errors": errors,
        "provinces": places.provinces(),
        "wards": places.wards(province) if province else [],
    }
