"""Citizen voice: PAKN (feedback and complaints) with attachments, history and votes; ratings of
finished dossiers; frequent questions per procedure."""

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
from app.models.account import Citizen, Officer
from app.models.agency import Agency
from app.models.catalogue import Procedure
from app.models.dossier import Dossier


class Feedback(Table, tablename="feedback"):
    """A phản ánh, kiến nghị or question; tracked by ``code`` and the sender's phone digits."""

    code = Varchar(length=20, unique=True)
    kind = Varchar(length=12, default="phan_anh")  # app/domain/feedback_flow.py Kind
    category = Varchar(length=20, default="")  # Category, set by the officer
    status = Varchar(length=20, default="submitted", index=True)
    citizen = ForeignKey(references=Citizen, null=True, on_delete=OnDelete.set_null)
    name = Varchar(length=limits.PERSON_NAME)
    phone = Varchar(length=limits.PHONE)
    email = Varchar(length=limits.EMAIL, default="")
    address = Varchar(length=limits.ADDRESS, default="")
    subject = Varchar(length=limits.FEEDBACK_SUBJECT)
    body = Text()
    agency = ForeignKey(references=Agency, on_delete=OnDelete.restrict, index=True)
    procedure = ForeignKey(references=Procedure, null=True, on_delete=OnDelete.set_null)
    dossier = ForeignKey(references=Dossier, null=True, on_delete=OnDelete.set_null)
    status_note = Text(default="")  # refusal reason, information asked for, transfer reason
    answer = Text(default="")
    answered_by = ForeignKey(references=Officer, null=True, on_delete=OnDelete.set_null)
    clock_started_on = Date()  # submission, or the day supplied information arrived
    due_on = Date(null=True, default=None, index=True)  # the next step's deadline
    answered_on = Date(null=True, default=None)
    finished_on = Date(null=True, default=None)  # refused, transferred or answered
    useful_count = Integer(default=0)
    not_useful_count = Integer(default=0)
    search_text = Text(default="")  # folded subject + answer, for the public list
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)
    # what the public list shows, edited by the officer at publication to remove personal
    # details typed in the text ("" for answers published before: subject, body, answer)
    public_subject = Varchar(length=200, default="")
    public_body = Text(default="")
    public_answer = Text(default="")


class FeedbackAttachment(Table, tablename="feedback_attachment"):
    token = Varchar(length=32, unique=True)
    feedback = ForeignKey(references=Feedback, on_delete=OnDelete.cascade, index=True)
    sha256 = Varchar(length=64)
    size = BigInt()
    media_type = Varchar(length=60)
    original_name = Varchar(length=255, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class FeedbackEvent(Table, tablename="feedback_event"):
    """Append-only history of a PAKN."""

    feedback = ForeignKey(references=Feedback, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz(default=TimestamptzNow())
    actor_kind = Varchar(length=10)  # sender | officer
    actor_id = Integer(null=True, default=None)
    action = Varchar(length=20)
    from_status = Varchar(length=20)
    to_status = Varchar(length=20)
    note = Text(default="")


class FeedbackVote(Table, tablename="feedback_vote"):
    """A reader's "useful / not useful" on a published answer, once per reader."""

    key = Varchar(length=120, unique=True)  # feedback id + the reader's hashed cookie
    feedback = ForeignKey(references=Feedback, on_delete=OnDelete.cascade, index=True)
    is_useful = Boolean()
    created_at = Timestamptz(default=TimestamptzNow())


class Rating(Table, tablename="rating"):
    """The citizen's satisfaction with a finished dossier; one per dossier."""

    dossier = ForeignKey(references=Dossier, on_delete=OnDelete.cascade, unique=True)
    agency = ForeignKey(references=Agency, null=True, on_delete=OnDelete.set_null, index=True)
    level = Integer()  # app/domain/ratings.py Level
    ease = Integer()
    answers = JSON(default={})  # optional national criteria: "chiso1" → "a"
    comment = Text(default="")
    channel = Varchar(length=10, default="web")  # web | paper | tablet
    recorded_by = ForeignKey(references=Officer, null=True, on_delete=OnDelete.set_null)
    follow_up = Varchar(length=10, default="")  # "" | open | answered
    follow_up_answer = Text(default="")
    follow_up_by = Integer(null=True, default=None)  # the leader who answered
    follow_up_answered_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class FaqItem(Table, tablename="faq_item"):
    """A frequent question and its answer, kept with a procedure by its agency's officers."""

    procedure = ForeignKey(references=Procedure, on_delete=OnDelete.cascade, index=True)
    question = Varchar(length=300)
    answer = Text()
    position = Integer(default=0)
    search_text = Text(default="")  # folded question + answer
    from_feedback = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
