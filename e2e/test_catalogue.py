"""Public catalogue journeys at 360×640, each with JavaScript on ("js") and off ("nojs")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.pages import CataloguePage, HomePage, ProcedurePage

pytestmark = pytest.mark.e2e

BIRTH = "Đăng ký khai sinh"
LAND_CHANGE = re.compile(r"^Đăng ký biến động quyền sử dụng đất")


def test_search_without_diacritics_finds_procedure(page: Page, javascript: bool) -> None:
    catalogue = CataloguePage(page, javascript=javascript).open()

    catalogue.search("dang ky khai sinh")
    expect(catalogue.result_link(BIRTH)).to_be_visible()
    expect(catalogue.first_result_link).to_have_text(BIRTH)

    catalogue.search("dat dai")  # "đ" is folded to "d"
    expect(catalogue.result_link(LAND_CHANGE)).to_be_visible()


def test_filter_by_sector_and_level(page: Page, javascript: bool) -> None:
    catalogue = CataloguePage(page, javascript=javascript).open()
    everything = catalogue.results_heading.inner_text()

    catalogue.open_filters()
    catalogue.choose(catalogue.sector, "Chứng thực")
    expect(page).to_have_url(re.compile(r"[?&]linh_vuc=chung-thuc(&|$)"))
    expect(catalogue.sector).to_have_value("chung-thuc")
    expect(catalogue.results_heading).not_to_have_text(everything)
    in_sector = catalogue.expect_count_matches_items()
    assert in_sector > 1
    for item in catalogue.items.all():
        expect(catalogue.meta(item)).to_contain_text("Chứng thực")

    catalogue.choose(catalogue.level, "Cấp tỉnh")
    expect(page).to_have_url(re.compile(r"[?&]linh_vuc=chung-thuc&.*\bcap=tinh(&|$)"))
    expect(catalogue.level).to_have_value("tinh")
    assert 0 < catalogue.expect_count_matches_items() < in_sector
    for item in catalogue.items.all():
        expect(catalogue.meta(item)).to_contain_text("Chứng thực")
        expect(catalogue.meta(item)).to_contain_text("Cấp tỉnh")


def test_open_procedure_shows_all_sections(page: Page, javascript: bool) -> None:
    catalogue = CataloguePage(page, javascript=javascript).open()
    catalogue.search("khai sinh")

    catalogue.result_link(BIRTH).click()

    procedure = ProcedurePage(page)
    expect(page).to_have_url(re.compile(r"/thu-tuc/1\.001193$"))
    expect(procedure.heading).to_have_text(BIRTH)
    for title in ProcedurePage.SECTIONS:
        expect(procedure.section(title)).to_be_visible()
    expect(procedure.service_level_box).to_be_visible()
    expect(procedure.service_level_box).to_contain_text("Dịch vụ công trực tuyến toàn trình")
    expect(procedure.service_level_box).to_contain_text("Mức độ 4")  # the old level, explained
    expect(procedure.start_button).to_have_count(2)  # near the top and after the components


def test_download_form_template(page: Page, javascript: bool, tmp_path: Path) -> None:
    procedure = ProcedurePage(page).open(BIRTH, javascript=javascript)

    download = procedure.download_form("Tờ khai đăng ký khai sinh")

    assert download.failure() is None
    assert re.fullmatch(r"[a-z0-9-]+\.pdf", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")


def test_search_results_url_is_shareable(page: Page, javascript: bool) -> None:
    catalogue = CataloguePage(page, javascript=javascript).open("?q=chung+thuc")

    expect(catalogue.search_box).to_have_value("chung thuc")
    catalogue.expect_results_for("chung thuc")
    count = catalogue.expect_count_matches_items()
    assert count > 0
    for item in catalogue.items.all():
        expect(item).to_contain_text("Chứng thực")

    # The address left by a search (pushed by HTMX, or the submitted form) opens the same results.
    catalogue.search("dang ky khai sinh")
    heading = catalogue.results_heading.inner_text()
    shared = CataloguePage(page.context.new_page(), javascript=javascript)
    shared.page.goto(page.url)
    expect(shared.results_heading).to_have_text(heading)
    expect(shared.first_result_link).to_have_text(BIRTH)


def test_search_from_home_page_opens_catalogue_results(page: Page, javascript: bool) -> None:
    HomePage(page).open().search("khai sinh")

    catalogue = CataloguePage(page, javascript=javascript)
    catalogue.expect_results_for("khai sinh")
    expect(catalogue.result_link(BIRTH)).to_be_visible()


def test_unknown_procedure_shows_vietnamese_404(page: Page, javascript: bool) -> None:
    response = page.goto("/thu-tuc/KHONG-CO")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(page.get_by_role("link", name="Tìm thủ tục hành chính")).to_be_visible()
