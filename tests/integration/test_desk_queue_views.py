"""The working queue: filters, counts per tab under filters, sorting and keyset pages."""

import random
import secrets
from datetime import UTC, datetime, timedelta

from app.domain import desk_view as dv
from app.domain.dossier_flow import Status
from app.models import Agency, AgencyLevel, Dossier, Procedure, ProcedureSector, Sector
from app.services import desk_queue
from tests.integration.helpers import insert_dossier

NOW = datetime(2031, 3, 12, 9, 0, tzinfo=UTC)
NAMES = ["Lê Thị Ánh", "Nguyễn Văn An", "Trần Bình", "Phạm Thu", "Lê Thị Ánh"]  # ties on purpose


async def _agency() -> int:
    level = await AgencyLevel.select(AgencyLevel.id).first()
    suffix = secrets.token_hex(3)
    rows = await Agency.insert(
        Agency(code=f"Q{suffix}", name=f"Đơn vị {suffix}", level=level["id"])
    )
    return rows[0]["id"]


async def _dossier(agency: int, procedure: int, rng: random.Random, **columns) -> int:
    submitted = NOW - timedelta(days=rng.randrange(0, 40), minutes=rng.randrange(0, 600))
    values = {
        "reference": secrets.token_hex(6).upper(),
        "code": f"T-{secrets.token_hex(8)}",
        "procedure": procedure,
        "status": Status.RECEIVED.value,
        "receiving_agency": agency,
        "current_agency": agency,
        "resolving_agency": agency,
        "applicant_name": rng.choice(NAMES),
        "submitted_at": submitted,
        "received_at": submitted,
        "due_at": rng.choice([None, submitted + timedelta(days=rng.randrange(1, 20))]),
        "is_priority": rng.random() < 0.2,
        "channel": rng.choice(["online", "counter", "post"]),
        "fee_status": rng.choice(["paid", "unpaid"]),
        **columns,
    }
    return await insert_dossier(Dossier(**values))


async def _procedures() -> tuple[int, int, str, str]:
    rows = await Procedure.select(Procedure.id, Procedure.code).limit(2)
    return rows[0]["id"], rows[1]["id"], rows[0]["code"], rows[1]["code"]


async def _walk(agency: int, view: dv.QueueView, size: int, between=None) -> list[int]:
    where = await desk_queue.view_where(agency, view, NOW, officer_id=0)
    seen, cursor = [], ""
    while True:
        rows, cursor = await desk_queue.rows_after(where, view, cursor, size)
        seen += [r["id"] for r in rows]
        if not cursor:
            return seen
        if between:
            await between()


async def test_pages_neither_skip_nor_repeat_a_row_while_dossiers_arrive(demo_db):
    rng = random.Random(15)
    agency = await _agency()
    first, _, _, _ = await _procedures()
    present = [await _dossier(agency, first, rng) for _ in range(40)]

    async def arrive():  # two more between every page, some sorting before, some after
        for _ in range(2):
            await _dossier(agency, first, rng)

    for sort in dv.SORTS:
        for descending in (False, True):
            view = dv.QueueView(queue="dang-xu-ly", sort=sort, descending=descending)
            seen = await _walk(agency, view, size=7, between=arrive)
            assert len(seen) == len(set(seen)), (sort, descending)  # nothing twice
            assert set(present) <= set(seen), (sort, descending)  # nothing skipped


async def test_pages_follow_the_table_order_priority_first_empty_due_dates_last(demo_db):
    rng = random.Random(7)
    agency = await _agency()
    first, _, _, _ = await _procedures()
    for _ in range(30):
        await _dossier(agency, first, rng)
    view = dv.QueueView(queue="dang-xu-ly", sort="han")
    seen = await _walk(agency, view, size=4)
    rows = {r["id"]: r for r in await Dossier.select().where(Dossier.id.is_in(seen))}
    far = datetime.max.replace(tzinfo=UTC)
    expected = sorted(seen, key=lambda i: (not rows[i]["is_priority"], rows[i]["due_at"] or far, i))
    assert seen == expected


