"""The desk's standard documents (Circular 01/2018 forms 02–05) as data for HTML and PDF."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from fpdf import FPDF

from app.domain import dossier_flow as flow
from app.domain.calendar import TIMELINESS_LABELS, timeliness
from app.models import Agency
from app.services.calendar import local_now, to_local
from app.services.dossier_view import DossierView
from app.services.form_pdf import FONT_DIR

SUFFIXES = {
    "phieu-bo-sung": "PBS",
    "phieu-tu-choi": "PTC",
    "phieu-xin-loi": "PXL",
    "phieu-kiem-soat": "PKS",
}
KINDS = {
    "giay-tiep-nhan": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "phieu-bo-sung": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "phieu-tu-choi": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "phieu-xin-loi": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "phieu-kiem-soat": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}


@dataclass
class Document:
    kind: str
    title: str
    parent_agency: str
    agency: str
    number: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    items_title: str = ""
    items: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    table_head: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    signers: list[str] = field(default_factory=list)
    dated: datetime = field(default_factory=local_now)


def available(view: DossierView) -> list[tuple[str, str]]:
    """Which documents exist for this dossier, in the order of the process."""
    kinds = ["giay-tiep-nhan"] if view.code else []
    if view.pre_supplement_count or view.supplement_count:
        kinds.append("phieu-bo-sung")
    if view.status in (flow.Status.REFUSED, flow.Status.REJECTED) or view.is_rejection:
        kinds.append("phieu-tu-choi")
    if view.extension_count:
        kinds.append("phieu-xin-loi")
    if view.received_at:
        kinds.append("phieu-kiem-soat")
    return [(k, KINDS[k]) for k in kinds]


def _when(value) -> str:
    return to_local(value).strftime("%H:%M ngày %d/%m/%Y") if value else "—"


def _applicant(view: DossierView) -> list[tuple[str, str]]:
    return [
        ("Người nộp hồ sơ", view.applicant_name),
        ("Số định danh cá nhân", view.applicant_id_number or "—"),
        ("Số điện thoại", view.applicant_phone or "—"),
        ("E-mail", view.applicant_email or "—"),
        ("Nội dung yêu cầu giải quyết", view.procedure_name),
    ]


def _last_event(view: DossierView, *actions: str) -> dict | None:
    found = [e for e in view.events if e["action"] in actions]
    return found[-1] if found else None


def event_data(event: dict | None) -> dict:
    """An event's data as a dict, whether the database gave it parsed or as JSON text."""
    data = (event or {}).get("data")
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data or "{}")
        except ValueError:
            data = {}
    return data if isinstance(data, dict) else {}


async def build(kind: str, view: DossierView) -> Document | None:
    if kind not in dict(available(view)):
        return None
    agency = view.receiving_agency or {}
    parent = None
    if agency.get("parent"):
        parent = await Agency.select(Agency.name).where(Agency.id == agency["parent"]).first().run()
    base = dict(
        kind=kind,
        title=KINDS[kind].upper(),
        parent_agency=parent["name"] if parent else "",
        agency=agency.get("name", ""),
        number=f"{view.code}/{SUFFIXES[kind]}",
    )
    if kind == "phieu-bo-sung":
        event = _last_event(view, "request_pre_supplement", "request_supplement")
        items = event_data(event).get("missing_items") or view.missing_items
        return Document(
            **base,
            rows=[("Mã hồ sơ", view.code), *_applicant(view)],
            items_title="Hồ sơ cần bổ sung, hoàn thiện những nội dung sau:",
            items=list(items),
            paragraphs=[
                "Lý do: hồ sơ chưa đầy đủ, hợp lệ theo quy định.",
                "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, xin liên hệ bộ phận một cửa "
                f"{agency.get('name', '')}"
                + (f", điện thoại {agency['phone']}" if agency.get("phone") else "")
                + ".",
            ],
            signers=["NGƯỜI HƯỚNG DẪN"],
            dated=to_local(event["at"]) if event else local_now(),
        )
    if kind == "phieu-tu-choi":
        event = _last_event(view, "refuse", "reject")
        return Document(
            **base,
            rows=[("Mã hồ sơ", view.code), *_applicant(view)],
            items_title="Lý do từ chối:",
            items=[(event or {}).get("note") or view.status_note],
            paragraphs=["Xin thông báo để ông/bà được biết và thực hiện."],
            signers=[
                "NGƯỜI NỘP HỒ SƠ",
                "NGƯỜI TIẾP NHẬN" if view.status == flow.Status.REFUSED else "THỦ TRƯỞNG CƠ QUAN",
            ],
            dated=to_local(event["at"]) if event else local_now(),
        )
    if kind == "phieu-xin-loi":
        event = _last_event(view, "extend") or {}
        data = event_data(event)
        before = datetime.fromisoformat(data["due_before"]) if data.get("due_before") else None
        after = datetime.fromisoformat(data["due_after"]) if data.get("due_after") else view.due_at
        return Document(
            **base,
            rows=[
                ("Kính gửi", view.applicant_name),
                ("Ngày tiếp nhận hồ sơ", _when(view.received_at)),
                ("Thủ tục", view.procedure_name),
                ("Số định danh cá nhân", view.applicant_id_number or "—"),
                ("Mã hồ sơ", view.code),
                ("Thời gian hẹn trả kết quả", _when(before)),
            ],
            paragraphs=[
                "Đến nay, hồ sơ của ông/bà chưa giải quyết xong so với thời gian đã hẹn.",
                f"Lý do: {event.get('note') or view.status_note}",
                "Cơ quan thành thật xin lỗi ông/bà vì sự chậm trễ này.",
                f"Thời gian hẹn trả kết quả mới: {_when(after)}.",
            ],
            signers=["THỦ TRƯỞNG CƠ QUAN"],
            dated=to_local(event["at"]) if event else local_now(),
        )
    rows = [
        ("Mã hồ sơ", view.code),
        ("Cơ quan giải quyết", agency.get("name", "")),
        ("Thời gian nhận hồ sơ", _when(view.received_at)),
        ("Thời gian trả kết quả", _when(view.due_at)),
    ]
    table = []
    due = view.due_at
    for e in view.events:
        who = view.officer_names.get(
            e["actor_id"], "Công dân" if e["actor_kind"] == "citizen" else "Hệ thống"
        )
        outcome = TIMELINESS_LABELS[timeliness(e["at"], due)] if due else ""
        table.append(
            [
                _when(e["at"]),
                who,
                flow.ACTION_LABELS.get(e["action"], e["action"]),
                outcome,
                e["note"] or "",
            ]
        )
    return Document(
        **base,
        rows=rows,
        table_head=["Thời gian", "Người thực hiện", "Nội dung", "Kết quả", "Ghi chú"],
        table=table,
    )


