"""Blank printable forms (level 2) as PDF, with an embedded Vietnamese font.

A form is drawn from its template data; the bytes are cached under MOTCUA_DATA_DIR by the hash
of that data, so every worker serves the same file and a catalogue change yields a new one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from typing import TYPE_CHECKING

from app.services.pdf import new_pdf
from app.settings import get_settings

if TYPE_CHECKING:
    from fpdf import FPDF

PDF_LAYOUT_VERSION = "1"


def _draw(template: dict, procedure_name: str, agency: str) -> bytes:
    pdf = new_pdf("A4", template["tieu_de"])
    pdf.set_author(agency)
    pdf.set_subject(procedure_name)
    pdf.set_margins(20, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    _heading(pdf, template["tieu_de"], procedure_name, agency)
    for section in template.get("muc", []):
        pdf.set_font("NotoSans", "B", 11)
        pdf.multi_cell(pdf.epw, 7, section.get("tieu_de", ""), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("NotoSans", "", 11)
        for label in section.get("truong", []):
            _field_line(pdf, label, pdf.epw)
        pdf.ln(2)
    _declaration_and_signature(pdf)
    return bytes(pdf.output())


def _heading(pdf: FPDF, title: str, procedure_name: str, agency: str) -> None:
    """The national motto, the form's title, the agency it is addressed to and the procedure."""
    width = pdf.epw
    pdf.set_font("NotoSans", "B", 11)
    pdf.cell(
        width, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.cell(width, 6, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSans", "", 10)
    pdf.cell(width, 5, "----------------", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("NotoSans", "B", 13)
    pdf.multi_cell(width, 7, title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("NotoSans", "", 11)
    pdf.multi_cell(width, 6, f"Kính gửi: {agency}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSans", "", 9)
    pdf.multi_cell(width, 5, f"Thủ tục: {procedure_name}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _declaration_and_signature(pdf: FPDF) -> None:
    """The applicant's declaration, the place and date, and the space for the signature."""
    width = pdf.epw
    pdf.ln(2)
    pdf.multi_cell(
        width,
        6,
        "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước "
        "pháp luật về lời khai của mình.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    half = width / 2
    pdf.set_x(pdf.l_margin + half)
    pdf.cell(
        half,
        6,
        "........, ngày ..... tháng ..... năm ........",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_x(pdf.l_margin + half)
    pdf.set_font("NotoSans", "B", 11)
    pdf.cell(half, 6, "NGƯỜI KHAI", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin + half)
    pdf.set_font("NotoSans", "", 9)
    pdf.cell(half, 5, "(Ký, ghi rõ họ tên)", align="C", new_x="LMARGIN", new_y="NEXT")


def _field_line(pdf: FPDF, label: str, width: float) -> None:
    text = f"{label}: "
    label_width = pdf.get_string_width(text)
    if label_width > width * 0.6:
        pdf.multi_cell(width, 6, text, new_x="LMARGIN", new_y="NEXT")
        label_width = 0
    else:
        pdf.cell(label_width, 8, text)
    dots_width = width - label_width
    dot = pdf.get_string_width(".")
    pdf.cell(dots_width, 8, "." * int(dots_width / dot), new_x="LMARGIN", new_y="NEXT")


def form_pdf(template: dict, procedure_name: str, agency: str) -> bytes:
    """The PDF for ``template``, generated once and then read from the data directory."""
    key = json.dumps([PDF_LAYOUT_VERSION, template, procedure_name, agency], sort_keys=True)
    digest = hashlib.sha256(key.encode()).hexdigest()
    folder = get_settings().data_dir / "forms"
    path = folder / f"{digest}.pdf"
    if path.exists():
        return path.read_bytes()
    body = _draw(template, procedure_name, agency)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(body)
    os.replace(tmp, path)  # atomic: concurrent workers never read half a file
    return body
