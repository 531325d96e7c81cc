"""Dossiers (hồ sơ): drafts, submissions, attachments, history and code sequences."""

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.domain import limits
from app.domain.dossier_states import Action, Status
from app.domain.fees import Channel, FeeStatus
from app.models.account import Citizen, Officer
from app.models.agency import Agency
from app.models.catalogue import Procedure


class Dossier(Table, tablename="dossier"):
    """A citizen's dossier, from draft to result.

    ``reference`` is the citizen-facing draft reference (no look-alike characters); ``code`` is
    the official dossier code, issued at submission/receipt, unique.
    """

    reference = Varchar(length=12, unique=True)
    code = Varchar(length=40, null=True, default=None, unique=True)
    procedure = ForeignKey(references=Procedure, on_delete=OnDelete.restrict)
    procedure_revision = Integer(default=1)
    citizen = ForeignKey(references=Citizen, null=True, on_delete=OnDelete.restrict, index=True)
    receiving_agency = ForeignKey(references=Agency, null=True, on_delete=OnDelete.restrict)
    resolving_agency = ForeignKey(references=Agency, null=True, on_delete=OnDelete.restrict)
    current_agency = ForeignKey(references=Agency, null=True, on_delete=OnDelete.restrict)
    assigned_officer = ForeignKey(references=Officer, null=True, on_delete=OnDelete.set_null)
    status = Varchar(length=30, default=Status.DRAFT, index=True, choices=Status)
    channel = Varchar(length=10, default=Channel.ONLINE, choices=Channel)
    answers = JSON(default={})
    current_step = Varchar(length=40, default="")
    applicant_name = Varchar(length=limits.PERSON_NAME, default="")
    applicant_search = Varchar(length=120, default="", index=True)  # folded name, for search
    applicant_id_number = Varchar(length=limits.CITIZEN_ID, default="")
    applicant_phone = Varchar(length=limits.PHONE, default="")
    applicant_email = Varchar(length=limits.EMAIL, default="")
    rules = JSON(default={})  # time limit and fees in force at submission
    delivery_method = Varchar(length=10, default="desk")  # desk | post | online
    fee_status = Varchar(length=25, default=FeeStatus.NOT_REQUIRED, choices=FeeStatus)
    fee_amount_vnd = BigInt(default=0)
    is_priority = Boolean(default=False)
    has_processing_started = Boolean(default=False)
    pre_supplement_count = Integer(default=0)
    supplement_count = Integer(default=0)
    extension_count = Integer(default=0)
    is_rejection = Boolean(default=False)
    is_delivery_recorded = Boolean(default=False)
    delivery_info = JSON(default={})  # how the result was handed over: desk, post number, file
    missing_items = JSON(default=[])  # the one complete list of what is missing
    status_note = Text(default="")  # reason shown to the citizen (refusal, supplement, apology)
    clock_stopped_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    submitted_at = Timestamptz(null=True, default=None)
    received_at = Timestamptz(null=True, default=None)
    due_at = Timestamptz(null=True, default=None, index=True)
    finished_at = Timestamptz(null=True, default=None)


class Attachment(Table, tablename="attachment"):
    """A file of a dossier, stored under MOTCUA_DATA_DIR by its SHA-256."""

    token = Varchar(length=32, unique=True)  # unguessable id used in URLs
    dossier = ForeignKey(references=Dossier, on_delete=OnDelete.cascade, index=True)
    field_key = Varchar(length=40)
    component_position = Integer(null=True, default=None)
    sha256 = Varchar(length=64, index=True)
    size = BigInt()
    media_type = Varchar(length=60)
    original_name = Varchar(length=255, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class DossierEvent(Table, tablename="dossier_event"):
    """Append-only history: every transition of every dossier."""

    dossier = ForeignKey(references=Dossier, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz(default=TimestamptzNow())
    actor_kind = Varchar(length=10)  # citizen | officer | system
    actor_id = Integer(null=True, default=None)
    action = Varchar(length=40, choices=Action)
    from_status = Varchar(length=30, choices=Status)
    to_status = Varchar(length=30, choices=Status)
    note = Text(default="")
    data = JSON(default={})  # what else changed: due dates before/after, assignee, agency


class DossierSequence(Table, tablename="dossier_sequence"):
    """The daily sequence of dossier codes per receiving agency (Circular 01/2018 Art. 19)."""

    key = Varchar(length=60, unique=True)  # agency code + receipt date
    last_value = Integer(default=0)


class CalendarDay(Table, tablename="calendar_day"):
    """Official overrides of the working-day calendar: swapped days, extra days off."""

    day = Date(unique=True)
    is_working_day = Boolean()
    reason = Varchar(length=255, default="")
    source = Varchar(length=255, default="")
