"""Files kept under MOTCUA_DATA_DIR/blobs by SHA-256, outside the web root."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
from litestar.datastructures import UploadFile

from app.domain.uploads import SNIFF_BYTES, pdf_script_problem, sniff, upload_problem
from app.models import Attachment, FeedbackAttachment
from app.settings import get_settings

CHUNK = 256 * 1024


class UploadRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    media_type: str


def blob_path(sha256: str) -> Path:
    return get_settings().data_dir / "blobs" / sha256[:2] / sha256[2:4] / sha256


async def store_upload(upload: UploadFile) -> StoredFile:
    """Stream an upload to disk, hashing and size-checking it; refuse it by its content."""
    settings = get_settings()
    tmp_dir = settings.data_dir / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := await upload.read(CHUNK):
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                size += len(chunk)
                if size > settings.max_upload_bytes:
                    break
                digest.update(chunk)
                out.write(chunk)
        problem = upload_problem(head, size, settings.max_upload_bytes)
        if problem is None and sniff(head) == "application/pdf":
            content = await anyio.to_thread.run_sync(Path(tmp_name).read_bytes)
            problem = await anyio.to_thread.run_sync(pdf_script_problem, content)
        if problem:
            raise UploadRefused(problem)
        sha = digest.hexdigest()
        target = blob_path(sha)
        await anyio.to_thread.run_sync(lambda: target.parent.mkdir(parents=True, exist_ok=True))
        os.replace(tmp_name, target)  # same content, same name: replacing is harmless
        return StoredFile(sha, size, sniff(head) or "application/octet-stream")
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


async def read_blob(sha256: str) -> bytes:
    return await anyio.to_thread.run_sync(blob_path(sha256).read_bytes)


async def dossier_attachment(dossier_id: int, token: str) -> dict[str, Any] | None:
    """An attachment of this dossier (never another's, whatever the token)."""
    return (
        await Attachment.select()
        .where((Attachment.token == token) & (Attachment.dossier == dossier_id))
        .first()
        .run()
    )


async def feedback_attachment(feedback_id: int, token: str) -> dict[str, Any] | None:
    return (
        await FeedbackAttachment.select()
        .where((FeedbackAttachment.token == token) & (FeedbackAttachment.feedback == feedback_id))
        .first()
        .run()
    )
