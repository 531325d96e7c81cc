"""A throwaway PostgreSQL cluster for benchmarks: initdb in a temporary directory, started on a
free loopback port as user ``postgres`` (through ``runuser``), stopped and removed on exit.

    with ThrowawayPostgres() as pg:
        url = pg.url  # postgresql://postgres@127.0.0.1:PORT/motcua_bench

Only the cluster this object started is ever stopped (``pg_ctl -D ITS_DIR stop``). The commands
are the ones of STACK-NOTES §5 (PostgreSQL 15 binaries in /usr/lib/postgresql/15/bin).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.run import free_port

PG_BIN = Path(os.environ.get("MOTCUA_BENCH_PG_BIN", "/usr/lib/postgresql/15/bin"))
DATABASE = "motcua_bench"


def available() -> str | None:
    """Why a throwaway cluster cannot be made here, or None."""
    if not (PG_BIN / "initdb").exists():
        return f"no PostgreSQL binaries in {PG_BIN} (apt-get install postgresql)"
    if shutil.which("runuser") is None:
        return "runuser is missing"
    try:
        subprocess.run(["id", "postgres"], check=True, capture_output=True, timeout=10)
    except (subprocess.CalledProcessError, OSError):
        return "there is no 'postgres' user"
    if os.geteuid() != 0:
        return "runuser -u postgres needs root"
    return None


class ThrowawayPostgres:
    """initdb + pg_ctl start on a free port; ``stop()`` is idempotent and removes the directory."""

    def __init__(self, settings: dict[str, str] | None = None, keep: bool = False):
        self.settings = settings or {}
        self.keep = keep
        self.dir = Path(tempfile.mkdtemp(prefix="motcua-bench-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.port = free_port()
        self.started = False

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _as_postgres(self, *cmd: str, timeout: float = 120) -> str:
        done = subprocess.run(
            ["runuser", "-u", "postgres", "--", *cmd],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.dir,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
        return done.stdout

    def start(self) -> ThrowawayPostgres:
        shutil.chown(self.dir, "postgres", "postgres")
        self.dir.chmod(0o700)
        self._as_postgres(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-instructions",
        )
        options = [
            f"-p {self.port}",
            f"-k {self.dir}",
            "-c listen_addresses=127.0.0.1",
            *(f"-c {k}={v}" for k, v in self.settings.items()),
        ]
        self.started = True  # from here on, stop() must run pg_ctl stop
        self._as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            " ".join(options),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "start",
        )
        self.psql(f"CREATE DATABASE {DATABASE}", database="postgres")
        return self

    def psql(self, sql: str, database: str = DATABASE) -> str:
        return self._as_postgres(
            str(PG_BIN / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-tAq",
            "-c",
            sql,
        )

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        if self.started:
            self.started = False
            try:
                self._as_postgres(
                    str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"
                )
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                pid = self.postmaster_pid()
                print(f"  pg_ctl stop failed ({exc}); postmaster pid {pid}")
                if pid:  # only the postmaster of this cluster, read from its own pid file
                    try:
                        os.kill(pid, 15)
                        time.sleep(2)
                    except ProcessLookupError:
                        pass
        if self.keep:
            print(f"  kept {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> ThrowawayPostgres:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()
