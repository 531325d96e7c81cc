"""One login path for citizens and officers: limits, password, second factor, session.

Both login pages call :func:`log_in`. The attempt is counted before the password is hashed
(``login_limits``), an unknown account costs the same hash as a known one, a hash made with
old parameters is renewed, and a correct password opens a session — for an officer with TOTP
turned on, first a short "code pending" session that only the code page accepts
(:func:`complete_second_factor`). The route turns the :class:`Started` into the cookie and the
redirect, and drops the CSRF cookie so a token known before login is worth nothing after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from piccolo.table import Table

from app.domain import mfa as mfa_rules
from app.domain.accounts import officer_landing, parse_identifier, password_problem
from app.models import Citizen, Officer
from app.services import login_limits, mfa
from app.services.accounts import FormErrors, identifier_where
from app.services.officers import officer_roles
from app.services.passwords import burn_time, hash_password, verify_password
from app.services.sessions import close_other_sessions, open_session, read_session
from app.settings import get_settings

PENDING = "mfa"  # a session kind that is not a login: the password was right, the code not yet
PENDING_LIFETIME = timedelta(minutes=10)

WRONG = {
    "citizen": "Số điện thoại/e-mail hoặc mật khẩu không đúng",
    "officer": "Tên đăng nhập hoặc mật khẩu không đúng",
}
TOO_MANY = {
    "citizen": "Bạn đã đăng nhập sai quá nhiều lần. "
    "Vui lòng thử lại sau {minutes} phút hoặc lấy lại mật khẩu.",
    "officer": "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
}


class Step(StrEnum):
    """Where a login goes after the password."""

    SIGNED_IN = "signed_in"  # a session of the account: its landing page
    CODE = "code"  # an officer with TOTP: the code page
    SETUP = "setup"  # an officer whose role requires TOTP that is not on yet: the security page


@dataclass(frozen=True)
class Started:
    step: Step
    token: str
    lifetime: timedelta
    landing: str  # "citizen", "desk" or "admin"


@dataclass(frozen=True)
class Client:
    """Who is logging in from where: the address counts for the limits, the old token dies."""

    address: str
    user_agent: str = ""
    old_token: str = ""


async def _find(kind: str, login: str) -> tuple[Any, str]:
    """The active account for this login name (or None) and the key its attempts count under.

    A citizen's phone number and e-mail share one counter: the key is the account."""
    if kind == "officer":
        subject = login.strip().lower()[:60]
        officer = (
            await Officer.objects()
            .where((Officer.username == subject) & (Officer.is_active == True))  # noqa: E712
            .first()
            .run()
        )
        return officer, f"officer:{subject}"
    identifier = parse_identifier(login)
    citizen = None
    if identifier is not None:
        citizen = await Citizen.objects().where(identifier_where(identifier)).first().run()
    if citizen is not None:
        return citizen, f"citizen:{citizen.id}"
    folded = identifier.value if identifier else login.strip().lower()[:100]
    return None, f"login:{folded}"


async def admit(kind: str, account_key: str, address: str) -> None:
    """Count the attempt; refuse with the audience's message over the limit."""
    try:
        await login_limits.admit(account_key, address)
    except login_limits.TooManyAttempts as exc:
        raise FormErrors({"_": TOO_MANY[kind].format(minutes=exc.minutes)}, 429) from exc


async def check_password(table: type[Table], account: Any, password: str) -> bool:
    """Whether the password is the account's (an absent account costs the same hash); a hash
    made with older parameters is renewed."""
    if account is None:
        await burn_time(password)
        return False
    ok, needs_rehash = await verify_password(account.password_hash, password)
    if ok and needs_rehash:
        new_hash = await hash_password(password)
        await table.update({table.password_hash: new_hash}).where(table.id == account.id).run()
    return ok


