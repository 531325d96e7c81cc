"""Citizen accounts: registration, password reset, profile (login is ``services.login``)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from piccolo.columns.combination import Where

from app.db import write_transaction
from app.domain import forms_answers, limits
from app.domain.accounts import Identifier, parse_identifier, password_problem
from app.models import Citizen, PasswordReset
from app.services import outbox, places, rate_limit, rows
from app.services.passwords import hash_password
from app.services.sessions import close_all_sessions
from app.settings import get_settings

RESET_PER_ADDRESS = rate_limit.Limit("reset-address", 5, 60 * 60)
REGISTER_PER_ADDRESS = rate_limit.Limit(
    "register-address", get_settings().registrations_per_address, 60 * 60
)
PROFILE_PER_ACCOUNT = rate_limit.Limit(
    "profile-account", get_settings().profile_saves_per_account, 60 * 60
)
PROFILE_PER_ADDRESS = rate_limit.Limit(
    "profile-address", get_settings().profile_saves_per_address, 60 * 60
)
RESET_HOURS = 1


@dataclass
class FormErrors(Exception):
    errors: dict[str, str] = field(default_factory=dict)
    status_code: int = 422


def identifier_where(identifier: Identifier) -> Where:
    column = Citizen.email if identifier.kind == "email" else Citizen.phone
    return column == identifier.value


@dataclass(frozen=True)
class Registration:
    """A registration form that passed its checks (nothing here says whether it is taken)."""

    full_name: str
    identifier: Identifier
    password: str


def check_registration(full_name: str, login: str, password: str, confirm: str) -> Registration:
    """The form's own checks, every problem at once keyed by field (FormErrors)."""
    errors: dict[str, str] = {}
    full_name = " ".join(full_name.split())
    if not full_name:
        errors["ho_ten"] = "Vui lòng nhập họ và tên"
    elif len(full_name) > limits.PERSON_NAME:
        errors["ho_ten"] = f"Họ và tên dài tối đa {limits.PERSON_NAME} ký tự"
    identifier = parse_identifier(login)
    if identifier is None:
        errors["dinh_danh"] = "Nhập số điện thoại di động (10 số) hoặc địa chỉ e-mail hợp lệ"
    problem = password_problem(password, identifier.value if identifier else "")
    if problem:
        errors["mat_khau"] = problem
    elif password != confirm:
        errors["nhap_lai"] = "Mật khẩu nhập lại không khớp"
    if errors or identifier is None:
        raise FormErrors(errors)
    return Registration(full_name, identifier, password)


async def admit_registration(address: str) -> None:
    if address and not (await rate_limit.hit(REGISTER_PER_ADDRESS, address)).allowed:
        raise FormErrors({"_": "Có quá nhiều đăng ký từ địa chỉ này. Vui lòng thử lại sau."}, 429)


async def register(
    full_name: str, login: str, password: str, confirm: str, address: str = ""
) -> Citizen:
    """An account created at once, without a confirmation link (tests and tools; the public
    page goes through ``services.registration``). A taken identifier is refused."""
    await admit_registration(address)
    form = check_registration(full_name, login, password, confirm)
    if await Citizen.exists().where(identifier_where(form.identifier)).run():
        raise FormErrors({"dinh_danh": "Số điện thoại hoặc e-mail này đã có tài khoản."})
    return await create_citizen(form.full_name, form.identifier, await hash_password(password))


