"""Statistics aggregates, kept up to date from the dossier history (app/services/statistics.py).

``statistic_day`` holds per agency, procedure and day the counts of app/domain/statistics_days.py;
``statistic_month`` their sum per calendar month (the pages read whole months from it and only the
edge days of a free range from ``statistic_day``: app/domain/statistics_ranges.py);
``statistic_dossier`` what each dossier contributed (so an update can take it back) and the
facts used by drill-down lists and the procedure page; ``statistic_state`` the watermark: the
last ``dossier_event`` id already applied, with a lease so one worker applies it at a time.
"""

from piccolo.columns import JSON, BigInt, Date, Integer, Timestamptz, Varchar
from piccolo.table import Table


class StatisticDay(Table, tablename="statistic_day"):
    key = Varchar(length=40, unique=True)  # "<agency>:<procedure>:<YYYY-MM-DD>", for upserts
    agency = Integer(index=True)
    procedure = Integer()
    day = Date(index=True)
    c4 = Integer(default=0)  # received online
    c5 = Integer(default=0)  # received at the counter or by post
    c8 = Integer(default=0)  # resolved early
    c9 = Integer(default=0)  # resolved on time
    c10 = Integer(default=0)  # resolved late
    open_delta = Integer(default=0)
    overdue_delta = Integer(default=0)
    fee_due = Integer(default=0)
    paid_online = Integer(default=0)
    digitised = Integer(default=0)
    e_result = Integer(default=0)
    resolved_days = Integer(default=0)
    resolved_count = Integer(default=0)


class StatisticMonth(Table, tablename="statistic_month"):
    key = Varchar(length=40, unique=True)  # "<agency>:<procedure>:<YYYY-MM>", for upserts
    agency = Integer(index=True)
    procedure = Integer()
    month = Date(index=True)  # the first day of the month
    c4 = Integer(default=0)
    c5 = Integer(default=0)
    c8 = Integer(default=0)
    c9 = Integer(default=0)
    c10 = Integer(default=0)
    open_delta = Integer(default=0)
    overdue_delta = Integer(default=0)
    fee_due = Integer(default=0)
    paid_online = Integer(default=0)
    digitised = Integer(default=0)
    e_result = Integer(default=0)
    resolved_days = Integer(default=0)
    resolved_count = Integer(default=0)


class StatisticDossier(Table, tablename="statistic_dossier"):
    dossier = Integer(unique=True)
    agency = Integer(index=True)
    procedure = Integer(index=True)
    received_on = Date(null=True, default=None)
    finished_on = Date(null=True, default=None)
    work_days = Integer(null=True, default=None)  # to resolve, less supplement time
    timeliness = Varchar(length=10, default="")  # of a finished dossier: early | on_time | overdue
    counts = JSON(default=[])  # [[YYYY-MM-DD, column, n], ...] added to statistic_day


class StatisticState(Table, tablename="statistic_state"):
    name = Varchar(length=20, unique=True)
    watermark = BigInt(default=0)  # last dossier_event.id applied
    claimed_until = Timestamptz(null=True, default=None)
