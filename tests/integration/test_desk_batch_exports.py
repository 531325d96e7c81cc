"""Batch actions through the transition path, exports of the filtered list, the remembered
view, following and private annotations."""

import asyncio
import csv
import io
import re
import secrets
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from html import unescape

from app.models import Agency, Dossier, Procedure
from tests.integration.builders import (
    HOA_BINH,
    Clients,
    desk_act,
    dossier_by_id,
    events_of,
    officer_id,
    post,
    simultaneously,
)
from tests.integration.helpers import insert_dossier

CODE_RE = re.compile(r'class="code">([^<]+)</a>')
DAY = datetime(2032, 5, 17, 3, 0, tzinfo=UTC)  # a day no other test gives a dossier


async def _submitted(clients: Clients, count: int):
    applicant = await clients.citizen()
    return [await applicant.submit_dossier() for _ in range(count)]


async def test_a_batch_receives_each_dossier_through_its_own_guard_and_says_which_was_refused(
    demo_db,
):
    clients = Clients()
    try:
        dossiers = await _submitted(clients, 5)
        desk = await clients.officer("tiepnhan.hoabinh")
        assert (await desk_act(desk, dossiers[2].id, "receive")).status_code == 303
        response = await post(
            desk, "/mot-cua/lo", {"thao_tac": "receive", "ho_so": [d.id for d in dossiers]}
        )
        assert response.status_code == 200, response.text[:400]
        assert "Tiếp nhận: 4 hồ sơ đã xong, 1 hồ sơ không thực hiện được" in response.text
        refused = response.text.split("Không thực hiện được (1)")[1]
        assert dossiers[2].code in refused
        for d in dossiers:
            row = await dossier_by_id(d.id)
            assert row["status"] == "received"
            receipts = [e for e in await events_of(d.id) if e["action"] == "receive"]
            assert len(receipts) == 1  # one history row each, the refused one not twice
    finally:
        await clients.aclose()


async def test_a_bulk_refusal_needs_its_reason_and_a_confirmation_and_keeps_the_selection(demo_db):
    clients = Clients()
    try:
        dossiers = await _submitted(clients, 2)
        desk = await clients.officer("tiepnhan.hoabinh")
        ids = [d.id for d in dossiers]
        response = await post(desk, "/mot-cua/lo", {"thao_tac": "refuse", "ho_so": ids})
        assert response.status_code == 422
        assert "Từ chối tiếp nhận cần nêu rõ lý do." in response.text
        for d in dossiers:
            assert f'value="{d.id}" id="chon-{d.id}" checked' in response.text
            assert (await dossier_by_id(d.id))["status"] == "submitted"
        reason = "Không thuộc thẩm quyền của phường"
        asked = await post(
            desk, "/mot-cua/lo", {"thao_tac": "refuse", "ho_so": ids, "ly_do": reason}
        )
        assert asked.status_code == 422  # a refusal cannot be undone: the desk asks once
        assert "Từ chối tiếp nhận 2 hồ sơ không hoàn tác được" in asked.text
        assert 'name="xac_nhan" value="1" required' in asked.text
        assert f">{reason}</textarea>" in asked.text
        for d in dossiers:
            assert (await dossier_by_id(d.id))["status"] == "submitted"
        done = await post(
            desk,
            "/mot-cua/lo",
            {"thao_tac": "refuse", "ho_so": ids, "ly_do": reason, "xac_nhan": "1"},
        )
        assert "2 hồ sơ đã xong" in done.text
        for d in dossiers:
            row = await dossier_by_id(d.id)
            assert row["status"] == "refused"
            assert row["status_note"] == "Không thuộc thẩm quyền của phường"
    finally:
        await clients.aclose()


async def test_a_batch_is_limited_to_200_dossiers_and_says_so(demo_db):
    clients = Clients()
    try:
        desk = await clients.officer("tiepnhan.hoabinh")
        ids = list(range(10_000_000, 10_000_201))
        response = await post(desk, "/mot-cua/lo", {"thao_tac": "receive", "ho_so": ids})
        assert response.status_code == 422
        assert "tối đa 200 hồ sơ; bạn đã chọn 201 hồ sơ" in response.text
        junk = await post(desk, "/mot-cua/lo", {"thao_tac": "x' or 1", "ho_so": ["a", "-1"]})
        assert junk.status_code == 422
    finally:
        await clients.aclose()


