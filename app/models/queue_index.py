"""What the desk reads instead of scanning dossiers: who sees which dossier, and how many.

Both tables are written only by :func:`app.services.queue_index.record`, in the transaction of
each transition, and rebuilt from ``dossier`` by ``motcua check-counts --repair``."""

from piccolo.columns import Boolean, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from app.models.agency import Agency
from app.models.dossier import Dossier


class DossierAgency(Table, tablename="dossier_agency"):
    """One row per agency that sees a (non-draft) dossier: the one that received it, the one
    that resolves it and the one holding it now. It carries the columns the queues filter and
    sort on, so a queue page is one range of one index (see the migration's indexes)."""

    dossier = ForeignKey(references=Dossier, on_delete=OnDelete.cascade, index=True)
    agency = ForeignKey(references=Agency, on_delete=OnDelete.cascade)
    status = Varchar(length=30)
    queue = Varchar(length=20)  # the desk queue of the status (app/services/desk.py QUEUES)
    clock = Boolean(default=False)  # the time limit runs: the due-soon and overdue queues
    priority_rank = Integer(default=1)  # 0 = marked priority, listed first
    sort_at = Timestamptz()  # the queue's order: due date (in progress) or submission
    submitted_at = Timestamptz()  # search results' order
    due_at = Timestamptz(null=True, default=None)


class QueueCount(Table, tablename="queue_count"):
    """How many dossiers an agency sees in each status."""

    agency = ForeignKey(references=Agency, on_delete=OnDelete.cascade)
    status = Varchar(length=30)
    n = Integer(default=0)


class DueCount(Table, tablename="due_count"):
    """How many dossiers an agency sees whose clock runs, per hour of their due date (hours
    since 1970, UTC): the overdue and due-soon counts add up whole hours and count only the
    dossiers of the hour they fall in, whatever the number of dossiers."""

    agency = ForeignKey(references=Agency, on_delete=OnDelete.cascade)
    hour = Integer()
    n = Integer(default=0)
