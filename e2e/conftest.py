"""End-to-end fixtures: a live server on the demo database and Debian's Chromium at 360×640.

Every test that uses ``page`` runs twice, with JavaScript enabled ("js", the HTMX journey) and
disabled ("nojs", plain HTML forms and links); a test that must act differently asks for the
``javascript`` fixture.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext

from e2e.support import forget_desk_views, guard_context, live_portal, run_async


@pytest.fixture(scope="session")
def live_server(demo_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``motcua serve`` in a subprocess on a free port; yields its base URL."""
    log_path = tmp_path_factory.mktemp("live-server") / "server.log"
    # The demo officers start on their role's own tab: views the other suites filtered to
    # (they share the database) are not remembered here.
    run_async(forget_desk_views())
    with live_portal(os.environ.copy(), log_path) as url:
        yield url


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
    """pytest-playwright's context (artifacts, base URL, viewport) with JavaScript on or off.

    Every page of it may ``goto`` once, for its first page; then the journey clicks."""
    return new_context(java_script_enabled=javascript)


@pytest.fixture
def new_context(new_context):
    """pytest-playwright's ``new_context``, whose pages may ``goto`` only for their first page
    (see ``e2e.support.guard_goto``): journeys go on by clicking, as people do."""

    def make(**kwargs):
        return guard_context(new_context(**kwargs))

    return make
