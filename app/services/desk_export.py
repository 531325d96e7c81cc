"""Exports of exactly the filtered queue: CSV (UTF-8 with BOM) and XLSX, streamed.

Rows come a batch at a time from :func:`app.services.desk_queue.iter_rows`; the CSV is
written out as it is read, the XLSX is built by xlsxwriter in constant-memory mode in a
temporary file that is streamed and then removed, so a hundred thousand rows are never held.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import anyio
from litestar.exceptions import NotFoundException
from litestar.response import Stream
from piccolo.query.functions.aggregate import Count, Max

from app.domain import desk_view as dv
from app.domain import dossier_flow as flow
from app.domain.spreadsheet import safe_row
from app.models import DossierEvent
from app.services.calendar import to_local

HEADERS = [
    "Mã hồ sơ",
    "Người nộp",
    "Thủ tục",
    "Kênh nộp",
    "Ngày nhận",
    "Hạn trả",
    "Thời hạn",
    "Trạng thái",
    "Cán bộ được giao",
    "Phí, lệ phí",
    "Ưu tiên",
    "Quá trình xử lý",
]
CHUNK = 64 * 1024
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _when(value: datetime | None) -> str:
    return to_local(value).strftime("%d/%m/%Y %H:%M") if value else ""


async def history_summaries(ids: list[int]) -> dict[int, str]:
    """ "n bước; gần nhất <date>" for each dossier, counted by the database."""
    if not ids:
        return {}
    rows = (
        await DossierEvent.select(
            DossierEvent.dossier,
            Count(DossierEvent.id, alias="steps"),
            Max(DossierEvent.at, alias="last_at"),
        )
        .where(DossierEvent.dossier.is_in(ids))
        .group_by(DossierEvent.dossier)
    )
    out = {}
    for row in rows:
        last = row["last_at"]
        if isinstance(last, str):  # SQLite gives the stored text back from MAX()
            last = datetime.fromisoformat(last)
        out[row["dossier"]] = f"{row['steps']} bước; gần nhất {_when(last)}"
    return out


def cells(row: dict[str, Any], history: str) -> list[object]:
    """One exported row: the columns of the queue table, then the history summary."""
    return [
        row["code"] or row["reference"],
        row["applicant_name"],
        row["procedure_name"],
        row["channel_label"],
        _when(row["submitted_at"]),
        _when(row["due_at"]),
        row["due_words"],
        flow.STATUS_LABELS[flow.Status(row["status"])],
        row["officer_name"] or "",
        row["fee_label"],
        "Có" if row["is_priority"] else "",
        history,
    ]


async def _rows(batches: AsyncIterator[list[dict[str, Any]]]) -> AsyncIterator[list[object]]:
    async for batch in batches:
        history = await history_summaries([r["id"] for r in batch])
        for row in batch:
            yield cells(row, history.get(row["id"], ""))


async def csv_chunks(batches: AsyncIterator[list[dict[str, Any]]]) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # BOM: spreadsheets read the file as UTF-8
    writer.writerow(HEADERS)
    async for values in _rows(batches):
        writer.writerow(safe_row(values))
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


async def xlsx_chunks(batches: AsyncIterator[list[dict[str, Any]]]) -> AsyncIterator[bytes]:
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        import xlsxwriter  # loaded with the first spreadsheet

        book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False})
        sheet = book.add_worksheet("Hồ sơ")
        bold = book.add_format({"bold": True})
        sheet.write_row(0, 0, HEADERS, bold)
        number = 0
        async for values in _rows(batches):
            number += 1
            for column, value in enumerate(values):  # text cells, never formulas
                sheet.write_string(number, column, str(value))
        await anyio.to_thread.run_sync(book.close)
        with open(path, "rb") as file:
            while chunk := await anyio.to_thread.run_sync(file.read, CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def response(kind: str, batches: AsyncIterator[list[dict[str, Any]]], view: dv.QueueView) -> Stream:
    if kind not in MEDIA:
        raise NotFoundException("Không có định dạng xuất này")
    chunks = csv_chunks(batches) if kind == "csv" else xlsx_chunks(batches)
    return Stream(
        chunks,
        media_type=MEDIA[kind],
        headers={
            "Content-Disposition": f'attachment; filename="ho-so-{view.queue}.{kind}"',
            "Cache-Control": "private, no-store",
        },
    )