async def create_citizen(full_name: str, identifier: Identifier, password_hash: str) -> Citizen:
    citizen = Citizen(
        full_name=full_name, password_hash=password_hash, **{identifier.kind: identifier.value}
    )
    await citizen.save().run()
    return citizen


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def request_reset(login: str, address: str, link_base: str) -> None:
    """E-mail a one-time link if the account exists and has an e-mail; say nothing either way."""
    verdict = await rate_limit.hit(RESET_PER_ADDRESS, address)
    if not verdict.allowed:
        raise FormErrors(
            {"_": "Bạn đã yêu cầu quá nhiều lần. Vui lòng thử lại sau ít phút."}, status_code=429
        )
    identifier = parse_identifier(login)
    if identifier is None:
        raise FormErrors({"dinh_danh": "Nhập số điện thoại hoặc e-mail đã đăng ký"})
    citizen = await Citizen.objects().where(identifier_where(identifier)).first().run()
    token = secrets.token_urlsafe(32)
    if citizen is None or not citizen.email:
        _digest(token)  # the same answer, and about the same work, as for a real account
        return
    async with write_transaction():
        await (
            PasswordReset(
                citizen=citizen.id,
                token_hash=_digest(token),
                expires_at=datetime.now(UTC) + timedelta(hours=RESET_HOURS),
            )
            .save()
            .run()
        )
        await outbox.enqueue(
            "email",
            citizen.email,
            "Đặt lại mật khẩu tài khoản dịch vụ công",
            f"Xin chào {citizen.full_name},\n\n"
            "Bạn (hoặc ai đó) vừa yêu cầu đặt lại mật khẩu. Mở liên kết sau trong vòng "
            f"{RESET_HOURS} giờ để đặt mật khẩu mới:\n\n{link_base}/dat-lai-mat-khau/{token}\n\n"
            "Nếu không phải bạn yêu cầu, hãy bỏ qua thư này; mật khẩu của bạn không đổi.\n\n"
            f"{get_settings().portal_name}",
            dedupe_key=f"reset:{_digest(token)}",
        )


async def reset_is_valid(token: str) -> bool:
    row = (
        await PasswordReset.select(PasswordReset.expires_at, PasswordReset.used_at)
        .where(PasswordReset.token_hash == _digest(token))
        .first()
        .run()
    )
    return bool(row) and row["used_at"] is None and row["expires_at"] > datetime.now(UTC)


async def reset_password(token: str, password: str, confirm: str) -> int:
    """Set a new password with a valid token (once); every open session is closed."""
    row = (
        await PasswordReset.select().where(PasswordReset.token_hash == _digest(token)).first().run()
    )
    now = datetime.now(UTC)
    if row is None or row["used_at"] is not None or row["expires_at"] <= now:
        raise FormErrors({"_": "Liên kết đã hết hạn hoặc đã được dùng. Vui lòng yêu cầu lại."}, 410)
    problem = password_problem(password)
    if problem:
        raise FormErrors({"mat_khau": problem})
    if password != confirm:
        raise FormErrors({"nhap_lai": "Mật khẩu nhập lại không khớp"})
    used = (
        await PasswordReset.update({PasswordReset.used_at: now})
        .where((PasswordReset.id == row["id"]) & PasswordReset.used_at.is_null())
        .returning(PasswordReset.id)
        .run()
    )
    if not used:
        raise FormErrors({"_": "Liên kết đã được dùng. Vui lòng yêu cầu lại."}, 410)
    new_hash = await hash_password(password)
    await (
        Citizen.update({Citizen.password_hash: new_hash}).where(Citizen.id == row["citizen"]).run()
    )
    await close_all_sessions("citizen", row["citizen"])
    return row["citizen"]


@dataclass(frozen=True)
class ProfileInput:
    full_name: str
    citizen_id: str
    date_of_birth: str
    phone: str
    email: str
    province_code: str
    ward_code: str
    street: str
    notify_email: bool
    notify_sms: bool


async def _taken(where: Where, citizen_id: int) -> bool:
    return await Citizen.exists().where(where & (Citizen.id != citizen_id)).run()


