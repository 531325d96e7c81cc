"""Accounts: citizens (and later officers), server-side sessions, password resets."""

from piccolo.columns import JSON, Boolean, Date, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.domain import limits
from app.models.agency import Agency


class Citizen(Table, tablename="citizen"):
    """A citizen's account; logs in with a phone number or an e-mail address."""

    email = Varchar(length=limits.EMAIL, null=True, default=None, unique=True)
    phone = Varchar(length=limits.PHONE, null=True, default=None, unique=True)
    password_hash = Varchar(length=255)
    full_name = Varchar(length=limits.PERSON_NAME, default="")
    citizen_id = Varchar(length=limits.CITIZEN_ID, default="")  # số định danh cá nhân (CCCD)
    date_of_birth = Date(null=True, default=None)
    province_code = Integer(null=True, default=None)
    ward_code = Integer(null=True, default=None)
    street = Varchar(length=limits.ADDRESS, default="")
    notify_email = Boolean(default=True)
    notify_sms = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    last_login_at = Timestamptz(null=True, default=None)


class WebSession(Table, tablename="web_session"):
    """A login session; only the SHA-256 of the cookie's token is stored."""

    token_hash = Varchar(length=64, unique=True)
    account_kind = Varchar(length=10, default="citizen")  # citizen | officer
    account_id = Integer(index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    # Refreshed at most once a minute (sessions.TOUCH_EVERY): the idle timeout's clock.
    last_seen_at = Timestamptz(null=True, default=None)
    ip = Varchar(length=45, default="")
    user_agent = Varchar(length=255, default="")


class PasswordReset(Table, tablename="password_reset"):
    citizen = ForeignKey(references=Citizen, on_delete=OnDelete.cascade)
    token_hash = Varchar(length=64, unique=True)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class PendingRegistration(Table, tablename="pending_registration"):
    """A registration waiting for its confirmation link: the account exists only once the
    owner of the phone number or e-mail opens it (so registering reveals no account)."""

    token_hash = Varchar(length=64, unique=True)
    kind = Varchar(length=5)  # email | phone
    identifier = Varchar(length=limits.EMAIL, index=True)
    full_name = Varchar(length=limits.PERSON_NAME)
    password_hash = Varchar(length=255)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class RateLimit(Table, tablename="rate_limit"):
    """Fixed-window counters shared by every worker: key = purpose:subject:window."""

    key = Varchar(length=limits.RATE_LIMIT_KEY, unique=True)
    count = Integer(default=0)
    expires_at = Timestamptz()


class Officer(Table, tablename="officer"):
    """An officer of an agency, with one or more roles (receptionist, specialist, leader, admin)."""

    username = Varchar(length=limits.USERNAME, unique=True)
    password_hash = Varchar(length=255)
    full_name = Varchar(length=limits.PERSON_NAME)
    agency = ForeignKey(references=Agency, on_delete=OnDelete.restrict)
    roles = JSON(default=[])
    email = Varchar(length=limits.EMAIL, default="")
    phone = Varchar(length=limits.PHONE, default="")
    is_active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
