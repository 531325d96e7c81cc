"""Online submission: a citizen walks the wizard over HTTP and submits a dossier."""

import asyncio
import re
from datetime import date

import pytest

from app.domain.dossier_codes import CODE_RE, parse_code, sequence_key
from app.models import Agency, DossierEvent
from app.services import sequences
from app.services.calendar import to_local
from tests.integration.builders import (
    EXECUTABLE,
    HOA_BINH,
    MARITAL_STATUS,
    TAN_LAP,
    TEMPORARY_RESIDENCE,
    Clients,
    attachments_of,
    dossier_row,
    events_of,
    generic_answers,
    generic_files,
    jpeg_bytes,
    reference_in,
    simultaneously,
)

REFUSED_FILE = "Chỉ nhận ảnh (JPEG, PNG, WebP) hoặc tệp PDF"


@pytest.fixture
async def clients(demo_db):
    clients = Clients()
    yield clients
    await clients.aclose()


async def _submit_events(dossier_id: int) -> int:
    return (
        await DossierEvent.count()
        .where((DossierEvent.dossier == dossier_id) & (DossierEvent.action == "submit"))
        .run()
    )


@pytest.mark.parametrize(
    ("procedure", "agency"),
    [(TEMPORARY_RESIDENCE, HOA_BINH), (MARITAL_STATUS, TAN_LAP)],
    ids=["generic-form-P19", "published-form-P04"],
)
async def test_the_code_names_the_receiving_agency_and_the_day(clients, procedure, agency):
    applicant = await clients.citizen()
    dossier = await applicant.submit_dossier(procedure, agency)
    row = await dossier_row(dossier.reference)
    assert row["status"] == "submitted"
    assert CODE_RE.fullmatch(dossier.code), dossier.code
    code = parse_code(dossier.code)
    assert code.agency_code == agency
    assert code.received_on == to_local(row["submitted_at"]).date()
    receiving = await Agency.select(Agency.code).where(Agency.id == row["receiving_agency"]).run()
    assert receiving == [{"code": agency}]
    page = await applicant.client.get(f"/ho-so/{dossier.reference}?moi_nop=1")
    assert page.status_code == 200 and dossier.code in page.text


async def test_submission_sets_an_appointment_after_the_submission_time(clients):
    applicant = await clients.citizen()
    dossier = await applicant.submit_dossier()
    row = await dossier_row(dossier.reference)
    assert row["submitted_at"] is not None and row["due_at"] is not None
    assert row["due_at"] > row["submitted_at"]
    page = await applicant.client.get(f"/ho-so/{dossier.reference}")
    assert "Ngày hẹn trả kết quả" in page.text
    assert to_local(row["due_at"]).strftime("%H:%M %d/%m/%Y") in page.text


async def test_submitting_twice_keeps_one_code_and_one_event(clients):
    applicant = await clients.citizen()
    dossier = await applicant.submit_dossier()
    again = await applicant.submit(dossier.reference)  # a double click, or the browser resending
    assert again.status_code == 303
    assert again.headers["location"] == f"/ho-so/{dossier.reference}"
    row = await dossier_row(dossier.reference)
    assert row["code"] == dossier.code
    assert await _submit_events(dossier.id) == 1


async def test_a_simultaneous_double_click_submits_once(clients):
    applicant = await clients.citizen()
    reference = await applicant.fill(TEMPORARY_RESIDENCE, generic_answers(), generic_files())
    path = f"/ho-so/{reference}/nop"
    first, second = await simultaneously(
        [(applicant.client, path, {"cam_doan": "1"}), (applicant.client, path, {"cam_doan": "1"})]
    )
    assert (first.status_code, second.status_code) == (303, 303)
    row = await dossier_row(reference)
    assert row["status"] == "submitted" and CODE_RE.fullmatch(row["code"])
    assert await _submit_events(row["id"]) == 1


async def test_concurrent_sequence_values_are_unique_and_consecutive(demo_db):
    key = sequence_key(HOA_BINH, date(2099, 12, 31))  # a day no dossier is ever received on
    values = await asyncio.gather(*(sequences.next_value(key) for _ in range(25)))
    assert sorted(values) == list(range(min(values), min(values) + 25))


def _sequences_by_day(codes: list[str]) -> dict[str, list[int]]:
    by_day: dict[str, list[int]] = {}
    for code in codes:
        parts = parse_code(code)
        by_day.setdefault(sequence_key(parts.agency_code, parts.received_on), []).append(
            parts.sequence
        )
    return {key: sorted(numbers) for key, numbers in by_day.items()}


