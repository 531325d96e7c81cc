"""Attack family: bursts against the limits. Every request of a burst is truly concurrent (one
client and event loop per thread), and the limit must hold for the whole burst."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from litestar.testing import TestClient

from app.main import create_app
from app.services import accounts, login, login_limits, officers, rate_limit, tracking
from tests.integration.builders import PROVINCE_CENTRE
from tests.integration.builders_notifications import CITIZEN_PASSWORD, submitted_dossier
from tests.integration.helpers import CSRF_RE

BURST = 60


class Counted:
    """Wraps an async function and counts its calls from any thread."""

    def __init__(self, wrapped):
        self.wrapped, self.calls, self._lock = wrapped, 0, threading.Lock()

    async def __call__(self, *args, **kwargs):
        with self._lock:
            self.calls += 1
        return await self.wrapped(*args, **kwargs)


def _burst(requests: list[tuple[str, str, dict]]) -> list:
    """Send every (method, path, data) at once, each from its own fresh browser."""
    # The barrier only guards against a hang: every browser must start (and fetch its form)
    # before the first request leaves, which takes a while on a busy machine.
    barrier = threading.Barrier(len(requests), timeout=600)
    # Built here, one after the other: built in the threads, the apps fought for the
    # interpreter and the last browser could reach the barrier after its timeout.
    apps = [create_app() for _ in requests]

    def one(method: str, path: str, data: dict, app):
        with TestClient(app=app) as browser:
            try:
                if method == "POST":
                    token = CSRF_RE.search(browser.get(path).text).group(1)
                    data = {"_csrf_token": token, **data}
            except BaseException:
                barrier.abort()  # the others stop waiting for a browser that failed
                raise
            barrier.wait()
            if method == "POST":
                return browser.post(path, data=data, follow_redirects=False)
            return browser.get(path, params=data)

    # One thread per request: the default executor has too few threads for the barrier.
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        futures = [pool.submit(one, *r, app) for r, app in zip(requests, apps, strict=True)]
        return [f.result() for f in futures]


@pytest.fixture
async def clean_address():
    await rate_limit.reset(login_limits.PER_ADDRESS, "testclient")
    await rate_limit.reset(tracking.LOOKUP_PER_ADDRESS, "testclient")
    yield
    await rate_limit.reset(login_limits.PER_ADDRESS, "testclient")
    await rate_limit.reset(tracking.LOOKUP_PER_ADDRESS, "testclient")


async def test_a_citizen_login_burst_evaluates_at_most_the_limit(
    demo_db, clean_address, monkeypatch
):
    citizen = await accounts.register(
        "Lê Văn Thử", "0908000001", CITIZEN_PASSWORD, CITIZEN_PASSWORD
    )
    counted = Counted(login.verify_password)
    monkeypatch.setattr(login, "verify_password", counted)
    guesses = [{"dinh_danh": "0908000001", "mat_khau": f"sai mat khau {i}"} for i in range(BURST)]
    right = {"dinh_danh": "0908000001", "mat_khau": CITIZEN_PASSWORD}
    answers = _burst([("POST", "/dang-nhap", g) for g in guesses])
    assert counted.calls <= login_limits.TIERS[0].max_hits
    assert sum(a.status_code == 429 for a in answers) >= BURST - login_limits.TIERS[0].max_hits
    assert all(a.status_code in (401, 429) for a in answers)
    # The right password after the burst does not log in: the limit was reached.
    (late,) = _burst([("POST", "/dang-nhap", right)])
    assert late.status_code == 429 and counted.calls <= login_limits.TIERS[0].max_hits
    await login_limits.succeeded(f"citizen:{citizen.id}", "testclient")


async def test_an_officer_login_burst_evaluates_at_most_the_limit(
    demo_db, clean_address, monkeypatch
):
    await officers.create_officer(
        officers.OfficerInput(
            "thu.dot", "Cán bộ Thử", PROVINCE_CENTRE, ("specialist",), "mat khau can bo 2026"
        )
    )
    counted = Counted(login.verify_password)
    monkeypatch.setattr(login, "verify_password", counted)
    guesses = [{"ten_dang_nhap": "thu.dot", "mat_khau": f"sai {i}"} for i in range(BURST)]
    right = {"ten_dang_nhap": "thu.dot", "mat_khau": "mat khau can bo 2026"}
    _burst([("POST", "/mot-cua/dang-nhap", g) for g in guesses])
    assert counted.calls <= login_limits.TIERS[0].max_hits
    (late,) = _burst([("POST", "/mot-cua/dang-nhap", right)])
    assert late.status_code == 429
    assert "motcua_session" not in late.cookies
    await login_limits.succeeded("officer:thu.dot", "testclient")


async def test_a_tracking_factor_burst_evaluates_at_most_the_limit(
    demo_db, clean_address, monkeypatch
):
    dossier = await submitted_dossier("0908000002", "burst2@example.com")
    counted = Counted(tracking._row)
    monkeypatch.setattr(tracking, "_row", counted)
    guesses = [{"ma": dossier["code"], "xac_thuc": f"{1000 + i}"} for i in range(40)]
    right = {"ma": dossier["code"], "xac_thuc": "0002"}
    answers = _burst([("GET", "/tra-cuu", g) for g in guesses])
    assert counted.calls <= tracking.FACTORS_PER_CODE_AND_ADDRESS.max_hits
    assert all(a.status_code in (404, 429) for a in answers)
    (late,) = _burst([("GET", "/tra-cuu", right)])
    assert late.status_code == 429


async def test_the_owner_is_not_locked_out_by_a_stranger(demo_db, clean_address):
    await accounts.register("Lê Văn Chủ", "0908000003", CITIZEN_PASSWORD, CITIZEN_PASSWORD)
    for i in range(login_limits.TIERS[0].max_hits + 3):
        with pytest.raises(accounts.FormErrors):
            await login.authenticate("citizen", "0908000003", f"sai {i}", "198.51.100.66")
    citizen = await login.authenticate("citizen", "0908000003", CITIZEN_PASSWORD, "203.0.113.66")
    assert citizen.phone == "0908000003"


async def test_phone_and_email_of_one_account_share_one_counter(demo_db, clean_address):
    citizen = await accounts.register(
        "Lê Văn Hai", "0908000004", CITIZEN_PASSWORD, CITIZEN_PASSWORD
    )
    await (
        accounts.Citizen.update({accounts.Citizen.email: "hai@example.com"})
        .where(accounts.Citizen.id == citizen.id)
        .run()
    )
    for i in range(login_limits.TIERS[0].max_hits):
        name = "0908000004" if i % 2 else "hai@example.com"
        with pytest.raises(accounts.FormErrors) as err:
            await login.authenticate("citizen", name, f"sai {i}", "198.51.100.67")
        assert err.value.status_code == 401
    with pytest.raises(accounts.FormErrors) as err:
        await login.authenticate("citizen", "hai@example.com", CITIZEN_PASSWORD, "198.51.100.67")
    assert err.value.status_code == 429


async def test_delays_grow_after_the_first_window(demo_db, clean_address):
    """After the 15-minute tier is used twice, the hour tier refuses even in a new window."""
    key, address = "login:growing@example.com", "198.51.100.68"
    first, hour = login_limits.TIERS[0], login_limits.TIERS[1]
    for _ in range(hour.max_hits):
        await rate_limit.hit(hour, f"{key}@{address}")
    await rate_limit.reset(first, f"{key}@{address}")  # as if the first window had ended
    with pytest.raises(login_limits.TooManyAttempts):
        await login_limits.admit(key, address)
