"""Builders for the statistics tests: desk dossiers replayed through the real services with the
clock passed in, so a history can straddle a period boundary."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time

from app.domain.calendar import VIETNAM_TZ
from app.domain.dossier_flow import Action, Role
from app.models import Agency, AgencyLevel, Officer
from app.services import intake, workflow
from app.services.catalogue import get_catalogue
from app.services.officers import OfficerInput, create_officer

PROCEDURE = "P19"  # Đăng ký tạm trú: 3 working days
PASSWORD = "motcua-demo-2026"


def at(d: date, hh: int = 9, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm), tzinfo=VIETNAM_TZ)


async def new_commune(parent_code: str = "000.00.00.H99") -> tuple[int, str]:
    """A commune of its own (so other tests' dossiers never reach its report)."""
    level = await AgencyLevel.select(AgencyLevel.id).where(AgencyLevel.key == "xa").first().run()
    parent = await Agency.select(Agency.id).where(Agency.code == parent_code).first().run()
    suffix = secrets.token_hex(3)
    n = secrets.randbelow(10**7)
    code = f"{n // 10**4:03d}.{n // 100 % 100:02d}.{n % 100:02d}.T{secrets.randbelow(100):02d}"
    rows = await Agency.insert(
        Agency(
            code=code,
            name=f"Ủy ban nhân dân xã Thử {suffix}",
            level=level["id"],
            parent=parent["id"],
        )
    ).run()
    return rows[0]["id"], code


async def all_round_officer(agency_code: str) -> Officer:
    """One officer of the commune who plays every desk role (receptionist, specialist, leader)."""
    return await create_officer(
        OfficerInput(
            username=f"thongke.{secrets.token_hex(4)}",
            full_name="Trương Văn Thống",
            agency_code=agency_code,
            roles=("receptionist", "specialist", "leader"),
            password=PASSWORD,
        )
    )


class Desk:
    """The commune's desk acting at given moments."""

    def __init__(self, officer: Officer) -> None:
        self.officer = officer
        agency = officer.agency if isinstance(officer.agency, int) else officer.agency.id
        self.agency = agency

    def actor(self, role: Role) -> workflow.Actor:
        return workflow.Actor("officer", self.officer.id, role, self.agency)

    async def receive(
        self, when: datetime, channel: str = "counter", procedure_code: str = PROCEDURE
    ) -> int:
        procedure = (await get_catalogue()).get(procedure_code)
        form = intake.IntakeForm(
            procedure_code=procedure_code,
            channel=channel,
            applicant_name="Lê Văn Thành",
            applicant_id_number="",
            applicant_phone="0912 000 222",
            applicant_email="",
            applicant_address="",
            delivery_method="desk",
            received_components=("Tờ khai",),
        )
        row = await intake.register(self.officer, form, procedure, now=when)
        return row["id"]

    async def act(self, dossier: int, action: Action, role: Role, when: datetime, note=""):
        changes = workflow.Changes(officer_id=self.officer.id) if action is Action.ASSIGN else None
        return await workflow.transition(dossier, action, self.actor(role), note, changes, when)

    async def start(self, dossier: int, when: datetime) -> None:
        await self.act(dossier, Action.ASSIGN, Role.LEADER, when)

    async def resolve(self, dossier: int, when: datetime) -> None:
        """Assigned earlier; the specialist submits and the leader signs at ``when``."""
        await self.act(dossier, Action.SUBMIT_FOR_APPROVAL, Role.SPECIALIST, when)
        await self.act(dossier, Action.APPROVE, Role.LEADER, when)
