"""Officer accounts: created by an administrator, bound to an agency, with roles."""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.domain.accounts import password_problem
from app.domain.dossier_flow import Role
from app.models import Agency, Officer
from app.services.accounts import FormErrors
from app.services.passwords import hash_password
from app.services.sessions import close_all_sessions

OFFICER_ROLES = (Role.RECEPTIONIST, Role.SPECIALIST, Role.LEADER, Role.ADMINISTRATOR)


@dataclass(frozen=True)
class OfficerInput:
    username: str
    full_name: str
    agency_code: str
    roles: tuple[str, ...]
    password: str
    email: str = ""


async def create_officer(data: OfficerInput) -> Officer:
    errors: dict[str, str] = {}
    username = data.username.strip().lower()
    if not username or not username.replace(".", "").replace("_", "").isalnum():
        errors["ten_dang_nhap"] = "Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch dưới"
    elif await Officer.exists().where(Officer.username == username).run():
        errors["ten_dang_nhap"] = "Tên đăng nhập đã được dùng"
    if not data.full_name.strip():
        errors["ho_ten"] = "Vui lòng nhập họ và tên"
    agency = await Agency.select(Agency.id).where(Agency.code == data.agency_code).first().run()
    if agency is None:
        errors["co_quan"] = "Không có cơ quan với mã này"
    roles = [r for r in data.roles if r in {role.value for role in OFFICER_ROLES}]
    if not roles or len(roles) != len(data.roles):
        errors["vai_tro"] = "Chọn ít nhất một vai trò hợp lệ"
    problem = password_problem(data.password, username)
    if problem:
        errors["mat_khau"] = problem
    if errors:
        raise FormErrors(errors)
    officer = Officer(
        username=username,
        full_name=data.full_name.strip(),
        agency=agency["id"],
        roles=roles,
        email=data.email.strip(),
        password_hash=await hash_password(data.password),
    )
    await officer.save().run()
    return officer


def officer_roles(officer: Officer | dict) -> set[Role]:
    roles = officer["roles"] if isinstance(officer, dict) else officer.roles
    if isinstance(roles, str):
        roles = json.loads(roles)
    return {Role(r) for r in roles}


async def active_officer(officer_id: int) -> Officer | None:
    return (
        await Officer.objects()
        .where((Officer.id == officer_id) & (Officer.is_active == True))  # noqa: E712
        .first()
    )


async def colleagues(agency_id: int) -> list[dict]:
    """The active officers of an agency by name, with their roles (to assign a dossier to)."""
    return (
        await Officer.select(Officer.id, Officer.full_name, Officer.roles)
        .where((Officer.agency == agency_id) & (Officer.is_active == True))  # noqa: E712
        .order_by(Officer.full_name)
        .output(load_json=True)
        .run()
    )


async def all_officers() -> list[dict]:
    """Every officer, by agency and user name, for the administration page."""
    return (
        await Officer.select(
            Officer.id,
            Officer.username,
            Officer.full_name,
            Officer.roles,
            Officer.is_active,
            Officer.agency.name.as_alias("agency_name"),
        )
        .order_by(Officer.agency)
        .order_by(Officer.username)
        .output(load_json=True)
        .run()
    )


async def toggle_active(officer_id: int) -> None:
    """Lock an active officer (every open session of theirs ends) or unlock a locked one."""
    row = await Officer.select(Officer.is_active).where(Officer.id == officer_id).first().run()
    if row is None:
        return
    await (
        Officer.update({Officer.is_active: not row["is_active"]})
        .where(Officer.id == officer_id)
        .run()
    )
    if row["is_active"]:
        await close_all_sessions("officer", officer_id)
