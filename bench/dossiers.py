"""Load benchmark of dossiers: the desk queue, public tracking and online submission.

    .venv/bin/python bench/dossiers.py [--only sqlite|postgres] [--duration S] [--dossiers N]
                                       [--lookups-dossiers N] [--citizens N]

For each database (a fresh temporary SQLite file; a throwaway PostgreSQL 15 cluster made with
initdb on a free port and stopped at the end) it runs ``motcua migrate`` and ``seed-demo``, then:

1. **Desk queue.** Bulk-inserts ``--dossiers`` (100,000) dossiers with SQL
   (``bench/seed_dossiers.py``: statuses mixed, 4 demo agencies, due dates around now, unique
   official codes, history rows), starts ``motcua serve`` (1 worker, then 2), logs in as
   ``tiepnhan.hoabinh`` over HTTP and runs wrk with the session and CSRF cookies against
   ``/mot-cua`` (the receptionist's default queue), ``/mot-cua?hang=qua-han`` and
   ``/mot-cua?q=nguyen`` at 1 and 16 connections.
2. **Tracking.** Tops the database up to ``--lookups-dossiers`` (1,000,000) and runs wrk with a
   Lua script asking ``/tra-cuu?ma=CODE&xac_thuc=LAST4`` for random existing dossiers (pairs
   read from the database into a file), at 1 and 16 connections.
3. **Submission.** Inserts ``--citizens`` (200) citizens, each logs in over HTTP and fills a
   draft through the real wizard (httpx); then the final ``POST /ho-so/{ref}/nop`` of all of
   them is fired by 16 concurrent workers (one client and cookie jar per citizen) and timed;
   afterwards the database must show every dossier submitted with its own code.
4. **Where the time goes.** With the server stopped (after the desk runs, and again after the
   tracking runs), ``bench/_querytime.py`` replays the pages in-process, times every SQL
   statement the app runs for them and shows the plans of the slowest; on PostgreSQL,
   pg_stat_statements also records the statements of each wrk run.

Everything listens on and talks to 127.0.0.1 only; servers, the cluster and temporary
directories are stopped/removed on every exit path. Prints tables and appends (or replaces) the
section "Dossiers, desk and tracking" of bench/RESULTS.md; bench/run.py owns the rest of that file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path, where bench/statistics.py would stand
# in for the standard library's statistics module.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _pg  # noqa: E402
from bench.run import (  # noqa: E402
    OTHER_CPU_WARN,
    TICKS,
    WRK_SCRIPT,
    children_cpu_seconds,
    code_fingerprint,
    free_port,
    machine,
    machine_busy_seconds,
    md_table,
    motcua,
    tail,
    text_table,
    versions,
    wait_until_quiet,
)
from bench.seed_dossiers import (  # noqa: E402
    Target,
    analyze,
    database_bytes,
    insert_citizens,
    load,
    submitted,
    table_sizes,
    tracking_pairs,
)

RESULTS = ROOT / "bench" / "RESULTS.md"
PRE = ["```"]  # the "header" of a text block (plans) among the tables
SECTION_BEGIN = "<!-- dossiers:begin -->"
SECTION_END = "<!-- dossiers:end -->"
SECTION_TITLE = "## Dossiers, desk and tracking"
DESK_USER = "tiepnhan.hoabinh"
DEMO_PASSWORD = "motcua-demo-2026"
DESK_AGENCY = "000.00.32.H99"  # phường Hòa Bình, the desk of tiepnhan.hoabinh
SUBMIT_PROCEDURE = "P19"  # level 4, a form, two document slots, fees
CITIZEN_PASSWORD = "cay tre xanh 2026"
CLIENTS = (1, 16)
READY_SECONDS = 60
QUERYTIME_REPEAT = 10
MIN_COMPLETIONS = 64  # per run with many clients: see LoadContext.duration_for
PAIRS = 100_000  # tracking: random (code, factor) pairs handed to wrk
HEADERS = ["Accept-Encoding: gzip", "User-Agent: motcua-bench"]
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 600
ERROR_RE = re.compile(r'class="error"[^>]*>([^<]+)')
TOTAL_RE = re.compile(
    r'id="queue-heading">.*?<span class="count">\(((?:hơn )?)([\d.]+)\)</span>', re.S
)
SEARCH_COUNT_CAP = 1000  # app/services/queue_pages.py: above it the page says "hơn 1000"
BASELINE = ("baseline", "GET /_bench/thu-tuc-memory (baseline)", "/_bench/thu-tuc-memory")
DESK_PAGES = [
    ("desk-default", "GET /mot-cua (default queue: mới nộp)", "/mot-cua"),
    ("desk-overdue", "GET /mot-cua?hang=qua-han", "/mot-cua?hang=qua-han"),
    ("desk-search", "GET /mot-cua?q=nguyen", "/mot-cua?q=nguyen"),
]
POOL_RESETS = {"RESET ALL", "SELECT pg_advisory_unlock_all()", "CLOSE ALL", "UNLISTEN *"}
PG_SETTINGS = {
    # Statement statistics for the "where the time goes" tables; a larger WAL only for the load.
    "shared_preload_libraries": "pg_stat_statements",
    "pg_stat_statements.track": "all",
    "max_wal_size": "4GB",
}


# --------------------------------------------------------------------------- data classes


@dataclass
class WrkRun:
    key: str
    label: str
    workers: int
    clients: int
    figures: dict[str, float]
    cpu: dict[str, float]
    statements: list[dict[str, Any]] = field(default_factory=list)  # pg_stat_statements top
    phase: str = "desk"  # desk | tracking: which server (and data size) the run was against

    @property
    def socket_errors(self) -> int:
        f = self.figures
        return int(f["connect_errors"] + f["read_errors"] + f["write_errors"] + f["timeouts"])


@dataclass
class Submission:
    citizens: int
    concurrency: int
    prepare_seconds: float = 0.0
    wall_seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)  # HTTP status of the final POST
    db_statuses: Counter = field(default_factory=Counter)  # dossier status afterwards
    codes: int = 0
    distinct_codes: int = 0
    bad_codes: int = 0
    first_code: str = ""
    last_code: str = ""
    cpu: dict[str, float] = field(default_factory=dict)  # during the submits
    statements: list[dict[str, Any]] = field(default_factory=list)  # during the submits
    prep_cpu: dict[str, float] = field(default_factory=dict)
    prep_statements: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.citizens / self.wall_seconds if self.wall_seconds else 0.0

    def pct(self, p: float) -> float:
        return percentile(self.latencies_ms, p)


@dataclass
class Backend:
    key: str  # sqlite | postgres
    title: str
    started: str = ""
    url: str = ""
    setup: dict[str, float] = field(default_factory=dict)
    sizes: dict[str, dict[str, int]] = field(default_factory=dict)  # stage → table → rows
    db_bytes: dict[str, int] = field(default_factory=dict)
    status_mix: dict[str, int] = field(default_factory=dict)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)  # page key → probe
    runs: list[WrkRun] = field(default_factory=list)
    submission: Submission | None = None
    querytime: dict[str, Any] = field(default_factory=dict)
    log_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# --------------------------------------------------------------------------- processes


def bench_env(tmp: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(
        MOTCUA_DATABASE_URL=url,
        MOTCUA_DATA_DIR=str(tmp / "data"),
        MOTCUA_SECRET_KEY="bench-secret-key-not-for-production-0123456789",
        MOTCUA_OUTBOX_WORKER="0",
        MOTCUA_ENV="development",
        MOTCUA_SANDBOX_GATEWAY="1",
        MOTCUA_TRACKING_LOOKUPS_PER_ADDRESS="100000000",
        PYTHONUNBUFFERED="1",
    )
    return env


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def tree_cpu_seconds(pid: int | None) -> float:
    if not pid:
        return 0.0
    total = 0.0
    for p in descendants(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime + stime, and cutime + cstime: the children it has reaped (PostgreSQL's
        # short-lived parallel workers end up there)
        total += sum(int(v) for v in fields[11:15]) / TICKS
    return total


class AppServer:
    """The app with N uvicorn workers, output in a log file (never a PIPE)."""

    def __init__(self, env: dict[str, str], log: Path, workers: int):
        self.port = free_port()
        self.log = log
        self.workers = workers
        self._out = log.open("a")
        # The real app plus the in-memory catalogue route (bench/baseline_app.py), served by
        # uvicorn as `motcua serve` serves app.main:create_app: the baseline of every row is
        # measured in the same process, on the same day.
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "bench.baseline_app:create_bench_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--no-proxy-headers",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            # what `motcua serve --host --port` tells the workers (the links they build)
            env={**env, "MOTCUA_HOST": "127.0.0.1", "MOTCUA_PORT": str(self.port)},
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> float:
        import httpx

        started = time.perf_counter()
        deadline = time.monotonic() + READY_SECONDS
        ok = 0
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited ({self.proc.returncode}):\n{tail(self.log)}")
            try:
                if httpx.get(self.base + "/tra-cuu", timeout=2).status_code == 200:
                    ok += 1
                    # several workers: let every one of them finish starting
                    if ok >= 1 + (self.workers > 1) * 10:
                        return time.perf_counter() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server was not ready in {READY_SECONDS} s:\n{tail(self.log)}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)
        if not self._out.closed:
            self._out.close()


def log_problems(log: Path) -> list[str]:
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return []
    return [
        line.strip()[:200]
        for line in text.splitlines()
        if "Traceback" in line or "ERROR" in line or "Exception" in line
    ][:10]


# --------------------------------------------------------------------------- PostgreSQL stats


class StatementStats:
    """pg_stat_statements of the bench database (PostgreSQL only; no-op on SQLite)."""

    def __init__(self, target: Target):
        self.target = target
        self.enabled = target.is_postgres

    def setup(self) -> None:
        if self.enabled:
            self.target.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")

    def reset(self) -> None:
        if self.enabled:
            self.target.execute("SELECT pg_stat_statements_reset()")

    def top(self, requests: int, limit: int = 6) -> list[dict[str, Any]]:
        if not self.enabled:
            return []
        rows = self.target.fetch(
            "SELECT calls, total_exec_time, rows, query FROM pg_stat_statements "
            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND query NOT ILIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC"
        )
        total = sum(r[1] for r in rows) or 1.0
        pool = [r for r in rows if r[3].strip() in POOL_RESETS]
        rows = [r for r in rows if r[3].strip() not in POOL_RESETS]
        if pool:  # asyncpg's connection reset at every release to the pool: one per statement
            rows = rows[:limit] + [
                (max(r[0] for r in pool), sum(r[1] for r in pool), 0, "(pool release: RESET ALL…)")
            ]
        return [
            {
                "query": " ".join(q.split()),
                "calls": calls,
                "per_request": calls / max(1, requests),
                "mean_ms": ms / max(1, calls),
                "total_ms": ms,
                "share": ms / total,
                "ms_per_request": total / max(1, requests),
            }
            for calls, ms, _rows, q in rows[: limit + 1]
        ]


# --------------------------------------------------------------------------- wrk


def run_wrk(
    url: str, clients: int, duration: int, headers: list[str], script: Path
) -> dict[str, float]:
    threads = 1 if clients < 2 else 2
    cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{duration}s", "--timeout", "30s"]
    for header in headers:
        cmd += ["-H", header]
    cmd += ["-s", str(script), url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise RuntimeError(f"wrk printed no figures ({done.returncode}):\n{done.stdout}{done.stderr}")


@dataclass
class LoadContext:
    server: AppServer
    pg: _pg.ThrowawayPostgres | None
    stats: StatementStats
    duration: int
    max_duration: int
    quiet: float
    single_rps: dict[tuple[str, int], float] = field(default_factory=dict)  # (page, workers)

    def duration_for(self, key: str, clients: int) -> int:
        """``duration``; longer with many clients on a slow page, so that about
        MIN_COMPLETIONS requests finish (wrk only counts those that do)."""
        if clients <= 1:
            return self.duration
        rps = self.single_rps.get((key, self.server.workers))
        if not rps:
            return self.max_duration
        needed = math.ceil((MIN_COMPLETIONS + clients) / rps)
        return max(self.duration, min(self.max_duration, needed))


def cpu_snapshot(ctx: LoadContext) -> tuple[float, float, float, float, float]:
    pg_pid = ctx.pg.postmaster_pid() if ctx.pg else None
    return (
        time.perf_counter(),
        machine_busy_seconds(),
        tree_cpu_seconds(ctx.server.proc.pid),
        tree_cpu_seconds(pg_pid),
        children_cpu_seconds(),
    )


def cpu_shares(ctx: LoadContext, before: tuple[float, ...]) -> dict[str, float]:
    after = cpu_snapshot(ctx)
    wall = after[0] - before[0]
    capacity = wall * (os.cpu_count() or 1)
    busy, server, db, client = (after[i] - before[i] for i in range(1, 5))
    return {
        "server": server / capacity,
        "db": db / capacity,
        "client": client / capacity,
        "other": max(0.0, busy - server - db - client) / capacity,
    }


def measure(
    ctx: LoadContext,
    key: str,
    label: str,
    path: str,
    clients: int,
    extra: list[str],
    script: Path,
    phase: str = "desk",
) -> WrkRun:
    wait_until_quiet(ctx.quiet)
    ctx.stats.reset()
    duration = ctx.duration_for(key, clients)
    before = cpu_snapshot(ctx)
    figures = run_wrk(ctx.server.base + path, clients, duration, HEADERS + extra, script)
    cpu = cpu_shares(ctx, before)
    run = WrkRun(key, label, ctx.server.workers, clients, figures, cpu, phase=phase)
    run.statements = ctx.stats.top(int(figures["requests"]))
    if clients == 1 and figures["requests"]:
        ctx.single_rps[(key, ctx.server.workers)] = figures["rps"]
    f = figures
    print(
        f"  {label:<44} w={ctx.server.workers} c={clients:<3} {duration:>3} s "
        f"{int(f['requests']):>6} req {f['rps']:8.1f} req/s  "
        f"p50 {f['p50_ms']:7.1f}  p95 {f['p95_ms']:7.1f}  p99 {f['p99_ms']:7.1f} ms  "
        f"non-2xx {int(f['non_2xx_3xx'])}  sock.err {run.socket_errors}  CPU server "
        f"{cpu['server']:.0%} db {cpu['db']:.0%} wrk {cpu['client']:.0%} other {cpu['other']:.0%}",
        flush=True,
    )
    return run


# --------------------------------------------------------------------------- desk


def rebuild_index(env: dict[str, str], log: Path) -> float:
    """The bulk load wrote dossiers only: ``motcua check-counts --repair`` builds the desk's
    visibility rows, counters and search index from them, as after any bulk import."""
    return motcua(["check-counts", "--repair"], env, log, 3600)


def desk_login(base: str) -> tuple[str, str]:
    """A real login of the desk officer: (Cookie header value, session token)."""
    import httpx

    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        client.get("/mot-cua/dang-nhap").raise_for_status()
        csrf = client.cookies["csrftoken"]
        resp = client.post(
            "/mot-cua/dang-nhap",
            data={"ten_dang_nhap": DESK_USER, "mat_khau": DEMO_PASSWORD},
            headers={"x-csrftoken": csrf},
        )
        if resp.status_code != 303 or resp.headers.get("location") != "/mot-cua":
            raise RuntimeError(f"desk login answered {resp.status_code}: {resp.text[:300]}")
        session = client.cookies["motcua_session"]
        # the login clears the anonymous CSRF token; the first desk page issues a new one
        client.get("/mot-cua").raise_for_status()
        csrf = client.cookies.get("csrftoken", "")
    cookie = f"motcua_session={session}" + (f"; csrftoken={csrf}" if csrf else "")
    return cookie, session


def probe_desk(base: str, cookie: str, path: str) -> dict[str, Any]:
    import httpx

    started = time.perf_counter()
    resp = httpx.get(base + path, headers={"Cookie": cookie}, follow_redirects=False, timeout=60)
    ms = (time.perf_counter() - started) * 1000
    if resp.status_code != 200:
        raise RuntimeError(f"GET {path} with the officer's cookie answered {resp.status_code}")
    match = TOTAL_RE.search(resp.text)
    count = match.group(2).replace(".", "") if match else ""  # "18.184": thousands separated
    return {
        "status": resp.status_code,
        "total": (f"hơn {count}" if match.group(1) else int(count)) if match else None,
        "rows": resp.text.count('class="dossier-row'),
        "first_ms": ms,
        "bytes": len(resp.content),
    }


def expected_desk_totals(target: Target) -> dict[str, int | str]:
    """What the three pages should count, straight from the database (same rules as
    app/services/desk.py: visible = received, resolved or currently at the agency, not a
    draft)."""
    agency = target.fetch("SELECT id FROM agency WHERE code = $1", DESK_AGENCY)[0][0]
    visible = (
        "(receiving_agency = $1 OR current_agency = $1 OR resolving_agency = $1) "
        "AND status <> 'draft'"
    )
    now = datetime.now(UTC)
    now_value: Any = now if target.is_postgres else str(now)
    open_clock = "('received', 'in_progress', 'awaiting_approval', 'transferred')"
    like = "ILIKE" if target.is_postgres else "LIKE"
    return {
        "desk-default": target.fetch(
            f"SELECT COUNT(*) FROM dossier WHERE {visible} AND status = 'submitted'", agency
        )[0][0],
        "desk-overdue": target.fetch(
            f"SELECT COUNT(*) FROM dossier WHERE {visible} AND status IN {open_clock} "
            "AND due_at < $2",
            agency,
            now_value,
        )[0][0],
        "desk-search": capped(
            target.fetch(
                f"SELECT COUNT(*) FROM dossier WHERE {visible} AND (code {like} '%NGUYEN%' "
                f"OR applicant_search {like} '%nguyen%' OR reference = 'NGUYEN')",
                agency,
            )[0][0]
        ),
    }


def capped(n: int) -> int | str:
    return f"hơn {SEARCH_COUNT_CAP}" if n > SEARCH_COUNT_CAP else n


# --------------------------------------------------------------------------- tracking


def tracking_script(tmp: Path, pairs: list[tuple[str, str]]) -> Path:
    """A wrk script that asks for a random pair per request; done() from wrk_report.lua."""
    pairs_file = tmp / "tracking-pairs.txt"
    pairs_file.write_text("".join(f"ma={c}&xac_thuc={f}\n" for c, f in pairs), encoding="ascii")
    script = tmp / "tracking.lua"
    script.write_text(
        f"""-- generated by bench/dossiers.py: random existing dossiers, then the usual report
