"""What an uploaded file really is, judged by its first bytes (never by its name)."""

from __future__ import annotations

import re
import zlib

ACCEPTED = {
    "image/jpeg": "ảnh JPEG",
    "image/png": "ảnh PNG",
    "image/webp": "ảnh WebP",
    "application/pdf": "tệp PDF",
}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
SNIFF_BYTES = 16


def sniff(head: bytes) -> str | None:
    """The media type of an accepted file from its first bytes, or None if not accepted."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def upload_problem(head: bytes, size: int, max_bytes: int) -> str | None:
    """Why a file cannot be accepted (Vietnamese), or None."""
    if size == 0:
        return "Tệp rỗng, vui lòng chọn lại"
    if size > max_bytes:
        return f"Tệp lớn hơn {max_bytes // (1024 * 1024)} MB, vui lòng chụp lại hoặc nén nhỏ hơn"
    if sniff(head) is None:
        return "Chỉ nhận ảnh (JPEG, PNG, WebP) hoặc tệp PDF"
    return None


# PDF names that make a viewer run something: scripts, actions on events, launching programs.
SCRIPT_NAMES = frozenset({b"JS", b"JavaScript", b"AA", b"Launch"})
PDF_SCRIPT_MESSAGE = (
    "Tệp PDF có chứa mã lệnh (JavaScript) hoặc thao tác tự động nên không được nhận. "
    "Vui lòng xuất lại tệp PDF thông thường hoặc chụp ảnh giấy tờ"
)
INFLATE_BUDGET = 32 * 1024 * 1024  # bytes of compressed streams looked into, at most
_NAME_RE = re.compile(rb"/([^\x00\t\n\f\r ()<>\[\]{}/%]+)")
_HEX_RE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM_RE = re.compile(rb"stream\r?\n")


def _names(data: bytes) -> set[bytes]:
    """The PDF names in ``data``, with their #xx escapes decoded (``/J#53`` is ``/JS``)."""
    return {
        _HEX_RE.sub(lambda m: bytes([int(m.group(1), 16)]), m.group(1))
        for m in _NAME_RE.finditer(data)
    }


def _inflated_streams(data: bytes, budget: int = INFLATE_BUDGET):
    """The content of the Flate-compressed streams of a PDF (where object streams hide
    dictionaries), within a total budget so that a compression bomb costs nothing."""
    for match in _STREAM_RE.finditer(data):
        if budget <= 0:
            return
        try:
            inflated = zlib.decompressobj().decompress(data[match.end() :], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        yield inflated


def pdf_script_problem(data: bytes) -> str | None:
    """Why a PDF cannot be accepted because it would run something when opened, or None."""
    if SCRIPT_NAMES & _names(data):
        return PDF_SCRIPT_MESSAGE
    for inflated in _inflated_streams(data):
        if SCRIPT_NAMES & _names(inflated):
            return PDF_SCRIPT_MESSAGE
    return None
