"""Benchmark of the statistics: rebuild time, then the report and the public page under load.

A fresh database (SQLite file, or ``--pg-url``: an empty PostgreSQL database), migrate,
seed-demo, ``--dossiers`` dossiers with their history from ``bench/seed_dossiers.py``,
``motcua rebuild-statistics`` timed, then ONE server process and wrk at 16 connections on
``/thu-tuc`` (the catalogue baseline of the same run), ``/thong-ke`` (the public figures of the
whole province for the year) and ``/mot-cua/bao-cao`` (form II.06a of the province by agency
for the year, logged in as the provincial leader) — once with the figures cache as configured
by default, once with ``MOTCUA_STATISTICS_CACHE_SECONDS=0`` (every request sums the rollups).
Prints markdown rows for bench/RESULTS.md: req/s, ratio to the baseline, latency percentiles,
bytes per response and the server's RSS after the load.

    .venv/bin/python -m bench.statistics --dossiers 100000 --duration 10
    .venv/bin/python -m bench.statistics --pg-url postgresql://motcua:motcua@127.0.0.1:5432/x
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.dossiers import AppServer, bench_env, run_wrk
from bench.seed_dossiers import Target, analyze, load

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "bench" / "wrk_report.lua"
HEADERS = ["Accept-Encoding: gzip"]
LEADER = "lanhdao.tinh"
PASSWORD = "motcua-demo-2026"


def motcua(env: dict[str, str], *args: str) -> str:
    script = Path(sys.executable).with_name("motcua")
    done = subprocess.run([str(script), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def leader_cookie(base: str) -> str:
    import httpx

    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        client.get("/mot-cua/dang-nhap").raise_for_status()
        csrf = client.cookies["csrftoken"]
        resp = client.post(
            "/mot-cua/dang-nhap",
            data={"ten_dang_nhap": LEADER, "mat_khau": PASSWORD},
            headers={"x-csrftoken": csrf},
        )
        assert resp.status_code == 303, resp.text[:300]
        return f"motcua_session={client.cookies['motcua_session']}; csrftoken={csrf}"


def rss_mib(server: AppServer) -> float:
    """VmRSS of the server process tree's largest process (the single worker)."""
    from bench.dossiers import descendants

    largest = 0
    for pid in descendants(server.proc.pid):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    largest = max(largest, int(line.split()[1]))
        except OSError:
            continue
    return largest / 1024


def seed(env: dict[str, str], url: str, dossiers: int) -> float:
    motcua(env, "migrate")
    motcua(env, "seed-demo")
    target = Target(url)
    seeded = load(target, target.generator(datetime.now(UTC)), dossiers, progress=False)
    analyze(target)
    print(f"seeded {seeded['dossiers']:,} dossiers, {seeded['events']:,} events "
          f"in {seeded['seconds']:.0f} s")  # fmt: skip
    started = time.perf_counter()
    print(motcua(env, "rebuild-statistics").strip())
    rebuild = time.perf_counter() - started
    analyze(target)
    tables = ("dossier_event", "statistic_dossier", "statistic_day", "statistic_month")
    sizes = {t: target.fetch(f"SELECT COUNT(*) FROM {t}")[0][0] for t in tables}
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    return rebuild


def measure(env: dict[str, str], log: Path, args: argparse.Namespace, label: str) -> None:
    year = datetime.now(UTC).year
    server = AppServer(env, log, 1)
    try:
        server.wait_ready()
        cookie = leader_cookie(server.base)
        rows = [
            ("/thu-tuc (baseline)", "/thu-tuc", []),
            ("/thong-ke", f"/thong-ke?ky=nam&nam={year}", []),
            ("/mot-cua/bao-cao", f"/mot-cua/bao-cao?ky=nam&nam={year}", [f"Cookie: {cookie}"]),
        ]
        print(f"\n{label}\n")
        print("| page | req/s | × baseline | p50 ms | p95 ms | p99 ms | bytes/resp | errors |")
        print("|---|---|---|---|---|---|---|---|")
        baseline = None
        for name, path, extra in rows:
            fig = run_wrk(server.base + path, args.clients, args.duration, HEADERS + extra, REPORT)
            baseline = baseline or fig["rps"]
            per = fig["bytes"] / max(1, fig["requests"])
            print(
                f"| {name} | {fig['rps']:.0f} | {fig['rps'] / baseline:.2f} | "
                f"{fig['p50_ms']:.1f} | {fig['p95_ms']:.1f} | {fig['p99_ms']:.1f} | "
                f"{per:,.0f} | {fig['non_2xx_3xx']} |"
            )
        print(f"\nserver RSS after the load: {rss_mib(server):.0f} MiB")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--pg-url", help="an empty PostgreSQL database instead of SQLite")
    parser.add_argument("--reuse", type=Path, help="the directory of an earlier run: no seeding")
    args = parser.parse_args()
    tmp = args.reuse or Path(tempfile.mkdtemp(prefix="motcua-bench-stats-"))
    url = args.pg_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = bench_env(tmp, url)
    rebuild = float("nan") if args.reuse else seed(env, url, args.dossiers)
    engine = "PostgreSQL" if args.pg_url else "SQLite"
    print(f"\n{engine}, {args.dossiers:,} dossiers; rebuild-statistics {rebuild:.1f} s (wall, "
          f"whole command); {args.clients} connections, {args.duration} s each")  # fmt: skip
    measure(env, tmp / "server.log", args, "figures cache on (default, 30 s, keyed by watermark)")
    cold = {**env, "MOTCUA_STATISTICS_CACHE_SECONDS": "0"}
    measure(cold, tmp / "server-cold.log", args, "figures cache off: every request sums")


if __name__ == "__main__":
    main()
