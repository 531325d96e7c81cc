"""Form II.06a and the public figures on dossiers replayed across the 30 June / 1 July boundary,
checked against counts worked out by hand; the incremental aggregates equal a rebuild."""

from datetime import date

from app.domain.dossier_flow import Action, Role
from app.domain.statistics import Period
from app.domain.statistics_days import DAY_COLUMNS
from app.domain.statistics_figures import Ratio, public_figures
from app.models import StatisticDay, StatisticMonth
from app.services import statistics, statistics_rebuild, statistics_report
from app.settings import get_settings
from tests.integration.builders_statistics import Desk, all_round_officer, at, new_commune

Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))
Q3 = Period(date(2026, 7, 1), date(2026, 9, 30))
JULY = Period(date(2026, 7, 1), date(2026, 7, 31))
SUMMER = Period(date(2026, 6, 1), date(2026, 9, 30))
# a free range: the edge days of June and July come from the daily rows, not the months
EDGES = Period(date(2026, 6, 24), date(2026, 7, 3))

# P19 takes 3 working days, due at 17:00.
#   A counter, received Mon 22/6, resolved Wed 24/6 (due Thu 25/6)             early
#   B post,    received Thu 25/6 (due Tue 30/6), resolved Thu 2/7               late
#   C counter, received Fri 26/6 (due Wed 1/7), resolved Wed 1/7 16:00          on time
#   D counter, received Mon 29/6 (due Thu 2/7), supplement asked Tue 30/6,
#              supplied Mon 6/7 (new due Thu 9/7), resolved Wed 8/7             early
#   E counter, received Wed 1/7 (due Mon 6/7), halted Fri 3/7                   early
#   F counter, received Fri 3/7 (due Wed 8/7), still open                       overdue
EXPECTED = {
    Q2: {"c4": 0, "c5": 4, "c6": 0, "c8": 1, "c9": 0, "c10": 0, "c12": 2, "c13": 1},
    Q3: {"c4": 0, "c5": 2, "c6": 3, "c8": 2, "c9": 1, "c10": 1, "c12": 0, "c13": 1},
    JULY: {"c4": 0, "c5": 2, "c6": 3, "c8": 2, "c9": 1, "c10": 1, "c12": 0, "c13": 1},
    SUMMER: {"c4": 0, "c5": 6, "c6": 0, "c8": 3, "c9": 1, "c10": 1, "c12": 0, "c13": 1},
    # A carried over and resolved early; B late, C on time, E early; D waits for its
    # supplement (judged when asked, within time) and F is open within time on 3/7
    EDGES: {"c4": 0, "c5": 5, "c6": 1, "c8": 2, "c9": 1, "c10": 1, "c12": 2, "c13": 0},
}


async def _build(desk: Desk) -> dict[str, int]:
    d = {}
    d["A"] = await desk.receive(at(date(2026, 6, 22)))
    await desk.start(d["A"], at(date(2026, 6, 22), 10))
    await desk.resolve(d["A"], at(date(2026, 6, 24), 15))
    d["B"] = await desk.receive(at(date(2026, 6, 25)), channel="post")
    await desk.start(d["B"], at(date(2026, 6, 25), 10))
    await desk.resolve(d["B"], at(date(2026, 7, 2), 9))
    d["C"] = await desk.receive(at(date(2026, 6, 26), 10))
    await desk.start(d["C"], at(date(2026, 6, 26), 11))
    await desk.resolve(d["C"], at(date(2026, 7, 1), 16))
    d["D"] = await desk.receive(at(date(2026, 6, 29)))
    await desk.start(d["D"], at(date(2026, 6, 29), 10))
    missing = "Bản sao hợp đồng thuê nhà"
    await desk.act(
        d["D"], Action.REQUEST_SUPPLEMENT, Role.SPECIALIST, at(date(2026, 6, 30), 10), missing
    )
    await desk.act(d["D"], Action.SUPPLY, Role.RECEPTIONIST, at(date(2026, 7, 6)))
    await desk.start(d["D"], at(date(2026, 7, 6), 10))
    await desk.resolve(d["D"], at(date(2026, 7, 8), 11))
    d["E"] = await desk.receive(at(date(2026, 7, 1)))
    await desk.start(d["E"], at(date(2026, 7, 1), 10))
    await desk.act(d["E"], Action.HALT, Role.LEADER, at(date(2026, 7, 3)), "Người nộp đề nghị dừng")
    d["F"] = await desk.receive(at(date(2026, 7, 3)))
    return d


