"""The citizen's journey on a slow phone: bytes and time, JavaScript on and off.

    .venv/bin/python -m bench.journey

A fresh SQLite database with the demo data, one ``motcua serve`` worker, headless Chromium at
360×640 with DevTools throttling (400 ms round trip, 400 kbit/s each way, CPU 4× slower). The
journey is the one of ``e2e/test_journeys.py``: register, log out, search without diacritics,
open the procedure, "Nộp hồ sơ trực tuyến", log in, four steps, then a 4 MB phone photo on the
documents step, until the next step shows. Printed per run: the seconds of the whole journey
and of the upload step, the bytes the browser received (DevTools ``encodedDataLength``) and the
size of the photo as the server stored it.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]


def _environment(tmp: Path) -> dict[str, str]:
    env = os.environ.copy()
    env.update(
        MOTCUA_DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        MOTCUA_DATA_DIR=str(tmp / "data"),
        MOTCUA_SECRET_KEY="bench-secret",
        MOTCUA_ENV="development",  # loopback links, as `make run` serves the demo
        MOTCUA_ARGON2_TIME_COST="2",
        MOTCUA_REGISTRATIONS_PER_ADDRESS="1000",
        MOTCUA_OUTBOX_WORKER="0",
    )
    return env


def _journey(browser, base_url: str, javascript: bool, db: Path) -> dict[str, float]:
    from e2e.journeys import DIVORCE_PAPER_LABEL, MaritalStatusAnswers
    from e2e.test_journeys import _new_citizen_logged_out, _to_the_documents_step, phone_photo

    context = browser.new_context(
        base_url=base_url, viewport={"width": 360, "height": 640}, java_script_enabled=javascript
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received = [0]
    cdp.on(
        "Network.loadingFinished",
        lambda e: received.__setitem__(0, received[0] + e["encodedDataLength"]),
    )
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 400,
            "downloadThroughput": 50_000,
            "uploadThroughput": 50_000,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    expect.set_options(timeout=300_000)
    page.set_default_timeout(600_000)  # without JavaScript the whole photo crawls up
    photo = phone_photo()
    started = time.monotonic()
    citizen = _new_citizen_logged_out(page)
    wizard = _to_the_documents_step(page, citizen, MaritalStatusAnswers())
    upload_started = time.monotonic()
    wizard.attach(DIVORCE_PAPER_LABEL, photo)
    expect(wizard.next_button).to_be_enabled()
    wizard.save_and_continue()
    expect(wizard.heading).to_have_text("Nhận kết quả")
    ended = time.monotonic()
    with sqlite3.connect(db) as conn:
        (stored,) = conn.execute("SELECT size FROM attachment ORDER BY id DESC LIMIT 1").fetchone()
    context.close()
    return {
        "journey_s": ended - started,
        "upload_s": ended - upload_started,
        "received_bytes": received[0],
        "photo_bytes": len(photo["buffer"]),
        "sent_photo_bytes": stored,
    }


def main() -> None:
    from e2e.support import live_portal

    tmp = Path(tempfile.mkdtemp(prefix="motcua-bench-journey-"))
    env = _environment(tmp)
    for command in (["migrate"], ["seed-demo"]):
        subprocess.run([sys.executable, "-m", "app.cli", *command], cwd=ROOT, env=env, check=True)
    with live_portal(env, tmp / "server.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        print(
            "| JavaScript | journey (s) | upload step (s) | received (bytes) | photo (bytes) "
            "| photo sent (bytes) |"
        )
        print("|---|---|---|---|---|---|")
        for javascript in (True, False):
            r = _journey(browser, url, javascript, tmp / "bench.sqlite3")
            print(
                f"| {'on' if javascript else 'off'} | {r['journey_s']:.1f} | {r['upload_s']:.1f} "
                f"| {r['received_bytes']:,} | {r['photo_bytes']:,} | {r['sent_photo_bytes']:,} |",
                flush=True,
            )
        browser.close()


if __name__ == "__main__":
    main()
