"""Load benchmark of the public catalogue: ``.venv/bin/python bench/run.py [--duration 10]``.

For each dataset ("demo": the demo catalogue; "5000": the demo plus 5,000 generated procedures)
it makes a fresh data directory and SQLite database, runs ``motcua migrate`` and ``seed-demo``
(and ``import-catalogue`` of a generated file), then starts ONE uvicorn worker serving
``bench.baseline_app:create_bench_app`` (the real app plus ``/_bench/thu-tuc-memory``, the
catalogue page rendered from data kept in memory) and measures, all against that one process:

* req/s and latency p50/p95/p99 with ``wrk`` at 1, 16 and 64 connections (gzip accepted) for
  ``/thu-tuc``, searches, a procedure's page and the in-memory page;
* the bytes of a first visit to ``/thu-tuc`` (compressed HTML + stylesheets + scripts);
* the server's resident memory at start, after the first page, and after the load.

It prints tables, the same figures as Markdown between markers, and updates bench/RESULTS.md
(only the sections of the datasets it ran). Traffic goes to 127.0.0.1 only; servers are stopped
and temporary directories removed on every exit path. Needs ``wrk`` (``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import http.client
import json
import os
import platform
import random
import re
import resource
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path, where bench/statistics.py would stand
# in for the standard library's statistics module.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.baseline_app import MEMORY_PATH, PING_PATH  # noqa: E402
from bench.generate_catalogue import generate, load_demo  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
WRK_SCRIPT = ROOT / "bench" / "wrk_report.lua"
WRK_PATHS_SCRIPT = ROOT / "bench" / "wrk_paths.lua"
VARIED_QUERIES = 2000  # distinct searches cycled through: more than the app keeps cached
CONCURRENCY = (1, 16, 64)
RATIO_CLIENTS = 16
GENERATED_COUNT = 5000
FIRST_VISIT_BUDGET = 30_000  # bytes, compressed: "30 KB"
SEARCH_P95_BUDGET_MS = 50.0
RATIO_TARGET = 0.8
MAKE_RUN_WORKERS = int(os.environ.get("MOTCUA_WORKERS", "2"))  # as app/settings.py
OTHER_CPU_WARN = 0.05  # share of all cores used by other processes that flags a row
MD_BEGIN = "----- BEGIN RESULTS (Markdown) -----"
MD_END = "----- END RESULTS (Markdown) -----"
READY_SECONDS = 60
HEADERS = {"Accept-Encoding": "gzip", "User-Agent": "motcua-bench"}
HITS_RE = re.compile(r'id="results-heading">\s*(\d+) thủ tục')


# --------------------------------------------------------------------------- data classes


@dataclass
class Endpoint:
    key: str  # "catalogue", "memory", "search", …
    label: str
    path: str  # the one path, or the first of paths_file
    paths_file: Path | None = None  # when set, wrk cycles through these paths


@dataclass
class Dataset:
    key: str  # "demo" | "5000"
    option: str  # the --only value: "small" | "large"
    title: str
    generated: int  # procedures generated and imported on top of the demo catalogue
    searches: list[tuple[str, str]]  # (key, query string value)
    varied: bool = False  # also a row cycling through VARIED_QUERIES different searches


DATASETS = [
    Dataset("demo", "small", "Demo catalogue", 0, [("search", "dang+ky")]),
    Dataset(
        "5000",
        "large",
        "Demo catalogue + 5,000 generated procedures",
        GENERATED_COUNT,
        [("search", "dang+ky"), ("search_narrow", "chung+thuc+ban+sao")],
        varied=True,
    ),
]


@dataclass
class Run:
    endpoint: Endpoint
    clients: int
    threads: int
    figures: dict[str, float]
    cpu: dict[str, float] = field(default_factory=dict)  # share of all cores: server, wrk, other

    @property
    def socket_errors(self) -> int:
        f = self.figures
        return int(f["connect_errors"] + f["read_errors"] + f["write_errors"] + f["timeouts"])


@dataclass
class Fetched:
    kind: str
    path: str
    status: int
    body: bytes
    header_bytes: int
    encoding: str

    @property
    def text(self) -> str:
        raw = gzip.decompress(self.body) if self.encoding == "gzip" else self.body
        return raw.decode("utf-8", "replace")


@dataclass
class Result:
    dataset: Dataset
    started: str = ""
    procedures: int = 0
    setup_seconds: dict[str, float] = field(default_factory=dict)
    ready_seconds: float = 0.0
    first_page_ms: float = 0.0
    endpoints: list[Endpoint] = field(default_factory=list)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)  # endpoint key → probe
    runs: list[Run] = field(default_factory=list)
    make_run_runs: list[Run] = field(default_factory=list)  # searches with make run's workers
    ratio_runs: list[tuple[Run, Run]] = field(default_factory=list)  # (real, memory)
    first_visit: list[Fetched] = field(default_factory=list)
    favicon: Fetched | None = None
    rss: dict[str, int] = field(default_factory=dict)  # label → KiB
    log_problems: list[str] = field(default_factory=list)
    software: str = ""
    code_before: str = ""  # fingerprint of app/ and static/ when the dataset started
    code_after: str = ""  # … and after its load: they differ if someone edited the app meanwhile


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    """A free loopback port (bind port 0), never a hard-coded one."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(tmp: Path) -> dict[str, str]:
    """The environment of every command: ours, minus any MOTCUA_* setting of the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(
        MOTCUA_DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        MOTCUA_DATA_DIR=str(tmp / "data"),
        MOTCUA_SECRET_KEY="bench-secret-key-not-for-production-0123456789",
        MOTCUA_ENV="development",  # loopback links, as `make run` serves the demo
        MOTCUA_WORKERS="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def motcua(args: list[str], env: dict[str, str], log: Path, timeout: float) -> float:
    """Run ``motcua ARGS`` (output appended to ``log``); return its wall time in seconds."""
    script = Path(sys.executable).with_name("motcua")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]
    started = time.perf_counter()
    with log.open("a") as out:
        out.write(f"$ motcua {shlex.join(args)}\n")
        out.flush()
        done = subprocess.run(
            [*cmd, *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
        )
    if done.returncode != 0:
        raise RuntimeError(f"motcua {' '.join(args)} failed ({done.returncode}):\n{tail(log)}")
    return time.perf_counter() - started


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds of all processes on the machine (all cores), plus time stolen by the host,
    from /proc/stat. Interrupt time (mostly our own loopback traffic) is left out."""
    user, nice, system, _idle, _iowait, _irq, _softirq, steal = (
        int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + steal) / TICKS


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of a process and of its live children (uvicorn's worker processes), from
    /proc/PID/stat."""
    total = 0.0
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = stat_file.read_text()
        except OSError:
            continue  # the process ended meanwhile
        fields = stat.rsplit(")", 1)[1].split()
        if stat_file.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def wait_until_quiet(limit: float) -> None:
    """Between runs (server idle), wait at most ``limit`` s for other jobs on the machine to
    stop using more than OTHER_CPU_WARN of it; a row measured anyway is flagged."""
    deadline = time.monotonic() + limit
    told = False
    while True:
        before = machine_busy_seconds()
        time.sleep(1.0)
        share = (machine_busy_seconds() - before) / (os.cpu_count() or 1)
        if share <= OTHER_CPU_WARN or time.monotonic() >= deadline:
            return
        if not told:
            print(f"  (other jobs use {share:.0%} of the CPU: waiting up to {limit:.0f} s)")
            told = True


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Server:
    """uvicorn serving the bench app (one worker unless told), its output in a log file."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 1):
        self.workers = workers
        self.port = free_port()
        self.log = log
        self._out = log.open("w")
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
                "--log-level",
                "info",
                "--proxy-headers",
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_ready(self) -> float:
        started = time.perf_counter()
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited ({self.proc.returncode}):\n{tail(self.log)}")
            try:
                if fetch(self.port, PING_PATH, "probe", timeout=2).status == 200:
                    return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"the server was not ready in {READY_SECONDS} s:\n{tail(self.log)}")

    def memory_kib(self) -> dict[str, int]:
        """VmRSS and VmHWM (peak) of the worker, from /proc/PID/status."""
        found = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                found[name] = int(value.split()[0])
        return found

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self._out.close()


