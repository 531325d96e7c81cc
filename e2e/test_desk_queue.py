"""The desk's working queue at an office screen (1280×800), JavaScript on and off, by clicking:
filter to one procedure and a day, sort by due date, export exactly that list, receive five
dossiers in one batch while a colleague has just received one of them, and keep a private
annotation that neither the citizen's page nor tracking shows."""

from __future__ import annotations

import csv
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from app.domain import dossier_flow as flow
from app.services import workflow
from e2e.journeys import DeskDossierPage, DeskLoginPage, click_nav
from e2e.support import forget_desk_views, run_async
from tests.integration.builders import Clients
from tests.integration.builders_payments import (
    CITIZEN_PASSWORD,
    officer_actor,
    submitted_dossier,
    unique_phone,
)

pytestmark = pytest.mark.e2e

PROCEDURE = "Đăng ký thường trú"  # P18: no other journey submits it
OFFICE = {"width": 1280, "height": 800}


@pytest.fixture(autouse=True)
def _no_remembered_views() -> None:
    """Each journey starts on the role's own tab, whatever view an earlier one left filtered."""
    run_async(forget_desk_views())


def _five() -> list[tuple[str, dict]]:
    dossiers = []
    for _ in range(5):
        phone = unique_phone()
        dossiers.append((phone, run_async(submitted_dossier(phone, f"{phone}@x.vn", "P18"))))
    return dossiers


def _received_by_a_colleague(dossier_id: int) -> None:
    async def receive() -> None:
        actor = await officer_actor("tiepnhan.hoabinh", flow.Role.RECEPTIONIST)
        await workflow.transition(dossier_id, flow.Action.RECEIVE, actor)

    run_async(receive())


def _codes_in_table(page: Page) -> list[str]:
    table = page.get_by_role("table")
    return table.locator("tbody").get_by_role("rowheader").get_by_role("link").all_inner_texts()


def _filter_to_today(page: Page) -> None:
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()
    page.locator("summary").filter(has_text=re.compile(r"^Bộ lọc")).click()
    filters = page.get_by_role("form", name="Bộ lọc hồ sơ")
    filters.get_by_label("Thủ tục").select_option(label=PROCEDURE)
    received = filters.get_by_role("group", name="Ngày nhận")
    received.get_by_label("Từ ngày").fill(today)
    received.get_by_label("Đến ngày").fill(today)
    filters.get_by_role("button", name="Lọc hồ sơ").click()


def test_filter_sort_export_batch_receive_and_annotate(new_context, javascript: bool, tmp_path):
    dossiers = _five()
    codes = [d["code"] for _, d in dossiers]
    page = new_context(java_script_enabled=javascript).new_page()
    page.set_viewport_size(OFFICE)
    home = DeskLoginPage(page, javascript=javascript).open().log_in("tiepnhan.hoabinh")
    home.open_queue("Mới nộp, chờ tiếp nhận")

    _filter_to_today(page)
    expect(home.queue_heading).to_have_text("Mới nộp, chờ tiếp nhận (5)")
    expect(page.get_by_text("Bộ lọc (đang áp dụng)")).to_be_visible()
    page.get_by_role("columnheader", name="Hạn trả").get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="Hạn trả")).to_have_attribute(
        "aria-sort", "ascending"
    )
    assert _codes_in_table(page) == codes  # same time limit: due in the order they came

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải CSV").click()
    path = tmp_path / "export.csv"
    download.value.save_as(path)
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert [r[0] for r in rows[1:]] == _codes_in_table(page)

    # A colleague receives the third one while this list is on the screen.
    _received_by_a_colleague(dossiers[2][1]["id"])
    for code in codes:
        page.get_by_label(f"Chọn hồ sơ {code}").check()
    page.get_by_label("Thao tác").select_option(label="Tiếp nhận")
    page.get_by_role("button", name="Thực hiện với hồ sơ đã chọn").click()
    outcome = page.get_by_role("status")
    expect(outcome).to_have_text("Tiếp nhận: 4 hồ sơ đã xong, 1 hồ sơ không thực hiện được")
    refused = page.get_by_role("region", name="Không thực hiện được (1)")
    expect(refused).to_contain_text(
        f"{codes[2]}: Không thể tiếp nhận khi hồ sơ đang «Đã tiếp nhận»."
    )
    done = page.get_by_role("region", name="Đã thực hiện (4)")
    expect(done.get_by_role("link")).to_have_text([c for i, c in enumerate(codes) if i != 2])

    # Back to the same filtered queue; the five are now being processed.
    page.get_by_role("link", name="Quay lại hàng đợi").click()
    expect(home.queue_heading).to_have_text("Mới nộp, chờ tiếp nhận (0)")
    home.open_queue("Đang xử lý")
    for code in codes:  # with those of an earlier run of this journey, if any
        expect(home.link_to(code)).to_be_visible()
    page.get_by_role("link", name=codes[0], exact=True).click()
    note = f"Nội bộ: đã gọi người nộp, hẹn mang bản chính {codes[0][-4:]}"
    page.get_by_label("Thêm ghi chú nội bộ").fill(note)
    page.get_by_role("button", name="Lưu ghi chú nội bộ").click()
    expect(page.get_by_role("region", name="Theo dõi và ghi chú nội bộ")).to_contain_text(note)

    # Leave the desk as it was found: no filters remembered.
    page.get_by_role("navigation", name="Đường dẫn").get_by_role("link").first.click()
    expect(page.get_by_text("Đang hiển thị bộ lọc bạn dùng lần trước.")).to_be_visible()
    page.get_by_role("link", name="Bỏ lọc").first.click()
    expect(page.get_by_text("Bộ lọc (đang áp dụng)")).to_have_count(0)

    # The citizen's own page and the public tracking page never show the annotation.
    phone = dossiers[0][0]
    citizen = new_context(java_script_enabled=javascript).new_page()
    citizen.goto("/")
    click_nav(citizen, "Đăng nhập")
    citizen.get_by_label("Số điện thoại hoặc e-mail").fill(phone)
    citizen.get_by_label("Mật khẩu").fill(CITIZEN_PASSWORD)
    citizen.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    citizen.get_by_role("link", name=codes[0], exact=True).click()
    expect(citizen.get_by_role("heading", level=1)).to_contain_text(codes[0])
    expect(citizen.get_by_role("main")).not_to_contain_text("đã gọi người nộp")
    click_nav(citizen, "Tra cứu")
    citizen.get_by_label("Mã hồ sơ").fill(codes[0])
    citizen.get_by_label("4 số cuối số điện thoại").fill(phone[-4:])
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.locator("#tracking-status .status")).to_have_text("Đã tiếp nhận")
    expect(citizen.get_by_role("main")).not_to_contain_text("đã gọi người nộp")


