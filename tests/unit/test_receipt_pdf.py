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