dofile({json.dumps(str(WRK_SCRIPT))})
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("tid", counter)
end
local queries = {{}}
init = function(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
  for line in io.lines({json.dumps(str(pairs_file))}) do queries[#queries + 1] = line end
end
request = function()
  return wrk.format("GET", "/tra-cuu?" .. queries[math.random(#queries)])
end
""",
        encoding="ascii",
    )
    return script


def probe_tracking(base: str, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    import httpx

    code, factor = pairs[0]
    started = time.perf_counter()
    good = httpx.get(f"{base}/tra-cuu", params={"ma": code, "xac_thuc": factor}, timeout=60)
    ms = (time.perf_counter() - started) * 1000
    wrong = "0000" if factor != "0000" else "1111"
    bad = httpx.get(f"{base}/tra-cuu", params={"ma": code, "xac_thuc": wrong}, timeout=60)
    if good.status_code != 200 or code not in good.text:
        raise RuntimeError(f"tracking {code}/{factor} answered {good.status_code}")
    return {"status": good.status_code, "wrong_factor_status": bad.status_code, "first_ms": ms}


# --------------------------------------------------------------------------- submission


def wizard_definition(env: dict[str, str], code: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.seed_dossiers", "wizard", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"wizard definition failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def step_form(step: dict[str, Any], wizard: dict[str, Any], k: int, phone: str) -> tuple:
    """(data, files) for one wizard step, like tests/integration/builders_notifications.py."""
    data: dict[str, str] = {}
    files: dict[str, tuple[str, bytes, str]] = {}
    by_type = {
        "citizen_id": f"093095{k:06d}",
        "phone": phone,
        "email": f"congdan{k}@example.vn",
        "date": "1995-04-12",
        "number": "1",
        "address": "Số 12 đường Lý Thường Kiệt, phường Hòa Bình",
        "long_text": "Đề nghị giải quyết",
    }
    for f in step["fields"]:
        if f["type"] == "file":
            if f["required"] or k % 2 == 0:
                files[f["key"]] = (f"giay-to-{k}.jpg", JPEG, "image/jpeg")
        elif f["type"] == "choice":
            data[f["key"]] = f["choices"][0] if f["choices"] else ""
        else:
            data[f["key"]] = by_type.get(f["type"], f"Nguyễn Văn Thử {k}")
    if step["key"] == wizard["place_step"]:
        data["co_quan"] = DESK_AGENCY
    if step["key"] == wizard["delivery_step"]:
        data["cach_nhan"] = "desk"
    return data, files


async def prepare_citizen(base: str, phone: str, k: int, wizard: dict[str, Any]) -> tuple:
    """Log in over HTTP and fill a draft through the wizard; returns (client, reference)."""
    import httpx

    client = httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=120)
    try:
        await client.get("/dang-nhap")
        csrf = {"x-csrftoken": client.cookies["csrftoken"]}
        resp = await client.post(
            "/dang-nhap",
            data={"dinh_danh": phone, "mat_khau": CITIZEN_PASSWORD, "tiep": "/ho-so"},
            headers=csrf,
        )
        if resp.status_code != 303:
            raise RuntimeError(f"citizen login answered {resp.status_code}: {resp.text[:200]}")
        # the login clears the anonymous CSRF token; the next page issues the session's one
        (await client.get("/ho-so")).raise_for_status()
        csrf = {"x-csrftoken": client.cookies["csrftoken"]}
        resp = await client.post(f"/thu-tuc/{wizard['procedure']}/nop-ho-so", headers=csrf)
        match = re.match(r"/ho-so/([^/]+)/", resp.headers.get("location", ""))
        if resp.status_code != 303 or not match:
            raise RuntimeError(f"starting a dossier answered {resp.status_code}")
        reference = match.group(1)
        for step in wizard["steps"]:
            data, files = step_form(step, wizard, k, phone)
            resp = await client.post(
                f"/ho-so/{reference}/buoc/{step['key']}",
                data=data,
                files=files or None,
                headers=csrf,
            )
            if resp.status_code != 303:
                errors = ERROR_RE.findall(resp.text)[:3]
                raise RuntimeError(f"step {step['key']} answered {resp.status_code}: {errors}")
        resp = await client.get(f"/ho-so/{reference}/kiem-tra")
        if resp.status_code != 200:
            raise RuntimeError(f"review page answered {resp.status_code}")
        return client, reference
    except BaseException:
        await client.aclose()
        raise


async def submission_run(
    base: str,
    phones: list[str],
    wizard: dict[str, Any],
    concurrency: int,
    result: Submission,
    between: Callable[[], None],
) -> list[str]:
    """Prepare every citizen's draft, call ``between`` (in a thread), then time the submits."""
    started = time.perf_counter()
    prepared: list[tuple[Any, str]] = []
    gate = asyncio.Semaphore(4)  # logins hash passwords: the server computes 2 at a time

    async def prepare(k: int, phone: str) -> None:
        async with gate:
            prepared.append(await prepare_citizen(base, phone, k, wizard))

    try:
        await asyncio.gather(*(prepare(k, p) for k, p in enumerate(phones)))
        result.prepare_seconds = time.perf_counter() - started
        print(
            f"  {len(prepared)} drafts filled through the wizard in {result.prepare_seconds:.1f} s",
            flush=True,
        )
        await asyncio.to_thread(between)
        todo = list(prepared)
        latencies: list[float] = []

        async def worker() -> None:
            while todo:
                client, reference = todo.pop()
                t0 = time.perf_counter()
                resp = await client.post(
                    f"/ho-so/{reference}/nop",
                    data={"cam_doan": "1"},
                    headers={"x-csrftoken": client.cookies["csrftoken"]},
                )
                latencies.append((time.perf_counter() - t0) * 1000)
                ok = resp.status_code == 303 and resp.headers.get("location", "").startswith(
                    f"/ho-so/{reference}"
                )
                result.statuses[str(resp.status_code) if ok else f"{resp.status_code} (bad)"] += 1

        t_start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.wall_seconds = time.perf_counter() - t_start
        result.latencies_ms = latencies
        return [reference for _, reference in prepared]
    finally:
        await asyncio.gather(*(client.aclose() for client, _ in prepared))


def bench_submission(
    ctx: LoadContext,
    target: Target,
    env: dict[str, str],
    citizens: int,
    concurrency: int,
) -> Submission:
    from argon2 import PasswordHasher

    from app.domain.dossier_codes import is_valid_code

    result = Submission(citizens, concurrency)
    wizard = wizard_definition(env, SUBMIT_PROCEDURE)
    # The app's defaults (MOTCUA_ARGON2_*: t=2, 19 MiB, p=1): no rehash at login.
    password_hash = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash(
        CITIZEN_PASSWORD
    )
    phones = insert_citizens(target, citizens, password_hash)
    wait_until_quiet(ctx.quiet)
    ctx.stats.reset()
    marks: dict[str, Any] = {"prepare": cpu_snapshot(ctx)}

    def between() -> None:  # preparation done: its statistics, then fresh ones for the submits
        result.prep_statements = ctx.stats.top(citizens)
        result.prep_cpu = cpu_shares(ctx, marks["prepare"])
        ctx.stats.reset()
        marks["submit"] = cpu_snapshot(ctx)

    references = asyncio.run(
        submission_run(ctx.server.base, phones, wizard, concurrency, result, between)
    )
    result.cpu = cpu_shares(ctx, marks["submit"])
    result.statements = ctx.stats.top(citizens)
    rows = submitted(target, references)
    result.db_statuses = Counter(status for _, status, _ in rows)
    codes = [code for _, _, code in rows if code]
    result.codes = len(codes)
    result.distinct_codes = len(set(codes))
    result.bad_codes = sum(1 for c in codes if not is_valid_code(c))
    if codes:
        ordered = sorted(codes, key=lambda c: (c.rsplit("-", 1)[0], int(c.rsplit("-", 1)[1])))
        result.first_code, result.last_code = ordered[0], ordered[-1]
    print(
        f"  submitted {citizens} with {concurrency} workers: {result.rate:.1f} dossiers/s, "
        f"p50 {result.pct(50):.0f} p95 {result.pct(95):.0f} p99 {result.pct(99):.0f} ms; "
        f"HTTP {dict(result.statuses)}; in the database {dict(result.db_statuses)}, "
        f"{result.distinct_codes} distinct codes of {result.codes}",
        flush=True,
    )
    return result


# --------------------------------------------------------------------------- one backend


def querytime(
    env: dict[str, str], tmp: Path, session: str, pages: list[list[Any]], dossiers: int
) -> dict:
    """In-process replay of pages with every SQL statement timed (bench/_querytime.py)."""
    spec = tmp / "querytime.json"
    spec.write_text(json.dumps({"session": session, "repeat": QUERYTIME_REPEAT, "pages": pages}))
    done = subprocess.run(
        [sys.executable, "-m", "bench._querytime", str(spec)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        return {"error": (done.stdout + done.stderr)[-2000:]}
    found = json.loads(done.stdout.strip().splitlines()[-1])
    for page in found["pages"]:
        page["label"] += f" ({dossiers:,} dossiers)"
    return found


def merge_querytime(result: Backend, found: dict) -> None:
    if "error" in found:
        result.querytime.setdefault("error", found["error"])
        return
    result.querytime["repeat"] = found["repeat"]
    result.querytime["trivial_statement_ms"] = found["trivial_statement_ms"]
    result.querytime["trivial_statement_ms_stock"] = found.get("trivial_statement_ms_stock")
    result.querytime.setdefault("pages", []).extend(found["pages"])


def bench_backend(key: str, args: argparse.Namespace) -> Backend:
    title = "SQLite (WAL, one file)" if key == "sqlite" else "PostgreSQL 15 (throwaway cluster)"
    result = Backend(key, title, started=datetime.now().astimezone().isoformat(timespec="minutes"))
    tmp = Path(tempfile.mkdtemp(prefix=f"motcua-bench-dossiers-{key}-"))
    setup_log = tmp / "setup.log"
    pg: _pg.ThrowawayPostgres | None = None
    server: AppServer | None = None
    print(f"\n== {title} (files in {tmp})", flush=True)
    try:
        if key == "postgres":
            problem = _pg.available()
            if problem:
                raise RuntimeError(f"PostgreSQL skipped: {problem}")
            started = time.perf_counter()
            pg = _pg.ThrowawayPostgres(PG_SETTINGS, keep=args.keep).start()
            result.setup["initdb + start"] = time.perf_counter() - started
            url = pg.url
        else:
            url = f"sqlite:///{tmp / 'db.sqlite3'}"
        result.url = url.split("@")[-1] if key == "postgres" else "sqlite:///TMP/db.sqlite3"
        env = bench_env(tmp, url)
        target = Target(url)
        stats = StatementStats(target)
        result.setup["migrate"] = motcua(["migrate"], env, setup_log, 300)
        result.setup["seed-demo"] = motcua(["seed-demo"], env, setup_log, 300)
        stats.setup()
        gen = target.generator(datetime.now(UTC))

        # 1. desk queue
        print(f"  inserting {args.dossiers:,} dossiers…", flush=True)
        loaded = load(target, gen, args.dossiers)
        result.setup[f"insert {args.dossiers:,} dossiers"] = loaded["seconds"]
        result.setup["desk index (check-counts --repair)"] = rebuild_index(env, setup_log)
        result.setup["VACUUM ANALYZE"] = analyze(target)
        result.sizes["desk"] = table_sizes(target)
        result.db_bytes["desk"] = database_bytes(target)
        expected = expected_desk_totals(target)
        session = ""
        for workers in args.desk_workers:
            server = AppServer(env, tmp / f"server-desk-{workers}w.log", workers)
            ready = server.wait_ready()
            cookie, session = desk_login(server.base)
            print(f"  server: {workers} worker(s), ready in {ready:.1f} s; officer logged in")
            ctx = LoadContext(server, pg, stats, args.duration, args.max_duration, args.quiet_wait)
            for page_key, _, path in DESK_PAGES:
                probe = probe_desk(server.base, cookie, path)
                probe["expected"] = expected[page_key]
                result.checks.setdefault(page_key, probe)
                for _ in range(3):
                    probe_desk(server.base, cookie, path)  # warm-up
            for clients in CLIENTS:
                for page_key, label, path in [BASELINE, *DESK_PAGES]:
                    result.runs.append(
                        measure(
                            ctx, page_key, label, path, clients, [f"Cookie: {cookie}"], WRK_SCRIPT
                        )
                    )
            for _key, _, path in DESK_PAGES:  # still logged in, still the same answer
                probe_desk(server.base, cookie, path)
            server.stop()
            result.log_problems += log_problems(server.log)
            server = None
        if args.querytime:
            print("  timing every SQL statement of the desk pages (in-process replay)…")
            pages = [[key, label, [path], True] for key, label, path in DESK_PAGES]
            merge_querytime(result, querytime(env, tmp, session, pages, args.dossiers))

        # 2. tracking
        more = args.lookups_dossiers - args.dossiers
        if more > 0:
            print(f"  inserting {more:,} more dossiers…", flush=True)
            loaded = load(target, gen, more)
            result.setup[f"insert {more:,} more dossiers"] = loaded["seconds"]
            result.setup["desk index (2)"] = rebuild_index(env, setup_log)
            result.setup["VACUUM ANALYZE (2)"] = analyze(target)
        result.status_mix = dict(sorted(gen.counts.items(), key=lambda kv: -kv[1]))
        result.sizes["tracking"] = table_sizes(target)
        result.db_bytes["tracking"] = database_bytes(target)
        pairs = tracking_pairs(target, PAIRS)
        script = tracking_script(tmp, pairs)
        server = AppServer(env, tmp / "server-tracking.log", 1)
        server.wait_ready()
        ctx = LoadContext(server, pg, stats, args.duration, args.max_duration, args.quiet_wait)
        result.checks["tracking"] = probe_tracking(server.base, pairs)
        for code, factor in pairs[1:6]:  # warm-up
            probe_tracking(server.base, [(code, factor)])
        for clients in CLIENTS:
            result.runs.append(measure(ctx, *BASELINE, clients, [], WRK_SCRIPT, phase="tracking"))
            result.runs.append(
                measure(
                    ctx,
                    "tracking",
                    "GET /tra-cuu?ma=…&xac_thuc=… (random)",
                    "/tra-cuu",
                    clients,
                    [],
                    script,
                    phase="tracking",  # its ratio is to the tracking server's baseline
                )
            )

        # 3. submission (same server, 1 worker)
        result.submission = bench_submission(ctx, target, env, args.citizens, args.concurrency)
        server.stop()
        result.log_problems += log_problems(server.log)
        server = None
        result.sizes["end"] = table_sizes(target)

        if args.querytime:
            print("  timing every SQL statement of tracking look-ups (in-process replay)…")
            paths = [f"/tra-cuu?ma={c}&xac_thuc={f}" for c, f in pairs[1 : QUERYTIME_REPEAT + 2]]
            pages = [["tracking", "GET /tra-cuu?ma=…&xac_thuc=… (random)", paths, False]]
            found = querytime(env, tmp, session, pages, max(args.dossiers, args.lookups_dossiers))
            merge_querytime(result, found)
        return result
    except Exception as exc:  # report the other backend anyway
        result.error = f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
        print(f"  FAILED: {result.error}", flush=True)
        return result
    finally:
        if server is not None:
            server.stop()
        if pg is not None:
            pg.stop()
        if args.keep:
            print(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------- reporting

_P = r"(?:\?|\$\d+)"
_VISIBLE = re.compile(
    rf"\(*dossier\.receiving_agency = {_P} OR dossier\.current_agency = {_P}\) OR "
    rf"dossier\.resolving_agency = {_P}\) AND dossier\.status != {_P}\)"
)
_COLUMNS = re.compile(r"^SELECT (?:ALL )?(.+?) FROM ")


def short_sql(sql: str, width: int = 150) -> str:
    """A statement made readable in a table: no quotes, ``<N columns>`` for long select lists,
    ``visible_to(agency)`` for the desk's visibility condition."""
    text = sql.replace('"', "")
    match = _COLUMNS.match(text)
    if match and match.group(1).count(" AS ") > 3:
        n = match.group(1).count(" AS ")
        text = f"SELECT <{n} columns> FROM " + text[match.end() :]
    else:
        text = re.sub(r"^SELECT ALL ", "SELECT ", text)
    text = _VISIBLE.sub("visible_to(agency)", text)
    excess = text.count(")") - text.count("(")  # the parentheses the condition opened
    for _ in range(max(0, excess)):
        cut = text.rfind(")")
        text = text[:cut] + text[cut + 1 :]
    return text if len(text) <= width else text[: width - 1] + "…"


def f1(v: float) -> str:
    return f"{v:.1f}"


def fmt_rps(rps: float) -> str:
    return f"{rps:.1f}" if rps < 10 else f"{rps:.0f}"


def fmt_ms(f: dict[str, float]) -> str:
    if not f["requests"]:
        return "no request completed"
    return f"{f['p50_ms']:.1f} / {f['p95_ms']:.1f} / {f['p99_ms']:.1f}"


def find_run(r: Backend, key: str, workers: int, clients: int, phase: str) -> WrkRun | None:
    return next(
        (
            x
            for x in r.runs
            if (x.key, x.workers, x.clients, x.phase) == (key, workers, clients, phase)
        ),
        None,
    )


def side_by_side(results: list[Backend]) -> tuple[str, list[str], list[list[str]]]:
    keys: list[tuple[str, str, int, int, str]] = []
    for r in results:
        for run in r.runs:
            k = (run.key, run.label, run.workers, run.clients, run.phase)
            if k not in keys:
                keys.append(k)
    header = ["endpoint", "workers", "clients"]
    for r in results:
        name = "SQLite" if r.key == "sqlite" else "PostgreSQL"
        header += [f"{name} req/s", f"{name} ÷ baseline", f"{name} p50 / p95 / p99 ms"]
    rows = []
    for key, label, workers, clients, phase in keys:
        row = [label + (" — tracking server" if key == "baseline" and phase != "desk" else "")]
        row += [str(workers), str(clients)]
        for r in results:
            run = find_run(r, key, workers, clients, phase)
            base = find_run(r, BASELINE[0], workers, clients, phase)
            if run is None:
                row += ["—", "—", "—"]
            else:
                bad = int(run.figures["non_2xx_3xx"]) + run.socket_errors
                base_rps = base.figures["rps"] if base else 0
                ratio = run.figures["rps"] / base_rps if base_rps else 0
                row += [
                    fmt_rps(run.figures["rps"]) + (f" ⚠ {bad} errors" if bad else ""),
                    f"{ratio:.2f}" if base_rps else "—",
                    fmt_ms(run.figures),
                ]
        rows.append(row)
    return "Requests (wrk; p50 / p95 / p99 in ms)", header, rows


def submission_table(results: list[Backend]) -> tuple[str, list[str], list[list[str]]]:
    header = ["", *("SQLite" if r.key == "sqlite" else "PostgreSQL" for r in results)]
    subs = [r.submission for r in results]

    def row(name: str, fn) -> list[str]:
        return [name, *(fn(s) if s else "—" for s in subs)]

    rows = [
        row("citizens (drafts filled through the wizard)", lambda s: f"{s.citizens}"),
        row("preparation (login + wizard, 4 at a time)", lambda s: f"{s.prepare_seconds:.1f} s"),
        row("concurrent submitters", lambda s: f"{s.concurrency}"),
        row("**dossiers/s** (final POST /ho-so/{ref}/nop)", lambda s: f"**{s.rate:.1f}**"),
        row("wall time of the submissions", lambda s: f"{s.wall_seconds:.2f} s"),
        row("p50 / p95 / p99 ms", lambda s: f"{s.pct(50):.0f} / {s.pct(95):.0f} / {s.pct(99):.0f}"),
        row("max ms", lambda s: f"{max(s.latencies_ms, default=0):.0f}"),
        row("HTTP answers", lambda s: ", ".join(f"{k}: {v}" for k, v in s.statuses.items())),
        row(
            "statuses in the database",
            lambda s: ", ".join(f"{k}: {v}" for k, v in s.db_statuses.items()),
        ),
        row(
            "distinct codes / dossiers",
            lambda s: (
                f"{s.distinct_codes} / {s.citizens}"
                + (" ✓" if s.distinct_codes == s.citizens and not s.bad_codes else " ✗")
            ),
        ),
        row("codes issued", lambda s: f"{s.first_code} … {s.last_code}"),
        row(
            "CPU server / db / clients / other during the submits",
            lambda s: " / ".join(
                f"{s.cpu.get(k, 0):.0%}" for k in ("server", "db", "client", "other")
            ),
        ),
        row(
            "… during the preparation",
            lambda s: " / ".join(
                f"{s.prep_cpu.get(k, 0):.0%}" for k in ("server", "db", "client", "other")
            ),
        ),
    ]
    return "Submission (16 concurrent citizens, 1 server worker)", header, rows


def detail_table(r: Backend) -> tuple[str, list[str], list[list[str]]]:
    rows = []
    for run in r.runs:
        f = run.figures
        c = run.cpu
        rows.append(
            [
                run.label,
                str(run.workers),
                str(run.clients),
                f"{f['duration_s']:.0f} s / {int(f['requests'])}",
                fmt_rps(f["rps"]),
                fmt_ms(f),
                f"{f['max_ms']:.0f}",
                str(int(f["non_2xx_3xx"])),
                str(run.socket_errors),
                f"{c['server']:.0%}",
                f"{c['db']:.0%}" if r.key == "postgres" else "(in server)",
                f"{c['client']:.0%}",
                f"{c['other']:.0%}" + (" ⚠" if c["other"] > OTHER_CPU_WARN else ""),
            ]
        )
    return (
        f"{r.title}: every run",
        [
            "endpoint",
            "workers",
            "clients",
            "time / requests",
            "req/s",
            "p50 / p95 / p99 ms",
            "max ms",
            "non-2xx",
            "socket err.",
            "server CPU",
            "db CPU",
            "wrk CPU",
            "other CPU",
        ],
        rows,
    )


def setup_table(results: list[Backend]) -> tuple[str, list[str], list[list[str]]]:
    header = ["", *("SQLite" if r.key == "sqlite" else "PostgreSQL" for r in results)]
    names: list[str] = []
    for r in results:
        for k in r.setup:
            if k not in names:
                names.append(k)
    rows = [[n, *(f"{r.setup[n]:.1f} s" if n in r.setup else "—" for r in results)] for n in names]
    for stage, label in (("desk", "desk phase"), ("tracking", "tracking phase")):
        rows.append(
            [
                f"rows in dossier / dossier_event ({label})",
                *(
                    f"{r.sizes[stage]['dossier']:,} / {r.sizes[stage]['dossier_event']:,}"
                    if stage in r.sizes
                    else "—"
                    for r in results
                ),
            ]
        )
        rows.append(
            [
                f"database size ({label})",
                *(
                    f"{r.db_bytes[stage] / 2**20:,.0f} MiB" if stage in r.db_bytes else "—"
                    for r in results
                ),
            ]
        )
    rows.append(
        [
            "rate_limit rows at the end",
            *(f"{r.sizes['end']['rate_limit']:,}" if "end" in r.sizes else "—" for r in results),
        ]
    )
    return "Data and setup", header, rows


def checks_table(results: list[Backend]) -> tuple[str, list[str], list[list[str]]]:
    header = ["page", *("SQLite" if r.key == "sqlite" else "PostgreSQL" for r in results)]
    rows = []
    for key, label, _ in DESK_PAGES:
        cells = []
        for r in results:
            c = r.checks.get(key)
            if not c:
                cells.append("—")
                continue
            ok = "✓" if c["total"] == c["expected"] else f"✗ (SQL count {c['expected']})"
            cells.append(
                f"{c['total']} dossiers {ok}, {c['rows']} rows shown, first request "
                f"{c['first_ms']:.0f} ms"
            )
        rows.append([label, *cells])
    cells = []
    for r in results:
        c = r.checks.get("tracking")
        cells.append(
            f"{c['status']} (wrong factor: {c['wrong_factor_status']}), first request "
            f"{c['first_ms']:.0f} ms"
            if c
            else "—"
        )
    rows.append(["GET /tra-cuu (right factor)", *cells])
    return "What the pages answered (checked before the load)", header, rows


def querytime_tables(r: Backend) -> list[tuple[str, list[str], list[list[str]]]]:
    qt = r.querytime
    if not qt:
        return []
    if "error" in qt:
        return [(f"{r.title}: in-process replay failed", ["error"], [[qt["error"][-300:]]])]
    out = []
    rows = []
    for page in qt["pages"]:
        rows.append(
            [
                page["label"],
                f"{page['request_ms']:.1f}",
                f"{page['sql_ms']:.1f}",
                f"{page['sql_ms'] / page['request_ms']:.0%}" if page["request_ms"] else "",
                f"{page['statements']:.0f}",
            ]
        )
    out.append(
        (
            f"{r.title}: one request at a time, in-process (mean of {qt['repeat']} runs; one "
            f"trivial statement through the engine: {qt['trivial_statement_ms']:.2f} ms"
            + (
                f"; through Piccolo's own SQLiteEngine, a connection per statement: "
                f"{qt['trivial_statement_ms_stock']:.2f} ms, "
                f"{qt['trivial_statement_ms_stock'] / qt['trivial_statement_ms']:.1f}×"
                if qt.get("trivial_statement_ms_stock")
                else ""
            )
            + ")",
            ["page", "request ms", "in SQL ms", "SQL share", "statements"],
            rows,
        )
    )
    for page in qt["pages"]:
        rows = [
            [
                short_sql(s["sql"]),
                f"{s['calls']:.0f}",
                f"{s['mean_ms']:.2f}",
                f"{s['ms']:.1f}",
            ]
            for s in page["top"]
        ]
        out.append(
            (
                f"{r.title}: SQL of {page['label']} (per request)",
                ["statement", "calls", "mean ms", "ms per request"],
                rows,
            )
        )
    return out


def statements_tables(r: Backend) -> list[tuple[str, list[str], list[list[str]]]]:
    out = []
    for run in r.runs:
        if not run.statements or run.clients != 16 or run.workers != 1:
            continue
        rows = [
            [
                short_sql(s["query"]),
                f"{s['per_request']:.2f}",
                f"{s['mean_ms']:.2f}",
                f"{s['share']:.0%}",
            ]
            for s in run.statements
        ]
        per_req = run.statements[0]["ms_per_request"]
        out.append(
            (
                f"pg_stat_statements during {run.label}, 16 clients "
                f"({per_req:.1f} ms of execution per request in all)",
                ["statement", "calls/request", "mean ms", "share of DB time"],
                rows,
            )
        )
    sub = r.submission
    for title, stats in (
        (
            f"the {sub.citizens if sub else 0} submits (POST /ho-so/{{ref}}/nop)",
            sub and sub.statements,
        ),
        ("the preparation (citizen logins + wizard steps)", sub and sub.prep_statements),
    ):
        if not stats:
            continue
        rows = [
            [short_sql(s["query"]), f"{s['calls']}", f"{s['mean_ms']:.2f}", f"{s['share']:.0%}"]
            for s in stats
        ]
        out.append(
            (
                f"pg_stat_statements during {title}",
                ["statement", "calls", "mean ms", "share of DB time"],
                rows,
            )
        )
    return out


def plan_blocks(r: Backend) -> list[tuple[str, list[str], list[list[str]]]]:
    """The plans of the two slowest statements of each page, as text blocks."""
    out = []
    for page in r.querytime.get("pages", []):
        lines: list[list[str]] = []
        for plan in page.get("plans", []):
            if plan["plan"]:
                lines.append([short_sql(plan["sql"], 200)])
                lines += [[f"    {line}"] for line in plan["plan"]]
        if lines:
            kind = "EXPLAIN (ANALYZE, BUFFERS)" if r.key == "postgres" else "EXPLAIN QUERY PLAN"
            out.append(
                (f"{r.title}: {kind} of the slowest statements of {page['label']}", PRE, lines)
            )
    return out


def render_text(title: str, header: list[str], rows: list[list[str]]) -> str:
    if header is PRE:
        return f"{title}\n" + "\n".join(f"  {row[0]}" for row in rows)
    return f"{title}\n{text_table(header, rows)}"


def render_md(title: str, header: list[str], rows: list[list[str]]) -> list[str]:
    if header is PRE:
        return ["", f"### {title}", "", "```text", *(row[0] for row in rows), "```"]
    return ["", f"### {title}", "", md_table(header, rows)]


def all_tables(results: list[Backend]) -> list[tuple[str, list[str], list[list[str]]]]:
    tables = [side_by_side(results), submission_table(results), checks_table(results)]
    tables.append(setup_table(results))
    for r in results:
        if r.runs:
            tables.append(detail_table(r))
    for r in results:
        tables += querytime_tables(r)
        tables += plan_blocks(r)
        tables += statements_tables(r)
    return tables


def section_markdown(results: list[Backend], command: str, software: str, fp: str) -> str:
    when = ", ".join(f"{r.key} {r.started}" for r in results)
    lines = [
        SECTION_BEGIN,
        SECTION_TITLE,
        "",
        "Written by `bench/dossiers.py` (its own section; `bench/run.py` owns the catalogue "
        "sections above).",
        "",
        f"- Date: {when}",
        f"- Machine: {machine()}. **wrk, the server (and PostgreSQL) share the same 2 cores** "
        "over loopback: compare rows with each other, not with production.",
        f"- Software: {software}",
        f"- App code fingerprint (app/, static/): {fp}",
        f"- Command: `{command}`",
        "- Server: `uvicorn --factory bench.baseline_app:create_bench_app --workers N` (the app "
        "as `motcua serve` runs it, plus `/_bench/thu-tuc-memory`: the catalogue template "
        "rendered from memory, the **baseline** measured in the same process right before the "
        "rows it is the ratio of), `MOTCUA_OUTBOX_WORKER=0`, "
        "`MOTCUA_TRACKING_LOOKUPS_PER_ADDRESS=100000000` (every look-up comes from one address; "
        "right factors write nothing, the mistakes counters are read on every look-up), "
        "PostgreSQL with the app's pool (`MOTCUA_DB_POOL=1`). After each bulk load, "
        "`motcua check-counts --repair` builds the desk index (timed under Data and setup).",
        "- Data: dossiers inserted with SQL by `bench/seed_dossiers.py` (status mix below, 4 demo "
        "agencies — Hòa Bình ≈ 30 % —, 27 demo procedures, open dossiers recent with due dates "
        "from 10 days ago to 12 days ahead, ~4.5 history rows each); PostgreSQL gets "
        "`VACUUM ANALYZE` after each load (what autovacuum would do), SQLite nothing (the app "
        "never runs ANALYZE). The desk pages use `Cookie: motcua_session=…; csrftoken=…` from a "
        "real login of `tiepnhan.hoabinh`.",
        "- wrk: `-t1` at 1 connection, `-t2` at 16, `--timeout 30s`, `Accept-Encoding: gzip`; "
        "CPU columns are "
        "shares of both cores (other ⚠ above 5 %: another job was running).",
    ]
    for r in results:
        if r.status_mix:
            total = sum(r.status_mix.values())
            mix = ", ".join(f"{k} {v / total:.1%}" for k, v in r.status_mix.items())
            lines.append(f"- Status mix ({r.key}): {mix}")
            break
    for r in results:
        if r.error:
            lines.append(f"- ⚠ {r.title}: {r.error}")
        if r.log_problems:
            lines.append(
                f"- Server log problems ({r.key}): " + "; ".join(f"`{p}`" for p in r.log_problems)
            )
    for title, header, rows in all_tables(results):
        lines += render_md(title, header, rows)
    lines.append(SECTION_END)
    return "\n".join(lines)


def write_section(markdown: str) -> None:
    """Replace our section if it is there, else append it; the rest of the file is kept."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    pattern = re.compile(re.escape(SECTION_BEGIN) + r".*?" + re.escape(SECTION_END), re.S)
    if pattern.search(old):
        new = pattern.sub(lambda _m: markdown, old)
    else:
        new = old.rstrip("\n") + "\n\n" + markdown + "\n"
    RESULTS.write_text(new, encoding="utf-8")


def _stop(signum: int, _frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run (8)")
    parser.add_argument(
        "--max-duration",
        type=int,
        default=60,
        help="runs at 16 connections on slow pages last until about 64 requests finish, at "
        "most this many seconds (60)",
    )
    parser.add_argument("--dossiers", type=int, default=100_000, help="for the desk (100000)")
    parser.add_argument(
        "--lookups-dossiers", type=int, default=1_000_000, help="for tracking (1000000)"
    )
    parser.add_argument("--citizens", type=int, default=200, help="submitting citizens (200)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent submitters (16)")
    parser.add_argument(
        "--desk-workers", default="1,2", help="server workers for the desk runs (1,2)"
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=20,
        help="before each run, wait up to this many seconds for other jobs to go idle (20)",
    )
    parser.add_argument(
        "--no-querytime", dest="querytime", action="store_false", help="skip the SQL replay"
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directories")
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 120 or not args.duration <= args.max_duration <= 300:
        parser.error("--duration must be 1–120 s, --max-duration from --duration to 300 s")
    if not 1_000 <= args.dossiers <= 5_000_000 or not 1_000 <= args.lookups_dossiers <= 5_000_000:
        parser.error("--dossiers and --lookups-dossiers must be between 1,000 and 5,000,000")
    if not 1 <= args.citizens <= 5_000 or not 1 <= args.concurrency <= 256:
        parser.error("--citizens must be 1–5000 and --concurrency 1–256")
    args.desk_workers = [int(w) for w in args.desk_workers.split(",") if w.strip()]
    if not args.desk_workers or any(not 1 <= w <= 8 for w in args.desk_workers):
        parser.error("--desk-workers: a list of 1–8, e.g. 1,2")
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    os.chdir(ROOT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
    shown = sys.argv[1:] if argv is None else argv
    command = shlex.join([os.path.relpath(sys.executable, ROOT), "bench/dossiers.py", *shown])
    software = versions() + ", PostgreSQL 15 (" + str(_pg.PG_BIN) + ")"
    fingerprint = code_fingerprint()
    results = [
        bench_backend(key, args) for key in ("sqlite", "postgres") if args.only in (None, key)
    ]
    after = code_fingerprint()
    if after != fingerprint:
        fingerprint += f" → {after}: ⚠ THE APP CHANGED DURING THIS RUN, rerun it"
    print()
    for title, header, rows in all_tables(results):
        print(f"\n{render_text(title, header, rows)}")
    markdown = section_markdown(results, command, software, fingerprint)
    if not args.no_write:
        write_section(markdown)
        print(f"\nWrote the section “{SECTION_TITLE[3:]}” of {RESULTS.relative_to(ROOT)}")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
