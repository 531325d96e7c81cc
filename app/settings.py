"""Configuration read once from MOTCUA_* environment variables."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app.domain.statistics import NATIONAL, Reading, reading_from

CSRF_COOKIE = "csrftoken"  # Litestar's CSRF cookie (main.py's CSRFConfig)
SANDBOX_SECRET = "sandbox-secret-not-for-production"
# Secret keys printed in this repository or its tests: never acceptable outside development.
PUBLIC_SECRET_KEYS = frozenset({"test-secret-key", "change-me", "secret"})


class UnsafeSettings(Exception):
    """The configuration would run the portal unsafely; the message says what to set."""


# A multipart request carries at most this many files at the upload limit (a wizard step or a
# supplement), plus this much for the other fields and the multipart framing.
MAX_FILES_PER_REQUEST = 4
FORM_OVERHEAD_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    secret_key: str
    host: str
    port: int
    workers: int
    db_pool: bool
    sqlite_readers: int
    catalogue_cache_seconds: float
    portal_name: str
    hotline: str
    opening_hours: str
    argon2_time_cost: int
    argon2_memory_kib: int
    hash_concurrency: int
    max_upload_bytes: int
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_starttls: bool
    mail_from: str
    base_url: str
    session_hours: int
    outbox_worker: bool
    outbox_poll_seconds: float
    tracking_poll_seconds: int
    vnpay_tmn_code: str
    vnpay_secret: str
    vnpay_url: str
    # Deployment safety (see README, "Deploying safely").
    environment: str = "production"
    allowed_hosts_setting: tuple[str, ...] = ()
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = ()
    sandbox_gateway: bool = False
    vnpay_secret_set: bool = False
    idle_minutes_officer: int = 30
    idle_minutes_citizen: int = 120

    def idle_minutes(self, account_kind: str) -> int:
        """Minutes without a request after which a session ends (officers sooner)."""
        return self.idle_minutes_officer if account_kind == "officer" else self.idle_minutes_citizen

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """Host names the portal answers to: the setting, else the configured host (and the
        loopback names in development)."""
        if self.allowed_hosts_setting:
            return frozenset(self.allowed_hosts_setting)
        hosts = {urlsplit(self.public_url).hostname or self.host}
        if self.is_development:
            hosts |= {"127.0.0.1", "localhost"}
        return frozenset(hosts)

    @property
    def max_request_bytes(self) -> int:
        """The largest request body the server reads: a step with its files at the limit and
        the form's other fields always fit, so only the portal itself refuses a file."""
        return MAX_FILES_PER_REQUEST * self.max_upload_bytes + FORM_OVERHEAD_BYTES

    rating_change_days: int = 7
    feedback_days: tuple[int, ...] = (2, 5, 15, 2)  # refuse, ask for more, answer, publish
    sms_url: str = ""
    sms_token: str = ""
    # Rate limits per address or account (see README, configuration).
    registrations_per_address: int = 10
    profile_saves_per_account: int = 20
    profile_saves_per_address: int = 60
    tracking_lookups_per_address: int = 20
    statistics_targets: str = ""  # JSON, percent; parsed by services/statistics_pages
    statistics_reading: Reading = NATIONAL  # how on time is read where the sources disagree
    statistics_cache_seconds: float = 30.0  # 0: figures computed on every request
    malloc_arenas: int | None = 2  # app/memory.py; None: glibc's default or MALLOC_ARENA_MAX
    purge_seconds: float = 600.0  # how often expired rows are deleted (services/housekeeping)

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def public_url(self) -> str:
        """The portal's address for links in messages and QR codes: MOTCUA_BASE_URL (required
        outside development), never a request's Host header."""
        return self.base_url or f"http://{self.host}:{self.port}"

    @property
    def gateway_url(self) -> str:
        return self.vnpay_url or f"{self.public_url}/sandbox/vnpay/paymentv2/vpcpay.html"

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file named by ``sqlite:///path`` (relative paths are kept relative)."""
        return Path(self.database_url.removeprefix("sqlite:///"))


def _secret_key(data_dir: Path) -> str:
    """MOTCUA_SECRET_KEY, or a key generated once and kept in the data directory.

    Every worker and every machine sharing MOTCUA_DATA_DIR reads the same file, so signed
    values stay valid across processes.
    """
    key = os.environ.get("MOTCUA_SECRET_KEY")
    if key:
        return key
    if os.environ.get("MOTCUA_ENV", "production") != "development":
        return ""  # refused by check(): production sets the key explicitly
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        candidate = secrets.token_urlsafe(48)
        try:
            with path.open("x") as fh:
                fh.write(candidate)
        except FileExistsError:
            pass
    return path.read_text().strip()


