"""Everything a dossier page shows, for the citizen and for the desk."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.domain import dossier_flow as flow
from app.models import Agency, Attachment, Dossier, DossierEvent, Officer, Outbox
from app.services.desk import visible_to


@dataclass
class DossierView:
    row: dict[str, Any]
    procedure: dict[str, Any]
    receiving_agency: dict[str, Any] | None
    current_agency: dict[str, Any] | None
    events: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    officer_names: dict[int, str] = field(default_factory=dict)

    @property
    def status(self) -> flow.Status:
        return flow.Status(self.row["status"])

    @property
    def status_label(self) -> str:
        return flow.STATUS_LABELS[self.status]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.row[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


async def load_dossier(where, with_messages: bool = False) -> DossierView | None:
    row = (
        await Dossier.select(
            Dossier.all_columns(),
            Dossier.procedure.name.as_alias("procedure_name"),
            Dossier.procedure.code.as_alias("procedure_code"),
        )
        .where(where)
        .output(load_json=True)
        .first()
        .run()
    )
    if row is None:
        return None
    from app.models import Procedure

    procedure = (
        await Procedure.select()
        .where(Procedure.id == row["procedure"])
        .output(load_json=True)
        .first()
        .run()
    )
    agencies = await _agencies_of(row)
    events = (
        await DossierEvent.select()
        .where(DossierEvent.dossier == row["id"])
        .order_by(DossierEvent.id)
        .output(load_json=True)
        .run()
    )
    return DossierView(
        row=row,
        procedure=procedure,
        receiving_agency=agencies.get(row["receiving_agency"]),
        current_agency=agencies.get(row["current_agency"]),
        events=events,
        attachments=await _attachments_of(row["id"]),
        messages=await _messages_of(row["id"]) if with_messages else [],
        officer_names=await _officer_names(events),
    )


async def _agencies_of(row: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The receiving and the current agency of the dossier, by id."""
    ids = {row["receiving_agency"], row["current_agency"]} - {None}
    found = await Agency.select().where(Agency.id.is_in(list(ids) or [0])).run()
    return {a["id"]: a for a in found}


async def _attachments_of(dossier_id: int) -> list[dict[str, Any]]:
    return (
        await Attachment.select()
        .where(Attachment.dossier == dossier_id)
        .order_by(Attachment.id)
        .run()
    )


async def _messages_of(dossier_id: int) -> list[dict[str, Any]]:
    return await Outbox.select().where(Outbox.dossier == dossier_id).order_by(Outbox.id).run()


async def _officer_names(events: list[dict[str, Any]]) -> dict[int, str]:
    """The names of the officers who acted in the history."""
    ids = [e["actor_id"] for e in events if e["actor_kind"] == "officer" and e["actor_id"]]
    found = (
        await Officer.select(Officer.id, Officer.full_name)
        .where(Officer.id.is_in(ids or [0]))
        .run()
    )
    return {o["id"]: o["full_name"] for o in found}


async def dossiers_of(citizen_id: int) -> list[dict[str, Any]]:
    """A citizen's dossiers, drafts included, the most recently changed first."""
    return (
        await Dossier.select(
            Dossier.reference,
            Dossier.code,
            Dossier.status,
            Dossier.updated_at,
            Dossier.due_at,
            Dossier.procedure.name.as_alias("procedure_name"),
        )
        .where(Dossier.citizen == citizen_id)
        .order_by(Dossier.updated_at, ascending=False)
        .run()
    )


async def own_dossier_view(citizen_id: int, reference: str) -> DossierView | None:
    """A citizen's dossier by its reference; another citizen's is None."""
    return await load_dossier((Dossier.reference == reference) & (Dossier.citizen == citizen_id))


async def desk_dossier_view(agency_id: int, dossier_id: int) -> DossierView | None:
    """A dossier the agency's officers may see, with its messages; any other is None."""
    return await load_dossier(
        (Dossier.id == dossier_id) & visible_to(agency_id), with_messages=True
    )
