"""Configuration read once from MOTCUA_* environment variables."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    secret_key: str
    host: str
    port: int
    workers: int
    db_pool: bool
    catalogue_cache_seconds: float
    portal_name: str
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
    rating_change_days: int = 7
    feedback_days: tuple[int, ...] = (2, 5, 15, 2)  # refuse, ask for more, answer, publish

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def public_url(self) -> str:
        """The portal's address for links in messages and QR codes."""
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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    env = os.environ.get
    data_dir = Path(env("MOTCUA_DATA_DIR", "var/data"))
    return Settings(
        database_url=env("MOTCUA_DATABASE_URL", "sqlite:///var/motcua.sqlite3"),
        data_dir=data_dir,
        secret_key=_secret_key(data_dir),
        host=env("MOTCUA_HOST", "127.0.0.1"),
        port=int(env("MOTCUA_PORT", "8000")),
        workers=int(env("MOTCUA_WORKERS", "2")),
        db_pool=env("MOTCUA_DB_POOL", "1") != "0",
        catalogue_cache_seconds=float(env("MOTCUA_CATALOGUE_CACHE_SECONDS", "1")),
        portal_name=env("MOTCUA_PORTAL_NAME", "Cổng dịch vụ công Một Cửa"),
        # OWASP minimum for argon2id: 19 MiB, t=2, p=1. Never configure below it.
        argon2_time_cost=max(2, int(env("MOTCUA_ARGON2_TIME_COST", "2"))),
        argon2_memory_kib=max(19456, int(env("MOTCUA_ARGON2_MEMORY_KIB", "19456"))),
        hash_concurrency=int(env("MOTCUA_HASH_CONCURRENCY", "2")),
        max_upload_bytes=int(env("MOTCUA_MAX_UPLOAD_MB", "10")) * 1024 * 1024,
        smtp_host=env("MOTCUA_SMTP_HOST", ""),
        smtp_port=int(env("MOTCUA_SMTP_PORT", "25")),
        smtp_user=env("MOTCUA_SMTP_USER", ""),
        smtp_password=env("MOTCUA_SMTP_PASSWORD", ""),
        smtp_starttls=env("MOTCUA_SMTP_STARTTLS", "0") == "1",
        mail_from=env("MOTCUA_MAIL_FROM", "Cổng dịch vụ công <khong-tra-loi@motcua.local>"),
        base_url=env("MOTCUA_BASE_URL", "").rstrip("/"),
        session_hours=int(env("MOTCUA_SESSION_HOURS", "12")),
        outbox_worker=env("MOTCUA_OUTBOX_WORKER", "1") != "0",
        outbox_poll_seconds=float(env("MOTCUA_OUTBOX_POLL_SECONDS", "2")),
        tracking_poll_seconds=int(env("MOTCUA_TRACKING_POLL_SECONDS", "15")),
        # Without these the payments go to the built-in sandbox gateway (/sandbox/vnpay).
        vnpay_tmn_code=env("MOTCUA_VNPAY_TMN_CODE", "MOTCUA01"),
        vnpay_secret=env("MOTCUA_VNPAY_SECRET", "sandbox-secret-not-for-production"),
        vnpay_url=env("MOTCUA_VNPAY_URL", ""),
        rating_change_days=int(env("MOTCUA_RATING_CHANGE_DAYS", "7")),
        feedback_days=_days(env("MOTCUA_FEEDBACK_DAYS", "2,5,15,2")),
    )