def _days(value: str) -> tuple[int, ...]:
    days = tuple(int(part) for part in value.split(","))
    if len(days) != 4 or min(days) < 1:
        raise ValueError("MOTCUA_FEEDBACK_DAYS needs four positive numbers, e.g. 2,5,15,2")
    return days


def memory_arenas(environ) -> int | None:
    """MOTCUA_MALLOC_ARENAS (2; 0 = glibc's default); none when MALLOC_ARENA_MAX is set, which
    glibc has read already. A wrong value keeps glibc's default rather than stop the server."""
    if "MALLOC_ARENA_MAX" in environ:
        return None
    value = environ.get("MOTCUA_MALLOC_ARENAS", "2").strip()
    if not value.isdigit() or int(value) == 0:
        return None
    return min(int(value), 64)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    env = os.environ.get
    data_dir = Path(env("MOTCUA_DATA_DIR", "var/data"))
    return Settings(
        data_dir=data_dir,
        secret_key=_secret_key(data_dir),
        **_server_settings(env),
        **_accounts_settings(env),
        **_mail_settings(env),
        **_payments_settings(env),
        **_limits_settings(env),
    )


def _server_settings(env: Callable[..., Any]) -> dict[str, Any]:
    """The database, the processes, the portal's own texts, hosts and proxies."""
    return dict(
        database_url=env("MOTCUA_DATABASE_URL", "sqlite:///var/motcua.sqlite3"),
        host=env("MOTCUA_HOST", "127.0.0.1"),
        port=int(env("MOTCUA_PORT", "8000")),
        workers=int(env("MOTCUA_WORKERS", "2")),
        db_pool=env("MOTCUA_DB_POOL", "1") != "0",
        sqlite_readers=max(1, int(env("MOTCUA_SQLITE_READERS", "3"))),
        catalogue_cache_seconds=float(env("MOTCUA_CATALOGUE_CACHE_SECONDS", "1")),
        portal_name=env("MOTCUA_PORTAL_NAME", "Cổng dịch vụ công Một Cửa"),
        hotline=env("MOTCUA_HOTLINE", "1900 1234"),
        opening_hours=env(
            "MOTCUA_OPENING_HOURS", "Thứ Hai – Thứ Sáu, sáng 7:30–11:30, chiều 13:30–17:00"
        ),
        base_url=env("MOTCUA_BASE_URL", "").rstrip("/"),
        environment=env("MOTCUA_ENV", "production"),
        allowed_hosts_setting=_words(env("MOTCUA_ALLOWED_HOSTS", "")),
        trusted_proxies=tuple(
            ip_network(n, strict=False) for n in _words(env("MOTCUA_TRUSTED_PROXIES", ""))
        ),
    )


def _accounts_settings(env: Callable[..., Any]) -> dict[str, Any]:
    """Password hashing, uploads, sessions and idle time-outs."""
    return dict(
        # OWASP minimum for argon2id: 19 MiB, t=2, p=1. Never configure below it.
        argon2_time_cost=max(2, int(env("MOTCUA_ARGON2_TIME_COST", "2"))),
        argon2_memory_kib=max(19456, int(env("MOTCUA_ARGON2_MEMORY_KIB", "19456"))),
        hash_concurrency=int(env("MOTCUA_HASH_CONCURRENCY", "2")),
        max_upload_bytes=int(env("MOTCUA_MAX_UPLOAD_MB", "10")) * 1024 * 1024,
        session_hours=int(env("MOTCUA_SESSION_HOURS", "12")),
        idle_minutes_officer=max(1, int(env("MOTCUA_IDLE_MINUTES_OFFICER", "30"))),
        idle_minutes_citizen=max(1, int(env("MOTCUA_IDLE_MINUTES_CITIZEN", "120"))),
    )


def _mail_settings(env: Callable[..., Any]) -> dict[str, Any]:
    """The e-mail, SMS and outbox worker."""
    return dict(
        smtp_host=env("MOTCUA_SMTP_HOST", ""),
        smtp_port=int(env("MOTCUA_SMTP_PORT", "25")),
        smtp_user=env("MOTCUA_SMTP_USER", ""),
        smtp_password=env("MOTCUA_SMTP_PASSWORD", ""),
        smtp_starttls=env("MOTCUA_SMTP_STARTTLS", "0") == "1",
        mail_from=env("MOTCUA_MAIL_FROM", "Cổng dịch vụ công <khong-tra-loi@motcua.local>"),
        outbox_worker=env("MOTCUA_OUTBOX_WORKER", "1") != "0",
        outbox_poll_seconds=float(env("MOTCUA_OUTBOX_POLL_SECONDS", "2")),
        sms_url=env("MOTCUA_SMS_URL", ""),
        sms_token=env("MOTCUA_SMS_TOKEN", ""),
    )


