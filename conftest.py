"""Test environment shared by tests/ and e2e/: a throw-away database and data directory.

MOTCUA_TEST_DATABASE_URL selects a PostgreSQL database (CI); otherwise a temporary SQLite file.
The variables are set before any ``app`` module reads its settings.
"""

import asyncio
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="motcua-test-"))
os.environ["MOTCUA_DATA_DIR"] = str(_TMP / "data")
os.environ["MOTCUA_DATABASE_URL"] = (
    os.environ.get("MOTCUA_TEST_DATABASE_URL") or f"sqlite:///{_TMP / 'test.sqlite3'}"
)
os.environ["MOTCUA_SECRET_KEY"] = "test-secret-key"
os.environ["MOTCUA_ENV"] = "development"
os.environ["MOTCUA_SANDBOX_GATEWAY"] = "1"
# The in-process client says "testserver.local"; live servers answer on 127.0.0.1.
os.environ["MOTCUA_ALLOWED_HOSTS"] = "testserver.local,127.0.0.1,localhost"
os.environ.pop("MOTCUA_BASE_URL", None)
os.environ.pop("MOTCUA_TRUSTED_PROXIES", None)
os.environ["MOTCUA_DB_POOL"] = "0"
os.environ["MOTCUA_CATALOGUE_CACHE_SECONDS"] = "0"
os.environ["MOTCUA_TRACKING_POLL_SECONDS"] = "2"
os.environ["MOTCUA_REGISTRATIONS_PER_ADDRESS"] = "100000"  # every test client shares one address
os.environ["MOTCUA_OUTBOX_WORKER"] = "0"  # tests deliver explicitly; e2e servers set their own


def _motcua(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "app.cli", *args], check=True, capture_output=True)


async def _reset_postgres(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def demo_db() -> str:
    """A migrated database holding the demo agencies and catalogue."""
    url = os.environ["MOTCUA_DATABASE_URL"]
    if url.startswith("postgres"):
        # In a thread of its own: the browser tests' runner may already hold this thread's loop.
        failed: list[BaseException] = []

        def reset() -> None:
            try:
                asyncio.run(_reset_postgres(url))
            except BaseException as exc:  # raised again below, in the fixture's thread
                failed.append(exc)

        thread = threading.Thread(target=reset)
        thread.start()
        thread.join()
        if failed:
            raise failed[0]
    _motcua("migrate")
    _motcua("seed-demo")
    return url
