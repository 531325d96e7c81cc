"""Recording how a result was delivered: at the desk, by post (tracking number) or online.

A row of the lifecycle (``record_delivery``, from ``result_ready``); a dossier reaches
"returned" only after its delivery is recorded (the return_result guard).
"""

from __future__ import annotations

from typing import Any

from app.domain.dossier_flow import Action, Role
from app.services import workflow
from app.services.calendar import local_now


async def record_delivery(
    dossier_id: int,
    officer_id: int,
    method: str,
    info: dict[str, Any],
    agency_id: int | None = None,
) -> None:
    """Record the delivery by ``method`` (the applicant's choice) or raise ``Refused``."""
    now = local_now()
    details = {**info, "method": method, "at": now.isoformat(), "officer_id": officer_id}
    actor = workflow.Actor("officer", officer_id, Role.RECEPTIONIST, agency_id)
    await workflow.transition(
        dossier_id,
        Action.RECORD_DELIVERY,
        actor,
        note=str(info.get("postal_tracking", "")),
        changes=workflow.Changes(details=details),
        now=now,
    )