def _payments_settings(env: Callable[..., Any]) -> dict[str, Any]:
    """The payment gateway (the built-in sandbox without its settings)."""
    return dict(
        # Without these the payments go to the built-in sandbox gateway (/sandbox/vnpay).
        vnpay_tmn_code=env("MOTCUA_VNPAY_TMN_CODE", "MOTCUA01"),
        vnpay_secret=env("MOTCUA_VNPAY_SECRET", SANDBOX_SECRET),
        vnpay_url=env("MOTCUA_VNPAY_URL", ""),
        sandbox_gateway=env("MOTCUA_SANDBOX_GATEWAY", "0") == "1",
        vnpay_secret_set=bool(env("MOTCUA_VNPAY_SECRET")),
    )


def _limits_settings(env: Callable[..., Any]) -> dict[str, Any]:
    """Rate limits, deadlines, statistics and housekeeping."""
    return dict(
        tracking_poll_seconds=int(env("MOTCUA_TRACKING_POLL_SECONDS", "15")),
        rating_change_days=int(env("MOTCUA_RATING_CHANGE_DAYS", "7")),
        feedback_days=_days(env("MOTCUA_FEEDBACK_DAYS", "2,5,15,2")),
        registrations_per_address=int(env("MOTCUA_REGISTRATIONS_PER_ADDRESS", "10")),
        profile_saves_per_account=int(env("MOTCUA_PROFILE_SAVES_PER_ACCOUNT", "20")),
        profile_saves_per_address=int(env("MOTCUA_PROFILE_SAVES_PER_ADDRESS", "60")),
        tracking_lookups_per_address=int(env("MOTCUA_TRACKING_LOOKUPS_PER_ADDRESS", "20")),
        statistics_targets=env("MOTCUA_STATISTICS_TARGETS", ""),
        statistics_reading=_reading(env("MOTCUA_STATISTICS_READING", "")),
        statistics_cache_seconds=_non_negative(env("MOTCUA_STATISTICS_CACHE_SECONDS", "30"), 30.0),
        malloc_arenas=memory_arenas(os.environ),
        purge_seconds=max(1.0, float(env("MOTCUA_PURGE_SECONDS", "600"))),
    )


def export_address(host: str | None, port: int | None) -> None:
    """Make ``motcua serve --host/--port`` the configured address, also for the worker
    processes the server starts (they read the same variables), and forget the cached settings."""
    if host:
        os.environ["MOTCUA_HOST"] = host
    if port:
        os.environ["MOTCUA_PORT"] = str(port)
    get_settings.cache_clear()


def _reading(raw: str) -> Reading:
    """MOTCUA_STATISTICS_READING: a JSON object of the fields of ``Reading`` to change."""
    try:
        given = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as error:
        raise ValueError(f"MOTCUA_STATISTICS_READING is not JSON: {error}") from None
    if not isinstance(given, dict):
        raise ValueError("MOTCUA_STATISTICS_READING must be a JSON object")
    return reading_from(given)


def _non_negative(raw: str, default: float) -> float:
    try:
        return max(0.0, float(raw))
    except ValueError:
        return default


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.strip().lower() for w in text.replace(",", " ").split() if w.strip())


def check(settings: Settings) -> None:
    """Refuse configurations that would be unsafe in production (raises UnsafeSettings)."""
    problems = []
    if settings.vnpay_url and (
        not settings.vnpay_secret_set or settings.vnpay_secret == SANDBOX_SECRET
    ):
        problems.append(
            "MOTCUA_VNPAY_URL is set but MOTCUA_VNPAY_SECRET is missing or the sandbox's"
        )
    if settings.sandbox_gateway and settings.vnpay_url:
        problems.append("MOTCUA_SANDBOX_GATEWAY=1 cannot be used with a real MOTCUA_VNPAY_URL")
    if not settings.is_development:
        if not settings.secret_key or settings.secret_key in PUBLIC_SECRET_KEYS:
            problems.append(
                "MOTCUA_SECRET_KEY is missing or a public value (set a long random one)"
            )
        if not settings.base_url:
            problems.append("MOTCUA_BASE_URL is missing (the only source of links in messages)")
    if problems:
        raise UnsafeSettings(
            "Refusing to start: " + "; ".join(problems) + ". "
            "For a local demo set MOTCUA_ENV=development (make run does)."
        )
