"""Demo accounts for `motcua seed-demo`: citizens and officers of two communes and the province."""

from __future__ import annotations

from datetime import date

from app.models import Citizen, Officer
from app.services.officers import OfficerInput, create_officer
from app.services.passwords import hash_password


async def load_demo_accounts(document: dict) -> tuple[int, int]:
    password = document["password"]
    citizens = 0
    for row in document.get("citizens", []):
        if await Citizen.exists().where(Citizen.phone == row["phone"]).run():
            continue
        await (
            Citizen(
                full_name=row["full_name"],
                phone=row["phone"],
                email=row.get("email"),
                citizen_id=row.get("citizen_id", ""),
                date_of_birth=date.fromisoformat(row["date_of_birth"])
                if row.get("date_of_birth")
                else None,
                province_code=row.get("province_code"),
                street=row.get("street", ""),
                password_hash=await hash_password(password),
            )
            .save()
            .run()
        )
        citizens += 1
    officers = 0
    for row in document.get("officers", []):
        if await Officer.exists().where(Officer.username == row["username"]).run():
            continue
        await create_officer(
            OfficerInput(
                username=row["username"],
                full_name=row["full_name"],
                agency_code=row["agency"],
                roles=tuple(row["roles"]),
                password=password,
            )
        )
        officers += 1
    return citizens, officers