async def authenticate(kind: str, login: str, password: str, address: str) -> Any:
    """The account for these credentials, or FormErrors (401 wrong, 429 over the limit)."""
    account, account_key = await _find(kind, login)
    await admit(kind, account_key, address)
    table = Officer if kind == "officer" else Citizen
    if not await check_password(table, account, password):
        raise FormErrors({"_": WRONG[kind]}, 401)
    if table is Citizen:
        now = datetime.now(UTC)
        await Citizen.update({Citizen.last_login_at: now}).where(Citizen.id == account.id).run()
    await login_limits.succeeded(account_key, address)
    return account


async def log_in(kind: str, login: str, password: str, client: Client) -> Started:
    """Check the credentials and start the session (or the officer's code step)."""
    account = await authenticate(kind, login, password, client.address)
    if kind == "officer":
        return await _officer_session(account, client)
    token = await _open(kind, account.id, client)
    return Started(Step.SIGNED_IN, token, _lifetime(), "citizen")


async def _officer_session(officer: Officer, client: Client) -> Started:
    if await mfa.is_enabled(officer.id):
        token = await _open(PENDING, officer.id, client, PENDING_LIFETIME)
        return Started(Step.CODE, token, PENDING_LIFETIME, "desk")
    token = await _open("officer", officer.id, client)
    roles = officer_roles(officer)
    if mfa_rules.required([r.value for r in roles], await mfa.required_roles()):
        return Started(Step.SETUP, token, _lifetime(), "desk")
    return Started(Step.SIGNED_IN, token, _lifetime(), officer_landing(roles))


async def pending_officer(token: str) -> Officer | None:
    """The active officer whose password was right and whose code is awaited, or None."""
    info = await read_session(token)
    if info is None or info.account_kind != PENDING:
        return None
    return (
        await Officer.objects()
        .where((Officer.id == info.account_id) & (Officer.is_active == True))  # noqa: E712
        .first()
        .run()
    )


async def complete_second_factor(officer: Officer, code: str, client: Client) -> Started:
    """The code step: a TOTP or recovery code (limited like the password) opens the session."""
    await mfa.check_login_code(officer.id, code, client.address)
    token = await _open("officer", officer.id, client)
    return Started(Step.SIGNED_IN, token, _lifetime(), officer_landing(officer_roles(officer)))


async def _open(
    kind: str, account_id: int, client: Client, lifetime: timedelta | None = None
) -> str:
    return await open_session(
        kind, account_id, client.address, client.user_agent, client.old_token, lifetime
    )


def _lifetime() -> timedelta:
    return timedelta(hours=get_settings().session_hours)


@dataclass(frozen=True)
class PasswordChange:
    current: str
    new: str
    confirm: str


async def change_password(citizen: Citizen, change: PasswordChange, client: Client) -> None:
    """A citizen's new password: the current one is checked like a login (counted first, per
    account and address), the new one meets the registration rules, and every other session of
    the account ends. Every problem comes back at once, keyed by field."""
    account_key = f"password-change:citizen:{citizen.id}"
    await admit("citizen", account_key, client.address)
    errors: dict[str, str] = {}
    if not await check_password(Citizen, citizen, change.current):
        errors["mat_khau_cu"] = "Mật khẩu hiện tại không đúng"
    problem = password_problem(change.new, citizen.email or citizen.phone or "")
    if problem:
        errors["mat_khau"] = problem
    elif change.new != change.confirm:
        errors["nhap_lai"] = "Mật khẩu nhập lại không khớp"
    elif change.new == change.current and "mat_khau_cu" not in errors:
        errors["mat_khau"] = "Mật khẩu mới cần khác mật khẩu hiện tại"
    if errors:
        raise FormErrors(errors, 401 if "mat_khau_cu" in errors else 422)
    new_hash = await hash_password(change.new)
    await Citizen.update({Citizen.password_hash: new_hash}).where(Citizen.id == citizen.id).run()
    await close_other_sessions("citizen", citizen.id, client.old_token)
    await login_limits.succeeded(account_key, client.address)