def _two_with_photos() -> list[str]:
    """Two dossiers submitted online with a real photo attached, one after the other."""

    async def build() -> list[str]:
        clients = Clients()
        try:
            applicant = await clients.citizen()
            return [(await applicant.submit_dossier()).code for _ in range(2)]
        finally:
            await clients.aclose()

    return run_async(build())


def test_check_a_dossier_with_its_photo_in_the_page_receive_it_and_go_to_the_next(
    new_context, javascript: bool
):
    older, newer = _two_with_photos()
    page = new_context(java_script_enabled=javascript).new_page()
    page.set_viewport_size(OFFICE)
    home = DeskLoginPage(page, javascript=javascript).open().log_in("tiepnhan.hoabinh")
    home.open_queue("Mới nộp, chờ tiếp nhận")
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()
    page.locator("summary").filter(has_text=re.compile(r"^Bộ lọc")).click()
    filters = page.get_by_role("form", name="Bộ lọc hồ sơ")
    filters.get_by_label("Thủ tục").select_option(label="Đăng ký tạm trú")
    received_on = filters.get_by_role("group", name="Ngày nhận")
    received_on.get_by_label("Từ ngày").fill(today)
    received_on.get_by_label("Đến ngày").fill(today)
    filters.get_by_role("button", name="Lọc hồ sơ").click()
    received = page.get_by_role("columnheader", name="Ngày nhận")
    received.get_by_role("link").click()
    expect(received).to_have_attribute("aria-sort", "ascending")
    received.get_by_role("link").click()
    expect(received).to_have_attribute("aria-sort", "descending")
    codes = _codes_in_table(page)  # other journeys' dossiers of today may be listed too
    assert codes.index(newer) + 1 == codes.index(older)  # newest first, one after the other

    page.get_by_role("link", name=newer, exact=True).click()
    dossier = DeskDossierPage(page)
    expect(dossier.heading).to_have_text(f"Hồ sơ {newer}")
    photo = dossier.files.get_by_role("img", name=re.compile(r"^Ảnh đính kèm: "))
    expect(photo).to_be_visible()
    expect(photo).to_have_js_property("complete", True)  # retried until the photo has arrived
    assert photo.evaluate("img => img.naturalWidth") > 0  # …and it is a picture, shown in the page
    dossier.act("Tiếp nhận")
    expect(dossier.confirmation).to_contain_text("Đã tiếp nhận hồ sơ")
    expect(dossier.confirmation).to_contain_text("Tiếp theo: chuyển hồ sơ cho chuyên viên xử lý.")
    expect(dossier.confirmation).to_be_focused()
    expect(dossier.status).to_have_text("Đã tiếp nhận")
    dossier.confirmation.get_by_role("link", name="Hồ sơ tiếp theo ›").click()
    expect(dossier.heading).to_have_text(f"Hồ sơ {older}")
    page.get_by_role("navigation", name="Hàng đợi").get_by_role(
        "link", name="‹ Về hàng đợi"
    ).click()
    expect(home.queue_heading).to_have_text(re.compile(r"^Mới nộp, chờ tiếp nhận \(\d+\)$"))
    page.get_by_role("link", name="Bỏ lọc").first.click()
    expect(page.get_by_text("Bộ lọc (đang áp dụng)")).to_have_count(0)


