"""Helpers shared by the end-to-end tests: live servers in subprocesses, and builders run from
the synchronous browser tests."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
T = TypeVar("T")


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine in its own thread and loop (the browser API owns this thread's loop)."""
    box: dict[str, T] = {}
    thread = threading.Thread(target=lambda: box.setdefault("value", asyncio.run(coro)))
    thread.start()
    thread.join()
    return box["value"]


async def forget_desk_views() -> None:
    """No officer's last queue view is remembered (the suites share one database)."""
    from app.models import DeskView

    await DeskView.delete(force=True).run()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def live_portal(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """``motcua serve`` (one worker) in a subprocess on a free port; yields its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1"]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not answers_ok(f"{url}/"):
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


# Journeys go on by clicking ---------------------------------------------------------------------

GOTO_REFUSED = (
    "page.goto({url!r}) after the first page: a person clicks and types from there. Use "
    "e2e.support.type_address() only for an address a person really types (a receipt's "
    "tracking link, a link from an e-mail read from the test SMTP server)."
)


def guard_goto(page: Any) -> None:
    """After the first ``page.goto`` of a page, further ``goto`` fails the test."""
    if hasattr(page, "_e2e_typed_goto"):
        return
    original = page.goto
    opened: list[str] = []

    def goto(url: str, *args: Any, **kwargs: Any):
        if opened:
            pytest.fail(GOTO_REFUSED.format(url=url))
        opened.append(url)
        return original(url, *args, **kwargs)

    page.goto = goto
    page._e2e_typed_goto = original


def guard_context(context: Any) -> Any:
    """Every page of this browser context follows the rule of ``guard_goto``."""
    new_page = context.new_page

    def guarded_new_page(*args: Any, **kwargs: Any):
        page = new_page(*args, **kwargs)
        guard_goto(page)
        return page

    context.new_page = guarded_new_page
    context.on("page", guard_goto)
    return context


def type_address(page: Any, url: str, **kwargs: Any):
    """A person types (or opens from a message) this address: the only jump a journey may make
    after its first page."""
    return getattr(page, "_e2e_typed_goto", page.goto)(url, **kwargs)
