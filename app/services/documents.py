"""Printable documents as PDF (A5, per Circular 01/2018) and QR codes."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

import segno
from fpdf import FPDF

from app.services.form_pdf import FONT_DIR


def qr_svg(url: str, scale: int = 4) -> str:
    """An inline SVG QR code (no external request, allowed by the CSP)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=scale, xmldecl=False, svgns=True)
    return out.getvalue().decode()


def qr_png(url: str, scale: int = 4) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale)
    return out.getvalue()


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


def receipt_pdf(data: ReceiptData) -> bytes:
    pdf = FPDF(format=(148, 210), unit="mm")  # A5
    pdf.add_font("NotoSans", "", str(FONT_DIR / "NotoSans-Regular.ttf"))
    pdf.add_font("NotoSans", "B", str(FONT_DIR / "NotoSans-Bold.ttf"))
    pdf.set_title(f"Giấy tiếp nhận hồ sơ {data.code}")
    pdf.set_margins(12, 10, 10)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    w = pdf.epw
    half = w * 0.45
    top = pdf.get_y()
    pdf.set_font("NotoSans", "", 7.5)
    pdf.multi_cell(half, 3.6, data.parent_agency.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSans", "B", 7.5)
    pdf.multi_cell(
        half, 3.6, data.receiving_agency.upper(), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    left_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + half, top)
    pdf.set_font("NotoSans", "B", 7.5)
    pdf.cell(
        w - half, 3.6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LEFT", new_y="NEXT"
    )
    pdf.cell(w - half, 3.6, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("NotoSans", "", 7.5)
    place = f"{data.place}, ngày" if data.place else "Ngày"
    pdf.cell(w - half, 3.6, f"{place} {data.received_at:%d/%m/%Y}", align="C")
    pdf.set_y(max(left_bottom, pdf.get_y() + 4) + 3)
    pdf.set_font("NotoSans", "B", 10.5)
    pdf.cell(
        w, 5.5, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("NotoSans", "B", 9)
    pdf.cell(w, 5, f"Mã hồ sơ: {data.code}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)
    pdf.set_font("NotoSans", "", 8.5)
    rows = [
        ("Tiếp nhận hồ sơ của", data.applicant_name),
        ("Số định danh cá nhân", data.applicant_id_number or "—"),
        ("Địa chỉ", data.applicant_address or "—"),
        ("Số điện thoại", data.applicant_phone or "—"),
        ("E-mail", data.applicant_email or "—"),
        ("Nội dung yêu cầu giải quyết", data.procedure_name),
        ("Hình thức nộp", data.channel),
    ]
    for label, value in rows:
        _row(pdf, label, value, w)
    pdf.set_font("NotoSans", "B", 8.5)
    pdf.cell(w, 5, "Thành phần hồ sơ:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSans", "", 8.5)
    for i, doc in enumerate(data.documents or ["(theo tờ khai trực tuyến)"], start=1):
        pdf.multi_cell(w, 4.2, f"{i}. {doc}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(w, 4.6, "Số lượng hồ sơ: 01 bộ", new_x="LMARGIN", new_y="NEXT")
    _row(pdf, "Thời gian giải quyết theo quy định", data.time_limit, w)
    _row(pdf, "Thời gian nhận hồ sơ", _when(data.received_at), w)
    pdf.set_font("NotoSans", "B", 8.5)
    _row(pdf, "Thời gian trả kết quả", _when(data.due_at), w, bold=True)
    pdf.set_font("NotoSans", "", 8.5)
    _row(pdf, "Nhận kết quả", data.delivery, w)
    for note in data.notes:
        pdf.multi_cell(w, 4.2, note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    y = pdf.get_y()
    qr = io.BytesIO(qr_png(data.tracking_url, scale=3))
    pdf.image(qr, x=pdf.l_margin, y=y, w=24, h=24)
    pdf.set_xy(pdf.l_margin + 27, y)
    pdf.set_font("NotoSans", "", 7.5)
    pdf.multi_cell(
        w - 27,
        3.6,
        "Quét mã QR hoặc mở địa chỉ dưới đây để tra cứu tình trạng hồ sơ:\n" + data.tracking_url,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_y(max(pdf.get_y(), y + 26))
    pdf.set_font("NotoSans", "", 7.5)
    pdf.multi_cell(w, 3.6, tracking_help(data.code), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSans", "", 7)
    pdf.multi_cell(
        w,
        3.4,
        "Giấy tiếp nhận được lập trên hệ thống thông tin giải quyết thủ tục hành chính; "
        "hồ sơ nộp trực tuyến không cần chữ ký của người nộp.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def tracking_help(code: str) -> str:
    """How to track and what happens next, printed under the QR code of every receipt."""
    return (
        f"Tra cứu không cần đăng nhập, tại mục “Tra cứu” của cổng: nhập mã hồ sơ {code} và "
        "4 số cuối số điện thoại đã khai trong hồ sơ. Tiếp theo: cơ quan giải quyết và trả kết "
        "quả vào thời gian hẹn trên; nếu cần bổ sung giấy tờ, bạn được báo qua e-mail hoặc SMS "
        "kèm danh sách, và thời hạn tạm dừng cho đến khi nhận đủ."
    )


def _row(pdf: FPDF, label: str, value: str, width: float, bold: bool = False) -> None:
    pdf.set_font("NotoSans", "B" if bold else "", 8.5)
    pdf.multi_cell(width, 4.6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
