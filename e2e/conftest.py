"""End-to-end fixtures: a live server on the demo database and Debian's Chromium at 360×640.

Every test that uses ``page`` runs twice, with JavaScript enabled ("js", the HTMX journey) and
disabled ("nojs", plain HTML forms and links); a test that must act differently asks for the
``javascript`` fixture.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="session")
def live_server(demo_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``motcua serve`` in a subprocess on a free port; yields its base URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("live-server") / "server.log"
    command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1"]
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command, cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _answers_ok(f"{url}/"):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"the server did not start on {url} (exit code {server.poll()}):\n"
                        + log_path.read_text(errors="replace")[-4000:]
                    )
                time.sleep(0.1)  # polling a starting server, not waiting in a test
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright passes this to every browser context, so ``page.goto("/thu-tuc")``."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A small phone screen for every test, and downloads allowed."""
    return {
        **browser_context_args,
        "viewport": {"width": 360, "height": 640},
        "accept_downloads": True,
    }


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def javascript(request: pytest.FixtureRequest) -> bool:
    """Whether the browser runs JavaScript in this run of the test."""
    return request.param


@pytest.fixture
def context(new_context, javascript: bool) -> BrowserContext:
    """pytest-playwright's context (artifacts, base URL, viewport) with JavaScript on or off."""
    return new_context(java_script_enabled=javascript)
