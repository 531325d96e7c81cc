"""Officers' second factor (TOTP with pyotp): setting it up, checking a code at login."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp

from app.domain import mfa
from app.models import MfaRequirement, Officer, OfficerTotp, RecoveryCode
from app.services import login_limits
from app.services.accounts import FormErrors
from app.services.officers import officer_roles

BAD_CODE = "Mã xác thực không đúng hoặc đã hết hạn"


async def is_enabled(officer_id: int) -> bool:
    return await (
        OfficerTotp.exists()
        .where((OfficerTotp.officer == officer_id) & OfficerTotp.confirmed_at.is_not_null())
        .run()
    )


async def setup_needed(officer: Officer) -> bool:
    """True while the officer's role requires TOTP and they have not turned it on."""
    roles = [r.value for r in officer_roles(officer)]
    needed = mfa.required(roles, await required_roles())
    return needed and not await is_enabled(officer.id)


async def required_roles() -> list[str]:
    rows = await MfaRequirement.select(MfaRequirement.role).order_by(MfaRequirement.role).run()
    return [r["role"] for r in rows]


async def set_required_roles(roles: list[str]) -> None:
    async with MfaRequirement._meta.db.transaction():
        await MfaRequirement.delete(force=True).run()
        if roles:
            await MfaRequirement.insert(*(MfaRequirement(role=r) for r in sorted(set(roles)))).run()


async def pending_secret(officer_id: int) -> str:
    """The secret being set up (a new one unless one is waiting for confirmation)."""
    row = await OfficerTotp.objects().where(OfficerTotp.officer == officer_id).first().run()
    if row is not None and row.confirmed_at is None:
        return row.secret
    if row is not None:
        raise FormErrors({"_": "Xác thực hai bước đã được bật."}, 409)
    secret = pyotp.random_base32()
    await OfficerTotp(officer=officer_id, secret=secret).save().run()
    return secret


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=mfa.ISSUER)


async def confirm(officer_id: int, code: str) -> list[str]:
    """Turn TOTP on with a first correct code; the recovery codes are returned once."""
    row = await OfficerTotp.objects().where(OfficerTotp.officer == officer_id).first().run()
    if row is None or row.confirmed_at is not None:
        raise FormErrors({"_": "Hãy bắt đầu cài đặt lại."}, 409)
    if not await _accept_totp(row, mfa.clean_code(code)):
        raise FormErrors({"ma": BAD_CODE})
    codes = mfa.new_recovery_codes()
    await RecoveryCode.delete().where(RecoveryCode.officer == officer_id).run()
    await RecoveryCode.insert(
        *(RecoveryCode(officer=officer_id, code_hash=mfa.recovery_digest(c)) for c in codes)
    ).run()
    await (
        OfficerTotp.update({OfficerTotp.confirmed_at: datetime.now(UTC)})
        .where(OfficerTotp.id == row.id)
        .run()
    )
    return codes


async def check_login_code(officer_id: int, code: str, address: str) -> None:
    """The second step of a login: a TOTP code or an unused recovery code, rate-limited like
    the password (counted before checking). Raises FormErrors when refused."""
    account_key = f"totp:{officer_id}"
    try:
        await login_limits.admit(account_key, address)
    except login_limits.TooManyAttempts as exc:
        raise FormErrors(
            {"_": f"Nhập sai quá nhiều lần. Vui lòng thử lại sau {exc.minutes} phút."}, 429
        ) from exc
    code = mfa.clean_code(code)
    row = await OfficerTotp.objects().where(OfficerTotp.officer == officer_id).first().run()
    ok = row is not None and row.confirmed_at is not None
    ok = ok and (
        await _accept_totp(row, code) if mfa.is_totp_code(code) else await _use(officer_id, code)
    )
    if not ok:
        raise FormErrors({"ma": BAD_CODE}, 401)
    await login_limits.succeeded(account_key, address)


async def _accept_totp(row: OfficerTotp, code: str) -> bool:
    """A code of the current step (±1 for clock drift), each step accepted once (atomic)."""
    if not mfa.is_totp_code(code):
        return False
    totp = pyotp.TOTP(row.secret)
    now = datetime.now(UTC)
    for drift in (0, -1, 1):
        step = totp.timecode(now) + drift
        if totp.generate_otp(step) == code:
            updated = (
                await OfficerTotp.update({OfficerTotp.last_step: str(step)})
                .where((OfficerTotp.id == row.id) & (OfficerTotp.last_step != str(step)))
                .returning(OfficerTotp.id)
                .run()
            )
            return bool(updated)
    return False


async def _use(officer_id: int, code: str) -> bool:
    """Spend a recovery code (atomic: two requests cannot both use it)."""
    used = (
        await RecoveryCode.update({RecoveryCode.used_at: datetime.now(UTC)})
        .where(
            (RecoveryCode.officer == officer_id)
            & (RecoveryCode.code_hash == mfa.recovery_digest(code))
            & RecoveryCode.used_at.is_null()
        )
        .returning(RecoveryCode.id)
        .run()
    )
    return bool(used)