# --------------------------------------------------------------------------- HTTP


def fetch(port: int, path: str, kind: str = "page", timeout: float = 30) -> Fetched:
    """GET with ``Accept-Encoding: gzip`` through http.client, which does not decompress: the
    body is what travelled on the wire (chunk framing aside)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=HEADERS)
        resp = conn.getresponse()
        body = resp.read()
        status_line = f"HTTP/1.1 {resp.status} {resp.reason}\r\n"
        header_bytes = len(status_line) + 2
        header_bytes += sum(len(f"{k}: {v}\r\n".encode()) for k, v in resp.getheaders())
        encoding = resp.getheader("Content-Encoding", "") or ""
        return Fetched(kind, path, resp.status, body, header_bytes, encoding)
    finally:
        conn.close()


class AssetLinks(HTMLParser):
    """Stylesheets, scripts and images a browser would fetch for the page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self.has_icon = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "link" and "stylesheet" in rel and a.get("href"):
            self.found.append(("stylesheet", a["href"]))
        elif tag == "link" and "icon" in rel:
            self.has_icon = True
            if a.get("href"):
                self.found.append(("icon", a["href"]))
        elif tag == "script" and a.get("src"):
            self.found.append(("script", a["src"]))
        elif tag == "img" and a.get("src") and not a["src"].startswith("data:"):
            self.found.append(("image", a["src"]))


