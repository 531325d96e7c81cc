"""Statistics as people use them: the public page on a phone, a leader's quarterly report."""

from __future__ import annotations

import re
import zipfile

from playwright.sync_api import Page, expect

from e2e.support import run_async
from tests.integration.builders_statistics import PASSWORD


async def _commune_with_a_quarter_of_dossiers() -> tuple[str, str]:
    """A commune whose desk worked through Q3 2026 (see tests/integration/test_statistics.py);
    returns the leader's login and the code of the dossier still open and overdue."""
    from app.models import Dossier
    from app.services import statistics
    from tests.integration.builders_statistics import Desk, all_round_officer, new_commune
    from tests.integration.test_statistics import _build

    _, code = await new_commune()
    officer = await all_round_officer(code)
    ids = await _build(Desk(officer))
    while await statistics.refresh(settle_seconds=0):
        pass
    row = await Dossier.select(Dossier.code).where(Dossier.id == ids["F"]).first().run()
    return officer.username, row["code"]


async def _ratings_this_quarter() -> tuple[int, int]:
    """Satisfied ratings and all ratings given this quarter, whatever other journeys left."""
    from datetime import datetime, time

    from app.domain.ratings import Level
    from app.domain.statistics_periods import current_quarter, period_of
    from app.models import Rating
    from app.services.calendar import LOCAL_TZ, local_now

    period = period_of(current_quarter(local_now().date()))
    start = datetime.combine(period.start, time(), LOCAL_TZ)
    levels = [
        r["level"] for r in await Rating.select(Rating.level).where(Rating.created_at >= start)
    ]
    good = (Level.SATISFIED, Level.VERY_SATISFIED)
    return sum(1 for level in levels if level in good), len(levels)


def _xlsx_cells(path) -> tuple[str, dict[str, str]]:
    """The shared strings and the cell values of the first sheet, by reference (C12 …)."""
    with zipfile.ZipFile(path) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    cells = dict(re.findall(r'<c r="([A-Z]+\d+)"[^>]*?(?:/>|><v>([^<]*)</v></c>)', sheet))
    return strings, cells


def test_the_public_statistics_show_the_figures_and_a_chart(page: Page):
    page.goto("/")
    page.get_by_role("link", name="Thống kê giải quyết hồ sơ").click()
    expect(
        page.get_by_role("heading", name="Thống kê giải quyết thủ tục hành chính")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Các chỉ tiêu so với mục tiêu")).to_be_visible()
    table = page.get_by_role("table", name="Chỉ tiêu, số liệu và mục tiêu")
    expect(table.get_by_role("rowheader", name="Tỷ lệ hồ sơ giải quyết đúng hạn")).to_be_visible()
    good, rated = run_async(_ratings_this_quarter())
    expect(table.get_by_role("row", name=re.compile("Mức độ hài lòng"))).to_contain_text(
        f"{good} / {rated}" if rated else "chưa có dữ liệu"
    )


def test_a_leader_drills_into_overdue_dossiers_and_downloads_the_form(page: Page, tmp_path):
    username, overdue_code = run_async(_commune_with_a_quarter_of_dossiers())
    page.goto("/mot-cua/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Báo cáo thống kê").click()
    page.get_by_label("Kỳ báo cáo").select_option(label="Quý")
    page.get_by_label("Tháng hoặc quý").fill("3")
    page.get_by_label("Năm").fill("2026")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_text(re.compile(r"Quý 3/2026 \(từ ngày 01/07/2026"))).to_be_visible()

    page.get_by_role("link", name="Đang giải quyết quá hạn, Tổng cộng: 1").click()
    expect(page.get_by_role("heading", name="Đang giải quyết quá hạn (1)")).to_be_visible()
    expect(page.get_by_role("link", name=overdue_code)).to_be_visible()

    page.get_by_role("link", name="Báo cáo", exact=True).click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải biểu mẫu (XLSX)").click()
    path = tmp_path / "bieu.xlsx"
    info.value.save_as(path)
    strings, cells = _xlsx_cells(path)
    assert "Biểu số II.06a/VPCP/KSTT" in strings and "Số hồ sơ nhận giải quyết" in strings
    assert "Đơn vị tính: Số hồ sơ TTHC" in strings and "Kỳ báo cáo: Quý 3/2026" in strings
    # the total row (row 12): cols 3–13 as counted by hand in the integration test
    totals = [cells.get(f"{col}12") for col in "CDEFGHIJKLM"]
    assert totals == ["5", "0", "2", "3", "4", "2", "1", "1", "1", "0", "1"]