async def admit_profile_save(citizen_id: int, address: str) -> None:
    """Count a profile save per account and per address before it is checked.

    Saving answers whether a phone number or e-mail belongs to another account (it must, to be
    refused), so the number of tries is what keeps it from being a directory of accounts."""
    verdict = await rate_limit.hit_all(
        [(PROFILE_PER_ACCOUNT, f"citizen:{citizen_id}"), (PROFILE_PER_ADDRESS, address)]
    )
    if not verdict.allowed:
        minutes = max(1, -(-verdict.retry_after // 60))
        raise FormErrors(
            {"_": f"Bạn đã lưu hồ sơ quá nhiều lần. Vui lòng thử lại sau {minutes} phút."}, 429
        )


async def update_profile(citizen: Citizen, data: ProfileInput, today: date) -> None:
    """Validate and save the profile; every problem comes back at once, keyed by field."""
    errors: dict[str, str] = {}
    name = " ".join(data.full_name.split())
    street = " ".join(data.street.split())
    if not name:
        errors["ho_ten"] = "Vui lòng nhập họ và tên"
    errors |= limits.too_long({"ho_ten": name, "dia_chi": street}, limits.FORM_FIELDS)
    birth, citizen_id = _identity(data, today, errors)
    phone, email = await _contacts(citizen, data, errors)
    province, ward = _place(data, errors)
    if data.notify_email and not email:
        errors["thong_bao"] = "Cần e-mail để nhận thông báo qua e-mail"
    if data.notify_sms and not phone:
        errors["thong_bao"] = "Cần số điện thoại để nhận thông báo qua SMS"
    if errors:
        raise FormErrors(errors)
    await (
        Citizen.update(
            {
                Citizen.full_name: name,
                Citizen.citizen_id: citizen_id,
                Citizen.date_of_birth: birth,
                Citizen.phone: phone,
                Citizen.email: email,
                Citizen.province_code: province,
                Citizen.ward_code: ward,
                Citizen.street: street,
                Citizen.notify_email: data.notify_email,
                Citizen.notify_sms: data.notify_sms,
            }
        )
        .where(Citizen.id == citizen.id)
        .run()
    )


def _identity(data: ProfileInput, today: date, errors: dict[str, str]) -> tuple[date | None, str]:
    """The date of birth and the personal number, checked against each other."""
    birth = forms_answers.parse_date(data.date_of_birth) if data.date_of_birth.strip() else None
    if data.date_of_birth.strip() and (birth is None or birth > today or birth.year < 1900):
        errors["ngay_sinh"] = "Ngày sinh không hợp lệ"
        birth = None
    citizen_id = "".join(ch for ch in data.citizen_id if ch.isdigit() or ch.isalpha())
    if citizen_id:
        problem = forms_answers.citizen_id_problem(
            citizen_id, today, birth_year=birth.year if birth else None
        )
        if problem:
            errors["so_dinh_danh"] = problem
    return birth, citizen_id


async def _contacts(
    citizen: Citizen, data: ProfileInput, errors: dict[str, str]
) -> tuple[str | None, str | None]:
    """The phone and e-mail, each valid and nobody else's; at least one of them."""
    phone = None
    if data.phone.strip():
        phone = forms_answers.normalize_phone(data.phone)
        if phone is None:
            errors["dien_thoai"] = "Số điện thoại không hợp lệ"
        elif await _taken(Citizen.phone, phone, citizen.id):
            errors["dien_thoai"] = "Số điện thoại đã dùng cho tài khoản khác"
    email = data.email.strip().lower() or None
    if email:
        if parse_identifier(email) is None:
            errors["thu_dien_tu"] = "Địa chỉ e-mail không hợp lệ"
        elif await _taken(Citizen.email, email, citizen.id):
            errors["thu_dien_tu"] = "E-mail đã dùng cho tài khoản khác"
    if not phone and not email:
        errors["dien_thoai"] = "Tài khoản cần ít nhất số điện thoại hoặc e-mail để đăng nhập"
    return phone, email


async def _taken(column, value: str, citizen_id: int) -> bool:
    return await Citizen.exists().where((column == value) & (Citizen.id != citizen_id)).run()


def _place(data: ProfileInput, errors: dict[str, str]) -> tuple[int | None, int | None]:
    """The province and the ward, the ward inside the province."""
    province = int(data.province_code) if data.province_code.isdigit() else None
    ward = int(data.ward_code) if data.ward_code.isdigit() else None
    if province and not places.province_name(province):
        errors["tinh"] = "Tỉnh, thành phố không hợp lệ"
    if ward and (not province or not places.ward_in_province(ward, province)):
        errors["xa"] = "Xã, phường không thuộc tỉnh đã chọn"
    return province, ward


async def purge_expired_resets(now: datetime | None = None) -> None:
    """Delete password-reset links past their hour, used or not (neither can be used again)."""
    await PasswordReset.delete().where(PasswordReset.expires_at <= (now or datetime.now(UTC))).run()


CITIZEN_SQL = f"SELECT {rows.columns_sql(Citizen, 'c')} FROM citizen c WHERE c.id = {{}}"


async def citizen_by_id(citizen_id: int) -> Citizen | None:
    found = await Citizen.raw(CITIZEN_SQL, citizen_id).run()
    return Citizen(**found[0], _exists_in_db=True) if found else None