async def test_simultaneous_submissions_to_one_agency_get_consecutive_codes(clients):
    applicants = [await clients.citizen() for _ in range(6)]
    references = [
        await a.fill(TEMPORARY_RESIDENCE, generic_answers(HOA_BINH), generic_files())
        for a in applicants
    ]
    responses = await simultaneously(
        [
            (a.client, f"/ho-so/{reference}/nop", {"cam_doan": "1"})
            for a, reference in zip(applicants, references, strict=True)
        ]
    )
    assert [r.status_code for r in responses] == [303] * 6
    codes = [(await dossier_row(reference))["code"] for reference in references]
    assert all(code and CODE_RE.fullmatch(code) for code in codes), codes
    assert len(set(codes)) == 6
    for key, numbers in _sequences_by_day(codes).items():
        assert key.startswith(HOA_BINH)
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), codes


async def test_a_missing_required_file_blocks_submission(clients):
    applicant = await clients.citizen()
    answers = generic_answers()
    location = await applicant.start(TEMPORARY_RESIDENCE)
    reference = reference_in(location)
    for step in ("noi_nop", "nguoi_nop", "noi_dung"):
        assert (await applicant.save_step(reference, step, answers[step])).status_code == 303
    no_file = await applicant.save_step(reference, "giay_to", {})
    assert no_file.status_code == 422
    assert "Vui lòng đính kèm Tờ khai thay đổi thông tin cư trú" in no_file.text
    last = await applicant.save_step(reference, "giao_ket_qua", answers["giao_ket_qua"])
    assert last.headers["location"] == f"/ho-so/{reference}/kiem-tra"

    refused = await applicant.submit(reference)
    assert refused.status_code == 422
    assert "Hồ sơ chưa nộp được" in refused.text
    assert "Giấy tờ đính kèm: còn 1 mục cần sửa" in refused.text
    row = await dossier_row(reference)
    assert (row["status"], row["code"], row["submitted_at"]) == ("draft", None, None)
    assert await events_of(row["id"]) == []


async def test_submission_needs_the_declaration(clients):
    applicant = await clients.citizen()
    reference = await applicant.fill(TEMPORARY_RESIDENCE, generic_answers(), generic_files())
    refused = await applicant.submit(reference, declare=False)
    assert refused.status_code == 422
    assert "Vui lòng xác nhận lời cam đoan trước khi nộp" in refused.text
    assert (await dossier_row(reference))["status"] == "draft"


async def test_a_renamed_executable_is_refused_by_its_content(clients):
    applicant = await clients.citizen()
    reference = reference_in(await applicant.start(TEMPORARY_RESIDENCE))
    disguised = {"tp_0": ("photo.jpg", EXECUTABLE, "image/jpeg")}
    response = await applicant.save_step(reference, "giay_to", {}, files=disguised)
    assert response.status_code == 422
    assert REFUSED_FILE in response.text
    row = await dossier_row(reference)
    assert await attachments_of(row["id"]) == []


async def test_a_real_jpeg_is_stored_and_served_back_to_its_owner(clients):
    applicant = await clients.citizen()
    reference = reference_in(await applicant.start(TEMPORARY_RESIDENCE))
    photo = jpeg_bytes()
    response = await applicant.save_step(
        reference, "giay_to", {}, files={"tp_0": ("photo.jpg", photo, "image/jpeg")}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/ho-so/{reference}/buoc/giao_ket_qua"
    row = await dossier_row(reference)
    [attachment] = await attachments_of(row["id"])
    assert attachment["media_type"] == "image/jpeg" and attachment["size"] == len(photo)
    assert row["answers"]["giay_to"]["tp_0"] == attachment["token"]
    served = await applicant.client.get(f"/ho-so/{reference}/tep/{attachment['token']}")
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("image/jpeg")
    assert served.content == photo


async def test_resuming_returns_to_the_first_incomplete_step_with_what_was_typed(clients):
    applicant = await clients.citizen()
    first = await applicant.start(TEMPORARY_RESIDENCE)
    reference = reference_in(first)
    assert first.endswith("/buoc/noi_nop")

    saved = await applicant.save_step(reference, "noi_nop", {"co_quan": HOA_BINH}, leave=True)
    assert saved.status_code == 303 and saved.headers["location"] == "/ho-so?da_luu=1"
    assert await applicant.start(TEMPORARY_RESIDENCE) == f"/ho-so/{reference}/buoc/nguoi_nop"

    partial = {"ho_ten": "Lê Văn Cường", "so_dinh_danh": "", "dien_thoai": "0912 000 222"}
    partial |= {"thu_dien_tu": "", "dia_chi": "Ấp Tân Lập, xã Tân Lập"}
    await applicant.save_step(reference, "nguoi_nop", partial, leave=True)
    resumed = await applicant.start(TEMPORARY_RESIDENCE)
    assert resumed == f"/ho-so/{reference}/buoc/nguoi_nop"  # the same draft, not a new one
    page = await applicant.client.get(resumed)
    assert 'value="Lê Văn Cường"' in page.text
    assert 'value="0912 000 222"' in page.text
    assert "Ấp Tân Lập, xã Tân Lập</textarea>" in page.text
    place = await applicant.client.get(f"/ho-so/{reference}/buoc/noi_nop")
    assert re.search(rf'value="{re.escape(HOA_BINH)}" checked', place.text)