async def test_filters_narrow_the_list_and_the_counts_of_every_tab(demo_db):
    rng = random.Random(3)
    agency = await _agency()
    first, second, first_code, _ = await _procedures()
    inside = NOW - timedelta(days=3)
    wanted = [
        await _dossier(agency, first, rng, submitted_at=inside, channel="online") for _ in range(3)
    ]
    wanted.append(
        await _dossier(
            agency, first, rng, submitted_at=inside, channel="online", status="submitted"
        )
    )
    await _dossier(agency, second, rng, submitted_at=inside, channel="online")  # other procedure
    await _dossier(agency, first, rng, submitted_at=NOW - timedelta(days=30), channel="online")
    await _dossier(agency, first, rng, submitted_at=inside, channel="post")  # other channel
    day = inside.date()
    view = dv.parse_view(
        {
            "hang": "dang-xu-ly",
            "thu_tuc": first_code,
            "kenh": "online",
            "nhan_tu": (day - timedelta(days=1)).isoformat(),
            "nhan_den": (day + timedelta(days=1)).isoformat(),
        }
    )
    counts = await desk_queue.counts(agency, view, NOW, officer_id=0)
    assert counts["dang-xu-ly"] == 3 and counts["moi"] == 1 and counts["da-ket-thuc"] == 0
    page = await desk_queue.page(agency, view, NOW, 0, counts)
    assert {r["id"] for r in page.rows} == set(wanted[:3]) and page.total == 3
    moi = dv.parse_view({**dv.query_of(view), "hang": "moi"})
    assert [r["id"] for r in (await desk_queue.page(agency, moi, NOW, 0, counts)).rows] == [
        wanted[3]
    ]


async def test_sector_due_range_fee_and_officer_filters(demo_db):
    rng = random.Random(5)
    agency = await _agency()
    first, second, _, _ = await _procedures()
    sector = await Sector.insert(Sector(code=f"S{secrets.token_hex(3)}", name=secrets.token_hex(8)))
    await ProcedureSector.insert(ProcedureSector(procedure=second, sector=sector[0]["id"]))
    due = NOW + timedelta(days=5)
    in_sector = await _dossier(agency, second, rng, due_at=due, fee_status="unpaid")
    await _dossier(agency, first, rng, due_at=due, fee_status="unpaid")
    await _dossier(agency, second, rng, due_at=due + timedelta(days=9), fee_status="unpaid")
    await _dossier(agency, second, rng, due_at=due, fee_status="paid")
    code = (await Sector.select(Sector.code).where(Sector.id == sector[0]["id"]).first())["code"]
    view = dv.parse_view(
        {
            "hang": "dang-xu-ly",
            "linh_vuc": code,
            "han_tu": due.date().isoformat(),
            "han_den": due.date().isoformat(),
            "phi": "unpaid",
            "can_bo": dv.NO_OFFICER,
        }
    )
    where = await desk_queue.view_where(agency, view, NOW, 0)
    rows, _ = await desk_queue.rows_after(where, view, "", 50)
    assert [r["id"] for r in rows] == [in_sector]
    nobody = dv.parse_view({"hang": "dang-xu-ly", "thu_tuc": "KHONG-CO"})
    assert (await desk_queue.counts(agency, nobody, NOW, 0))["dang-xu-ly"] == 0


async def _walk_pages(agency: int, view: dv.QueueView, between=None) -> list[int]:
    seen, cursor = [], ""
    while True:
        counts = await desk_queue.counts(agency, view, NOW, officer_id=0)
        page = await desk_queue.page(agency, view, NOW, 0, counts, cursor=cursor)
        seen += [r["id"] for r in page.rows]
        if not page.next_cursor:
            return seen
        cursor = page.next_cursor
        if between:
            await between()


async def test_an_unfiltered_tab_read_through_the_index_has_the_rows_of_the_table_in_its_order(
    demo_db,
):
    rng = random.Random(11)
    agency = await _agency()
    first, _, _, _ = await _procedures()
    statuses = ["received", "in_progress", "awaiting_approval", "submitted", "returned"]
    for _ in range(70):
        await _dossier(agency, first, rng, status=rng.choice(statuses))
    for queue in ("dang-xu-ly", "cho-phe-duyet", "moi", "da-ket-thuc", "qua-han", "sap-den-han"):
        view = dv.QueueView(queue=queue)
        assert desk_queue.indexed_plan(view, NOW) is not None  # the fast path is the one tested
        indexed = await _walk_pages(agency, view)
        table = await _walk(agency, view, size=desk_queue.PAGE_SIZE)
        assert indexed == table, queue
    assert len(await _walk_pages(agency, dv.QueueView(queue="dang-xu-ly"))) > desk_queue.PAGE_SIZE
    # a filter, another order or a search leave the index for the table's own query
    assert desk_queue.indexed_plan(dv.QueueView(queue="moi", sort="ma"), NOW) is None
    assert desk_queue.indexed_plan(dv.QueueView(queue="moi", channel="post"), NOW) is None


async def test_indexed_pages_neither_skip_nor_repeat_a_row_while_dossiers_arrive(demo_db):
    rng = random.Random(12)
    agency = await _agency()
    first, _, _, _ = await _procedures()
    present = [await _dossier(agency, first, rng) for _ in range(60)]

    async def arrive():
        for _ in range(3):
            await _dossier(agency, first, rng)

    seen = await _walk_pages(agency, dv.QueueView(queue="dang-xu-ly"), between=arrive)
    assert len(seen) == len(set(seen)) and set(present) <= set(seen)