async def test_two_officers_batching_the_same_dossiers_at_once_receive_each_once(demo_db):
    clients = Clients()
    try:
        dossiers = await _submitted(clients, 3)
        ids = [d.id for d in dossiers]
        first = await clients.officer("tiepnhan.hoabinh")
        second = await clients.officer("tiepnhan.hoabinh")
        form = {"thao_tac": "receive", "ho_so": ids}
        answers = await simultaneously(
            [(first, "/mot-cua/lo", form), (second, "/mot-cua/lo", form)]
        )
        assert [a.status_code for a in answers] == [200, 200]
        for d in dossiers:
            assert len([e for e in await events_of(d.id) if e["action"] == "receive"]) == 1
        done = sum(int(re.search(r"(\d+) hồ sơ đã xong", a.text).group(1)) for a in answers)
        assert done == 3
    finally:
        await clients.aclose()


async def test_a_leader_assigns_in_bulk_only_to_a_specialist_of_the_agency(demo_db):
    clients = Clients()
    try:
        dossiers = await _submitted(clients, 2)
        desk = await clients.officer("tiepnhan.hoabinh")
        ids = [d.id for d in dossiers]
        await post(desk, "/mot-cua/lo", {"thao_tac": "receive", "ho_so": ids})
        stranger = await officer_id("xuly.tanlap")
        refused = await post(
            desk, "/mot-cua/lo", {"thao_tac": "assign", "ho_so": ids, "can_bo_giao": stranger}
        )
        assert "0 hồ sơ đã xong, 2 hồ sơ không thực hiện được" in refused.text
        specialist = await officer_id("xuly.hoabinh")
        done = await post(
            desk, "/mot-cua/lo", {"thao_tac": "assign", "ho_so": ids, "can_bo_giao": specialist}
        )
        assert "2 hồ sơ đã xong" in done.text
        for d in dossiers:
            row = await dossier_by_id(d.id)
            assert row["status"] == "in_progress" and row["assigned_officer"] == specialist
    finally:
        await clients.aclose()


async def _export_fixture() -> tuple[str, list[str]]:
    agency = await Agency.select(Agency.id).where(Agency.code == HOA_BINH).first()
    procedure = await Procedure.select(Procedure.id, Procedure.code).first()
    codes = []
    names = ['=HYPERLINK("http://x")', "Nguyễn Thị Ánh", "+84 Trần", "Lê Văn Bình"]
    for n, name in enumerate(names * 8):
        code = f"X-{secrets.token_hex(6)}"
        codes.append(code)
        await insert_dossier(
            Dossier(
                reference=secrets.token_hex(6).upper(),
                code=code,
                procedure=procedure["id"],
                status="received",
                receiving_agency=agency["id"],
                current_agency=agency["id"],
                resolving_agency=agency["id"],
                applicant_name=name,
                submitted_at=DAY + timedelta(minutes=n),
                received_at=DAY + timedelta(minutes=n),
                due_at=DAY + timedelta(days=3, minutes=n),
            )
        )
    day = (DAY + timedelta(hours=7)).date().isoformat()
    query = f"hang=dang-xu-ly&thu_tuc={procedure['code']}&nhan_tu={day}&nhan_den={day}"
    return query, codes