def measure_first_visit(port: int, result: Result) -> None:
    page = fetch(port, "/thu-tuc", "html")
    if page.status != 200:
        raise RuntimeError(f"GET /thu-tuc answered {page.status}")
    parser = AssetLinks()
    parser.feed(page.text)
    result.first_visit = [page]
    for kind, url in parser.found:
        if url.startswith("data:"):  # inline (e.g. the empty icon "data:,"): nothing to fetch
            continue
        if url.startswith(("http://", "https://", "//")):
            raise RuntimeError(f"the page loads {url} from another host; not fetched")
        result.first_visit.append(fetch(port, url, kind))
    if not parser.has_icon:  # browsers then ask for /favicon.ico by themselves
        result.favicon = fetch(port, "/favicon.ico", "favicon")


def probe(port: int, endpoint: Endpoint) -> dict[str, Any]:
    """One request to check the endpoint answers 200 gzip, and read its hit count."""
    got = fetch(port, endpoint.path)
    if got.status != 200:
        raise RuntimeError(f"GET {endpoint.path} answered {got.status}, not 200")
    match = HITS_RE.search(got.text)
    return {
        "status": got.status,
        "encoding": got.encoding or "identity",
        "bytes": len(got.body),
        "hits": int(match.group(1)) if match else None,
    }


# --------------------------------------------------------------------------- wrk


def wrk(
    url: str, clients: int, duration: int, paths_file: Path | None = None
) -> tuple[int, dict[str, float]]:
    threads = 1 if clients < 2 else 2
    script = [str(WRK_PATHS_SCRIPT)] if paths_file else [str(WRK_SCRIPT)]
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{clients}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-H",
        "Accept-Encoding: gzip",
        "-s",
        *script,
        url,
        *(["--", str(paths_file)] if paths_file else []),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return threads, json.loads(line.removeprefix("BENCH_JSON "))
    raise RuntimeError(f"wrk printed no figures ({done.returncode}):\n{done.stdout}{done.stderr}")


def load(server: Server, endpoint: Endpoint, clients: int, duration: int, quiet: float) -> Run:
    """One wrk run, with the CPU used meanwhile by the server, by wrk and by anything else
    (other processes on a shared machine make the figures unreliable: see "other CPU")."""
    wait_until_quiet(quiet)
    before = (machine_busy_seconds(), process_cpu_seconds(server.proc.pid), children_cpu_seconds())
    started = time.perf_counter()
    url = server.url("/" if endpoint.paths_file else endpoint.path)
    threads, figures = wrk(url, clients, duration, endpoint.paths_file)
    wall = time.perf_counter() - started
    busy = machine_busy_seconds() - before[0]
    used_server = process_cpu_seconds(server.proc.pid) - before[1]
    used_wrk = children_cpu_seconds() - before[2]
    capacity = wall * (os.cpu_count() or 1)
    cpu = {
        "server": used_server / capacity,
        "wrk": used_wrk / capacity,
        "other": max(0.0, busy - used_server - used_wrk) / capacity,
    }
    run = Run(endpoint, clients, threads, figures, cpu)
    f = figures
    print(
        f"  {endpoint.label:<40} c={clients:<3} {f['rps']:8.1f} req/s  p50 {f['p50_ms']:7.1f}  "
        f"p95 {f['p95_ms']:7.1f}  p99 {f['p99_ms']:7.1f} ms  non-2xx {int(f['non_2xx_3xx'])}  "
        f"socket errors {run.socket_errors}  CPU server {cpu['server']:.0%} wrk {cpu['wrk']:.0%} "
        f"other {cpu['other']:.0%}",
        flush=True,
    )
    return run


