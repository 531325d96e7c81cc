"""Who is asking, read in one statement: the session row of the cookie's token and, for an
officer, the officer (active only), the roles that must use a second factor and the officer's
remembered queue view. A desk page then needs no other look-up to know who is asking (a
citizen's account is one more)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from app.db import by_index
from app.domain.mfa import required as mfa_required
from app.models import Citizen, Officer
from app.services.accounts import citizen_by_id
from app.services.mfa import is_enabled as totp_enabled
from app.services.officers import officer_roles
from app.services.sessions import SessionInfo, digest_of, settle
from app.settings import get_settings

OFFICER_COLUMNS = [c._meta.db_column_name for c in Officer._meta.columns]
SESSION_SQL = """
SELECT ws.account_kind, ws.account_id, ws.expires_at, ws.created_at, ws.last_seen_at,
    {officer}, ({roles}) AS mfa_roles, dv.query AS saved_view
FROM web_session ws
LEFT JOIN officer o ON ws.account_kind = 'officer' AND o.id = ws.account_id AND o.is_active = {true}
LEFT JOIN desk_view dv ON dv.officer = o.id
WHERE ws.token_hash = {{}}"""


@dataclass(frozen=True)
class RequestAccount:
    account: Citizen | Officer | None = None
    session: SessionInfo | None = None
    needs_mfa_setup: bool = False
    mfa_roles: list[str] = field(default_factory=list)
    saved_view: str = ""  # an officer's remembered queue view (desk_view), "" when none


def _sql() -> str:
    postgres = get_settings().is_postgres
    roles = (
        "SELECT string_agg(role, ',') FROM mfa_requirement"
        if postgres
        else "SELECT group_concat(role, ',') FROM mfa_requirement"
    )
    officer = ", ".join(f"o.{c} AS o_{c}" for c in OFFICER_COLUMNS)
    return SESSION_SQL.format(officer=officer, roles=roles, true="TRUE" if postgres else "1")


def _when(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _officer(row: dict) -> Officer | None:
    if row["o_id"] is None:
        return None
    values = {c: row[f"o_{c}"] for c in OFFICER_COLUMNS}
    values["created_at"] = _when(values["created_at"])
    values["is_active"] = bool(values["is_active"])
    return Officer(**values, _exists_in_db=True)


@by_index  # the session by its token's digest, an officer and a citizen by id
async def load(token: str, now: datetime | None = None) -> RequestAccount:
    """The account of the session ``token`` opens, or an empty answer (no, ended or idle
    session; a locked officer)."""
    if not token:
        return RequestAccount()
    digest = digest_of(token)
    rows = await Officer.raw(_sql(), digest).run()
    row = rows[0] if rows else None
    if row is not None:
        for column in ("expires_at", "created_at", "last_seen_at"):
            row[column] = _when(row[column])
    info = await settle(row, digest, now or datetime.now(UTC))
    if info is None:
        return RequestAccount()
    if info.account_kind == "citizen":
        return RequestAccount(await citizen_by_id(info.account_id), info)
    officer = _officer(row) if info.account_kind == "officer" else None
    if officer is None:
        return RequestAccount(None, info)
    roles = [r for r in (row["mfa_roles"] or "").split(",") if r]
    needed = mfa_required([r.value for r in officer_roles(officer)], roles)
    needs = needed and not await totp_enabled(officer.id)
    return RequestAccount(officer, info, needs, roles, row["saved_view"] or "")
