"""Bulk dossiers for ``bench/dossiers.py``, inserted with plain SQL (not through the app).

* :class:`DossierGenerator` makes realistic rows of ``dossier`` and ``dossier_event``: statuses
  mixed like a desk a year or two into production (most dossiers finished, the open ones recent,
  due dates around now), spread over the demo agencies and procedures, Vietnamese names (their
  folded form in ``applicant_search``), a mobile phone each (its last 4 digits are the tracking
  factor), an answer set like the wizard's, the procedure's rules, and official codes
  ``AGENCY-YYMMDD-NNNN`` unique per agency and receipt day (``dossier_sequence`` is raised to
  match, so codes issued later by the app do not collide).
* :func:`load` inserts a number of them into SQLite (``executemany`` in one transaction with
  ``PRAGMA synchronous=OFF`` for the load only) or PostgreSQL (asyncpg ``COPY``).
* :func:`insert_citizens`, :func:`submitted` and :func:`tracking_pairs` serve the other steps.

Run as ``python -m bench.seed_dossiers wizard P19`` (with the MOTCUA_* environment of a
database) it prints the procedure's wizard as JSON: steps, fields, types and choices.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.domain.search import fold  # noqa: E402  (pure: no settings, no database)

DAY = 86_400.0
LOCAL = 7 * 3600.0  # Asia/Ho_Chi_Minh, no daylight saving time
CLOSES_UTC_HOUR = 10  # 17:00 local: due dates fall at the office's closing time
REFERENCE_ALPHABET = "34679CFGHJKMNPQRTVX"  # app/domain/dossier_codes.py
REFERENCE_SPACE = len(REFERENCE_ALPHABET) ** 8
CHUNK = 25_000

DOSSIER_COLUMNS = (
    "id",
    "reference",
    "code",
    "procedure",
    "procedure_revision",
    "citizen",
    "receiving_agency",
    "resolving_agency",
    "current_agency",
    "assigned_officer",
    "status",
    "channel",
    "answers",
    "current_step",
    "applicant_name",
    "applicant_search",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "rules",
    "delivery_method",
    "fee_status",
    "fee_amount_vnd",
    "is_priority",
    "has_processing_started",
    "pre_supplement_count",
    "supplement_count",
    "extension_count",
    "is_rejection",
    "is_delivery_recorded",
    "delivery_info",
    "missing_items",
    "status_note",
    "clock_stopped_at",
    "created_at",
    "updated_at",
    "submitted_at",
    "received_at",
    "due_at",
    "finished_at",
)
EVENT_COLUMNS = (
    "id",
    "dossier",
    "at",
    "actor_kind",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    "note",
    "data",
)

# Share of each status (per 1,000): a desk well into production. Open dossiers are recent.
STATUS_WEIGHTS = {
    "draft": 30,
    "submitted": 60,
    "pre_supplement": 20,
    "received": 60,
    "in_progress": 100,
    "supplement_requested": 30,
    "awaiting_approval": 40,
    "transferred": 10,
    "result_ready": 40,
    "returned": 550,
    "rejected": 20,
    "refused": 20,
    "withdrawn": 15,
    "halted": 5,
}
FINISHED = {"returned", "rejected", "refused", "withdrawn", "halted"}
# What happened to a dossier to reach its status: (action, status after it), in order.
CHAINS = {
    "draft": [],
    "submitted": ["submit"],
    "pre_supplement": ["submit", "request_pre_supplement"],
    "refused": ["submit", "refuse"],
    "received": ["submit", "receive"],
    "in_progress": ["submit", "receive", "assign"],
    "supplement_requested": ["submit", "receive", "assign", "request_supplement"],
    "awaiting_approval": ["submit", "receive", "assign", "submit_for_approval"],
    "transferred": ["submit", "receive", "assign", "transfer"],
    "result_ready": ["submit", "receive", "assign", "submit_for_approval", "approve"],
    "returned": ["submit", "receive", "assign", "submit_for_approval", "approve", "return_result"],
    "rejected": ["submit", "receive", "assign", "submit_for_approval", "reject", "return_result"],
    "withdrawn": ["submit", "withdraw"],
    "halted": ["submit", "receive", "assign", "halt"],
}
AFTER = {
    "submit": "submitted",
    "request_pre_supplement": "pre_supplement",
    "refuse": "refused",
    "receive": "received",
    "assign": "in_progress",
    "request_supplement": "supplement_requested",
    "submit_for_approval": "awaiting_approval",
    "transfer": "transferred",
    "approve": "result_ready",
    "reject": "result_ready",
    "withdraw": "withdrawn",
    "halt": "halted",
}
NOTES = {
    "pre_supplement": "Bổ sung bản sao giấy khai sinh có chứng thực",
    "supplement_requested": "Bổ sung xác nhận nơi cư trú",
    "refused": "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan",
    "halted": "Người nộp đề nghị dừng giải quyết",
}
# Where dossiers are received (per 100); the desk officer of the bench is at Hòa Bình (…32).
AGENCY_WEIGHTS = {
    "000.00.00.H99": 10,
    "000.00.01.H99": 35,
    "000.00.31.H99": 25,
    "000.00.32.H99": 30,
}
SURNAMES = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 2),
    ("Lý", 1),
    ("Đinh", 1),
    ("Trương", 1),
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Xuân", "Hoài"]
GIVEN = [
    "An",
    "Anh",
    "Bình",
    "Châu",
    "Cường",
    "Dũng",
    "Duy",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiền",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Huy",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "My",
    "Nam",
    "Nga",
    "Ngân",
    "Nhung",
    "Phong",
    "Phúc",
    "Phương",
    "Quân",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Trung",
    "Tuấn",
    "Tú",
    "Uyên",
    "Việt",
    "Vy",
    "Yến",
]
STREETS = ["Lý Thường Kiệt", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Lê Lợi", "3 Tháng 2"]


def reference_of(n: int) -> str:
    """A unique draft reference per id (a bijection of ids onto 19⁸ references)."""
    value = (n * 1_000_003 + 7_777_777) % REFERENCE_SPACE
    chars = []
    for _ in range(8):
        value, digit = divmod(value, len(REFERENCE_ALPHABET))
        chars.append(REFERENCE_ALPHABET[digit])
    return f"{''.join(chars[:4])}-{''.join(chars[4:])}"


def _cumulative(weights: list[int]) -> list[float]:
    total = sum(weights)
    out, running = [], 0
    for w in weights:
        running += w
        out.append(running / total)
    return out


@dataclass
class Procedure:
    id: int
    revision: int
    rules: str  # JSON, like app/services/wizard.py _rules()
    online_fee: int


@dataclass
class DossierGenerator:
    """Deterministic rows (seeded); timestamps go through ``ts`` (str for SQLite)."""

    agencies: dict[str, int]  # code → id
    procedures: list[Procedure]
    now: datetime
    ts: Callable[[float], Any]  # epoch seconds → the value stored
    seed: int = 20261122
    sequences: dict[str, int] = field(default_factory=dict)  # "AGENCY-YYMMDD" → last value
    next_event_id: int = 1
    counts: dict[str, int] = field(default_factory=dict)  # status → rows made

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self._statuses = list(STATUS_WEIGHTS)
        self._status_cum = _cumulative(list(STATUS_WEIGHTS.values()))
        self._agency_codes = list(AGENCY_WEIGHTS)
        self._agency_cum = _cumulative(list(AGENCY_WEIGHTS.values()))
        self._surnames = [(s, fold(s)) for s, _ in SURNAMES]
        self._surname_cum = _cumulative([w for _, w in SURNAMES])
        self._middle = [(m, fold(m)) for m in MIDDLE]
        self._given = [(g, fold(g)) for g in GIVEN]
        self._other = {code: [c for c in AGENCY_WEIGHTS if c != code] for code in AGENCY_WEIGHTS}

    def _when(self, t: float) -> Any:
        return self.ts(t)

    def _due(self, t: float) -> float:
        """The office's closing time on that (UTC) day."""
        return (t // DAY) * DAY + CLOSES_UTC_HOUR * 3600

    def _code(self, agency_code: str, received: float) -> str:
        local_day = int((received + LOCAL) // DAY)
        yymmdd = _YYMMDD.get(local_day)
        if yymmdd is None:
            yymmdd = _YYMMDD[local_day] = f"{datetime.fromtimestamp(local_day * DAY, UTC):%y%m%d}"
        key = f"{agency_code}-{yymmdd}"
        value = self.sequences.get(key, 0) + 1
        self.sequences[key] = value
        return f"{key}-{value:04d}"

    def batch(self, first_id: int, count: int) -> tuple[list[tuple], list[tuple]]:
        """``count`` dossiers with ids from ``first_id``, and their history rows."""
        rng = self.rng
        rand = rng.random
        now = self.now.timestamp()
        day = DAY
        dossiers: list[tuple] = []
        events: list[tuple] = []
        for n in range(first_id, first_id + count):
            status = self._statuses[bisect.bisect(self._status_cum, rand())]
            self.counts[status] = self.counts.get(status, 0) + 1
            agency_code = self._agency_codes[bisect.bisect(self._agency_cum, rand())]
            procedure = self.procedures[int(rand() * len(self.procedures))]
            sur, sur_f = self._surnames[bisect.bisect(self._surname_cum, rand())]
            mid, mid_f = self._middle[int(rand() * len(self._middle))]
            giv, giv_f = self._given[int(rand() * len(self._given))]
            name = f"{sur} {mid} {giv}"
            phone = f"09{int(rand() * 100_000_000):08d}"
            id_number = f"0{int(rand() * 100):02d}{int(rand() * 10):d}{int(rand() * 1e8):08d}"
            email = f"nguoidan{n}@example.vn" if rand() < 0.4 else ""
            channel = "online" if rand() < 0.62 else ("counter" if rand() < 0.97 else "post")
            delivery = "desk" if rand() < 0.7 else ("post" if rand() < 0.6 else "online")
            chain = CHAINS[status]
            finished = status in FINISHED
            if status == "draft":
                created = now - day * (rand() * 60)
                submitted = None
            elif finished or status == "result_ready":
                submitted = now - day * (3 + rand() * 727)
                created = submitted - day * rand() * 0.2
            else:
                submitted = now - day * (rand() * 25)
                created = submitted - day * rand() * 0.2
            received = due = finished_at = clock_stopped = None
            code = None
            receiving = resolving = current = None
            if submitted is not None:
                receiving = self.agencies[agency_code]
                resolving = receiving
                if agency_code == "000.00.01.H99" and rand() < 0.5:
                    resolving = self.agencies["000.00.00.H99"]
                current = resolving
                if status == "transferred":
                    current = self.agencies[self._other[agency_code][int(rand() * 3)]]
                code = self._code(agency_code, submitted)
                if finished or status == "result_ready":
                    due = self._due(submitted + day * (1 + rand() * 14))
                    end = submitted + day * (0.2 + rand() * 20)
                    if status in ("returned", "rejected", "result_ready"):
                        finished_at = end - (end - submitted) * rand() * 0.2
                else:
                    # open: due dates around now (some overdue, some due within 48 hours)
                    due = self._due(now + day * (rand() * 22 - 10))
                    end = now - day * rand() * 0.5
                    if end < submitted:
                        end = submitted
                    if status == "supplement_requested":
                        clock_stopped = end
                if "receive" in chain:
                    received = (
                        submitted
                        if channel != "online"
                        else submitted + (end - submitted) * rand() * 0.3
                    )
            else:
                end = created
            updated = end if submitted is not None else created
            priority = rand() < 0.02
            fee = procedure.online_fee
            if fee <= 0:
                fee_status = "not_required"
            elif finished or status in ("result_ready", "transferred") or rand() < 0.6:
                fee_status = "paid"
            else:
                fee_status = "unpaid"
            street = STREETS[int(rand() * len(STREETS))]
            address = f"Số {1 + int(rand() * 200)} đường {street}, phường Hòa Bình, tỉnh Hòa An"
            if channel == "online":
                answers = json.dumps(
                    {
                        "noi_nop": {"co_quan": agency_code},
                        "nguoi_nop": {
                            "ho_ten": name,
                            "so_dinh_danh": id_number,
                            "dien_thoai": phone,
                            "thu_dien_tu": email,
                            "dia_chi": address,
                        },
                        "noi_dung": {"noi_dung": "Đề nghị giải quyết theo quy định"},
                        "giay_to": {"tp_0": f"t{n:023d}", "tp_1": ""},
                        "giao_ket_qua": {"cach_nhan": delivery, "dia_chi_nhan": address},
                    }
                )
                step = "giao_ket_qua"
            else:
                answers = json.dumps(
                    {
                        "tiep_nhan": {
                            "dia_chi": address,
                            "giay_to_da_nhan": "Tờ khai; Bản sao giấy tờ tùy thân",
                            "ghi_chu": "",
                        }
                    }
                )
                step = ""
            if status == "draft":
                answers = json.dumps({"noi_nop": {"co_quan": agency_code}})
                step = "nguoi_nop"
            missing = (
                json.dumps([NOTES[status]])
                if status in ("pre_supplement", "supplement_requested")
                else "[]"
            )
            delivered = status in ("returned", "rejected")
            dossiers.append(
                (
                    n,
                    reference_of(n),
                    code,
                    procedure.id,
                    procedure.revision,
                    None,
                    receiving,
                    resolving,
                    current,
                    None,
                    status,
                    channel,
                    answers,
                    step,
                    name,
                    f"{sur_f} {mid_f} {giv_f}" if submitted is not None else "",
                    id_number if submitted is not None else "",
                    phone if submitted is not None else "",
                    email if submitted is not None else "",
                    procedure.rules if submitted is not None else "{}",
                    delivery,
                    fee_status if submitted is not None else "not_required",
                    fee if submitted is not None else 0,
                    priority,
                    "assign" in chain,
                    1 if "request_pre_supplement" in chain else 0,
                    1 if "request_supplement" in chain else 0,
                    0,
                    status == "rejected",
                    delivered,
                    json.dumps({"method": delivery}) if delivered else "{}",
                    missing,
                    NOTES.get(status, ""),
                    self._when(clock_stopped) if clock_stopped else None,
                    self._when(created),
                    self._when(updated),
                    self._when(submitted) if submitted else None,
                    self._when(received) if received else None,
                    self._when(due) if due else None,
                    self._when(finished_at) if finished_at else None,
                )
            )
            if chain:
                span = (end - submitted) / len(chain)
                before = "draft"
                for k, action in enumerate(chain):
                    after = AFTER.get(action) or (
                        "rejected" if status == "rejected" else "returned"
                    )
                    data = "{}"
                    if action == "submit" and due is not None:
                        local = datetime.fromtimestamp(due + LOCAL, UTC)
                        data = f'{{"due_before": null, "due_after": "{local:%Y-%m-%d}"}}'
                    events.append(
                        (
                            self.next_event_id,
                            n,
                            self._when(submitted + span * k),
                            "citizen" if action == "submit" and channel == "online" else "officer",
                            None,
                            action,
                            before,
                            after,
                            NOTES.get(after, "") if after == status else "",
                            data,
                        )
                    )
                    self.next_event_id += 1
                    before = after
        return dossiers, events


# --------------------------------------------------------------------------- databases


_YYMMDD: dict[int, str] = {}  # day number → "YYMMDD"
_DATES: dict[int, str] = {}  # day number → "YYYY-MM-DD"


def _sqlite_ts(t: float) -> str:
    """Epoch seconds as Piccolo's SQLite adapter stores an aware datetime: ``str()`` of it in
    UTC, e.g. ``2026-11-22 09:09:52.658601+00:00`` (no fraction when it is zero)."""
    whole = int(t)
    micro = round((t - whole) * 1e6)
    if micro >= 1_000_000:
        whole, micro = whole + 1, 0
    day, sec = divmod(whole, 86_400)
    date = _DATES.get(day)
    if date is None:
        date = _DATES[day] = f"{datetime.fromtimestamp(day * 86_400, UTC):%Y-%m-%d}"
    hours, rest = divmod(sec, 3600)
    minutes, seconds = divmod(rest, 60)
    if micro:
        return f"{date} {hours:02d}:{minutes:02d}:{seconds:02d}.{micro:06d}+00:00"
    return f"{date} {hours:02d}:{minutes:02d}:{seconds:02d}+00:00"


def _pg_ts(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


@dataclass
class Target:
    """A database the bench writes to directly: ``sqlite:////path`` or ``postgresql://…``."""

    url: str

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith(("postgres://", "postgresql://"))

    @property
    def path(self) -> str:
        return self.url.removeprefix("sqlite:///")

    def _pg(self, work: Callable[[Any], Any]) -> Any:
        import asyncpg

        async def run() -> Any:
            conn = await asyncpg.connect(self.url)
            try:
                return await work(conn)
            finally:
                await conn.close()

        return asyncio.run(run())

    def fetch(self, sql: str, *args: Any) -> list[tuple]:
        """Rows of a query written with ``$1, $2…`` placeholders (``?1, ?2…`` for SQLite)."""
        if self.is_postgres:

            async def work(conn: Any) -> list[tuple]:
                return [tuple(r) for r in await conn.fetch(sql, *args)]

            return self._pg(work)
        with sqlite3.connect(self.path, timeout=30) as conn:
            return conn.execute(_qmarks(sql), args).fetchall()

    def execute(self, sql: str, *args: Any) -> None:
        if self.is_postgres:

            async def work(conn: Any) -> None:
                await conn.execute(sql, *args)

            self._pg(work)
            return
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute(_qmarks(sql), args)
        finally:
            conn.close()

    def generator(self, now: datetime) -> DossierGenerator:
        agencies = {code: id_ for id_, code in self.fetch("SELECT id, code FROM agency")}
        fees: dict[int, list[tuple]] = {}
        for proc, name, amount, channel in self.fetch(
            "SELECT procedure, name, amount_vnd, channel FROM fee ORDER BY procedure, position"
        ):
            fees.setdefault(proc, []).append((name, amount, channel))
        procedures = []
        for id_, revision, value, unit, text, cutoff in self.fetch(
            "SELECT id, revision, time_limit_value, time_limit_unit, time_limit_text, "
            "after_cutoff_next_day FROM procedure ORDER BY id"
        ):
            rows = fees.get(id_, [])
            rules = {
                "time_limit_value": value,
                "time_limit_unit": unit,
                "after_cutoff_next_day": bool(cutoff),
                "time_limit_text": text,
                "fees": [{"name": n, "amount_vnd": a, "channel": c} for n, a, c in rows],
                "revision": revision,
            }
            online = [a for _, a, c in rows if a and c in ("online", "all")]
            procedures.append(Procedure(id_, revision, json.dumps(rules), min(online, default=0)))
        missing = set(AGENCY_WEIGHTS) - set(agencies)
        if missing or not procedures:
            raise RuntimeError(f"demo data missing (agencies {missing}, {len(procedures)} proc.)")
        ts = _pg_ts if self.is_postgres else _sqlite_ts
        gen = DossierGenerator(agencies, procedures, now, ts)
        gen.sequences.update(self.fetch("SELECT key, last_value FROM dossier_sequence"))
        return gen


def _qmarks(sql: str) -> str:
    import re

    return re.sub(r"\$(\d+)", r"?\1", sql)  # SQLite's numbered parameters


def _chunks(gen: DossierGenerator, first_id: int, count: int) -> Iterator[tuple[list, list]]:
    done = 0
    while done < count:
        size = min(CHUNK, count - done)
        yield gen.batch(first_id + done, size)
        done += size


def load(target: Target, gen: DossierGenerator, count: int, progress: bool = True) -> dict:
    """Insert ``count`` more dossiers (ids after the largest) and their events; raise the
    code counters. Returns {"dossiers", "events", "seconds"}."""
    started = time.perf_counter()
    first_id = (target.fetch("SELECT COALESCE(MAX(id), 0) FROM dossier")[0][0] or 0) + 1
    first_event = (target.fetch("SELECT COALESCE(MAX(id), 0) FROM dossier_event")[0][0] or 0) + 1
    gen.next_event_id = max(gen.next_event_id, first_event)
    totals = {"dossiers": 0, "events": 0}

    def tick() -> None:
        if progress:
            rate = totals["dossiers"] / max(1e-9, time.perf_counter() - started)
            print(
                f"\r    {totals['dossiers']:>9,} dossiers, {totals['events']:>9,} events "
                f"({rate:,.0f} dossiers/s)",
                end="",
                flush=True,
            )

    seq_sql_pg = (
        "INSERT INTO dossier_sequence (key, last_value) VALUES ($1, $2) ON CONFLICT (key) "
        "DO UPDATE SET last_value = GREATEST(dossier_sequence.last_value, EXCLUDED.last_value)"
    )
    if target.is_postgres:

        async def work(conn: Any) -> None:
            async with conn.transaction():
                for dossiers, events in _chunks(gen, first_id, count):
                    await conn.copy_records_to_table(
                        "dossier", records=dossiers, columns=DOSSIER_COLUMNS
                    )
                    await conn.copy_records_to_table(
                        "dossier_event", records=events, columns=EVENT_COLUMNS
                    )
                    totals["dossiers"] += len(dossiers)
                    totals["events"] += len(events)
                    tick()
                await conn.executemany(seq_sql_pg, list(gen.sequences.items()))
                for table in ("dossier", "dossier_event", "dossier_sequence"):
                    await conn.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )

        target._pg(work)
    else:
        conn = sqlite3.connect(target.path, timeout=60, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous=OFF")  # this connection only: the load
            conn.execute("PRAGMA cache_size=-400000")
            conn.execute("BEGIN IMMEDIATE")
            cols = ", ".join(f'"{c}"' for c in DOSSIER_COLUMNS)
            marks = ", ".join("?" for _ in DOSSIER_COLUMNS)
            ecols = ", ".join(f'"{c}"' for c in EVENT_COLUMNS)
            emarks = ", ".join("?" for _ in EVENT_COLUMNS)
            for dossiers, events in _chunks(gen, first_id, count):
                conn.executemany(f"INSERT INTO dossier ({cols}) VALUES ({marks})", dossiers)
                conn.executemany(f"INSERT INTO dossier_event ({ecols}) VALUES ({emarks})", events)
                totals["dossiers"] += len(dossiers)
                totals["events"] += len(events)
                tick()
            conn.executemany(
                "INSERT INTO dossier_sequence (key, last_value) VALUES (?, ?) ON CONFLICT (key) "
                "DO UPDATE SET last_value = MAX(last_value, excluded.last_value)",
                list(gen.sequences.items()),
            )
            conn.execute("COMMIT")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    if progress:
        print()
    totals["seconds"] = time.perf_counter() - started
    return totals


def analyze(target: Target) -> float:
    """PostgreSQL: VACUUM ANALYZE, what autovacuum does by itself after a bulk load (visibility
    map and planner statistics). SQLite: nothing — the app never runs ANALYZE, so neither do we."""
    if not target.is_postgres:
        return 0.0
    started = time.perf_counter()

    async def work(conn: Any) -> None:
        await conn.execute("VACUUM ANALYZE")

    target._pg(work)
    return time.perf_counter() - started


def insert_citizens(target: Target, count: int, password_hash: str) -> list[str]:
    """``count`` citizens with a complete profile and the same password; returns their phones."""
    phones = [f"0977{k:06d}" for k in range(count)]
    rows = [
        (
            f"congdan{k}@example.vn",
            phone,
            password_hash,
            f"Nguyễn Văn Thử {k}",
            f"093095{k:06d}",
            "Số 12 đường Lý Thường Kiệt",
            True,
            False,
            datetime.now(UTC),
        )
        for k, phone in enumerate(phones)
    ]
    columns = (
        "email",
        "phone",
        "password_hash",
        "full_name",
        "citizen_id",
        "street",
        "notify_email",
        "notify_sms",
        "created_at",
    )
    if target.is_postgres:

        async def work(conn: Any) -> None:
            await conn.copy_records_to_table("citizen", records=rows, columns=columns)

        target._pg(work)
    else:
        with sqlite3.connect(target.path, timeout=30) as conn:
            conn.executemany(
                f"INSERT INTO citizen ({', '.join(columns)}) VALUES ({', '.join('?' * 9)})",
                [(*r[:-1], str(r[-1])) for r in rows],
            )
    return phones


def tracking_pairs(target: Target, count: int) -> list[tuple[str, str]]:
    """``count`` random dossiers that have a code: (code, last 4 digits of the phone)."""
    rows = target.fetch(
        "SELECT code, applicant_phone FROM dossier WHERE code IS NOT NULL "
        "ORDER BY random() LIMIT $1",
        count,
    )
    return [(code, phone[-4:]) for code, phone in rows]


def submitted(target: Target, references: list[str]) -> list[tuple[str, str, str]]:
    """(reference, status, code) of these dossiers."""
    out = []
    for start in range(0, len(references), 500):
        part = references[start : start + 500]
        marks = ", ".join(f"${k + 1}" for k in range(len(part)))
        out += target.fetch(
            f"SELECT reference, status, code FROM dossier WHERE reference IN ({marks})", *part
        )
    return out


def table_sizes(target: Target) -> dict[str, int]:
    tables = ("dossier", "dossier_event", "rate_limit", "web_session", "outbox")
    return {t: target.fetch(f"SELECT COUNT(*) FROM {t}")[0][0] for t in tables}


def database_bytes(target: Target) -> int:
    if target.is_postgres:
        return int(target.fetch("SELECT pg_database_size(current_database())")[0][0])
    path = Path(target.path)
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


# --------------------------------------------------------------------------- wizard (CLI)


async def _wizard(code: str) -> dict[str, Any]:
    from app.services import wizard
    from app.services.catalogue import get_catalogue

    procedure = (await get_catalogue()).get(code)
    if procedure is None:
        raise SystemExit(f"no procedure {code}")
    flow = await wizard.wizard_for(procedure)
    return {
        "procedure": code,
        "service_level": int(procedure.service_level),
        "place_step": wizard.PLACE_STEP,
        "delivery_step": wizard.DELIVERY_STEP,
        "steps": [
            {
                "key": step.key,
                "fields": [
                    {
                        "key": f.key,
                        "type": f.type.value,
                        "required": f.required,
                        "choices": [c.value for c in f.choices],
                    }
                    for f in step.fields
                ],
            }
            for step in flow.steps
        ],
    }


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "wizard":
        print(json.dumps(asyncio.run(_wizard(argv[1]))))
        return 0
    print("usage: python -m bench.seed_dossiers wizard PROCEDURE_CODE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