async def _refresh_all() -> None:
    while await statistics.refresh(settle_seconds=0):
        pass


async def _days_of(agency: int) -> list[dict]:
    rows = await StatisticDay.select().where(StatisticDay.agency == agency).run()
    return sorted(
        (
            {k: v for k, v in r.items() if k != "id"}
            for r in rows
            if any(r[c] for c in ("c4", "c5", "c8", "c9", "c10", "open_delta", "overdue_delta"))
        ),
        key=lambda r: r["key"],
    )


async def _months_of(agency: int) -> list[dict]:
    rows = await StatisticMonth.select().where(StatisticMonth.agency == agency).run()
    return sorted(
        ({k: v for k, v in r.items() if k != "id"} for r in rows if any(r[c] for c in DAY_COLUMNS)),
        key=lambda r: r["key"],
    )


async def _days_summed_by_month(agency: int) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for row in await StatisticDay.select().where(StatisticDay.agency == agency).run():
        month = out.setdefault(row["key"][:-3], dict.fromkeys(DAY_COLUMNS, 0))
        for column in DAY_COLUMNS:
            month[column] += row[column]
    return {key: cells for key, cells in out.items() if any(cells.values())}


async def test_every_column_of_the_report_across_a_quarter_boundary_matches_the_hand_count(
    demo_db,
):
    agency, code = await new_commune()
    desk = Desk(await all_round_officer(code))
    await _build(desk)
    await _refresh_all()

    scope = {agency: "Xã thử"}
    for period, expected in EXPECTED.items():
        rows, total = await statistics_report.report_rows(scope, period, "don-vi")
        cells = total.full
        assert {c: cells[c] for c in expected} == expected, period
        assert cells["c3"] == cells["c7"] + cells["c11"]
        assert cells["c7"] == cells["c8"] + cells["c9"] + cells["c10"]
        assert cells["c11"] == cells["c12"] + cells["c13"]
        assert rows[0].full == cells
        by_sector, _ = await statistics_report.report_rows(scope, period, "linh-vuc")
        assert [r.label for r in by_sector] == ["Đăng ký, quản lý cư trú"]

    _, q3 = await statistics_report.report_rows(scope, Q3, "don-vi")
    figures = {f.key: f for f in public_figures(q3.full, len(q3.procedures_online), 10)}
    assert figures["on_time"].ratio == Ratio(3, 5)  # D, E early + C on time, of 4 resolved + F
    assert figures["online_share"].ratio == Ratio(0, 2)
    # resolved (not halted) in Q3: B 5 working days (25/6→2/7), C 3, D 2 (29/6→8/7 is 7, less
    # 4 waiting from 30/6 to 6/7)
    assert (q3.cells["resolved_count"], q3.cells["resolved_days"]) == (3, 5 + 3 + 3)


async def test_incremental_aggregates_equal_a_rebuild_from_the_history(demo_db):
    agency, code = await new_commune()
    desk = Desk(await all_round_officer(code))
    ids = await _build(desk)
    await _refresh_all()
    # a later change to an already counted dossier takes back what it contributed before
    await desk.start(ids["F"], at(date(2026, 7, 6)))
    await desk.resolve(ids["F"], at(date(2026, 7, 10)))
    await _refresh_all()
    incremental = await _days_of(agency)
    _, q3 = await statistics_report.report_rows({agency: "x"}, Q3, "don-vi")
    assert (q3.full["c10"], q3.full["c13"]) == (2, 0)

    months = await _months_of(agency)
    summed = await _days_summed_by_month(agency)
    assert {m["key"]: {c: m[c] for c in DAY_COLUMNS} for m in months} == summed
    assert [m["key"].rsplit(":", 1)[1] for m in months] == ["2026-06", "2026-07"]

    await statistics_rebuild.rebuild()
    assert await _days_of(agency) == incremental
    assert await _months_of(agency) == months
    assert incremental


