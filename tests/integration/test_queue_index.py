"""The desk's index (visibility rows, status and due-hour counters) stays equal to a full
recount after a random walk of real transitions; keyset pages cover a queue exactly once."""

import random
import secrets
from datetime import timedelta

from app.domain import dossier_flow as flow
from app.domain.dossier_codes import new_reference
from app.models import Agency, Dossier, Officer, Procedure
from app.services import desk, queue_index, workflow
from app.services.calendar import local_now

ROLES = (flow.Role.RECEPTIONIST, flow.Role.SPECIALIST, flow.Role.LEADER)
STEPS = 240


async def _draft(procedure_id: int, agency_id: int, name: str) -> int:
    rows = await Dossier.insert(
        Dossier(
            reference=new_reference(secrets.randbelow),
            procedure=procedure_id,
            status=flow.Status.DRAFT.value,
            receiving_agency=agency_id,
            resolving_agency=agency_id,
            current_agency=agency_id,
            applicant_name=name,
            applicant_search=name.lower(),
            applicant_phone="0909000000",
            rules={"time_limit_value": 5, "time_limit_unit": "working_day", "fees": []},
        )
    ).run()
    return rows[0]["id"]


async def _changes(action, row, rng, agencies) -> workflow.Changes:
    if action is flow.Action.TRANSFER:
        others = [a for a in agencies if a != row["current_agency"]]
        return workflow.Changes(agency_id=rng.choice(others))
    if action is flow.Action.ASSIGN:
        agency = row["resolving_agency"] or row["receiving_agency"]
        officers = await Officer.select(Officer.id).where(Officer.agency == agency).run()
        return workflow.Changes(officer_id=rng.choice(officers)["id"] if officers else None)
    if action is flow.Action.EXTEND:
        return workflow.Changes(new_due_on=local_now().date() + timedelta(days=rng.randint(5, 9)))
    if action in (flow.Action.REQUEST_SUPPLEMENT, flow.Action.REQUEST_PRE_SUPPLEMENT):
        return workflow.Changes(missing_items=["Bản sao giấy tờ"])
    return workflow.Changes()


async def _step(
    rng: random.Random, ids: list[int], agencies: list[int], taken: set[flow.Action]
) -> str | None:
    dossier_id = rng.choice(ids)
    row = await workflow.load_row(dossier_id)
    facts = workflow.facts_of(row, local_now().date())
    choices = [(role, a) for role in ROLES for a in flow.options(facts, role)]
    if row["status"] == flow.Status.DRAFT.value:
        choices = [(flow.Role.CITIZEN, flow.Action.SUBMIT)]
    if not choices:
        ids.remove(dossier_id)  # finished: walk the others
        return None
    ending = {flow.Action.REFUSE, flow.Action.HALT, flow.Action.WITHDRAW, flow.Action.REJECT}
    # rare endings, and actions not taken yet first: the walk reaches every corner of the table
    weights = [(0.1 if a in ending else 1.0) * (1.0 if a in taken else 6.0) for _, a in choices]
    role, action = rng.choices(choices, weights)[0]
    taken.add(action)
    agency = row["resolving_agency"] or row["receiving_agency"]
    if action is flow.Action.TRANSFER_BACK or row["current_agency"] != agency:
        agency = row["current_agency"] if action is not flow.Action.TRANSFER_BACK else agency
    actor = (
        workflow.Actor("citizen", None, role)
        if role is flow.Role.CITIZEN
        else workflow.Actor("officer", None, role, agency)
    )
    try:
        changes = await _changes(action, row, rng, agencies)
        after = await workflow.transition(
            dossier_id, action, actor, "Ghi chú thử", changes, is_complete=True
        )
    except flow.Refused:
        return None
    return after["status"]


async def test_counters_equal_a_full_recount_after_a_random_walk_of_transitions(demo_db):
    rng = random.Random(16)
    procedure = (await Procedure.select(Procedure.id).first().run())["id"]
    agencies = [a["id"] for a in await Agency.select(Agency.id).limit(4).run()]
    ids = [await _draft(procedure, rng.choice(agencies), f"nguyen van {i}") for i in range(24)]
    done = []
    taken: set[flow.Action] = set()
    for step in range(STEPS):
        if ids:
            done.append(await _step(rng, ids, agencies, taken))
        if step % 20 == 0:  # along the way, not only where the walk ends
            assert await queue_index.recount() == []
            assert await queue_index.rows_out_of_date() == 0
    visited = {s for s in done if s}
    hours = await Dossier.raw("SELECT COUNT(*) AS n FROM due_count").run()
    assert hours[0]["n"] > 0, "no dossier with a running clock: the due counters go untested"
    assert len(done) - done.count(None) > STEPS // 3, "the walk hardly moved: it tests nothing"
    assert len(visited) >= 8, visited
    assert await queue_index.recount() == []
    assert await queue_index.rows_out_of_date() == 0
    # …and the check itself notices a counter that went wrong
    await Dossier.raw(
        "UPDATE queue_count SET n = n + 1 WHERE id = (SELECT MIN(id) FROM queue_count)"
    ).run()
    assert len(await queue_index.recount()) == 1
    await queue_index.rebuild()
    assert await queue_index.recount() == []