def render_pdf(doc: Document) -> bytes:
    pdf = FPDF(format=(148, 210), unit="mm")
    pdf.add_font("NotoSans", "", str(FONT_DIR / "NotoSans-Regular.ttf"))
    pdf.add_font("NotoSans", "B", str(FONT_DIR / "NotoSans-Bold.ttf"))
    pdf.set_title(doc.title)
    pdf.set_margins(12, 10, 10)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    w = pdf.epw
    half = w * 0.45
    top = pdf.get_y()
    pdf.set_font("NotoSans", "", 7.5)
    pdf.multi_cell(half, 3.6, doc.parent_agency.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSans", "B", 7.5)
    pdf.multi_cell(half, 3.6, doc.agency.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSans", "", 7.5)
    pdf.multi_cell(half, 3.6, f"Số: {doc.number}", align="C", new_x="LMARGIN", new_y="NEXT")
    bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + half, top)
    pdf.set_font("NotoSans", "B", 7.5)
    pdf.cell(
        w - half, 3.6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LEFT", new_y="NEXT"
    )
    pdf.cell(w - half, 3.6, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("NotoSans", "", 7.5)
    pdf.cell(w - half, 3.6, f"Ngày {doc.dated:%d/%m/%Y}", align="C")
    pdf.set_y(max(bottom, pdf.get_y() + 4) + 3)
    pdf.set_font("NotoSans", "B", 10)
    pdf.multi_cell(w, 5.5, doc.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("NotoSans", "", 8.5)
    for label, value in doc.rows:
        pdf.multi_cell(w, 4.6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    if doc.items_title:
        pdf.set_font("NotoSans", "B", 8.5)
        pdf.multi_cell(w, 4.6, doc.items_title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("NotoSans", "", 8.5)
        for i, item in enumerate(doc.items, start=1):
            pdf.multi_cell(w, 4.4, f"{i}. {item}", new_x="LMARGIN", new_y="NEXT")
    for paragraph in doc.paragraphs:
        pdf.multi_cell(w, 4.6, paragraph, new_x="LMARGIN", new_y="NEXT")
    if doc.table:
        pdf.ln(1)
        pdf.set_font("NotoSans", "", 7)
        widths = (24, 24, 28, 16, 32) if len(doc.table_head) == 5 else None
        with pdf.table(col_widths=widths, text_align="LEFT") as table:
            table.row(doc.table_head)
            for line in doc.table:
                table.row(line)
    if doc.signers:
        pdf.ln(6)
        width = w / len(doc.signers)
        pdf.set_font("NotoSans", "B", 8.5)
        for signer in doc.signers:
            pdf.cell(width, 5, signer, align="C")
        pdf.ln(5)
        pdf.set_font("NotoSans", "", 7.5)
        for _ in doc.signers:
            pdf.cell(width, 4, "(Ký, ghi rõ họ tên)", align="C")
    return bytes(pdf.output())
