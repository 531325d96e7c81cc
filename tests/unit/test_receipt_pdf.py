"""The printed receipt tells the applicant how to track the dossier and what happens next."""

import io
from datetime import datetime

from pypdf import PdfReader

from app.services.documents import ReceiptData, receipt_pdf

CODE = "000.00.31.H99-261202-0007"


def _text() -> str:
    data = ReceiptData(
        parent_agency="UBND tỉnh",
        receiving_agency="UBND xã",
        code=CODE,
        applicant_name="Nguyễn Văn An",
        applicant_id_number="",
        applicant_address="",
        applicant_phone="0912345678",
        applicant_email="",
        procedure_name="Đăng ký khai sinh",
        documents=["Tờ khai đăng ký khai sinh"],
        time_limit="1 ngày làm việc",
        received_at=datetime(2026, 12, 2, 9, 0),
        due_at=datetime(2026, 12, 3, 9, 0),
        delivery="Tại bộ phận một cửa",
        channel="Trực tuyến",
        tracking_url="http://127.0.0.1:8000/tra-cuu",
    )
    reader = PdfReader(io.BytesIO(receipt_pdf(data)))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_receipt_pdf_says_how_to_track_with_the_last_four_phone_digits():
    text = _text()
    assert CODE in text
    assert "4 số cuối số điện thoại" in text
    assert "Tiếp theo" in text


def test_the_reception_receipt_is_drawn_by_the_one_document_renderer():
    data_text = _text()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in data_text
    assert "Thời gian trả kết quả: 09 giờ 00 phút, ngày 03/12/2026" in data_text
    assert "Số lượng hồ sơ: 01 bộ" in data_text


def test_a_desk_document_prints_its_rows_table_and_signers():
    from app.services.pdf import Document, render

    doc = Document(
        kind="phieu-kiem-soat",
        title="PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        parent_agency="UBND tỉnh",
        agency="UBND xã Tân Lập",
        number="PKS-0007",
        rows=[("Mã hồ sơ", CODE)],
        table_head=["Bước", "Người", "Thời điểm", "Kết quả", "Ghi chú"],
        table=[["Tiếp nhận", "Trần Thị Bình", "02/12/2026", "Đúng hạn", ""]],
        signers=["Người giao", "Người nhận"],
    )
    reader = PdfReader(io.BytesIO(render(doc)))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    for expected in ("Số: PKS-0007", CODE, "Trần Thị Bình", "Người nhận", "Ký, ghi rõ họ tên"):
        assert expected in text