# --------------------------------------------------------------------------- one dataset


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def varied_queries(names: list[str], count: int) -> list[str]:
    """``count`` different searches people could type: 2- and 3-word runs of procedure names
    (folded, as typed without accents), in a fixed shuffled order."""
    found: dict[str, None] = {}
    for name in names:
        words = re.findall(r"[0-9a-z]+", _fold(name))
        for size in (2, 3):
            for i in range(len(words) - size + 1):
                found["+".join(words[i : i + size])] = None
    queries = sorted(found)
    random.Random(7).shuffle(queries)
    return queries[:count]


def address_of(procedure: dict[str, Any]) -> str:
    """Where the procedure's page is: its national code (the local id answers 301 to it)."""
    return procedure.get("ma_tthc") or procedure["id"]


def endpoints_for(dataset: Dataset, detail_code: str, varied: Path | None) -> list[Endpoint]:
    found = [Endpoint("catalogue", "GET /thu-tuc", "/thu-tuc")]
    found += [
        Endpoint(key, f"GET /thu-tuc?q={q}", f"/thu-tuc?q={q}") for key, q in dataset.searches
    ]
    if varied is not None:
        first = varied.read_text().split("\n", 1)[0]
        count = len(varied.read_text().split())
        found.append(
            Endpoint("search_varied", f"GET /thu-tuc?q=… ({count:,} different)", first, varied)
        )
    found.append(Endpoint("detail", f"GET /thu-tuc/{detail_code}", f"/thu-tuc/{detail_code}"))
    found.append(Endpoint("memory", f"GET {MEMORY_PATH} (baseline)", MEMORY_PATH))
    return found


