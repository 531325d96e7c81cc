"""Attack family: forged Host headers, default secrets, forged X-Forwarded-For."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from litestar.testing import AsyncTestClient

from app.main import create_app
from app.models import Outbox
from app.settings import get_settings
from tests.integration.helpers import post_form, register


@pytest.fixture
async def fresh_client(demo_db):
    async with AsyncTestClient(app=create_app()) as client:
        yield client


async def test_an_unknown_host_header_is_refused(client):
    r = await client.get("/", headers={"host": "evil.example"})
    assert r.status_code == 400
    assert "tên miền" in r.text
    assert (await client.get("/")).status_code == 200


async def test_a_reset_asked_under_a_forged_host_links_to_the_configured_address(fresh_client):
    await register(fresh_client, "thu.host@example.com")
    r = await post_form(fresh_client, "/quen-mat-khau", {"dinh_danh": "thu.host@example.com"})
    assert r.status_code == 200
    mail = (
        await Outbox.select()
        .where(Outbox.recipient == "thu.host@example.com")
        .order_by(Outbox.id, ascending=False)
        .first()
        .run()
    )
    assert get_settings().public_url + "/dat-lai-mat-khau/" in mail["body"]
    forged = await fresh_client.post(
        "/quen-mat-khau",
        data={"dinh_danh": "thu.host@example.com"},
        headers={"host": "evil.example"},
    )
    assert forged.status_code == 400
    bodies = await Outbox.select(Outbox.body).run()
    assert not any("evil.example" in row["body"] for row in bodies)


def _serve(extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "MOTCUA_PORT": "1", **extra}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--workers", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_real_gateway_with_the_default_secret_does_not_start(demo_db):
    done = _serve(
        {"MOTCUA_VNPAY_URL": "https://pay.vnpay.vn/vpcpay.html", "MOTCUA_VNPAY_SECRET": ""}
    )
    assert done.returncode != 0
    assert "MOTCUA_VNPAY_SECRET" in done.stderr


def test_production_with_the_test_secret_key_does_not_start(demo_db):
    done = _serve({"MOTCUA_ENV": "production", "MOTCUA_BASE_URL": "https://dvc.example.vn"})
    assert done.returncode != 0
    assert "MOTCUA_SECRET_KEY" in done.stderr


async def test_the_sandbox_gateway_is_mounted_only_when_enabled(monkeypatch, demo_db):
    monkeypatch.setenv("MOTCUA_SANDBOX_GATEWAY", "0")
    get_settings.cache_clear()
    try:
        paths = {route.path for route in create_app().routes}
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert not any(path.startswith("/sandbox") for path in paths)
    assert any(path.startswith("/sandbox") for path in {r.path for r in create_app().routes})