async def _resolved_cells(agency: int) -> dict[str, int]:
    rows = await StatisticDay.select().where(StatisticDay.agency == agency).run()
    return {c: sum(r[c] for r in rows) for c in ("c8", "c9", "c10")}


async def test_a_province_reading_dates_only_counts_a_result_signed_after_hours_on_time(
    demo_db, monkeypatch
):
    from tests.integration.builders import Clients

    agency, code = await new_commune()
    desk = Desk(await all_round_officer(code))
    dossier = await desk.receive(at(date(2026, 6, 26), 10))  # due Wed 1/7 at 17:00
    await desk.start(dossier, at(date(2026, 6, 26), 11))
    await desk.resolve(dossier, at(date(2026, 7, 1), 17, 30))
    await _refresh_all()
    assert await _resolved_cells(agency) == {"c8": 0, "c9": 0, "c10": 1}  # the national reading

    monkeypatch.setenv("MOTCUA_STATISTICS_READING", '{"compare": "date"}')
    get_settings.cache_clear()
    try:
        await statistics_rebuild.rebuild()
        assert await _resolved_cells(agency) == {"c8": 0, "c9": 1, "c10": 0}
        clients = Clients()
        try:
            page = await (await clients.new()).get(f"/thong-ke?co_quan={agency}")
            assert "(chỉ so ngày)" in page.text
            assert "(cách tính của tỉnh quy định riêng)" in page.text
        finally:
            await clients.aclose()
    finally:
        monkeypatch.delenv("MOTCUA_STATISTICS_READING")
        get_settings.cache_clear()
        await statistics_rebuild.rebuild()
    assert await _resolved_cells(agency) == {"c8": 0, "c9": 0, "c10": 1}


async def _logged_in(clients, officer):
    """A desk client logged in as ``officer``."""
    from tests.integration.builders import post

    client = await clients.new()
    response = await post(
        client,
        "/mot-cua/dang-nhap",
        {"ten_dang_nhap": officer.username, "mat_khau": "motcua-demo-2026"},
    )
    assert response.status_code == 303
    return client


async def test_pages_show_the_report_drill_down_exports_and_the_public_figures(demo_db):
    import io
    import zipfile

    from tests.integration.builders import Clients

    agency, code = await new_commune()
    officer = await all_round_officer(code)
    desk = Desk(officer)
    await _build(desk)
    await _refresh_all()
    clients = Clients()
    try:
        leader = await _logged_in(clients, officer)
        page = await leader.get("/mot-cua/bao-cao?ky=quy&nam=2026&so=2")
        assert page.status_code == 200
        assert "Biểu số II.06a" in page.text and "cot=c13" in page.text
        drill = await leader.get("/mot-cua/bao-cao/ho-so?ky=quy&nam=2026&so=2&cot=c13")
        assert drill.status_code == 200 and "(1)" in drill.text
        xlsx = await leader.get("/mot-cua/bao-cao/xlsx?ky=quy&nam=2026&so=3")
        assert xlsx.status_code == 200 and zipfile.is_zipfile(io.BytesIO(xlsx.content))
        csv = await leader.get("/mot-cua/bao-cao/csv?ky=quy&nam=2026&so=3")
        assert csv.text.strip().splitlines()[-1] == ",Tổng cộng,5,0,2,3,4,2,1,1,1,0,1"
        bad = await leader.get("/mot-cua/bao-cao?ky=quy&nam=2026&so=9")
        assert bad.status_code == 422 and "Quý phải từ 1 đến 4." in bad.text
        assert "thời điểm hẹn trả" in page.text and "Cổng Dịch vụ công quốc gia" in page.text
        assessment = await leader.get("/mot-cua/bao-cao/tu-danh-gia?ky=quy&nam=2026&so=3")
        assert "Ước tính nội bộ" in assessment.text
        public = await clients.new()
        page = await public.get(f"/thong-ke?ky=quy&nam=2026&so=3&co_quan={agency}")
        assert page.status_code == 200 and "<svg" in page.text and "chưa có dữ liệu" in page.text
        assert "3 / 5" in page.text  # on time, as counted by hand above
        assert "(cách tính của Cổng Dịch vụ công quốc gia)" in page.text
        figures = await public.get(f"/thong-ke/csv?ky=quy&nam=2026&so=3&co_quan={agency}")
        assert "Tỷ lệ hồ sơ giải quyết đúng hạn,3,5,60.0" in figures.text
        assert (await public.get("/thong-ke?co_quan=abc")).status_code == 404
        empty = await public.get("/thong-ke?ky=nam&nam=2031")  # no dossier at all
        assert empty.status_code == 200 and "chưa có dữ liệu" in empty.text
        assert (await public.get("/mot-cua/bao-cao", follow_redirects=False)).status_code == 303
    finally:
        await clients.aclose()


