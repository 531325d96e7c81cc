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
    agency_ids = {row["receiving_agency"], row["current_agency"]} - {None}
    agencies = {
        a["id"]: a
        for a in await Agency.select().where(Agency.id.is_in(list(agency_ids) or [0])).run()
    }
    events = (
        await DossierEvent.select()
        .where(DossierEvent.dossier == row["id"])
        .order_by(DossierEvent.id)
        .output(load_json=True)
        .run()
    )
    attachments = (
        await Attachment.select()
        .where(Attachment.dossier == row["id"])
        .order_by(Attachment.id)
        .run()
    )
    officer_ids = [e["actor_id"] for e in events if e["actor_kind"] == "officer" and e["actor_id"]]
    names = {
        o["id"]: o["full_name"]
        for o in await Officer.select(Officer.id, Officer.full_name)
        .where(Officer.id.is_in(officer_ids or [0]))
        .run()
    }
    messages = []
    if with_messages:
        messages = (
            await Outbox.select().where(Outbox.dossier == row["id"]).order_by(Outbox.id).run()
        )
    return DossierView(
        row=row,
        procedure=procedure,
        receiving_agency=agencies.get(row["receiving_agency"]),
        current_agency=agencies.get(row["current_agency"]),
        events=events,
        attachments=attachments,
        messages=messages,
        officer_names=names,
    )


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