async def test_exports_hold_exactly_the_rows_of_the_filtered_table(demo_db):
    clients = Clients()
    try:
        query, codes = await _export_fixture()
        desk = await clients.officer("tiepnhan.hoabinh")
        page = await desk.get(f"/mot-cua?{query}&sap_xep=han")
        shown = CODE_RE.findall(page.text)
        more = await desk.get(_next(page.text))
        shown += CODE_RE.findall(more.text)
        assert sorted(shown) == sorted(codes)

        got = await desk.get(f"/mot-cua/xuat/csv?{query}&sap_xep=han")
        assert got.status_code == 200 and got.content.startswith("\ufeff".encode())
        table = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
        assert table[0][0] == "Mã hồ sơ" and table[0][-1] == "Quá trình xử lý"
        assert [r[0] for r in table[1:]] == shown  # same rows, same order
        names = {r[1] for r in table[1:]}
        assert '\'=HYPERLINK("http://x")' in names and "'+84 Trần" in names  # formula-safe

        book = await desk.get(f"/mot-cua/xuat/xlsx?{query}&sap_xep=han")
        assert book.status_code == 200
        with zipfile.ZipFile(io.BytesIO(book.content)) as archive:
            sheet = archive.read("xl/worksheets/sheet1.xml").decode()
            strings = "".join(
                archive.read(n).decode() for n in archive.namelist() if "sharedStrings" in n
            )
        assert sheet.count("<row ") == len(codes) + 1
        assert all(code in sheet + strings for code in codes)
        assert "<f>" not in sheet  # no formulas, whatever the applicant typed
    finally:
        await clients.aclose()


def _next(html: str) -> str:
    """The address of the "Trang sau" link, as a browser would follow it."""
    match = re.search(r'href="([^"]+)">Trang sau', html)
    assert match, "no next page"
    return unescape(match.group(1))


async def test_the_last_view_comes_back_when_the_officer_returns_to_the_desk(demo_db):
    clients = Clients()
    try:
        query, _ = await _export_fixture()
        desk = await clients.officer("xuly.hoabinh")
        await desk.get(f"/mot-cua?{query}&sap_xep=nguoi-nop&chieu=giam")
        again = await desk.get("/mot-cua")
        assert "Đang hiển thị bộ lọc bạn dùng lần trước" in again.text
        assert 'aria-sort="descending"' in again.text and "(đang áp dụng)" in again.text
        cleared = await desk.get("/mot-cua?hang=dang-xu-ly")
        assert "(đang áp dụng)" not in cleared.text
        assert "lần trước" not in (await desk.get("/mot-cua")).text
    finally:
        await clients.aclose()


async def test_bad_filters_in_the_address_give_a_message_not_an_error(demo_db):
    clients = Clients()
    try:
        desk = await clients.officer("tiepnhan.hoabinh")
        for query in (
            "nhan_tu=31/02/2026&kenh=fax",
            "sau=1|t2026-99-01|5&sap_xep=han",
            "can_bo=99999999999999&phi=%00",
            "han_tu=2026-12-10&han_den=2026-12-01",
            "nhan_den=9999-12-31&han_den=9999-12-31",
        ):
            response = await desk.get(f"/mot-cua?{query}")
            assert response.status_code == 200, query
        assert "Ngày không hợp lệ" in (await desk.get("/mot-cua?nhan_tu=31/02/2026")).text
    finally:
        await clients.aclose()


async def test_followed_dossiers_show_when_they_changed_since_last_opened(demo_db):
    clients = Clients()
    try:
        [dossier] = await _submitted(clients, 1)
        specialist = await clients.officer("xuly.hoabinh")
        path = f"/mot-cua/ho-so/{dossier.id}"
        assert (await post(specialist, f"{path}/theo-doi", {"theo_doi": "1"})).status_code == 303
        assert (await post(specialist, f"{path}/theo-doi", {"theo_doi": "1"})).status_code == 303
        await specialist.get(path)  # opened: seen now
        listing = await specialist.get(f"/mot-cua?hang=moi&theo_doi=1&q={dossier.code}")
        assert "Đang theo dõi" in listing.text and "Có thay đổi" not in listing.text
        await asyncio.sleep(0.01)  # the change must come after the visit (timestamps)
        desk = await clients.officer("tiepnhan.hoabinh")
        await desk_act(desk, dossier.id, "receive")
        listing = await specialist.get(f"/mot-cua?hang=dang-xu-ly&theo_doi=1&q={dossier.code}")
        assert "Có thay đổi" in listing.text
        page = await specialist.get(path)
        assert "Hồ sơ có thay đổi kể từ lần cuối bạn mở." in page.text
        listing = await specialist.get(f"/mot-cua?hang=dang-xu-ly&theo_doi=1&q={dossier.code}")
        assert "Có thay đổi" not in listing.text
    finally:
        await clients.aclose()


