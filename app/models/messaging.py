"""The outbox: e-mail and SMS waiting to be delivered by the delivery worker."""

from piccolo.columns import Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Outbox(Table, tablename="outbox"):
    """Messages to deliver, written in the same transaction as what caused them."""

    channel = Varchar(length=10)  # email | sms
    recipient = Varchar(length=254)
    subject = Varchar(length=255, default="")
    body = Text()
    dedupe_key = Varchar(length=200, unique=True)
    dossier = Integer(null=True, default=None, index=True)  # the dossier it is about, if any
    created_at = Timestamptz(default=TimestamptzNow())
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    attempts = Integer(default=0)
    claimed_until = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(default="")
