"""Agencies as a configurable hierarchy: province → [district] → commune, plus offices."""

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from app.domain import limits


class AgencyLevel(Table, tablename="agency_level"):
    """A level of government. Data, not code: the 2025 reform removed the district level."""

    key = Varchar(length=20, unique=True)  # "tinh", "huyen", "xa", "trung_uong"
    name = Varchar(length=100)  # "Cấp tỉnh"
    rank = Integer(default=0)  # 0 = highest
    is_active = Boolean(default=True)


class Agency(Table, tablename="agency"):
    """An agency or unit identified by its electronic identifier (QCVN 102:2016)."""

    code = Varchar(length=40, unique=True)  # e.g. 000.00.00.H30
    name = Varchar(length=limits.AGENCY_NAME)
    short_name = Varchar(length=limits.AGENCY_SHORT_NAME, default="")
    level = ForeignKey(references=AgencyLevel, on_delete=OnDelete.restrict)
    parent = ForeignKey(references="self", null=True, on_delete=OnDelete.restrict)
    kind = Varchar(length=30, default="peoples_committee")
    address = Varchar(length=limits.ADDRESS, default="")
    phone = Varchar(length=limits.AGENCY_PHONE, default="")
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)
    successor = ForeignKey(references="self", null=True, on_delete=OnDelete.set_null)