async def test_queue_counts_match_the_rows_of_each_queue(demo_db):
    now = local_now()
    for agency in [a["id"] for a in await Agency.select(Agency.id).run()]:
        counts = await desk.queue_counts(agency, now)
        for key in counts:
            seen, cursor = [], None
            while True:
                page = await desk.list_queue(agency, key, cursor=cursor, now=now, counts=counts)
                seen += [r["id"] for r in page.rows]
                if page.next_cursor is None:
                    break
                cursor = page.next_cursor
            assert len(seen) == len(set(seen)) == counts[key], key


NAMES = [
    "Nguyễn Văn An",
    "Nguyễn Thị Ánh",
    "Trần Nguyên Hùng",
    "Lê Thị Thu_Hà",
    "Phạm 100% Đức",
    'Đỗ "Bé" Nguyệt',
    "Hoàng Anh",
    "Vũ Thị Nguyên Anh",
]
FRAGMENTS = [
    "nguyen",
    "Nguyễn",
    "NGUYEN VAN",
    "anh",
    "an",  # shorter than a trigram: the fallback
    "thu_ha",
    "_",
    "100%",
    "%",
    '"be"',
    "đức",
    "yen",
    "guy",
    "zzz",
    "T77-2612",  # a code fragment
    "-0003",
]


async def test_name_and_code_fragments_find_what_a_substring_search_finds(demo_db, monkeypatch):
    from app.domain.search import fold
    from app.services import dossier_search, queue_pages

    level = (await Agency.select(Agency.level).first().run())["level"]
    suffix = secrets.token_hex(3)
    agency = (await Agency.insert(Agency(code=f"S{suffix}", name="Đơn vị tìm", level=level)).run())[
        0
    ]["id"]
    procedure = (await Procedure.select(Procedure.id).first().run())["id"]
    expected_rows = []
    for i in range(64):
        name = NAMES[i % len(NAMES)]
        code = f"000.00.32.T77-2612{i % 28 + 1:02d}-{i:04d}"
        rows = await Dossier.insert(
            Dossier(
                reference=new_reference(secrets.randbelow),
                procedure=procedure,
                status=flow.Status.SUBMITTED.value,
                receiving_agency=agency,
                current_agency=agency,
                resolving_agency=agency,
                code=code,
                applicant_name=name,
                applicant_search=" ".join(fold(name).split()),
                is_priority=i % 7 == 0,
            )
        ).run()
        row = await Dossier.select().where(Dossier.id == rows[0]["id"]).first().run()
        await queue_index.record(None, row)
        expected_rows.append(row)

    async def found(q: str) -> list[int]:
        ids, cursor = [], None
        while True:
            page = await desk.list_queue(agency, "moi", q, cursor=cursor)
            ids += [r["id"] for r in page.rows]
            if page.next_cursor is None:
                return ids
            cursor = page.next_cursor

    def expected(q: str) -> set[int]:
        frag = dossier_search.fragment(q)
        return {
            r["id"]
            for r in expected_rows
            if frag.name in r["applicant_search"] or frag.code in (r["code"] or "")
        }

    for sparse_limit in (queue_pages.SEARCH_SPARSE_LIMIT, 2):  # index answer, then the walk
        monkeypatch.setattr(queue_pages, "SEARCH_SPARSE_LIMIT", sparse_limit)
        for q in FRAGMENTS:
            ids = await found(q)
            assert len(ids) == len(set(ids)), q
            assert set(ids) == expected(q), (q, sparse_limit)
    assert len(expected("nguyen")) > queue_pages.PAGE_SIZE  # it took more than one page
    order = {r["id"]: (not r["is_priority"], r["created_at"], r["id"]) for r in expected_rows}
    ids = await found("nguyen")
    assert ids == sorted(ids, key=order.__getitem__)  # priority first, then oldest
    assert expected("zzz") == set()
