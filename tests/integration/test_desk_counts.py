"""The desk's queue counts: every dossier an agency may see is counted once, in its status."""

import secrets
from collections import Counter

from app.domain.dossier_flow import Status
from app.models import Agency, AgencyLevel, Dossier, Procedure
from app.services import desk


async def _agency(level_id: int) -> int:
    suffix = secrets.token_hex(3)
    rows = await Agency.insert(
        Agency(code=f"T{suffix}", name=f"Đơn vị thử {suffix}", level=level_id)
    ).run()
    return rows[0]["id"]


async def _dossier(procedure_id: int, status: Status, receiving, current, resolving) -> None:
    await Dossier.insert(
        Dossier(
            reference=secrets.token_hex(6).upper(),
            procedure=procedure_id,
            status=status.value,
            receiving_agency=receiving,
            current_agency=current,
            resolving_agency=resolving,
        )
    ).run()


async def test_each_visible_dossier_is_counted_once_whatever_agency_column_names_it(demo_db):
    level = await AgencyLevel.select(AgencyLevel.id).first().run()
    procedure = await Procedure.select(Procedure.id).first().run()
    a, b, c = [await _agency(level["id"]) for _ in range(3)]
    combos = [
        (Status.SUBMITTED, a, a, a),  # all three columns name A: once, not three times
        (Status.IN_PROGRESS, a, b, a),  # handed from A to B
        (Status.TRANSFERRED, a, b, c),
        (Status.RETURNED, c, c, b),
        (Status.RECEIVED, None, b, b),  # no receiving agency recorded
        (Status.RESULT_READY, None, None, c),
        (Status.DRAFT, a, a, a),  # a draft is nobody's yet
    ]
    for status, receiving, current, resolving in combos:
        await _dossier(procedure["id"], status, receiving, current, resolving)

    for agency in (a, b, c):
        expected = Counter(
            status.value
            for status, *columns in combos
            if agency in columns and status is not Status.DRAFT
        )
        assert await desk.status_counts(agency) == dict(expected)
    counts = await desk.queue_counts(a)
    assert counts["moi"] == 1
    assert counts["dang-xu-ly"] == 2  # in progress + transferred
