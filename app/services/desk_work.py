"""Officers working together on a dossier: following it, and private annotations.

Annotations belong to the agency's officers only: nothing here is read by the citizen's pages
or by tracking, and they are kept apart from the status note the citizen is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.models import ComponentCheck, Dossier, DossierAnnotation, DossierFollow
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


# The officer's checklist of a dossier's components --------------------------------------------


async def checklist(
    dossier_id: int, components: list[dict[str, Any]], attachments: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each component of the procedure: provided (a file attached for it) or missing, and
    whether an officer has checked it (who, when)."""
    checks = {
        r["position"]: r
        for r in await ComponentCheck.select(
            ComponentCheck.position,
            ComponentCheck.checked_at,
            ComponentCheck.officer.full_name.as_alias("officer_name"),
        ).where(ComponentCheck.dossier == dossier_id)
    }
    provided = {a["component_position"] for a in attachments}
    return [
        {
            "position": c["position"],
            "name": c["name"],
            "is_required": c["requirement"] == "required",
            "is_provided": c["position"] in provided,
            "check": checks.get(c["position"]),
        }
        for c in components
    ]


async def set_checks(
    dossier_id: int, officer_id: int, ticked: set[int], positions: set[int]
) -> None:
    """Store exactly the ticked components (of those the procedure has) as checked; a tick
    kept keeps who checked it first."""
    ticked &= positions
    await ComponentCheck.delete().where(
        (ComponentCheck.dossier == dossier_id) & ComponentCheck.position.not_in([-1, *ticked])
    )
    for position in sorted(ticked):
        await ComponentCheck.insert(
            ComponentCheck(
                dossier=dossier_id, position=position, officer=officer_id, checked_at=local_now()
            )
        ).on_conflict(action="DO NOTHING")
