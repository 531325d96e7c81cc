"""The officers' second factor: TOTP secrets, one-time recovery codes, roles that require it."""

from piccolo.columns import ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.models.account import Officer


class OfficerTotp(Table, tablename="officer_totp"):
    """An officer's authenticator secret; it protects logins once confirmed_at is set."""

    officer = ForeignKey(references=Officer, on_delete=OnDelete.cascade, unique=True)
    secret = Varchar(length=64)
    confirmed_at = Timestamptz(null=True, default=None)
    # The last time step accepted: a code is never accepted twice.
    last_step = Varchar(length=20, default="")


class RecoveryCode(Table, tablename="recovery_code"):
    """A one-time recovery code; only its SHA-256 is stored."""

    officer = ForeignKey(references=Officer, on_delete=OnDelete.cascade, index=True)
    code_hash = Varchar(length=64)
    used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class MfaRequirement(Table, tablename="mfa_requirement"):
    """A role whose officers must use a second factor (set on /quan-tri)."""

    role = Varchar(length=20, unique=True)
