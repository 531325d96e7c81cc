"""What officers keep for themselves at the desk: their last queue view, the dossiers they
follow and their private annotations (never shown to the citizen or on tracking)."""

from piccolo.columns import ForeignKey, Integer, Text, Timestamptz
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from app.models.account import Officer
from app.models.dossier import Dossier


class DeskView(Table, tablename="desk_view"):
    """The last queue view of an officer: the query string of tab, filters and sort."""

    officer = ForeignKey(references=Officer, on_delete=OnDelete.cascade, unique=True)
    query = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())


class DossierFollow(Table, tablename="dossier_follow"):
    """An officer follows a dossier; ``seen_at`` is when they last opened it."""

    officer = ForeignKey(references=Officer, on_delete=OnDelete.cascade, index=True)
    dossier = ForeignKey(references=Dossier, on_delete=OnDelete.cascade, index=True)
    seen_at = Timestamptz(default=TimestamptzNow())
    created_at = Timestamptz(default=TimestamptzNow())


class DossierAnnotation(Table, tablename="dossier_annotation"):
    """A private note of the agency's officers on a dossier, distinct from the public note."""

    dossier = ForeignKey(references=Dossier, on_delete=OnDelete.cascade, index=True)
    officer = ForeignKey(references=Officer, on_delete=OnDelete.set_null, null=True)
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class ComponentCheck(Table, tablename="component_check"):
    """An officer has checked one component (by its position in the procedure) of a dossier."""

    dossier = ForeignKey(references=Dossier, on_delete=OnDelete.cascade, index=True)
    position = Integer()
    officer = ForeignKey(references=Officer, on_delete=OnDelete.set_null, null=True)
    checked_at = Timestamptz(default=TimestamptzNow())
