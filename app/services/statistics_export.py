"""Exports: form II.06a as XLSX laid out like the printed form, and as CSV; public figures CSV."""

from __future__ import annotations

import csv
import io

from app.domain.statistics_figures import Figure
from app.services.statistics_pages import GROUPINGS, Report

NUMBERED = ("c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12", "c13")
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT"
RECEIVING_UNIT = "Văn phòng Ủy ban nhân dân tỉnh"


def _header(ws, fmt, group_label: str) -> None:
    ws.merge_range(6, 0, 8, 0, "STT", fmt)
    ws.merge_range(6, 1, 8, 1, group_label, fmt)
    ws.merge_range(6, 2, 6, 5, "Số hồ sơ nhận giải quyết", fmt)
    ws.merge_range(7, 2, 8, 2, "Tổng số", fmt)
    ws.merge_range(7, 3, 7, 4, "Trong kỳ", fmt)
    ws.write(8, 3, "Trực tuyến", fmt)
    ws.write(8, 4, "Trực tiếp, dịch vụ bưu chính", fmt)
    ws.merge_range(7, 5, 8, 5, "Từ kỳ trước", fmt)
    ws.merge_range(6, 6, 6, 9, "Số hồ sơ đã giải quyết", fmt)
    ws.merge_range(7, 6, 8, 6, "Tổng số", fmt)
    for col, label in ((7, "Trước hạn"), (8, "Đúng hạn"), (9, "Quá hạn")):
        ws.merge_range(7, col, 8, col, label, fmt)
    ws.merge_range(6, 10, 6, 12, "Số hồ sơ đang giải quyết", fmt)
    for col, label in ((10, "Tổng số"), (11, "Trong hạn"), (12, "Quá hạn")):
        ws.merge_range(7, col, 8, col, label, fmt)
    for col in range(13):
        ws.write(9, col, f"({col + 1})", fmt)


def report_xlsx(rep: Report, reporting_unit: str, period_label: str) -> bytes:
    import xlsxwriter  # loaded with the first spreadsheet

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet("II.06a")
    bold = book.add_format(
        {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True}
    )
    head = book.add_format(
        {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    )
    cell = book.add_format({"border": 1})
    total_fmt = book.add_format({"border": 1, "bold": True})
    ws.write(0, 0, "Biểu số II.06a/VPCP/KSTT")
    ws.merge_range(1, 0, 1, 12, TITLE, bold)
    ws.merge_range(2, 0, 2, 12, f"Kỳ báo cáo: {period_label}", bold)
    ws.merge_range(3, 0, 3, 6, f"Đơn vị báo cáo: {reporting_unit}")
    ws.merge_range(3, 7, 3, 12, f"Đơn vị nhận báo cáo: {RECEIVING_UNIT}")
    ws.merge_range(4, 0, 4, 12, "Đơn vị tính: Số hồ sơ TTHC")
    _header(ws, head, GROUPINGS[rep.by])
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 12, 11)
    line = 10
    for n, row in enumerate(rep.rows, start=1):
        full = row.full
        ws.write(line, 0, n, cell)
        ws.write(line, 1, row.label, cell)
        for col, key in enumerate(NUMBERED, start=2):
            ws.write_number(line, col, full[key], cell)
        line += 1
    full = rep.total.full
    ws.write(line, 0, "", total_fmt)
    ws.write(line, 1, "Tổng cộng", total_fmt)
    for col, key in enumerate(NUMBERED, start=2):
        ws.write_number(line, col, full[key], total_fmt)
    book.close()
    return buffer.getvalue()


def report_csv(rep: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["STT", GROUPINGS[rep.by], *[f"({i})" for i in range(3, 14)]])
    for n, row in enumerate(rep.rows, start=1):
        writer.writerow([n, row.label, *[row.full[k] for k in NUMBERED]])
    writer.writerow(["", "Tổng cộng", *[rep.total.full[k] for k in NUMBERED]])
    return "\ufeff" + out.getvalue()


def figures_csv(figures: list[Figure], period_label: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Kỳ", "Chỉ tiêu", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Mục tiêu (%)"])
    for f in figures:
        ratio = f.ratio
        writer.writerow(
            [
                period_label,
                f.label,
                "" if ratio is None else ratio.numerator,
                "" if ratio is None else ratio.denominator,
                "" if ratio is None or ratio.percent is None else ratio.percent,
                "" if f.target_percent is None else f.target_percent,
            ]
        )
    return "\ufeff" + out.getvalue()