async def test_private_annotations_stay_on_the_desk(demo_db):
    clients = Clients()
    try:
        applicant = await clients.citizen()
        dossier = await applicant.submit_dossier()
        desk = await clients.officer("tiepnhan.hoabinh")
        path = f"/mot-cua/ho-so/{dossier.id}"
        empty = await post(desk, f"{path}/ghi-chu-noi-bo", {"noi_dung": "   "})
        assert empty.status_code == 422 and "Hãy nhập nội dung ghi chú nội bộ." in empty.text
        secret = f"Gọi lại cho người nộp trước 10 giờ {secrets.token_hex(4)}"
        saved = await post(desk, f"{path}/ghi-chu-noi-bo", {"noi_dung": secret})
        assert saved.status_code == 303
        assert secret in (await desk.get(path)).text
        colleague = await clients.officer("lanhdao.hoabinh")
        assert secret in (await colleague.get(path)).text
        own = await applicant.client.get(f"/ho-so/{dossier.reference}")
        assert own.status_code == 200 and dossier.code in own.text and secret not in own.text
        tracking = await applicant.client.get(f"/tra-cuu?ma={dossier.code}&xac_thuc=0111")
        assert dossier.code in tracking.text and secret not in tracking.text
        elsewhere = await clients.officer("tiepnhan.tanlap")
        assert (
            await post(elsewhere, f"{path}/ghi-chu-noi-bo", {"noi_dung": "x"})
        ).status_code == 404
    finally:
        await clients.aclose()


async def test_following_and_remembering_at_the_same_moment_keep_one_row_each(demo_db):
    from app.models import DeskView, DossierFollow

    clients = Clients()
    try:
        [dossier] = await _submitted(clients, 1)
        first = await clients.officer("xuly.hoabinh")
        second = await clients.officer("xuly.hoabinh")
        path = f"/mot-cua/ho-so/{dossier.id}/theo-doi"
        answers = await simultaneously([(c, path, {"theo_doi": "1"}) for c in (first, second)])
        assert [a.status_code for a in answers] == [303, 303]
        specialist = await officer_id("xuly.hoabinh")
        follows = await DossierFollow.count().where(
            (DossierFollow.dossier == dossier.id) & (DossierFollow.officer == specialist)
        )
        assert follows == 1
        views = [f"/mot-cua?hang=moi&kenh=online&sap_xep=ma{n}" for n in ("", "&chieu=giam")]
        got = await asyncio.gather(
            *(asyncio.to_thread(_get, c, v) for c, v in zip((first, second), views, strict=True))
        )
        assert got == [200, 200]
        assert await DeskView.count().where(DeskView.officer == specialist) == 1
    finally:
        await clients.aclose()


def _get(client, path: str) -> int:
    """A GET from its own thread and app loop, like a second browser tab."""
    from litestar.testing import TestClient

    from app.main import create_app

    with TestClient(app=create_app()) as twin:
        for name, value in client.cookies.items():
            twin.cookies.set(name, value)
        return twin.get(path).status_code