def bench_dataset(dataset: Dataset, duration: int, quiet: float, keep: bool) -> Result:
    result = Result(dataset, started=datetime.now().astimezone().isoformat(timespec="minutes"))
    tmp = Path(tempfile.mkdtemp(prefix=f"motcua-bench-{dataset.key}-"))
    setup_log = tmp / "setup.log"
    server: Server | None = None
    print(f"\n== {dataset.title} (data in {tmp})", flush=True)
    try:
        result.software = versions()
        result.code_before = code_fingerprint()
        env = bench_env(tmp)
        demo = load_demo()
        detail_code = address_of(demo["procedures"][0])
        varied: Path | None = None
        result.setup_seconds["migrate"] = motcua(["migrate"], env, setup_log, 300)
        result.setup_seconds["seed-demo"] = motcua(["seed-demo"], env, setup_log, 300)
        if dataset.generated:
            generated = tmp / "generated.json"
            document = generate(demo, dataset.generated)
            generated.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            detail_code = address_of(document["procedures"][len(document["procedures"]) // 2])
            if dataset.varied:
                names = [p["ten"] for p in document["procedures"]]
                varied = tmp / "queries.txt"
                queries = varied_queries(names, VARIED_QUERIES)
                varied.write_text("".join(f"/thu-tuc?q={q}\n" for q in queries))
            print(f"  importing {dataset.generated} generated procedures…", flush=True)
            result.setup_seconds[f"import-catalogue ({dataset.generated})"] = motcua(
                ["import-catalogue", str(generated)], env, setup_log, 1800
            )
        print("  setup: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.setup_seconds.items()))

        server = Server(env, tmp / "server.log")
        result.ready_seconds = server.wait_ready()
        result.rss["at start (no request yet)"] = server.memory_kib()["VmRSS"]
        started = time.perf_counter()
        first = fetch(server.port, "/thu-tuc")
        result.first_page_ms = (time.perf_counter() - started) * 1000
        if first.status != 200:
            raise RuntimeError(f"GET /thu-tuc answered {first.status}:\n{tail(server.log)}")
        result.rss["after the first /thu-tuc (snapshot built)"] = server.memory_kib()["VmRSS"]

        measure_first_visit(server.port, result)
        result.endpoints = endpoints_for(dataset, detail_code, varied)
        for endpoint in result.endpoints:
            result.checks[endpoint.key] = probe(server.port, endpoint)
            for _ in range(20):  # warm-up
                fetch(server.port, endpoint.path)
        result.procedures = result.checks["catalogue"]["hits"] or 0
        print(f"  {result.procedures} procedures; server ready in {result.ready_seconds:.2f} s")

        by_key = {e.key: e for e in result.endpoints}
        for clients in CONCURRENCY:
            for endpoint in result.endpoints:
                run = load(server, endpoint, clients, duration, quiet)
                result.runs.append(run)
            if clients == RATIO_CLIENTS:
                # A second pair in reverse order (memory, then real) against drift.
                real1 = next(
                    r for r in result.runs if r.clients == clients and r.endpoint.key == "catalogue"
                )
                mem1 = next(
                    r for r in result.runs if r.clients == clients and r.endpoint.key == "memory"
                )
                mem2 = load(server, by_key["memory"], clients, duration, quiet)
                real2 = load(server, by_key["catalogue"], clients, duration, quiet)
                result.ratio_runs = [(real1, mem1), (real2, mem2)]
        memory = server.memory_kib()
        result.rss["after the load"] = memory["VmRSS"]
        result.rss["peak (VmHWM)"] = memory["VmHWM"]
        server.stop()
        if dataset.generated:
            # The same searches with as many workers as `make run` starts (MOTCUA_WORKERS).
            server = Server(env, tmp / "server-make-run.log", MAKE_RUN_WORKERS)
            server.wait_ready()
            print(f"  {MAKE_RUN_WORKERS} workers, as make run starts")
            for endpoint in result.endpoints:
                if endpoint.key.startswith("search"):
                    for _ in range(20):  # warm-up: every worker builds its snapshot
                        fetch(server.port, endpoint.path)
                    run = load(server, endpoint, RATIO_CLIENTS, duration, quiet)
                    result.make_run_runs.append(run)
        result.code_after = code_fingerprint()
        if result.code_after != result.code_before:
            print("  ⚠ the app's code changed during this dataset's run: rerun it")
        server.stop()
        logs = sorted(tmp.glob("server*.log"))
        log_text = "".join(log.read_text(errors="replace") for log in logs)
        result.log_problems = [
            line
            for line in log_text.splitlines()
            if "Traceback" in line or "ERROR" in line or "Exception" in line
        ][:10]
        return result
    finally:
        if server is not None:
            server.stop()
        if keep:
            print(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------- reporting


def kb(n: float) -> str:
    return f"{n / 1000:.1f} kB"


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def ok(met: bool) -> str:
    return "met" if met else "MISSED"


def ratio_of(result: Result) -> float | None:
    if not result.ratio_runs:
        return None
    real = sum(r.figures["rps"] for r, _ in result.ratio_runs)
    memory = sum(m.figures["rps"] for _, m in result.ratio_runs)
    return real / memory if memory else None


def first_visit_total(result: Result) -> int:
    return sum(len(f.body) for f in result.first_visit)


def load_rows(result: Result, runs: list[Run]) -> list[list[str]]:
    rows = []
    for run in runs:
        f = run.figures
        check = result.checks.get(run.endpoint.key, {})
        hits = "varies" if run.endpoint.paths_file else check.get("hits")
        rows.append(
            [
                run.endpoint.label,
                "" if hits is None else str(hits),
                str(run.clients),
                f"{f['rps']:.0f}",
                f"{f['p50_ms']:.1f}",
                f"{f['p95_ms']:.1f}",
                f"{f['p99_ms']:.1f}",
                f"{f['max_ms']:.0f}",
                str(int(f["non_2xx_3xx"])),
                str(run.socket_errors),
                f"{f['bytes'] / max(1, f['requests']) / 1000:.1f}",
                f"{run.cpu['server']:.0%}",
                f"{run.cpu['other']:.0%}" + (" ⚠" if run.cpu["other"] > OTHER_CPU_WARN else ""),
            ]
        )
    return rows


LOAD_HEADER = [
    "endpoint",
    "hits",
    "clients",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
    "non-2xx",
    "socket err.",
    "kB/resp",
    "server CPU",
    "other CPU",
]


def tables(result: Result) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of every table of one dataset."""
    out = []
    rows = load_rows(result, result.runs)
    out.append(
        (
            f"Load (wrk, {result.runs[0].figures['duration_s']:.0f} s per row, "
            "`Accept-Encoding: gzip`, 1 uvicorn worker)",
            LOAD_HEADER,
            rows,
        )
    )
    if result.make_run_runs:
        out.append(
            (
                f"Searches with {MAKE_RUN_WORKERS} uvicorn workers, as `make run` starts them "
                "(server CPU: all workers)",
                LOAD_HEADER,
                load_rows(result, result.make_run_runs),
            )
        )
    rows = []
    for i, (real, memory) in enumerate(result.ratio_runs, start=1):
        rows.append(
            [
                f"pair {i}",
                f"{real.figures['rps']:.0f}",
                f"{memory.figures['rps']:.0f}",
                f"{real.figures['rps'] / memory.figures['rps']:.2f}",
                f"{real.figures['p95_ms']:.1f} / {memory.figures['p95_ms']:.1f}",
            ]
        )
    ratio = ratio_of(result)
    if ratio is not None:
        rows.append(["**both**", "", "", f"**{ratio:.2f}**", f"target ≥ {RATIO_TARGET}"])
    out.append(
        (
            f"/thu-tuc (real) ÷ {MEMORY_PATH} (same template, context kept in memory) "
            f"at {RATIO_CLIENTS} clients; pair 2 runs in reverse order (memory first)",
            ["run", "real req/s", "memory req/s", "real ÷ memory", "p95 ms real / memory"],
            rows,
        )
    )
    rows = []
    for f in result.first_visit:
        rows.append(
            [
                f.kind,
                f.path,
                str(f.status),
                f.encoding or "identity",
                f"{len(f.body):,}",
                f"{f.header_bytes:,}",
            ]
        )
    total = first_visit_total(result)
    headers_total = sum(f.header_bytes for f in result.first_visit)
    rows.append(["**total**", "", "", "", f"**{total:,}** ({kb(total)})", f"{headers_total:,}"])
    if result.favicon is not None:
        fav = result.favicon
        rows.append(
            [
                "favicon (implicit)",
                fav.path,
                str(fav.status),
                fav.encoding or "identity",
                f"{len(fav.body):,}",
                f"{fav.header_bytes:,}",
            ]
        )
    out.append(
        (
            "First visit to /thu-tuc (bytes on the wire, gzip accepted, no cookies)",
            ["resource", "path", "status", "encoding", "body bytes", "header bytes"],
            rows,
        )
    )
    rows = [[label, mib(value)] for label, value in result.rss.items()]
    out.append(("Server memory (VmRSS of the single worker)", ["when", "RSS"], rows))
    return out


def target_rows(results: list[Result]) -> list[list[str]]:
    rows = []
    for result in results:
        total = first_visit_total(result)
        rows.append(
            [
                f"first visit ≤ 30 kB compressed ({result.dataset.key})",
                f"{total:,} B ({kb(total)})",
                ok(total <= FIRST_VISIT_BUDGET),
            ]
        )
        ratio = ratio_of(result)
        if ratio is not None:
            rows.append(
                [
                    f"/thu-tuc real ÷ memory ≥ {RATIO_TARGET}× at {RATIO_CLIENTS} clients "
                    f"({result.dataset.key})",
                    f"{ratio:.2f}×",
                    ok(ratio >= RATIO_TARGET),
                ]
            )
        if result.dataset.generated:
            for run in result.runs:
                if run.endpoint.key.startswith("search") and run.clients == RATIO_CLIENTS:
                    p95 = run.figures["p95_ms"]
                    rows.append(
                        [
                            f"search over 5,000 p95 ≤ {SEARCH_P95_BUDGET_MS:.0f} ms at "
                            f"{RATIO_CLIENTS} clients, 1 worker: {run.endpoint.label}",
                            f"{p95:.1f} ms",
                            ok(p95 <= SEARCH_P95_BUDGET_MS),
                        ]
                    )
            for run in result.make_run_runs:
                p95 = run.figures["p95_ms"]
                rows.append(
                    [
                        f"search over 5,000 p95 ≤ {SEARCH_P95_BUDGET_MS:.0f} ms at "
                        f"{RATIO_CLIENTS} clients, {MAKE_RUN_WORKERS} workers (make run): "
                        f"{run.endpoint.label}",
                        f"{p95:.1f} ms",
                        ok(p95 <= SEARCH_P95_BUDGET_MS),
                    ]
                )
    return rows


def text_table(header: list[str], rows: list[list[str]]) -> str:
    clean = [[c.replace("**", "") for c in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in clean) for i in range(len(header))]
    lines = []
    for n, row in enumerate(clean):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def md_table(header: list[str], rows: list[list[str]]) -> str:
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|")

    lines = ["| " + " | ".join(esc(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def code_fingerprint() -> str:
    """A short hash of the app's code, templates and static files (not the demo data)."""
    digest = hashlib.sha256()
    for base in (ROOT / "app", ROOT / "static"):
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.suffix not in (".pyc", ".json", ".ttf", ".txt"):
                digest.update(path.relative_to(ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def versions() -> str:
    found = []
    for name in ("litestar", "uvicorn", "jinja2", "piccolo", "uvloop", "httptools"):
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} not installed")
    wrk_v = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10)
    first = (wrk_v.stdout + wrk_v.stderr).splitlines()
    found.append(first[0].split(" [")[0] if first else "wrk")
    return ", ".join(found)


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = os.cpu_count() or 0
    return (
        f"{cores} cores ({cpu or platform.machine()}) shared between wrk and the server, "
        f"loopback 127.0.0.1; Python {platform.python_version()}, {platform.system()} "
        f"{platform.release()}"
    )


def section_markdown(result: Result, command: str, host: str) -> str:
    d = result.dataset
    lines = [
        f"<!-- dataset:{d.key}:begin -->",
        f"## Dataset “{d.key}”: {d.title}",
        "",
        f"- Date: {result.started}",
        f"- Machine: {host}",
        f"- Software: {result.software} (uvicorn picks uvloop and httptools when installed)",
        f"- App code fingerprint (app/, static/): {result.code_before}"
        + (
            ""
            if result.code_after == result.code_before
            else f" → {result.code_after}: ⚠ THE APP CHANGED DURING THIS RUN, rerun it"
        ),
        f"- Command: `{command}`",
        f"- Procedures in the catalogue: {result.procedures}",
        "- Setup: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in result.setup_seconds.items())
        + f"; server ready {result.ready_seconds:.2f} s after spawn; first `/thu-tuc` "
        f"(builds the snapshot) {result.first_page_ms:.0f} ms",
        "- Server: `uvicorn --factory bench.baseline_app:create_bench_app --workers 1`, SQLite "
        "(WAL), `MOTCUA_CATALOGUE_CACHE_SECONDS` default (1 s); the real routes and the "
        "baseline route are served by the same process",
    ]
    flagged = [r for r in result.runs if r.cpu.get("other", 0) > OTHER_CPU_WARN]
    if flagged:
        lines.append(
            f"- ⚠ {len(flagged)} of {len(result.runs)} rows ran while other processes used more "
            f"than {OTHER_CPU_WARN:.0%} of the CPU: treat them with care"
        )
    if result.log_problems:
        lines.append("- Server log problems: " + "; ".join(f"`{p}`" for p in result.log_problems))
    for title, header, rows in tables(result):
        lines += ["", f"### {title}", "", md_table(header, rows)]
    lines += ["", "### Targets", "", md_table(["target", "measured", ""], target_rows([result]))]
    lines.append(f"<!-- dataset:{d.key}:end -->")
    return "\n".join(lines)


RESULTS_HEAD = """# Benchmark: public catalogue

Written by `bench/run.py` (`make bench`); each run replaces the sections of the datasets it ran.
Every dataset gets a fresh temporary SQLite database (`motcua migrate`, `motcua seed-demo`, and
for “5000” `motcua import-catalogue` of 5,000 procedures from `bench/generate_catalogue.py`), then
ONE uvicorn worker serving `bench.baseline_app:create_bench_app`: the real app plus
`/_bench/thu-tuc-memory`, which renders the `/thu-tuc` template from a context computed once and
kept in memory (no lookup, no search, no database per request). All rows of a dataset are
measured against that one process, with `wrk` (`wrk_report.lua` prints the percentiles) sending
`Accept-Encoding: gzip`, `-t1` for 1 connection and `-t2` above.

Numbers are per worker, on a small machine where **wrk and the server share the same 2 cores**
over loopback: compare rows with each other, not with production. Runs vary by about 10 %.
“server CPU” and “other CPU” are shares of all cores during the row: the server process, and
everything except the server and wrk (⚠ above 5 %: another job was running, the row is suspect).

The app keeps the last answers of each catalogue snapshot, so a row repeating one search
measures a cache hit after its first request; the row “q=… (N different)” cycles through more
distinct searches (2- and 3-word runs of procedure names) than that cache holds: every request
searches.

Targets: first visit ≤ 30 kB compressed (30,000 bytes: HTML + stylesheet + script bodies);
search over 5,000 procedures p95 ≤ 50 ms at 16 clients; `/thu-tuc` real ÷ memory ≥ 0.8× req/s
at 16 clients.
"""


def _section_re(key: str) -> re.Pattern[str]:
    return re.compile(
        rf"<!-- dataset:{re.escape(key)}:begin -->.*?<!-- dataset:{re.escape(key)}:end -->", re.S
    )


def write_results(sections: dict[str, str]) -> None:
    """Refresh the head and the sections of the datasets that ran; everything else in the file
    (the other dataset's section, sections other benchmarks keep there) stays as it was."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    head = RESULTS_HEAD.rstrip()
    if old.startswith(head.split("\n", 1)[0]):  # our old head: up to the first section
        cuts = [i for i in (old.find("\n<!--"), old.find("\n## ")) if i != -1]
        rest = old[min(cuts) :].strip("\n") if cuts else ""
    else:
        rest = old.strip("\n")
    text = head + ("\n\n" + rest if rest else "")
    keys = [d.key for d in DATASETS]
    for i, key in enumerate(keys):
        if key not in sections:
            continue
        pattern = _section_re(key)
        if pattern.search(text):
            text = pattern.sub(lambda _m, key=key: sections[key], text)
            continue
        later = [m for k in keys[i + 1 :] if (m := _section_re(k).search(text))]
        earlier = [m for k in keys[:i] if (m := _section_re(k).search(text))]
        if later:
            at = min(m.start() for m in later)
            text = text[:at] + sections[key] + "\n\n" + text[at:]
        elif earlier:
            at = max(m.end() for m in earlier)
            text = text[:at] + "\n\n" + sections[key] + text[at:]
        else:
            text = head + "\n\n" + sections[key] + text[len(head) :]
    RESULTS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def report(results: list[Result], command: str) -> None:
    host = machine()
    for result in results:
        print(f"\n==== {result.dataset.title}: {result.procedures} procedures")
        for title, header, rows in tables(result):
            print(f"\n{title}\n{text_table(header, rows)}")
        if result.log_problems:
            print("\nServer log problems:\n  " + "\n  ".join(result.log_problems))
    print(f"\nTargets\n{text_table(['target', 'measured', ''], target_rows(results))}")
    sections = {r.dataset.key: section_markdown(r, command, host) for r in results}
    print(f"\n{MD_BEGIN}")
    print("\n\n".join(sections.values()))
    print(MD_END)
    write_results(sections)
    print(f"\nWrote {RESULTS.relative_to(ROOT)}")


def _stop(signum: int, _frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")  # unwinds: servers stopped, temp dirs removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load benchmark of the public catalogue.")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (10)")
    parser.add_argument(
        "--only",
        choices=[d.option for d in DATASETS],
        help="small = the demo catalogue, large = 5,000 generated procedures",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=60,
        help="before each run, wait up to this many seconds for other jobs on the machine to "
        "go idle (60; 0 = don't wait)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directories")
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 600:
        parser.error("--duration must be between 1 and 600 seconds")
    if shutil.which("wrk") is None:
        print(
            "wrk is not installed. On Debian/Ubuntu: apt-get install wrk (as root, after "
            "apt-get update).",
            file=sys.stderr,
        )
        return 2
    os.chdir(ROOT)
    # Even when started in the background (SIGINT ignored), SIGINT/SIGTERM/SIGHUP clean up.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
    argv_shown = sys.argv[1:] if argv is None else argv
    python = os.path.relpath(sys.executable, ROOT)
    command = shlex.join([python, "bench/run.py", *argv_shown])
    results = []
    for dataset in DATASETS:
        if args.only in (None, dataset.option):
            results.append(bench_dataset(dataset, args.duration, args.quiet_wait, args.keep))
    report(results, command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
