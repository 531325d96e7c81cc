"""A citizen registers, fills a multi-step procedure at 360×640, uploads a photo, leaves, comes
back in a new browser session, resumes, submits and downloads the receipt; JavaScript on and off.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.journeys import (
    DOSSIER_CODE,
    LOCAL_TIME,
    MARITAL_STATUS_NAME,
    MARITAL_STATUS_QUERY,
    NOT_ACCEPTED,
    CitizenDossierPage,
    DocumentMark,
    LoginPage,
    MaritalStatusAnswers,
    MyDossiersPage,
    NewCitizen,
    RegisterPage,
    ReviewPage,
    WizardPage,
    fill_marital_status,
    fill_requester,
    fill_subject,
    jpeg_photo,
    pdf_text,
    renamed_text_file,
)

pytestmark = pytest.mark.e2e

DIVORCE_PAPER = "Giấy tờ chứng minh đã ly hôn hoặc vợ/chồng đã chết"
PROXY_PAPER = "Văn bản ủy quyền"
DELIVERY = "Hình thức nhận kết quả"
BY_POST = "Nhận qua dịch vụ bưu chính công ích (trả cước khi nhận)"
POSTAL_ADDRESS = "Địa chỉ nhận kết quả qua bưu chính"


def test_register_fill_upload_resume_submit_and_download_receipt(
    page: Page, javascript: bool, new_context, tmp_path: Path
) -> None:
    citizen = NewCitizen.make()
    answers = MaritalStatusAnswers()
    RegisterPage(page).open().register(citizen)

    wizard = WizardPage(page).start(MARITAL_STATUS_QUERY, MARITAL_STATUS_NAME)
    wizard.expect_step("Nơi nộp hồ sơ", 1)
    document = DocumentMark(page).set()
    wizard.choose("Nơi tiếp nhận hồ sơ", answers.place)
    wizard.save_and_continue()

    wizard.expect_step("Người yêu cầu", 2)
    expect(wizard.field("Họ, chữ đệm, tên")).to_have_value(citizen.full_name)  # from the account
    expect(wizard.field("Số điện thoại")).to_have_value(citizen.phone)
    fill_requester(wizard, answers)
    wizard.save_and_continue()

    wizard.expect_step("Người được cấp Giấy xác nhận tình trạng hôn nhân", 3)
    expect(wizard.field("Họ, chữ đệm, tên")).to_have_value(citizen.full_name)
    fill_subject(wizard, answers)
    wizard.save_and_continue()

    wizard.expect_step("Tình trạng hôn nhân và mục đích sử dụng", 4)
    fill_marital_status(wizard, answers)
    wizard.save_and_continue()

    # A real photo for one document, a text file renamed anh.jpg for the other: the server judges
    # files by their content, refuses the fake next to its field and keeps the photo.
    wizard.expect_step("Giấy tờ đính kèm", 5)
    wizard.attach(DIVORCE_PAPER, jpeg_photo("giay-ly-hon.jpg"))
    wizard.attach(PROXY_PAPER, renamed_text_file("anh.jpg"))
    wizard.save_and_continue()
    expect(wizard.error_summary).to_contain_text(NOT_ACCEPTED)
    wizard.expect_step("Giấy tờ đính kèm", 5)
    wizard.expect_error(wizard.field(PROXY_PAPER), NOT_ACCEPTED)
    expect(wizard.field(PROXY_PAPER)).to_have_attribute("aria-invalid", "true")
    expect(wizard.uploaded(DIVORCE_PAPER)).to_contain_text("giay-ly-hon.jpg")
    expect(wizard.uploaded(PROXY_PAPER)).to_have_count(0)
    wizard.save_and_continue()  # the proxy letter is only needed when applying for someone else

    # Half-way through the last step: by post, the address not typed yet. Save and leave.
    wizard.expect_step("Nhận kết quả", 6)
    wizard.choose(DELIVERY, BY_POST)
    wizard.save_draft()
    mine = MyDossiersPage(page)
    expect(mine.heading).to_have_text("Hồ sơ của tôi")
    expect(mine.saved_notice).to_have_text(re.compile(r"^Đã lưu nháp"))
    expect(mine.draft(MARITAL_STATUS_NAME)).to_be_visible()
    assert document.kept() is javascript  # with JavaScript, every step was an HTMX swap
    page.close()
    page.context.close()

    # A new browser session: log in again and resume from "Hồ sơ của tôi".
    page = new_context(java_script_enabled=javascript).new_page()
    LoginPage(page).open().log_in(citizen)
    mine = MyDossiersPage(page)
    mine.resume(MARITAL_STATUS_NAME)
    wizard = WizardPage(page)
    wizard.expect_step("Nhận kết quả", 6)
    expect(wizard.group(DELIVERY).get_by_label(BY_POST)).to_be_checked()
    wizard.save_and_continue()
    postal_address = wizard.field(POSTAL_ADDRESS)
    wizard.expect_error(postal_address, "Vui lòng nhập địa chỉ nhận kết quả qua bưu chính")
    postal_address.fill(answers.address)
    wizard.save_and_continue()

    review = ReviewPage(page)
    review.expect_open()
    expect(review.section("Nơi nộp hồ sơ")).to_contain_text(answers.place)
    expect(review.section("Người yêu cầu")).to_contain_text(answers.citizen_id)
    subject = review.section("Người được cấp Giấy xác nhận tình trạng hôn nhân")
    for value in (citizen.full_name, answers.sex, answers.ethnicity, answers.nationality):
        expect(subject).to_contain_text(value)
    expect(review.section("Tình trạng hôn nhân và mục đích sử dụng")).to_contain_text(
        answers.purpose
    )
    expect(review.section("Giấy tờ đính kèm")).to_contain_text("giay-ly-hon.jpg")
    expect(review.section("Nhận kết quả")).to_contain_text(BY_POST)

    review.submit_button.click()  # without the declaration
    expect(review.problems).to_contain_text("Vui lòng xác nhận lời cam đoan trước khi nộp")
    review.submit()

    dossier = CitizenDossierPage(page)
    expect(dossier.heading).to_have_text("Đã nộp hồ sơ")
    expect(page).to_have_url(re.compile(r"/ho-so/[A-Z0-9-]+\?moi_nop=1$"))
    expect(dossier.code).to_have_text(DOSSIER_CODE)
    code = dossier.code.inner_text().strip()
    assert code.startswith("000.00.32.H99-"), code  # the code of the chosen agency
    expect(dossier.status).to_have_text("Đã nộp, chờ tiếp nhận")
    expect(dossier.due).to_have_text(LOCAL_TIME)
    due_day = dossier.due.inner_text().split()[1]

    download = dossier.download_receipt()
    assert download.failure() is None
    assert download.suggested_filename == f"giay-tiep-nhan-{code}.pdf"
    body, text = pdf_text(download, tmp_path)
    assert body.startswith(b"%PDF")
    assert f"Mã hồ sơ: {code}" in text
    assert citizen.full_name in text
    assert due_day in text

    mine = MyDossiersPage(page).open()
    expect(mine.drafts).to_have_count(0)
    expect(mine.sent_item(code)).to_contain_text("Đã nộp, chờ tiếp nhận")


def test_step_errors_show_next_to_fields_and_keep_what_was_typed(
    page: Page, javascript: bool
) -> None:
    citizen = NewCitizen.make()
    answers = MaritalStatusAnswers()
    RegisterPage(page).open().register(citizen)
    wizard = WizardPage(page).start(MARITAL_STATUS_QUERY, MARITAL_STATUS_NAME)
    wizard.expect_step("Nơi nộp hồ sơ", 1)
    wizard.save_and_continue()
    place = wizard.group("Nơi tiếp nhận hồ sơ")
    wizard.expect_error(place, "Vui lòng chọn Nơi tiếp nhận hồ sơ")
    wizard.choose("Nơi tiếp nhận hồ sơ", answers.place)
    wizard.save_and_continue()

    # The old 9-digit identity card number, no address, no relation chosen.
    wizard.expect_step("Người yêu cầu", 2)
    wizard.fill({"Họ, chữ đệm, tên": "Lê Thị Hoa", "Số định danh cá nhân": "093095000"})
    wizard.save_and_continue()
    expect(wizard.error_summary).to_contain_text("Vui lòng kiểm tra lại")
    wizard.expect_step("Người yêu cầu", 2)
    citizen_id = wizard.field("Số định danh cá nhân")
    wizard.expect_error(
        citizen_id,
        "Số định danh cá nhân phải gồm đúng 12 chữ số "
        "(số chứng minh nhân dân 9 số không dùng được)",
    )
    expect(citizen_id).to_have_value("093095000")
    expect(citizen_id).to_have_attribute("aria-invalid", "true")
    wizard.expect_error(wizard.field("Nơi cư trú"), "Vui lòng nhập Nơi cư trú")
    relation = "Quan hệ với người được cấp Giấy xác nhận tình trạng hôn nhân"
    wizard.expect_error(wizard.group(relation), f"Vui lòng chọn {relation}")
    expect(wizard.field("Họ, chữ đệm, tên")).to_have_value("Lê Thị Hoa")
    expect(wizard.field("Số điện thoại")).to_have_value(citizen.phone)
    expect(wizard.error_of(wizard.field("Họ, chữ đệm, tên"))).to_have_count(0)

    fill_requester(wizard, answers)
    wizard.save_and_continue()

    # An ID number whose birth year (digits 4-6) is not the declared one; no sex chosen.
    wizard.expect_step("Người được cấp Giấy xác nhận tình trạng hôn nhân", 3)
    wizard.fill(
        {
            "Ngày, tháng, năm sinh": answers.birth_date,
            "Dân tộc": answers.ethnicity,
            "Quốc tịch": answers.nationality,
            "Số định danh cá nhân": "001090012345",
            "Nơi cư trú": answers.address,
        }
    )
    wizard.save_and_continue()
    expect(wizard.error_summary).to_be_visible()
    subject_id = wizard.field("Số định danh cá nhân")
    wizard.expect_error(subject_id, "Số định danh cá nhân không khớp với năm sinh đã khai (1995)")
    expect(subject_id).to_have_value("001090012345")
    wizard.expect_error(wizard.group("Giới tính"), "Vui lòng chọn Giới tính")
    expect(wizard.field("Ngày, tháng, năm sinh")).to_have_value(answers.birth_date)
    expect(wizard.field("Dân tộc")).to_have_value(answers.ethnicity)
    expect(wizard.field("Nơi cư trú")).to_have_value(answers.address)

    fill_subject(wizard, answers)
    wizard.save_and_continue()
    wizard.expect_step("Tình trạng hôn nhân và mục đích sử dụng", 4)
    expect(wizard.error_summary).to_have_count(0)


def test_site_header_stays_while_moving_between_steps(
    page: Page, javascript: bool, request: pytest.FixtureRequest
) -> None:
    RegisterPage(page).open().register(NewCitizen.make())
    wizard = WizardPage(page).start(MARITAL_STATUS_QUERY, MARITAL_STATUS_NAME)
    wizard.expect_step("Nơi nộp hồ sơ", 1)
    wizard.choose("Nơi tiếp nhận hồ sơ", MaritalStatusAnswers().place)
    wizard.save_and_continue()
    wizard.expect_step("Người yêu cầu", 2)

    site_nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(site_nav.get_by_role("link", name="Hồ sơ của tôi")).to_be_visible(timeout=2_000)
    expect(page.get_by_role("main")).to_contain_text("Người yêu cầu", timeout=1_000)
    expect(page).to_have_title(re.compile(r"^Người yêu cầu – "), timeout=1_000)
