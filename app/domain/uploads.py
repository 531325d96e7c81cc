"""What an uploaded file really is, judged by its first bytes (never by its name)."""

from __future__ import annotations

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
