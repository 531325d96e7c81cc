"""The public catalogue: sectors, procedures, dossier components and fees."""

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

from app.models.agency import AgencyLevel


class Sector(Table, tablename="sector"):
    """A field of procedures (lĩnh vực)."""

    code = Varchar(length=40, unique=True)
    name = Varchar(length=150, unique=True)
    name_en = Varchar(length=150, default="")


class Procedure(Table, tablename="procedure"):
    """An administrative procedure as published; its rules carry validity dates."""

    code = Varchar(length=40, unique=True)  # catalogue key, stable across imports
    national_code = Varchar(length=40, null=True, default=None, index=True)  # mã TTHC
    name = Varchar(length=400)
    name_en = Varchar(length=400, default="")
    implementing_agency = Text(default="")
    applicants = JSON(default=[])
    time_limit_value = Integer(null=True, default=None)
    time_limit_unit = Varchar(length=20, default="working_day")
    time_limit_text = Text(default="")
    max_working_days = Integer(null=True, default=None)
    after_cutoff_next_day = Boolean(default=False)
    steps = JSON(default=[])
    channels = JSON(default=[])
    conditions = Text(default="")
    result = Text(default="")
    legal_basis = JSON(default=[])
    online_level = Varchar(length=20, default="partial")  # full | partial | none
    service_level = Integer(default=2)  # legacy levels 1–4
    form_schema = JSON(null=True, default=None)  # application form, see app/domain/forms_schema.py
    usage_count = Integer(default=0)
    is_approximate = Boolean(default=False)
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)
    revision = Integer(default=1)
    content_hash = Varchar(length=64, default="")
    updated_at = Timestamptz(default=TimestamptzNow())


class ProcedureSector(Table, tablename="procedure_sector"):
    procedure = ForeignKey(references=Procedure, on_delete=OnDelete.cascade)
    sector = ForeignKey(references=Sector, on_delete=OnDelete.restrict)
    position = Integer(default=0)


class ProcedureLevel(Table, tablename="procedure_level"):
    procedure = ForeignKey(references=Procedure, on_delete=OnDelete.cascade)
    level = ForeignKey(references=AgencyLevel, on_delete=OnDelete.restrict)


class Component(Table, tablename="component"):
    """A document of the dossier (thành phần hồ sơ), optionally with a form template."""

    procedure = ForeignKey(references=Procedure, on_delete=OnDelete.cascade)
    position = Integer(default=0)
    name = Text()
    submission = Varchar(length=20, default="submit")  # submit | present_only
    copy_kind = Varchar(length=20, default="original")  # original | copy | electronic
    quantity = Integer(default=1)
    requirement = Varchar(length=20, default="required")  # required | when_applicable | optional
    note = Text(default="")
    template = JSON(null=True, default=None)  # {"tieu_de": ..., "muc": [{"tieu_de", "truong"}]}


class Fee(Table, tablename="fee"):
    """A fee or charge in whole VND; ``amount_vnd`` NULL means set locally (HĐND)."""

    procedure = ForeignKey(references=Procedure, on_delete=OnDelete.cascade)
    position = Integer(default=0)
    name = Text()
    kind = Varchar(length=20, default="fee")  # fee (lệ phí) | charge (phí)
    amount_vnd = BigInt(null=True, default=None)
    unit = Varchar(length=60, default="")
    channel = Varchar(length=20, default="all")  # all | in_person | online
    note = Text(default="")
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)


class CatalogueState(Table, tablename="catalogue_state"):
    """One row whose version changes on every catalogue write; readers' caches check it."""

    version = BigInt(default=0)
    changed_at = Timestamptz(default=TimestamptzNow())
