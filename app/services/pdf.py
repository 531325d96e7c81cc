"""Every PDF the portal prints, drawn by one renderer with one embedded Vietnamese font.

``render(doc)`` draws an official A5 document (Circular 01/2018): the reception receipt, the
desk's forms 02–05 and the fee receipt are all a ``Document``. ``new_pdf`` is the page set-up
shared with the blank forms of services/form_pdf.py (A4, their own layout).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import segno

from app.services.calendar import local_now

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parents[1] / "fonts"
FONT = "NotoSans"
A5 = (148, 210)


@dataclass
class Document:
    """An official document as data: drawn as HTML (templates/pages/documents) and as PDF."""

    kind: str
    title: str
    parent_agency: str
    agency: str
    number: str  # "Số: …" under the agency; empty for none
    rows: list[tuple[str, str]] = field(default_factory=list)
    items_title: str = ""
    items: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    table_head: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    signers: list[str] = field(default_factory=list)
    dated: datetime = field(default_factory=local_now)
    place: str = ""  # "<place>, ngày …" beside the national motto
    subtitle: str = ""  # bold, centred under the title (the dossier's code)
    rows_after: list[tuple[str, str]] = field(default_factory=list)  # after the items
    bold_labels: frozenset[str] = frozenset()
    qr_url: str = ""  # a QR code of this address, with qr_text beside it
    qr_text: str = ""
    footnotes: list[str] = field(default_factory=list)


def new_pdf(page_format: str | tuple[float, float], title: str) -> FPDF:
    """A PDF with the portal's font (regular and bold) and its title set, no page yet."""
    from fpdf import FPDF  # loaded with the first PDF (fontTools and Pillow are large)

    pdf = FPDF(format=page_format, unit="mm")
    pdf.add_font(FONT, "", str(FONT_DIR / "NotoSans-Regular.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "NotoSans-Bold.ttf"))
    pdf.set_title(title)
    return pdf


def qr_png(url: str, scale: int = 4) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale)
    return out.getvalue()


def render(doc: Document) -> bytes:
    pdf = new_pdf(A5, doc.title)
    pdf.set_margins(12, 10, 10)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    _heading(pdf, doc)
    _body(pdf, doc)
    if doc.table:
        _table(pdf, doc)
    if doc.qr_url:
        _qr(pdf, doc)
    pdf.set_font(FONT, "", 7)
    for note in doc.footnotes:
        pdf.multi_cell(pdf.epw, 3.5, note, new_x="LMARGIN", new_y="NEXT")
    if doc.signers:
        _signers(pdf, doc.signers)
    return bytes(pdf.output())


def _heading(pdf: FPDF, doc: Document) -> None:
    """The agency on the left, the national motto and the date on the right, then the title."""
    w = pdf.epw
    half = w * 0.45
    top = pdf.get_y()
    pdf.set_font(FONT, "", 7.5)
    pdf.multi_cell(half, 3.6, doc.parent_agency.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 7.5)
    pdf.multi_cell(half, 3.6, doc.agency.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    if doc.number:
        pdf.set_font(FONT, "", 7.5)
        pdf.multi_cell(half, 3.6, f"Số: {doc.number}", align="C", new_x="LMARGIN", new_y="NEXT")
    bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + half, top)
    pdf.set_font(FONT, "B", 7.5)
    motto = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    for line in motto:
        pdf.cell(w - half, 3.6, line, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "", 7.5)
    place = f"{doc.place}, ngày" if doc.place else "Ngày"
    pdf.cell(w - half, 3.6, f"{place} {doc.dated:%d/%m/%Y}", align="C")
    pdf.set_y(max(bottom, pdf.get_y() + 4) + 3)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(w, 5.5, doc.title, align="C", new_x="LMARGIN", new_y="NEXT")
    if doc.subtitle:
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(w, 5, doc.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _rows(pdf: FPDF, doc: Document, rows: list[tuple[str, str]]) -> None:
    for label, value in rows:
        pdf.set_font(FONT, "B" if label in doc.bold_labels else "", 8.5)
        pdf.multi_cell(pdf.epw, 4.6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")


def _body(pdf: FPDF, doc: Document) -> None:
    w = pdf.epw
    _rows(pdf, doc, doc.rows)
    if doc.items_title:
        pdf.set_font(FONT, "B", 8.5)
        pdf.multi_cell(w, 4.6, doc.items_title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 8.5)
        for i, item in enumerate(doc.items, start=1):
            pdf.multi_cell(w, 4.4, f"{i}. {item}", new_x="LMARGIN", new_y="NEXT")
    _rows(pdf, doc, doc.rows_after)
    pdf.set_font(FONT, "", 8.5)
    for paragraph in doc.paragraphs:
        pdf.multi_cell(w, 4.6, paragraph, new_x="LMARGIN", new_y="NEXT")


def _table(pdf: FPDF, doc: Document) -> None:
    pdf.ln(1)
    pdf.set_font(FONT, "", 7)
    widths = (24, 24, 28, 16, 32) if len(doc.table_head) == 5 else None
    with pdf.table(col_widths=widths, text_align="LEFT") as table:
        table.row(doc.table_head)
        for line in doc.table:
            table.row(line)


def _qr(pdf: FPDF, doc: Document) -> None:
    pdf.ln(2)
    y = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(doc.qr_url, scale=3)), x=pdf.l_margin, y=y, w=24, h=24)
    pdf.set_xy(pdf.l_margin + 27, y)
    pdf.set_font(FONT, "", 7.5)
    text = f"{doc.qr_text}\n{doc.qr_url}" if doc.qr_text else doc.qr_url
    pdf.multi_cell(pdf.epw - 27, 3.6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), y + 26))


def _signers(pdf: FPDF, signers: list[str]) -> None:
    pdf.ln(6)
    width = pdf.epw / len(signers)
    pdf.set_font(FONT, "B", 8.5)
    for signer in signers:
        pdf.cell(width, 5, signer, align="C")
    pdf.ln(5)
    pdf.set_font(FONT, "", 7.5)
    for _ in signers:
        pdf.cell(width, 4, "(Ký, ghi rõ họ tên)", align="C")