async def test_a_desk_search_pages_every_match_once_in_receipt_order_and_caps_its_count(
    demo_db, monkeypatch
):
    from app.domain.search import fold
    from app.services import queue_pages

    agency = await Agency.select(Agency.id).where(Agency.code == HOA_BINH).first()
    procedure = await Procedure.select(Procedure.id).first()
    # A vowel in it: eight letters without vowels could be a draft reference, searched as one.
    tag = "u" + "".join(secrets.choice("bcdghklmnpqrstvx") for _ in range(7))
    codes = []
    for n in range(30):
        codes.append(f"S-{secrets.token_hex(6)}")
        name = f"Phạm Thị {tag.capitalize()} {n}"
        await insert_dossier(
            Dossier(
                reference=secrets.token_hex(6).upper(),
                code=codes[-1],
                procedure=procedure["id"],
                status="received" if n % 2 else "submitted",  # in two tabs: a search sees both
                receiving_agency=agency["id"],
                current_agency=agency["id"],
                resolving_agency=agency["id"],
                applicant_name=name,
                applicant_search=fold(name),
                submitted_at=DAY - timedelta(days=400, minutes=-n),
                due_at=DAY + timedelta(days=3, minutes=-n),
            )
        )
    clients = Clients()
    try:
        desk = await clients.officer("tiepnhan.hoabinh")

        async def every_page(address: str) -> tuple[list[str], str]:
            page = await desk.get(address)
            assert page.status_code == 200, page.text[:300]
            heading = re.search(r'class="count">\(([^)]+)\)', page.text).group(1)
            shown = CODE_RE.findall(page.text)
            while "Trang sau" in page.text:
                page = await desk.get(_next(page.text))
                shown += CODE_RE.findall(page.text)
            return shown, heading

        # From a tab sorted by due date, a search still lists in the order of receipt.
        shown, heading = await every_page(f"/mot-cua?hang=dang-xu-ly&q={tag.upper()}")
        assert (shown, heading) == (codes, "30")
        shown, _ = await every_page(f"/mot-cua?hang=moi&q={tag}&sap_xep=nhan&chieu=giam")
        assert shown == codes[::-1]  # another order: sorted from the matches
        shown, _ = await every_page(f"/mot-cua?hang=moi&q={tag}&sap_xep=han")
        assert shown == codes[::-1]  # due dates fall as receipt dates rise

        # A common fragment: the rows are found walking the index, the count stops at the cap.
        monkeypatch.setattr(queue_pages, "SEARCH_SPARSE_LIMIT", 2)
        monkeypatch.setattr(queue_pages, "SEARCH_COUNT_CAP", 10)
        shown, heading = await every_page(f"/mot-cua?q={tag}")
        assert shown == codes and heading == "hơn 10"
        # Too many to sort them all: in the order of receipt, and the page says so.
        shown, heading = await every_page(f"/mot-cua?q={tag}&sap_xep=han")
        assert shown == codes and heading == "hơn 10"
        first = await desk.get(f"/mot-cua?q={tag}&sap_xep=han")
        assert "kết quả được xếp theo ngày nhận" in first.text
        assert "Sắp xếp theo ngày nhận, tăng dần" in first.text
        sorted_page = await desk.get(f"/mot-cua?q={tag}&sap_xep=han&hang=moi")
        monkeypatch.setattr(queue_pages, "SEARCH_COUNT_CAP", 1000)
        exact = await desk.get(f"/mot-cua?q={tag}&sap_xep=han&hang=moi")
        assert "xếp theo ngày nhận" not in exact.text and "theo hạn trả" in exact.text
        assert CODE_RE.findall(exact.text) != CODE_RE.findall(sorted_page.text)
    finally:
        await clients.aclose()


async def test_a_queue_filtered_by_procedure_is_read_from_its_index_alone(demo_db):
    """The filter index holds what the page and its counts read of the matching dossiers."""
    from app.db import DB
    from app.settings import get_settings

    if get_settings().is_postgres:
        rows = await DB.run_ddl(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'dossier_procedure_filter'"
        )
        assert "(procedure, submitted_at, status, due_at, is_priority)" in rows[0]["indexdef"]
        return
    # The plan follows the table's statistics, and the suite's database holds a few hundred
    # dossiers in a handful of procedures. The schema is read from it and planned with the
    # statistics ANALYZE wrote for a province's million dossiers.
    schema = await DB.run_ddl(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'dossier' AND sql IS NOT NULL"
    )
    province = sqlite3.connect(":memory:")
    try:
        for row in schema:
            province.execute(row["sql"])
        province.execute("ANALYZE")
        province.execute("DELETE FROM sqlite_stat1")
        province.executemany(
            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('dossier', ?, ?)",
            PROVINCE_DOSSIER_STATISTICS,
        )
        province.execute("ANALYZE sqlite_schema")
        plan = province.execute(
            "EXPLAIN QUERY PLAN SELECT status, COUNT(id) FROM dossier WHERE procedure = 1 "
            "AND submitted_at >= '2026-01-01' AND due_at < '2026-02-01' AND is_priority "
            "GROUP BY status"
        ).fetchall()
    finally:
        province.close()
    details = " ".join(row[3] for row in plan)
    assert "COVERING INDEX dossier_procedure_filter" in details, details


