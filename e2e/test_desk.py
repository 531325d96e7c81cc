"""The whole one-stop journey with three browser contexts, JavaScript on ("js") and off ("nojs").

1. the citizen's context: registers, submits to phường Hòa Bình, answers the supplement request
   and finally sees the result returned;
2. the receptionist's (tiepnhan.hoabinh): asks for a supplement, receives, assigns, records the
   delivery and returns the result;
3. the back office, one context in which officers take turns by logging out and in: the
   specialist (xuly.hoabinh) submits for signature, the leader (lanhdao.hoabinh) approves, and
   last the receptionist of another commune (tiepnhan.tanlap) cannot find or open the dossier.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.journeys import (
    CitizenDossierPage,
    DeskLoginPage,
    DocumentMark,
    MaritalStatusAnswers,
    MyDossiersPage,
    NewCitizen,
    RegisterPage,
    jpeg_photo,
    submit_marital_status,
)
from e2e.support import type_address

pytestmark = pytest.mark.e2e

MISSING = ("Bản sao trích lục bản án ly hôn", "Văn bản ủy quyền có chữ ký của người được cấp")
SPECIALIST = "Huỳnh Đức Thịnh"  # xuly.hoabinh


def test_supplement_processing_approval_and_return_across_three_contexts(
    new_context, javascript: bool
) -> None:
    citizen_page = new_context(java_script_enabled=javascript).new_page()
    desk_page = new_context(java_script_enabled=javascript).new_page()
    back_office_page = new_context(java_script_enabled=javascript).new_page()
    back_office = DeskLoginPage(back_office_page, javascript=javascript)

    # The citizen submits to phường Hòa Bình.
    RegisterPage(citizen_page).open().register(NewCitizen.make("Phạm Thị Thu"))
    code = submit_marital_status(citizen_page, MaritalStatusAnswers())

    # The receptionist finds it among the new dossiers and asks, once, for what is missing.
    home = DeskLoginPage(desk_page, javascript=javascript).open().log_in("tiepnhan.hoabinh")
    expect(home.queue_heading).to_have_text(re.compile(r"^Mới nộp, chờ tiếp nhận \(\d+\)$"))
    home.search(code)
    desk = home.open_dossier(code)
    dossier_id = desk.dossier_id
    expect(desk.status).to_have_text("Đã nộp, chờ tiếp nhận")
    document = DocumentMark(desk_page).set()
    desk.act("Hướng dẫn bổ sung", note="\n".join(MISSING))
    expect(desk.status).to_have_text("Yêu cầu bổ sung (trước tiếp nhận)")
    assert document.kept() is javascript  # with JavaScript, HTMX swapped #dossier-main
    expect(desk.missing.get_by_role("listitem")).to_have_text(list(MISSING))
    expect(desk.action("Tiếp nhận")).to_have_count(0)

    # The citizen reads the request on the dossier's page and sends a photo of the papers.
    citizen = MyDossiersPage(citizen_page).open().open_dossier(code)
    expect(citizen.status).to_have_text("Yêu cầu bổ sung (trước tiếp nhận)")
    expect(citizen.supplement.get_by_role("listitem")).to_have_text(list(MISSING))
    citizen.supply(jpeg_photo("ban-an-ly-hon.jpg", (30, 90, 160)), note="Gửi bản chụp bản án")
    expect(citizen.status).to_have_text("Đã nộp, chờ tiếp nhận")
    expect(citizen.supplement).to_have_count(0)
    expect(citizen.history).to_contain_text("Bổ sung hồ sơ")

    # The receptionist sees the new file, receives the dossier and assigns it.
    desk_page.reload()
    expect(desk.status).to_have_text("Đã nộp, chờ tiếp nhận")
    expect(desk.files).to_contain_text("ban-an-ly-hon.jpg")
    document.set()
    desk.act("Tiếp nhận")
    expect(desk.status).to_have_text("Đã tiếp nhận")
    desk.act("Chuyển xử lý", specialist=SPECIALIST)
    expect(desk.status).to_have_text("Đang xử lý")
    assert document.kept() is javascript
    expect(desk.actions).to_have_count(0)  # nothing left for the desk until the result

    # The specialist submits it for signature.
    specialist = back_office.open().log_in("xuly.hoabinh")
    specialist.search(code)
    work = specialist.open_dossier(code)
    expect(work.status).to_have_text("Đang xử lý")
    work.act("Trình ký")
    expect(work.status).to_have_text("Chờ phê duyệt")
    specialist.log_out()

    # The leader finds it in "Chờ phê duyệt" and approves it.
    leader = back_office.open().log_in("lanhdao.hoabinh")
    leader.open_queue("Chờ phê duyệt")
    expect(leader.link_to(code)).to_be_visible()
    leader.search(code)
    signing = leader.open_dossier(code)
    signing.act("Phê duyệt")
    expect(signing.status).to_have_text("Đã có kết quả")
    leader.log_out()

    # The receptionist hands the result over at the desk: recorded and returned in one step.
    desk_page.reload()
    expect(desk.status).to_have_text("Đã có kết quả")
    expect(desk.action("Trả kết quả")).to_have_count(0)  # not before the delivery is recorded
    desk.deliver_and_return()
    expect(desk.status).to_have_text("Đã trả kết quả")
    expect(desk.history).to_contain_text("Trả kết quả")
    expect(desk.documents.get_by_text(re.compile(r"^Phiếu kiểm soát"))).to_be_visible()

    # The citizen sees the result returned.
    citizen_page.reload()
    citizen = CitizenDossierPage(citizen_page)
    expect(citizen.status).to_have_text("Đã trả kết quả")
    mine = MyDossiersPage(citizen_page).open()
    expect(mine.sent_item(code)).to_contain_text("Đã trả kết quả")

    # An officer of another commune neither finds the dossier nor opens it by its address.
    other = back_office.open().log_in("tiepnhan.tanlap")
    other.search(code)
    expect(other.queue).to_contain_text("Không có hồ sơ nào.")
    expect(other.link_to(code)).to_have_count(0)
    for address in (
        f"/mot-cua/ho-so/{dossier_id}",
        f"/mot-cua/ho-so/{dossier_id}/phieu/phieu-kiem-soat",  # the control sheet, too
    ):
        response = type_address(back_office_page, address)  # an officer tries the address
        assert response is not None and response.status == 404, address
        heading = back_office_page.get_by_role("heading", level=1)
        expect(heading).to_have_text("Không tìm thấy trang")
        expect(back_office_page.get_by_text(code)).to_have_count(0)
