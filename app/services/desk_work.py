"""Officers working together on a dossier: following it, and private annotations.

Annotations belong to the agency's officers only: nothing here is read by the citizen's pages
or by tracking, and they are kept apart from the status note the citizen is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.models import Dossier, DossierAnnotation, DossierFollow
from app.services import desk
from app.services.calendar import local_now

MAX_ANNOTATION = 2000


class AnnotationRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Work:
    is_followed: bool
    has_changed: bool  # changed since the officer last opened it
    annotations: list[dict[str, Any]]


async def is_visible(agency_id: int, dossier_id: int) -> bool:
    return await Dossier.exists().where((Dossier.id == dossier_id) & desk.visible_to(agency_id))


async def follow(officer_id: int, dossier_id: int, on: bool, now: datetime | None = None) -> None:
    """Start (once, whatever the number of clicks) or stop following a dossier."""
    if not on:
        await DossierFollow.delete().where(
            (DossierFollow.officer == officer_id) & (DossierFollow.dossier == dossier_id)
        )
        return
    now = now or local_now()
    await DossierFollow.insert(
        DossierFollow(officer=officer_id, dossier=dossier_id, seen_at=now, created_at=now)
    ).on_conflict(action="DO NOTHING")


async def opened(officer_id: int, dossier_id: int) -> Work:
    """What the dossier page shows the officer; opening it marks a followed dossier as seen."""
    follow_row = (
        await DossierFollow.select(DossierFollow.seen_at)
        .where((DossierFollow.officer == officer_id) & (DossierFollow.dossier == dossier_id))
        .first()
    )
    has_changed = False
    if follow_row:
        row = await Dossier.select(Dossier.updated_at).where(Dossier.id == dossier_id).first()
        has_changed = bool(row and row["updated_at"] > follow_row["seen_at"])
        await DossierFollow.update({DossierFollow.seen_at: local_now()}).where(
            (DossierFollow.officer == officer_id) & (DossierFollow.dossier == dossier_id)
        )
    return Work(bool(follow_row), has_changed, await annotations(dossier_id))


async def annotations(dossier_id: int) -> list[dict[str, Any]]:
    return (
        await DossierAnnotation.select(
            DossierAnnotation.id,
            DossierAnnotation.body,
            DossierAnnotation.created_at,
            DossierAnnotation.officer.full_name.as_alias("officer_name"),
        )
        .where(DossierAnnotation.dossier == dossier_id)
        .order_by(DossierAnnotation.created_at, ascending=False)
        .order_by(DossierAnnotation.id, ascending=False)
    )


def clean_annotation(text: str) -> str:
    body = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()
    body = "".join(ch for ch in body if ch.isprintable() or ch == "\n")
    if not body:
        raise AnnotationRefused("Hãy nhập nội dung ghi chú nội bộ.")
    if len(body) > MAX_ANNOTATION:
        raise AnnotationRefused(
            f"Ghi chú nội bộ dài tối đa {MAX_ANNOTATION} ký tự (bạn đã nhập {len(body)})."
        )
    return body


async def annotate(dossier_id: int, officer_id: int, text: str) -> None:
    body = clean_annotation(text)
    await DossierAnnotation.insert(
        DossierAnnotation(dossier=dossier_id, officer=officer_id, body=body, created_at=local_now())
    )
