"""What the desk's home shows around the queue, read in one statement: the agency's name, its
active officers (the filter form's and the batch form's choices) and how many of its open PAKN
are due soon and overdue (the navigation's counts).

The PAKN counts need two bounds only, because a PAKN's urgency grows with its due date
(``feedback_deadlines.due_soon_until``); the uncorrelated subqueries are evaluated once."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from app.domain.feedback_deadlines import due_soon_until
from app.models import Agency
from app.services.calendar import local_now, working_calendar
from app.services.feedback_desk import OPEN
from app.services.feedback_steps import rules
from app.settings import get_settings

_OPEN = ", ".join(f"'{status.value}'" for status in OPEN)  # the enum's own values, not input
_PAKN = f"SELECT COUNT(*) FROM feedback f WHERE f.agency = {{}} AND f.status IN ({_OPEN}) AND"
HEADING_SQL = f"""
SELECT a.name AS agency_name,
    ({_PAKN} f.due_on < {{}}) AS pakn_overdue,
    ({_PAKN} f.due_on >= {{}} AND f.due_on <= {{}}) AS pakn_due_soon,
    o.id AS officer_id, o.full_name, o.roles
FROM agency a
LEFT JOIN officer o ON o.agency = a.id AND o.is_active = {{true}}
WHERE a.id = {{}}
ORDER BY o.full_name, o.id"""


@dataclass(frozen=True)
class Heading:
    agency_name: str = ""
    colleagues: list[dict] = field(default_factory=list)
    feedback_due: dict[str, int] = field(default_factory=lambda: {"sap-den-han": 0, "qua-han": 0})


def _sql() -> str:
    return HEADING_SQL.replace("{true}", "TRUE" if get_settings().is_postgres else "1")


def _day(value: date) -> date | str:
    return value if get_settings().is_postgres else value.isoformat()


async def load(agency_id: int, today: date | None = None) -> Heading:
    today = today or local_now().date()
    until = due_soon_until(today, await working_calendar(), rules())
    rows = await Agency.raw(
        _sql(), agency_id, _day(today), agency_id, _day(today), _day(until), agency_id
    ).run()
    if not rows:
        return Heading()
    colleagues = [
        {
            "id": r["officer_id"],
            "full_name": r["full_name"],
            "roles": json.loads(r["roles"]) if isinstance(r["roles"], str) else r["roles"],
        }
        for r in rows
        if r["officer_id"] is not None
    ]
    counts = {"sap-den-han": int(rows[0]["pakn_due_soon"]), "qua-han": int(rows[0]["pakn_overdue"])}
    return Heading(rows[0]["agency_name"], colleagues, counts)