async def test_the_procedure_page_shows_the_real_time_only_with_enough_dossiers(demo_db):
    from app.services import statistics_times
    from tests.integration.builders import Clients

    clients = Clients()
    try:
        client = await clients.new()
        statistics_times._cache.clear()
        page = await client.get("/thu-tuc/P20")  # no other test resolves a P20 dossier
        assert page.status_code == 200 and "Thời gian giải quyết thực tế" not in page.text
        agency, code = await new_commune()
        desk = Desk(await all_round_officer(code))
        today = statistics_times.local_now().date()
        for _ in range(statistics_times.MIN_DOSSIERS):
            dossier = await desk.receive(at(today, 8), procedure_code="P20")
            await desk.start(dossier, at(today, 8, 5))
            await desk.resolve(dossier, at(today, 8, 10))
        await _refresh_all()
        statistics_times._cache.clear()
        page = await client.get("/thu-tuc/P20")
        assert "Thời gian giải quyết thực tế" in page.text
        assert "100 % đúng hạn" in page.text
    finally:
        await clients.aclose()


def test_the_time_a_procedure_really_takes_needs_enough_dossiers():
    from app.services.statistics_times import MIN_DOSSIERS, summarise

    assert summarise([3] * (MIN_DOSSIERS - 1), MIN_DOSSIERS - 1) is None
    days = [1] * 10 + [2] * 5 + [3] * 3 + [9, 12]  # 20 dossiers
    times = summarise(days, 18)
    assert (times.count, times.median_days, times.on_time_percent) == (20, 1.5, 90.0)
    assert times.p90_days == 3.6  # position 0.9 × 19 = 17.1: 3 + 0.1 × (9 − 3)


async def test_the_report_table_is_rendered_once_per_figures_and_follows_new_history(
    demo_db, monkeypatch
):
    import re

    from app.services import statistics_pages
    from tests.integration.builders import Clients

    builds = []
    build_report = statistics_pages.build_report

    async def counted(*args):
        builds.append(args)
        return await build_report(*args)

    monkeypatch.setattr(statistics_pages, "build_report", counted)
    _, code = await new_commune()
    officer = await all_round_officer(code)
    desk = Desk(officer)
    await _build(desk)
    await _refresh_all()
    label = statistics_pages.COLUMN_LABELS["c3"]

    def received(html: str) -> int:
        return int(re.search(rf'aria-label="{label}, Tổng cộng: (\d+)"', html).group(1))

    clients = Clients()
    try:
        leader = await _logged_in(clients, officer)
        address = "/mot-cua/bao-cao?ky=quy&nam=2026&so=3"
        first = await leader.get(address)
        again = await leader.get(address)
        assert received(first.text) == received(again.text) == 5 and len(builds) == 1
        by_procedure = await leader.get(address + "&theo=thu-tuc")
        assert "Thủ tục" in by_procedure.text and len(builds) == 2  # another table, its own

        await desk.receive(at(date(2026, 7, 6)))  # one more dossier in the quarter
        await _refresh_all()
        after = await leader.get(address)
        assert received(after.text) == 6 and len(builds) == 3
    finally:
        await clients.aclose()
