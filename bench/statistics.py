"""Benchmark of the statistics: rebuild time, then the report and the public page under load.

A fresh SQLite database (migrate, seed-demo), ``--dossiers`` dossiers with their history from
``bench/seed_dossiers.py``, ``motcua rebuild-statistics`` timed, then ONE server process and wrk
at 16 connections on ``/thu-tuc`` (the catalogue baseline of the same run), ``/thong-ke`` (the
public figures of the whole province for the year) and ``/mot-cua/bao-cao`` (form II.06a of the
province by agency for the year, logged in as the provincial leader). Prints the figures as
markdown rows for bench/RESULTS.md.

    .venv/bin/python -m bench.statistics --dossiers 100000 --duration 10
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
from bench.seed_dossiers import Target, load

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--reuse", type=Path, help="the directory of an earlier run: no seeding")
    args = parser.parse_args()
    tmp = args.reuse or Path(tempfile.mkdtemp(prefix="motcua-bench-stats-"))
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = bench_env(tmp, url)
    rebuild = float("nan")
    if not args.reuse:
        motcua(env, "migrate")
        motcua(env, "seed-demo")
        target = Target(url)
        seeded = load(target, target.generator(datetime.now(UTC)), args.dossiers, progress=False)
        print(f"seeded {seeded['dossiers']} dossiers, {seeded['events']} events "
              f"in {seeded['seconds']:.0f} s")  # fmt: skip
        started = time.perf_counter()
        print(motcua(env, "rebuild-statistics").strip())
        rebuild = time.perf_counter() - started
    year = datetime.now(UTC).year
    server = AppServer(env, tmp / "server.log", 1)
    try:
        server.wait_ready()
        cookie = leader_cookie(server.base)
        rows = [
            ("/thu-tuc (baseline)", "/thu-tuc", []),
            ("/thong-ke", f"/thong-ke?ky=nam&nam={year}", []),
            ("/mot-cua/bao-cao", f"/mot-cua/bao-cao?ky=nam&nam={year}", [f"Cookie: {cookie}"]),
        ]
        print(f"\n{args.dossiers:,} dossiers; rebuild-statistics {rebuild:.1f} s (wall, whole "
              f"command); {args.clients} connections, {args.duration} s each\n")  # fmt: skip
        print("| page | req/s | p50 ms | p95 ms | p99 ms | errors |\n|---|---|---|---|---|---|")
        for label, path, extra in rows:
            fig = run_wrk(server.base + path, args.clients, args.duration, HEADERS + extra, REPORT)
            print(
                f"| {label} | {fig['rps']:.0f} | {fig['p50_ms']:.1f} | "
                f"{fig['p95_ms']:.1f} | {fig['p99_ms']:.1f} | {fig['non_2xx_3xx']} |"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
