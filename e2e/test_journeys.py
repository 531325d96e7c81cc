"""The citizen's journey as people make it: from the home page, by clicking and typing, on a
360×640 phone; once more on a slow network and a slow CPU, where a phone photo must travel
reduced."""

from __future__ import annotations

import io
import random
import re

import pytest
from PIL import Image, ImageFilter
from playwright.sync_api import Page, expect

from e2e.journeys import (
    DIVORCE_PAPER_LABEL,
    DOSSIER_CODE,
    MARITAL_STATUS_NAME,
    MARITAL_STATUS_QUERY,
    CitizenDossierPage,
    LoginPage,
    MaritalStatusAnswers,
    NewCitizen,
    RegisterPage,
    ReviewPage,
    WizardPage,
    click_nav,
    fill_marital_status,
    fill_requester,
    fill_subject,
    find_procedure,
    jpeg_photo,
    log_out,
)

pytestmark = pytest.mark.e2e

DIVORCE_PAPER = DIVORCE_PAPER_LABEL
MB = 1024 * 1024


def phone_photo(min_bytes: int = 4 * MB) -> dict:
    """A 4000×3000 photo-like JPEG of at least ``min_bytes``: smooth shapes under sensor noise,
    saved at a phone camera's high quality."""
    rng = random.Random(12)
    small = Image.new("RGB", (40, 30))
    small.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(1200)]
    )
    image = small.resize((4000, 3000), Image.BICUBIC).filter(ImageFilter.GaussianBlur(4))
    noise = Image.effect_noise((4000, 3000), 40).convert("RGB")
    image = Image.blend(image, noise, 0.25)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)  # about 4.6 MB
    body = buffer.getvalue()
    assert len(body) >= min_bytes, len(body)
    return {"name": "IMG_2026.jpg", "mimeType": "image/jpeg", "buffer": body}


def _to_the_documents_step(page: Page, citizen: NewCitizen, answers: MaritalStatusAnswers):
    """Home → search without diacritics → procedure → "Nộp hồ sơ trực tuyến" → log in →
    back on the procedure's start page → the first four steps."""
    find_procedure(page, MARITAL_STATUS_QUERY, MARITAL_STATUS_NAME)
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").first.click()
    expect(page).to_have_url(re.compile(r"/dang-nhap\?tiep="))
    LoginPage(page).log_in(citizen, lands_on=r"/nop-ho-so$")
    wizard = WizardPage(page)
    wizard.begin()
    wizard.expect_step("Nơi nộp hồ sơ", 1)
    wizard.choose("Nơi tiếp nhận hồ sơ", answers.place)
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
    return wizard


def _new_citizen_logged_out(page: Page) -> NewCitizen:
    citizen = NewCitizen.make()
    RegisterPage(page).open().register(citizen)
    log_out(page)
    return citizen


def test_from_the_home_page_to_a_submitted_dossier_and_anonymous_tracking(
    page: Page, javascript: bool
) -> None:
    citizen = _new_citizen_logged_out(page)
    answers = MaritalStatusAnswers()
    wizard = _to_the_documents_step(page, citizen, answers)
    expect(page.get_by_text("Ảnh hoặc PDF, tối đa 10 MB.").first).to_be_visible()
    wizard.attach(DIVORCE_PAPER, jpeg_photo("giay-ly-hon.jpg"))
    wizard.save_and_continue()
    wizard.expect_step("Nhận kết quả", 6)
    if javascript:
        expect(wizard.heading).to_be_focused()  # the swap lands on the new step's heading
    wizard.choose("Hình thức nhận kết quả", answers.delivery)
    wizard.save_and_continue()

    review = ReviewPage(page)
    review.expect_open()
    review.submit()
    dossier = CitizenDossierPage(page)
    expect(dossier.heading).to_have_text("Đã nộp hồ sơ")
    expect(dossier.code).to_have_text(DOSSIER_CODE)
    code = dossier.code.inner_text().strip()
    how = page.get_by_role("region", name="Theo dõi hồ sơ")
    expect(how).to_contain_text("4 số cuối số điện thoại")
    expect(how).to_contain_text(citizen.phone[-4:])

    page.get_by_role("link", name="Xem, in giấy tiếp nhận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
    )
    expect(page.get_by_text(re.compile("4 số cuối số điện thoại"))).to_be_visible()
    page.go_back()

    log_out(page)
    click_nav(page, "Tra cứu")
    page.get_by_label("Mã hồ sơ").fill(code)
    factor = page.get_by_label("4 số cuối số điện thoại")
    expect(factor).to_have_attribute("type", "text")
    expect(factor).to_have_attribute("inputmode", "numeric")
    factor.fill(citizen.phone[-4:])
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#tracking-status .status")).to_have_text("Đã nộp, chờ tiếp nhận")


@pytest.mark.parametrize("javascript", [True], ids=["js"])
def test_on_a_slow_phone_a_4_mb_photo_travels_under_1_mb_with_progress(
    page: Page, javascript: bool
) -> None:
    citizen = _new_citizen_logged_out(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 400,
            "downloadThroughput": 400 * 1000 / 8,
            "uploadThroughput": 400 * 1000 / 8,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.set_default_timeout(60_000)
    wizard = _to_the_documents_step(page, citizen, MaritalStatusAnswers())

    photo = phone_photo()
    # The request body's size as the browser sends it: the total of the upload's progress
    # events (Playwright reports no body for multipart requests with files).
    page.evaluate(
        """() => { window.e2eSent = [];
        document.addEventListener("htmx:xhr:progress", (e) => {
          if (e.detail.lengthComputable && e.detail.loaded === e.detail.total) {
            window.e2eSent.push(e.detail.total); } }); }"""
    )
    wizard.attach(DIVORCE_PAPER, photo)
    expect(wizard.next_button).to_be_enabled()  # enabled again once the photo is reduced
    wizard.save_and_continue()
    progress = page.get_by_role("status").filter(has_text=re.compile(r"^Đang tải lên… \d+%$"))
    expect(progress).to_be_visible()
    expect(wizard.next_button).to_be_disabled()
    expect(page.locator("form[aria-busy=true]")).to_have_count(1)
    expect(wizard.heading).to_have_text("Nhận kết quả", timeout=120_000)  # a slow upload
    wizard.expect_step("Nhận kết quả", 6)
    sent = max(page.evaluate("() => window.e2eSent"))
    assert 50_000 < sent < 1 * MB, (len(photo["buffer"]), sent)
    print(f"photo {len(photo['buffer'])} bytes, sent {sent} bytes")
