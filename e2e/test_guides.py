"""The help guides' pictures still show the portal as it is: each guide's journey is walked from
``/`` by clicking, at 360×640, with JavaScript on and off, and every step's page is
fingerprinted (heading, buttons, labels) and compared with ``static/guides/manifest.json``.
``python -m e2e.guide_shots`` retakes them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from e2e.guide_shots import Shots
from e2e.journeys import (
    MARITAL_STATUS_NAME,
    MARITAL_STATUS_QUERY,
    CitizenDossierPage,
    DeskLoginPage,
    MaritalStatusAnswers,
    NewCitizen,
    RegisterPage,
    ReviewPage,
    WizardPage,
    click_nav,
    fill_marital_status,
    fill_requester,
    fill_subject,
    jpeg_photo,
    open_own_dossier,
)
from e2e.pages import HomePage
from e2e.support import run_async
from tests.integration.builders_payments import CITIZEN_PASSWORD, submitted_dossier, unique_phone

pytestmark = pytest.mark.e2e

MISSING = "Bản sao trích lục bản án ly hôn"


@pytest.fixture
def shots(javascript: bool) -> Iterator[Shots]:
    taken = Shots(javascript)
    yield taken
    changed = taken.finish()
    assert not changed, "Guide pictures out of date (run python -m e2e.guide_shots):\n" + (
        "\n".join(changed)
    )


@pytest.fixture
def phone_page(new_context, javascript: bool) -> Page:
    """Each journey with JavaScript on (the guides' pictures) and off (a second picture where
    the page differs)."""
    return new_context(java_script_enabled=javascript).new_page()


def _log_in(page: Page, phone: str) -> None:
    click_nav(page, "Đăng nhập")
    page.get_by_label("Số điện thoại hoặc e-mail").fill(phone)
    page.get_by_label("Mật khẩu").fill(CITIZEN_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_the_submission_guide_matches_the_portal(phone_page: Page, shots: Shots) -> None:
    page, answers = phone_page, MaritalStatusAnswers()
    RegisterPage(page).open().register(NewCitizen.make("Lê Thị Hoa"))
    page.get_by_role("banner").get_by_role("link").first.click()  # the portal's name
    home = HomePage(page)
    home.search_box.fill(MARITAL_STATUS_QUERY)
    shots.take(page, "nop-ho-so-1.webp")
    home.search_box.press("Enter")
    results = page.get_by_role("region", name=re.compile("thủ tục"))
    expect(results.get_by_role("link", name=MARITAL_STATUS_NAME, exact=True).first).to_be_visible()
    shots.take(page, "nop-ho-so-2.webp")
    results.get_by_role("link", name=MARITAL_STATUS_NAME, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MARITAL_STATUS_NAME)
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").first.scroll_into_view_if_needed()
    shots.take(page, "nop-ho-so-3.webp")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").first.click()
    wizard = WizardPage(page)
    wizard.begin()
    wizard.expect_step("Nơi nộp hồ sơ", 1)
    wizard.choose("Nơi tiếp nhận hồ sơ", answers.place)
    shots.take(page, "nop-ho-so-4.webp")
    _fill_the_rest(wizard, answers)
    review = ReviewPage(page)
    review.expect_open()
    shots.take(page, "nop-ho-so-5.webp")
    review.submit()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã nộp hồ sơ")
    shots.take(page, "nop-ho-so-6.webp")


def _fill_the_rest(wizard: WizardPage, answers: MaritalStatusAnswers) -> None:
    wizard.save_and_continue()
    wizard.expect_step("Người yêu cầu", 2)
    fill_requester(wizard, answers)
    wizard.save_and_continue()
    wizard.expect_step("Người được cấp Giấy xác nhận tình trạng hôn nhân", 3)
    fill_subject(wizard, answers)
    wizard.save_and_continue()
    wizard.expect_step("Tình trạng hôn nhân và mục đích sử dụng", 4)
    fill_marital_status(wizard, answers)
    wizard.save_and_continue()
    wizard.expect_step("Giấy tờ đính kèm", 5)
    wizard.save_and_continue()
    wizard.expect_step("Nhận kết quả", 6)
    wizard.choose("Hình thức nhận kết quả", answers.delivery)
    wizard.save_and_continue()


def test_the_supplement_guide_matches_the_portal(
    phone_page: Page, new_context, shots: Shots
) -> None:
    phone = unique_phone()
    dossier = run_async(submitted_dossier(phone, f"{phone}@example.com"))
    desk_page = new_context(java_script_enabled=True).new_page()
    home = DeskLoginPage(desk_page, javascript=True).open().log_in("tiepnhan.hoabinh")
    home.search(dossier["code"])
    home.open_dossier(dossier["code"]).act("Hướng dẫn bổ sung", note=MISSING)

    page = phone_page
    page.goto("/")
    _log_in(page, phone)
    click_nav(page, "Hồ sơ của tôi")
    shots.take(page, "bo-sung-1.webp")
    page.get_by_role("link", name=dossier["code"], exact=True).click()
    citizen = CitizenDossierPage(page)
    expect(citizen.supplement.get_by_role("listitem")).to_have_text([MISSING])
    citizen.supplement.scroll_into_view_if_needed()
    shots.take(page, "bo-sung-2.webp")
    citizen.supplement.get_by_label("Ảnh chụp hoặc tệp PDF giấy tờ bổ sung").set_input_files(
        jpeg_photo("ban-an-ly-hon.jpg")
    )
    citizen.supplement.get_by_label("Ghi chú (không bắt buộc)").fill("Gửi bản chụp bản án")
    citizen.supplement.get_by_role("button", name="Gửi bổ sung").scroll_into_view_if_needed()
    shots.take(page, "bo-sung-3.webp")


def test_the_tracking_and_payment_guide_matches_the_portal(phone_page: Page, shots: Shots) -> None:
    phone = unique_phone()
    dossier = run_async(submitted_dossier(phone, f"{phone}@example.com"))
    page = phone_page
    page.goto("/")
    click_nav(page, "Tra cứu")
    page.get_by_label("Mã hồ sơ").fill(dossier["code"])
    page.get_by_label("4 số cuối số điện thoại").fill(phone[-4:])
    shots.take(page, "tra-cuu-1.webp")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#tracking-status .status")).to_have_text("Đã nộp, chờ tiếp nhận")
    shots.take(page, "tra-cuu-2.webp")

    _log_in(page, phone)
    open_own_dossier(page, dossier["code"])
    fee = page.get_by_role("region", name="Phí, lệ phí")
    fee.scroll_into_view_if_needed()
    shots.take(page, "tra-cuu-3.webp")
    fee.get_by_role("button", name=re.compile(r"^Thanh toán trực tuyến")).click()
    page.get_by_label("Thanh toán thành công").check()
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("status")).to_contain_text("Thanh toán thành công.")
    shots.take(page, "tra-cuu-4.webp")


def test_a_visitor_reads_a_guide_from_the_footer(page: Page) -> None:
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Hướng dẫn sử dụng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hướng dẫn sử dụng")
    page.get_by_role("link", name="Tra cứu hồ sơ và nộp phí trực tuyến").click()
    steps = page.get_by_role("main").get_by_role("list").first.get_by_role("listitem")
    expect(steps).to_have_count(4)
    first = steps.first
    expect(first.get_by_role("heading", level=2)).to_have_text("Bước 1. Mở trang Tra cứu")
    picture = first.get_by_role("img", name=re.compile("^Ảnh chụp màn hình: Mở trang Tra cứu"))
    expect(picture).to_have_attribute("loading", "lazy")
    picture.scroll_into_view_if_needed()
    expect(picture).to_have_js_property("naturalWidth", 360)