# sqlite_stat1 of the dossier table after ANALYZE at 1,000,200 dossiers (bench/dossiers.py).
PROVINCE_DOSSIER_STATISTICS = [
    ("dossier_procedure_filter", "1000200 37045 1 1 1 1"),
    ("dossier_resolving_desk", "1000200 200040 18872 57 47 46"),
    ("dossier_current_desk", "1000200 200040 18872 57 47"),
    ("dossier_receiving_desk", "1000200 200040 18872 58"),
    ("dossier_due_at", "1000200 1347"),
    ("dossier_applicant_search", "1000200 110"),
    ("dossier_status", "1000200 71443"),
    ("dossier_citizen", "1000200 4977"),
    ("sqlite_autoindex_dossier_2", "1000200 1"),
    ("sqlite_autoindex_dossier_1", "1000200 1"),
]


async def test_next_dossier_follows_the_table_s_order_in_every_kind_of_view(demo_db):
    from app.domain.dossier_flow import Role
    from app.domain.search import fold
    from app.services import desk_queue, desk_queue_nav
    from app.services.calendar import local_now

    agency = (await Agency.select(Agency.id).where(Agency.code == HOA_BINH).first())["id"]
    procedure = await Procedure.select(Procedure.id).first()
    tag = "o" + "".join(secrets.choice("bcdghklmnpqrstvx") for _ in range(7))
    for n in range(30):
        name = f"Đỗ Văn {tag.capitalize()} {n}"
        await insert_dossier(
            Dossier(
                reference=secrets.token_hex(6).upper(),
                code=f"N-{secrets.token_hex(6)}",
                procedure=procedure["id"],
                status=("received", "submitted", "in_progress")[n % 3],
                receiving_agency=agency,
                current_agency=agency,
                resolving_agency=agency,
                applicant_name=name,
                applicant_search=fold(name),
                is_priority=n % 7 == 0,
                submitted_at=DAY - timedelta(days=500, minutes=-n),
                due_at=None if n == 4 else DAY + timedelta(days=3, minutes=(n * 37) % 30),
            )
        )
    roles = {Role.RECEPTIONIST}
    now = local_now()

    async def table(pairs: dict[str, str]) -> list[int]:
        view, q = desk_queue_nav.view_of(pairs, roles), pairs.get("q", "")
        counts = await desk_queue.counts(agency, view, now, 0)
        ids, cursor = [], ""
        while True:
            page = await desk_queue.page(agency, view, now, 0, counts, q, cursor)
            ids += [r["id"] for r in page.rows]
            if not page.next_cursor:
                return ids
            cursor = page.next_cursor

    views = [
        {"hang": "moi", "q": tag},  # a search, in the index's order
        {"hang": "dang-xu-ly", "q": tag, "sap_xep": "han"},  # a search sorted by due date
        {"hang": "dang-xu-ly"},  # a due-ordered tab, one without a due date last
        {"hang": "moi"},
        {"hang": "moi", "sap_xep": "nhan", "chieu": "giam"},
    ]
    for pairs in views:
        ids = await table(pairs)
        if "q" in pairs:
            assert len(ids) == 30, pairs
        tail = ids[-12:]  # ours among them: received after every other dossier
        for here, after in zip(tail, tail[1:], strict=False):
            nav = await desk_queue_nav.navigation(agency, 0, roles, pairs, here)
            assert nav.next_id == after, (pairs, here)
        last = await desk_queue_nav.navigation(agency, 0, roles, pairs, ids[-1])
        assert last.next_id is None, pairs