def _focused(page: Page) -> str:
    return page.evaluate(
        """() => { const e = document.activeElement;
        const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
        return (e.getAttribute('aria-label') || label || e.innerText || '').trim(); }"""
    )


def test_the_queue_is_worked_from_the_keyboard_in_reading_order(new_context, javascript: bool):
    phone = unique_phone()
    run_async(submitted_dossier(phone, f"{phone}@x.vn", "P18"))  # the queue has a row
    page = new_context(java_script_enabled=javascript).new_page()
    page.set_viewport_size(OFFICE)
    home = DeskLoginPage(page, javascript=javascript).open().log_in("tiepnhan.hoabinh")
    home.open_queue("Mới nộp, chờ tiếp nhận")
    home.search_box.click()
    names = []
    for _ in range(10):
        page.keyboard.press("Tab")
        names.append(_focused(page))
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", names[-1]  # the focus is always visible
    assert names == [
        "Tìm",
        "Bộ lọc",
        "Tải CSV",
        "Tải Excel (XLSX)",
        "Thao tác",
        "Giao cho chuyên viên",
        "Lý do (bắt buộc khi từ chối)",
        "Thực hiện với hồ sơ đã chọn",
        "Mã hồ sơ",
        "Người nộp",
    ]
    for _ in range(2):  # the other sortable headers: received, due
        page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert _focused(page).startswith("Chọn hồ sơ ")  # then the rows, each checkbox first
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    page.keyboard.press("Tab")
    code = _focused(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")


def test_refusals_ask_once_to_confirm_in_a_batch_and_on_the_dossier(new_context, javascript: bool):
    codes = [d["code"] for _, d in _five()[:3]]
    reason = "Không thuộc thẩm quyền của phường Hòa Bình"
    page = new_context(java_script_enabled=javascript).new_page()
    page.set_viewport_size(OFFICE)
    home = DeskLoginPage(page, javascript=javascript).open().log_in("tiepnhan.hoabinh")
    home.open_queue("Mới nộp, chờ tiếp nhận")
    _filter_to_today(page)
    for code in codes[:2]:
        page.get_by_label(f"Chọn hồ sơ {code}").check()
    page.get_by_label("Thao tác").select_option(label="Từ chối tiếp nhận")
    page.get_by_label("Lý do (bắt buộc khi từ chối)").fill(reason)
    page.get_by_role("button", name="Thực hiện với hồ sơ đã chọn").click()

    # Nothing is refused yet: the desk lists the two, keeps the reason and asks once.
    expect(page.get_by_role("alert")).to_contain_text(
        "Từ chối tiếp nhận 2 hồ sơ không hoàn tác được"
    )
    picked = page.get_by_role("group", name=re.compile(r"^Hồ sơ đã chọn \(2;"))
    expect(picked.get_by_role("checkbox", checked=True)).to_have_count(2)
    expect(page.get_by_label("Lý do (bắt buộc khi từ chối)")).to_have_value(reason)
    page.get_by_label(re.compile(r"^Tôi xác nhận: từ chối tiếp nhận")).check()
    page.get_by_role("button", name="Thực hiện với các hồ sơ đã chọn").click()
    expect(page.get_by_role("status")).to_have_text(
        "Từ chối tiếp nhận: 2 hồ sơ đã xong, 0 hồ sơ không thực hiện được"
    )

    # The third, from its own page: the destructive button sits behind its own confirmation.
    page.get_by_role("link", name="Quay lại hàng đợi").click()
    expect(home.queue_heading).to_have_text(re.compile(r"^Mới nộp, chờ tiếp nhận \(\d+\)$"))
    for code in codes[:2]:
        expect(home.link_to(code)).to_have_count(0)
    dossier = home.open_dossier(codes[2])
    form = dossier.action("Từ chối tiếp nhận")
    form.locator("summary").click()
    form.get_by_role("textbox").fill(reason)
    form.get_by_label(re.compile(r"^Tôi xác nhận: từ chối tiếp nhận hồ sơ này")).check()
    form.get_by_role("button", name="Từ chối tiếp nhận", exact=True).click()
    expect(dossier.confirmation).to_contain_text("Đã từ chối tiếp nhận hồ sơ")
    expect(dossier.confirmation).to_be_focused()
    expect(dossier.status).to_have_text("Từ chối tiếp nhận")
    dossier.confirmation.get_by_role("link", name="‹ Về hàng đợi").click()
    expect(home.link_to(codes[2])).to_have_count(0)
    page.get_by_role("link", name="Bỏ lọc").first.click()
    expect(page.get_by_text("Bộ lọc (đang áp dụng)")).to_have_count(0)
