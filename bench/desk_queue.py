"""Benchmark of the desk's working queue with filters, keyset pages and exports.

    .venv/bin/python bench/desk_queue.py [--only sqlite|postgres] [--dossiers N] [--duration S]
                                         [--reuse FILE.sqlite3]

For each database (a fresh temporary SQLite file; a throwaway PostgreSQL 15 cluster) it runs
``motcua migrate`` and ``seed-demo``, bulk-inserts ``--dossiers`` (100,000) dossiers with
``bench/seed_dossiers.py``, builds the desk index with ``motcua check-counts --repair`` (as
after any bulk import; ``--reuse`` instead takes the SQLite file a ``bench/dossiers.py --keep``
run left, loaded and indexed), starts ``motcua serve`` (1 worker), logs in as the Hòa Bình
receptionist and measures with wrk (1 and 16 connections):

* the catalogue page ``/thu-tuc`` (the baseline of the same run, same server);
* the unfiltered "Đang xử lý" tab, the same tab filtered (procedure + received range + due
  sort), with more filters (channel + fee status), and its second keyset page;

then downloads the CSV and XLSX exports of the filtered list and of the whole "Đã kết thúc"
tab once each (time, bytes, rows) with the server's peak RSS (VmHWM) before and after. Prints
the tables and writes the section "Desk queue, filters and exports" of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# run as a script, bench/ comes first on the path and bench/statistics.py would hide the stdlib's
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _pg  # noqa: E402
from bench.dossiers import (  # noqa: E402
    PG_SETTINGS,
    AppServer,
    bench_env,
    rebuild_index,
    run_wrk,
)
from bench.run import WRK_SCRIPT, machine, md_table, motcua, text_table, versions  # noqa: E402
from bench.seed_dossiers import Target, analyze, load  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
BEGIN, END = "<!-- desk-queue:begin -->", "<!-- desk-queue:end -->"
TITLE = "## Desk queue, filters and exports"
NEXT_RE = re.compile(r'href="([^"]+)">Trang sau')
PASSWORD = "motcua-demo-2026"
TOTAL_RE = re.compile(r'id="queue-heading">[^<]*<span class="count">\(([\d.]+)\)')


CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')


def desk_login(base: str) -> str:
    """A real login of the Hòa Bình receptionist; the Cookie header of the session."""
    import httpx

    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        form = client.get("/mot-cua/dang-nhap")
        token = CSRF_INPUT.search(form.text).group(1)
        resp = client.post(
            "/mot-cua/dang-nhap",
            data={"_csrf_token": token, "ten_dang_nhap": "tiepnhan.hoabinh", "mat_khau": PASSWORD},
        )
        if resp.status_code != 303:
            raise RuntimeError(f"desk login answered {resp.status_code}: {resp.text[:300]}")
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def rss_kib(pid: int) -> dict[str, int]:
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


def server_pids(server: AppServer) -> list[int]:
    from bench.dossiers import descendants

    return [server.proc.pid, *descendants(server.proc.pid)]


def peak_rss_mib(server: AppServer) -> float:
    return max(rss_kib(pid).get("VmHWM", 0) for pid in server_pids(server)) / 1024


def now_rss_mib(server: AppServer) -> float:
    return max(rss_kib(pid).get("VmRSS", 0) for pid in server_pids(server)) / 1024


def paths(base: str, cookie: str) -> list[tuple[str, str]]:
    import httpx

    today = datetime.now(UTC) + timedelta(hours=7)
    start = (today - timedelta(days=60)).date().isoformat()
    filtered = f"/mot-cua?hang=dang-xu-ly&thu_tuc=P19&nhan_tu={start}&sap_xep=han"
    first = httpx.get(base + filtered, headers={"Cookie": cookie}, timeout=60)
    match = NEXT_RE.search(first.text)
    rows = [
        ("catalogue /thu-tuc (baseline)", "/thu-tuc"),
        ("queue, no filter", "/mot-cua?hang=dang-xu-ly"),
        ("queue, procedure + received range, by due", filtered),
        ("queue, + channel + fee status", filtered + "&kenh=online&phi=not_required"),
    ]
    if match:
        rows.append(("queue, filtered, keyset page 2", unescape(match.group(1))))
    return rows


def measure_pages(base: str, cookie: str, duration: int) -> list[dict[str, Any]]:
    import httpx

    out = []
    for label, path in paths(base, cookie):
        headers = [f"Cookie: {cookie}", "Accept-Encoding: gzip"]
        probe = httpx.get(base + path, headers={"Cookie": cookie}, timeout=60)
        assert probe.status_code == 200, (path, probe.status_code)
        total = TOTAL_RE.search(probe.text)
        row = {"label": label, "path": path, "bytes": len(probe.content)}
        row["total"] = int(total.group(1).replace(".", "")) if total else None
        for clients in (1, 16):
            row[clients] = run_wrk(base + path, clients, duration, headers, WRK_SCRIPT)
        out.append(row)
    return out


def measure_exports(base: str, cookie: str, server: AppServer) -> list[dict[str, Any]]:
    import httpx

    today = datetime.now(UTC) + timedelta(hours=7)
    start = (today - timedelta(days=60)).date().isoformat()
    lists = {
        "filtered (P19, 60 days)": f"hang=dang-xu-ly&thu_tuc=P19&nhan_tu={start}",
        "whole tab Đã kết thúc": "hang=da-ket-thuc",
    }
    out = []
    for name, query in lists.items():
        for kind in ("csv", "xlsx"):
            before = peak_rss_mib(server), now_rss_mib(server)
            started = time.perf_counter()
            size, first_byte = 0, None
            with httpx.stream(
                "GET",
                f"{base}/mot-cua/xuat/{kind}?{query}",
                headers={"Cookie": cookie},
                timeout=600,
            ) as response:
                assert response.status_code == 200, response.status_code
                for chunk in response.iter_bytes():
                    first_byte = first_byte or time.perf_counter() - started
                    size += len(chunk)
            seconds = time.perf_counter() - started
            out.append(
                {
                    "list": name,
                    "kind": kind,
                    "seconds": seconds,
                    "first_byte_s": first_byte or seconds,
                    "bytes": size,
                    "rss_before": before[1],
                    "peak_before": before[0],
                    "peak_after": peak_rss_mib(server),
                }
            )
    return out


def run_backend(key: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="desk-queue-bench-") as tmp_name:
        tmp = Path(tmp_name)
        pg = None
        try:
            if key == "postgres":
                pg = _pg.ThrowawayPostgres(PG_SETTINGS).start()
                url = pg.url
            else:
                url = f"sqlite:///{tmp / 'db.sqlite3'}"
            if args.reuse is not None:
                url = f"sqlite:///{args.reuse.resolve()}"
            env = bench_env(tmp, url)
            log = tmp / "setup.log"
            target = Target(url)
            if args.reuse is None:
                motcua(["migrate"], env, log, 300)
                motcua(["seed-demo"], env, log, 300)
                loaded = load(target, target.generator(datetime.now(UTC)), args.dossiers)
                loaded["desk index s"] = rebuild_index(env, log)
                analyze(target)  # after the index: its rows need the planner's statistics too
            else:  # a database an earlier run kept: loaded and indexed already
                count = target.fetch("SELECT COUNT(*) FROM dossier")[0][0]
                loaded = {"dossiers": count, "events": None, "seconds": 0.0}
            server = AppServer(env, tmp / "server.log", workers=1)
            try:
                server.wait_ready()
                cookie = desk_login(server.base)
                pages = measure_pages(server.base, cookie, args.duration)
                exports = measure_exports(server.base, cookie, server)
            finally:
                server.stop()
            return {"key": key, "loaded": loaded, "pages": pages, "exports": exports}
        finally:
            if pg is not None:
                pg.stop()


def page_table(result: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    header = ["page", "rows (total)", "bytes", "1 conn req/s", "p50/p95/p99 ms"]
    header += ["16 conn req/s", "p50/p95/p99 ms", "÷ catalogue (16)"]
    base_rps = result["pages"][0][16]["rps"]
    rows = []
    for row in result["pages"]:
        one, many = row[1], row[16]
        rows.append(
            [
                row["label"],
                "" if row["total"] is None else f"{row['total']:,}",
                f"{row['bytes']:,}",
                f"{one['rps']:.1f}",
                f"{one['p50_ms']:.0f} / {one['p95_ms']:.0f} / {one['p99_ms']:.0f}",
                f"{many['rps']:.1f}",
                f"{many['p50_ms']:.0f} / {many['p95_ms']:.0f} / {many['p99_ms']:.0f}",
                f"{many['rps'] / base_rps:.2f}×",
            ]
        )
    return header, rows


def export_table(result: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    header = ["list", "format", "seconds", "first byte s", "bytes", "server RSS MiB"]
    header += ["peak RSS before → after MiB"]
    rows = [
        [
            e["list"],
            e["kind"],
            f"{e['seconds']:.2f}",
            f"{e['first_byte_s']:.2f}",
            f"{e['bytes']:,}",
            f"{e['rss_before']:.0f}",
            f"{e['peak_before']:.0f} → {e['peak_after']:.0f}",
        ]
        for e in result["exports"]
    ]
    return header, rows


def section(results: list[dict[str, Any]], command: str) -> str:
    lines = [
        BEGIN,
        TITLE,
        "",
        "Written by `bench/desk_queue.py` (its own section). "
        f"Date: {datetime.now(UTC):%Y-%m-%dT%H:%M}+00:00. Machine: {machine()}; {versions()}.",
        "wrk and the server share the same 2 cores; one uvicorn worker; the catalogue page is "
        "the baseline measured by the same server in the same run (ratio = queue ÷ catalogue "
        "req/s at 16 connections). Officer: tiepnhan.hoabinh (phường Hòa Bình, about a quarter "
        "of the dossiers).",
        f"Command: `{command}`",
        "",
    ]
    for result in results:
        count = result["loaded"]["dossiers"]
        lines += [f"### {result['key']}, {count:,} dossiers", ""]
        for header, rows in (page_table(result), export_table(result)):
            lines += [md_table(header, rows), ""]
    lines.append(END)
    return "\n".join(lines)


def write_section(markdown: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + markdown + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + markdown + "\n"
    RESULTS.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument(
        "--reuse",
        type=Path,
        help="the SQLite file of an earlier run (bench/dossiers.py --keep): no load, --only sqlite",
    )
    args = parser.parse_args(argv)
    if args.reuse is not None and (args.only != "sqlite" or not args.reuse.is_file()):
        parser.error("--reuse takes an existing SQLite file, with --only sqlite")
    results = []
    for key in [args.only] if args.only else ["sqlite", "postgres"]:
        print(f"{key}: {args.dossiers:,} dossiers…", flush=True)
        result = run_backend(key, args)
        for header, rows in (page_table(result), export_table(result)):
            print(text_table(header, rows))
        results.append(result)
    write_section(section(results, "python bench/desk_queue.py " + " ".join(argv or sys.argv[1:])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
