"""Public tracking of a dossier by its code and a second factor, or by the receipt's signed link.

The second factor is the last four digits of the phone number given with the dossier (or of
the personal ID number when no phone was given): the applicant always knows it, it is not
printed next to the code on the public page, and ten thousand possibilities behind a per-address
and a per-code rate limit make guessing useless. A wrong code and a wrong factor get the same
answer, so codes cannot be enumerated.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.db import by_index
from app.domain import dossier_flow as flow
from app.domain.dossier_codes import normalize_code
from app.domain.fees import FEE_STATUS_LABELS, FeeStatus
from app.domain.text import ascii_digits
from app.models import Dossier, DossierEvent
from app.services import rate_limit, rows
from app.services.key_locks import KeyLocks
from app.settings import get_settings

# Mistakes (a wrong code or a wrong factor) per address; a right answer costs nothing.
LOOKUP_PER_ADDRESS = rate_limit.Limit(
    "track-address", get_settings().tracking_lookups_per_address, 15 * 60
)
# Factors tried per code from one address (a stranger elsewhere cannot lock the owner out), and
# a ceiling per code across all addresses against guessing from many; the signed QR link and the
# citizen's own account keep working either way.
FACTORS_PER_CODE_AND_ADDRESS = rate_limit.Limit("track-code-address", 10, 24 * 3600)
FACTORS_PER_CODE = rate_limit.Limit("track-code", 100, 24 * 3600)
_LOCKS = KeyLocks()
PUBLIC_ACTIONS = flow.CITIZEN_VISIBLE_ACTIONS
# How the public timeline names a step when the desk's verb would mislead a reader.
PUBLIC_EVENT_LABELS = {flow.Action.SUPPLY.value: "Cơ quan đã nhận giấy tờ bổ sung"}


class TooManyLookups(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after


@dataclass
class PublicDossier:
    code: str
    status: flow.Status
    procedure_name: str
    initials: str
    submitted_at: datetime | None
    due_at: datetime | None
    missing_items: list[str]
    note: str
    events: list[dict[str, Any]]
    fees: list[dict[str, Any]]
    fee_status: str
    fee_amount_vnd: int
    delivery_method: str
    postal_tracking: str

    @property
    def is_open(self) -> bool:
        return flow.is_open(self.status)

    @property
    def status_label(self) -> str:
        return flow.STATUS_LABELS[flow.public_status(self.status)]


def initials(name: str) -> str:
    """ "Nguyễn Văn An" → "N. V. A." — the only personal data the public page shows."""
    return " ".join(f"{part[0].upper()}." for part in name.split() if part)


def expected_factor(row: dict[str, Any]) -> str:
    source = row["applicant_phone"] or row["applicant_id_number"] or ""
    digits = "".join(ch for ch in source if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


async def _public(row: dict[str, Any]) -> PublicDossier:
    events = await DossierEvent.raw(EVENTS_SQL, row["id"]).run()
    shown = [
        {**e, "label": PUBLIC_EVENT_LABELS.get(e["action"]) or flow.ACTION_LABELS[e["action"]]}
        for e in events
        if e["action"] in PUBLIC_ACTIONS
    ]
    status = flow.Status(row["status"])
    note = (
        row["status_note"]
        if status
        in (
            flow.Status.PRE_SUPPLEMENT,
            flow.Status.SUPPLEMENT_REQUESTED,
            flow.Status.REFUSED,
            flow.Status.HALTED,
        )
        else ""
    )
    rules = row["rules"] or {}
    return PublicDossier(
        code=row["code"],
        status=status,
        procedure_name=row["procedure_name"],
        initials=initials(row["applicant_name"]),
        submitted_at=row["submitted_at"],
        due_at=row["due_at"],
        missing_items=list(row["missing_items"] or [])
        if status in (flow.Status.PRE_SUPPLEMENT, flow.Status.SUPPLEMENT_REQUESTED)
        else [],
        note=note,
        events=shown,
        fees=rules.get("fees", []),
        fee_status=FEE_STATUS_LABELS[FeeStatus(row["fee_status"])],
        fee_amount_vnd=row["fee_amount_vnd"],
        delivery_method=row["delivery_method"],
        postal_tracking=(row["delivery_info"] or {}).get("postal_tracking", ""),
    )


# The page's reads, written out: a look-up is two short statements, and building them through
# the query builder cost about as much as running them.
COLUMNS_SQL = (
    "d.id, d.code, d.status, d.status_note, d.applicant_name, d.applicant_phone, "
    "d.applicant_id_number, d.submitted_at, d.due_at, d.missing_items, d.rules, d.fee_status, "
    "d.fee_amount_vnd, d.delivery_method, d.delivery_info, p.name AS procedure_name"
)
ROW_SQL = (
    f"SELECT {COLUMNS_SQL} FROM dossier d LEFT JOIN procedure p ON p.id = d.procedure "
    "WHERE d.code = {}"
)
# The mistakes counted so far (three counters) and the dossier, in one row whether or not the
# dossier exists: one statement where there were two.
COUNTS_AND_ROW_SQL = (
    "SELECT "
    + ", ".join(f"(SELECT count FROM rate_limit WHERE key = {{}}) AS n{i}" for i in range(3))
    + f", {COLUMNS_SQL} FROM (SELECT 1 AS one) x LEFT JOIN dossier d ON d.code = {{}} "
    "LEFT JOIN procedure p ON p.id = d.procedure"
)
EVENTS_SQL = "SELECT at, action, note FROM dossier_event WHERE dossier = {} ORDER BY id"


async def _row(code: str) -> dict[str, Any] | None:
    found = await Dossier.raw(ROW_SQL, code).run()
    return rows.decoded(Dossier, found[0]) if found else None


async def _counts_and_row(
    pairs: list[tuple[rate_limit.Limit, str]], code: str, now: float
) -> tuple[list[int], dict[str, Any] | None]:
    found = (await Dossier.raw(COUNTS_AND_ROW_SQL, *rate_limit.keys_of(pairs, now), code).run())[0]
    counts = [int(found.pop(f"n{i}") or 0) for i in range(len(pairs))]
    return counts, rows.decoded(Dossier, found) if found["id"] is not None else None


@by_index
async def look_up(code: str, factor: str, address: str) -> PublicDossier | None:
    """The public view, or None when the code or the factor is wrong (the same answer).
    Its reads are look-ups by a unique key (point reads, app/sqlite_engine.py).

    Two statements and no write when the factor is right: one read of the mistakes counted so
    far (per address, per code from this address, per code) with the dossier, its history. A
    wrong code or factor is counted against all three limits in one statement. The read, the
    comparison and the count of one code or address run one at a time in a process
    (:mod:`app.services.key_locks`), so a burst cannot all read "no mistakes yet"; across
    processes the counters are shared in the database and a burst split over N processes gets
    at most N - 1 comparisons past a limit."""
    code = normalize_code(code)
    factor = "".join(ch for ch in ascii_digits(factor) if ch in "0123456789")
    pairs = [
        (LOOKUP_PER_ADDRESS, address),
        (FACTORS_PER_CODE_AND_ADDRESS, f"{code}@{address}"),
        (FACTORS_PER_CODE, code),
    ]
    async with _LOCKS.hold(f"address:{address}", f"code:{code}"):
        now = time.time()
        counts, row = await _counts_and_row(pairs, code, now)
        verdict = rate_limit.verdict_of(pairs, counts, now)
        if not verdict.allowed:
            raise TooManyLookups(verdict.retry_after)
        expected = expected_factor(row) if row else "0000-no-dossier"
        if row is None or not expected or not hmac.compare_digest(expected, factor):
            await rate_limit.hit_many(pairs, now)
            return None
        if counts[1]:  # the owner got it right after a typo: their address starts afresh
            await rate_limit.reset(FACTORS_PER_CODE_AND_ADDRESS, f"{code}@{address}", now)
    return await _public(row)


@by_index
async def by_signed_link(code: str) -> PublicDossier | None:
    """For a link whose signature the caller has verified."""
    row = await _row(code)
    return await _public(row) if row else None
