"""The desk's queues: counts (every visible dossier once, in its status) and search."""

import secrets
from collections import Counter

from app.domain.dossier_codes import new_reference
from app.domain.dossier_flow import Status
from app.domain.search import fold
from app.models import Agency, AgencyLevel, Dossier, Procedure
from app.services import desk
from tests.integration.helpers import insert_dossier


async def _agency(level_id: int) -> int:
    suffix = secrets.token_hex(3)
    rows = await Agency.insert(
        Agency(code=f"T{suffix}", name=f"Đơn vị thử {suffix}", level=level_id)
    ).run()
    return rows[0]["id"]


async def _dossier(
    procedure_id: int, status: Status, receiving, current, resolving, **columns
) -> None:
    """A dossier written straight into the table, indexed as a transition would index it."""
    await insert_dossier(
        Dossier(
            reference=columns.pop("reference", secrets.token_hex(6).upper()),
            procedure=procedure_id,
            status=status.value,
            receiving_agency=receiving,
            current_agency=current,
            resolving_agency=resolving,
            **columns,
        )
    )


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
    page = await desk.list_queue(a, "dang-xu-ly", counts=counts)
    assert page.total == 2 and len(page.rows) == 2


async def test_the_desk_finds_a_dossier_by_code_reference_or_name_fragment(demo_db):
    level = await AgencyLevel.select(AgencyLevel.id).first().run()
    procedure = (await Procedure.select(Procedure.id).first().run())["id"]
    agency, other = await _agency(level["id"]), await _agency(level["id"])
    day = f"{secrets.randbelow(28) + 1:02d}"
    people = {
        f"000.00.32.T01-2611{day}-0001": "Lê Thị Ánh",
        f"000.00.32.T01-2611{day}-0002": "Nguyễn Văn Đông",
        f"000.00.32.T01-2611{day}-0003": "Phạm Thị Ánh Dương",
    }
    for code, name in people.items():
        await _dossier(
            procedure,
            Status.RECEIVED,
            agency,
            agency,
            agency,
            code=code,
            applicant_name=name,
            applicant_search=fold(name),
        )
    draft_ref = new_reference(secrets.randbelow)
    await _dossier(procedure, Status.SUBMITTED, agency, agency, agency, reference=draft_ref)
    await _dossier(
        procedure,
        Status.RECEIVED,
        other,
        other,
        other,
        code=f"000.00.32.T02-2611{day}-0001",
        applicant_name="Lê Thị Ánh",
        applicant_search=fold("Lê Thị Ánh"),
    )

    async def found(q: str) -> set[str]:
        page = await desk.list_queue(agency, "moi", q)
        return {row["code"] or row["reference"] for row in page.rows}

    first = f"000.00.32.T01-2611{day}-0001"
    assert await found(f"  {first.lower()} ") == {first}  # whole code, typed carelessly
    assert await found(draft_ref.replace("-", "").lower()) == {draft_ref}
    assert await found("anh") == {first, f"000.00.32.T01-2611{day}-0003"}  # no diacritics
    assert await found("Đông") == {f"000.00.32.T01-2611{day}-0002"}
    assert await found(f"2611{day}-0002") == {f"000.00.32.T01-2611{day}-0002"}
    assert await found(f"000.00.32.T02-2611{day}-0001") == set()  # another agency's dossier
