"""The reception receipt (form 01 of Circular 01/2018) and the QR codes printed on pages."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

import segno

from app.services import pdf
from app.services.pdf import Document

DUE_LABEL = "Thời gian trả kết quả"
SIGNATURE_NOTE = (
    "Giấy tiếp nhận được lập trên hệ thống thông tin giải quyết thủ tục hành chính; "
    "hồ sơ nộp trực tuyến không cần chữ ký của người nộp."
)


def qr_svg(url: str, scale: int = 4) -> str:
    """An inline SVG QR code (no external request, allowed by the CSP)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=scale, xmldecl=False, svgns=True)
    return out.getvalue().decode()


@dataclass
class ReceiptData:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (form 01)."""

    parent_agency: str
    receiving_agency: str
    code: str
    applicant_name: str
    applicant_id_number: str
    applicant_address: str
    applicant_phone: str
    applicant_email: str
    procedure_name: str
    documents: list[str]
    time_limit: str
    received_at: datetime
    due_at: datetime | None
    delivery: str
    channel: str
    tracking_url: str
    place: str = ""
    notes: list[str] = field(default_factory=list)


def _when(value: datetime | None) -> str:
    return value.strftime("%H giờ %M phút, ngày %d/%m/%Y") if value else "Theo thông báo"


def reception_document(data: ReceiptData) -> Document:
    """Form 01 as a Document, for the one PDF renderer (services/pdf.py)."""
    rows = [
        ("Tiếp nhận hồ sơ của", data.applicant_name),
        ("Số định danh cá nhân", data.applicant_id_number or "—"),
        ("Địa chỉ", data.applicant_address or "—"),
        ("Số điện thoại", data.applicant_phone or "—"),
        ("E-mail", data.applicant_email or "—"),
        ("Nội dung yêu cầu giải quyết", data.procedure_name),
        ("Hình thức nộp", data.channel),
    ]
    after = [
        ("Số lượng hồ sơ", "01 bộ"),
        ("Thời gian giải quyết theo quy định", data.time_limit),
        ("Thời gian nhận hồ sơ", _when(data.received_at)),
        (DUE_LABEL, _when(data.due_at)),
        ("Nhận kết quả", data.delivery),
    ]
    return Document(
        kind="giay-tiep-nhan",
        title="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        parent_agency=data.parent_agency,
        agency=data.receiving_agency,
        number="",
        subtitle=f"Mã hồ sơ: {data.code}",
        place=data.place,
        dated=data.received_at,
        rows=rows,
        items_title="Thành phần hồ sơ:",
        items=data.documents or ["(theo tờ khai trực tuyến)"],
        rows_after=after,
        bold_labels=frozenset({DUE_LABEL}),
        paragraphs=data.notes,
        qr_url=data.tracking_url,
        qr_text="Quét mã QR hoặc mở địa chỉ dưới đây để tra cứu tình trạng hồ sơ:",
        footnotes=[tracking_help(data.code), SIGNATURE_NOTE],
    )


def receipt_pdf(data: ReceiptData) -> bytes:
    return pdf.render(reception_document(data))


def tracking_help(code: str) -> str:
    """How to track and what happens next, printed under the QR code of every receipt."""
    return (
        f"Tra cứu không cần đăng nhập, tại mục “Tra cứu” của cổng: nhập mã hồ sơ {code} và "
        "4 số cuối số điện thoại đã khai trong hồ sơ. Tiếp theo: cơ quan giải quyết và trả kết "
        "quả vào thời gian hẹn trên; nếu cần bổ sung giấy tờ, bạn được báo qua e-mail hoặc SMS "
        "kèm danh sách, và thời hạn tạm dừng cho đến khi nhận đủ."
    )
