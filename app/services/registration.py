"""Registering on the public page without revealing who already has an account.

Every registration that passes the form's checks gets the same answer ("check your e-mail or
SMS") after the same work (one password hash, one look-up, one queued message). A new phone
number or e-mail gets a confirmation link; the account is created only when that link is
opened, by whoever holds the phone or mailbox. An identifier that already has an account gets
"someone tried to register with your address" instead, with the login and reset links.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from datetime import UTC, datetime, timedelta

from app.db import write_transaction
from app.domain.accounts import Identifier
from app.models import Citizen, PendingRegistration
from app.services import accounts, outbox, rate_limit
from app.services.accounts import FormErrors, Registration, identifier_where
from app.services.passwords import hash_password
from app.settings import get_settings

CONFIRM_HOURS = 24
# Messages one phone number or mailbox receives from registrations: beyond this the answer is
# the same but nothing is sent (nobody can flood someone's inbox through this form).
MESSAGES_PER_IDENTIFIER = rate_limit.Limit("register-identifier", 3, 60 * 60)
EXPIRED = "Liên kết xác nhận đã hết hạn hoặc đã được dùng. Vui lòng đăng ký lại."
TAKEN = "Số điện thoại hoặc e-mail này đã có tài khoản. Hãy đăng nhập hoặc lấy lại mật khẩu."


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start(
    full_name: str, login: str, password: str, confirm: str, address: str, link_base: str
) -> None:
    """Check the form and send the confirmation link (or the owner's warning). Raises
    FormErrors only for the form's own problems and the per-address limit."""
    await accounts.admit_registration(address)
    form = accounts.check_registration(full_name, login, password, confirm)
    password_hash = await hash_password(form.password)  # spent whether or not it is kept
    token = secrets.token_urlsafe(32)
    taken = await Citizen.exists().where(identifier_where(form.identifier)).run()
    verdict = await rate_limit.hit(MESSAGES_PER_IDENTIFIER, form.identifier.value[:150])
    if not verdict.allowed:
        return
    now = datetime.now(UTC)
    async with write_transaction():
        if not taken:
            await _pending(form, password_hash, token, now).save().run()
        subject, body = (_warning if taken else _confirmation)(form, link_base, token)
        channel = "email" if form.identifier.kind == "email" else "sms"
        await outbox.enqueue(
            channel, form.identifier.value, subject, body, dedupe_key=f"register:{_digest(token)}"
        )


async def purge_expired(now: datetime | None = None) -> None:
    """Delete registrations whose link expired unopened (the housekeeping loop calls this)."""
    now = now or datetime.now(UTC)
    await PendingRegistration.delete().where(PendingRegistration.expires_at <= now).run()


def _pending(form: Registration, password_hash: str, token: str, now: datetime):
    return PendingRegistration(
        token_hash=_digest(token),
        kind=form.identifier.kind,
        identifier=form.identifier.value,
        full_name=form.full_name,
        password_hash=password_hash,
        expires_at=now + timedelta(hours=CONFIRM_HOURS),
    )


def _confirmation(form: Registration, link_base: str, token: str) -> tuple[str, str]:
    portal = get_settings().portal_name
    link = f"{link_base}/dang-ky/xac-nhan/{token}"
    if form.identifier.kind == "phone":
        return "", f"{portal}: mở liên kết trong {CONFIRM_HOURS} giờ để kích hoạt tài khoản: {link}"
    return (
        "Xác nhận đăng ký tài khoản dịch vụ công",
        f"Xin chào {form.full_name},\n\n"
        f"Để kích hoạt tài khoản, hãy mở liên kết sau trong vòng {CONFIRM_HOURS} giờ:\n\n"
        f"{link}\n\nNếu bạn không đăng ký, hãy bỏ qua thư này: không có tài khoản nào được "
        f"tạo.\n\n{portal}",
    )


def _warning(form: Registration, link_base: str, token: str) -> tuple[str, str]:
    portal = get_settings().portal_name
    if form.identifier.kind == "phone":
        return "", (
            f"{portal}: có người vừa đăng ký bằng số điện thoại này, nhưng số đã có tài khoản. "
            f"Quên mật khẩu? {link_base}/quen-mat-khau"
        )
    return (
        "Có người đăng ký tài khoản bằng địa chỉ e-mail của bạn",
        "Xin chào,\n\nVừa có người dùng địa chỉ e-mail này để đăng ký tài khoản trên "
        f"{portal}. Địa chỉ đã có tài khoản nên không có tài khoản mới nào được tạo.\n\n"
        f"Nếu đó là bạn, hãy đăng nhập tại {link_base}/dang-nhap hoặc lấy lại mật khẩu tại "
        f"{link_base}/quen-mat-khau.\nNếu không phải bạn, bạn không cần làm gì: mật khẩu của "
        f"bạn không đổi.\n\n{portal}",
    )


async def is_valid(token: str) -> bool:
    now = datetime.now(UTC)
    return await (
        PendingRegistration.exists()
        .where(
            (PendingRegistration.token_hash == _digest(token))
            & PendingRegistration.used_at.is_null()
            & (PendingRegistration.expires_at > now)
        )
        .run()
    )


async def confirm(token: str) -> Citizen:
    """Create the account of a valid link, once (410 when expired or used, 409 when the
    identifier got an account meanwhile)."""
    try:
        async with write_transaction():
            return await _confirm(token)
    except (sqlite3.IntegrityError, _unique_violation()) as exc:
        raise FormErrors({"_": TAKEN}, 409) from exc


async def _confirm(token: str) -> Citizen:
    now = datetime.now(UTC)
    rows = (
        await PendingRegistration.update({PendingRegistration.used_at: now})
        .where(
            (PendingRegistration.token_hash == _digest(token))
            & PendingRegistration.used_at.is_null()
            & (PendingRegistration.expires_at > now)
        )
        .returning(
            PendingRegistration.kind,
            PendingRegistration.identifier,
            PendingRegistration.full_name,
            PendingRegistration.password_hash,
        )
        .run()
    )
    if not rows:
        raise FormErrors({"_": EXPIRED}, 410)
    row = rows[0]
    identifier = Identifier(row["kind"], row["identifier"])
    if await Citizen.exists().where(identifier_where(identifier)).run():
        raise FormErrors({"_": TAKEN}, 409)
    citizen = await accounts.create_citizen(row["full_name"], identifier, row["password_hash"])
    await (
        PendingRegistration.delete()
        .where(
            (PendingRegistration.identifier == identifier.value)
            & (PendingRegistration.kind == identifier.kind)
        )
        .run()
    )
    return citizen


def _unique_violation() -> type[Exception]:
    try:
        from asyncpg.exceptions import UniqueViolationError
    except ImportError:  # pragma: no cover - asyncpg is installed with the PostgreSQL extra
        return sqlite3.IntegrityError
    return UniqueViolationError
