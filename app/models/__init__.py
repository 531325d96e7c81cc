"""Piccolo tables, one module per aggregate."""

from app.models.account import Citizen, Officer, PasswordReset, RateLimit, WebSession
from app.models.agency import Agency, AgencyLevel
from app.models.catalogue import (
    CatalogueState,
    Component,
    Fee,
    Procedure,
    ProcedureLevel,
    ProcedureSector,
    Sector,
)
from app.models.dossier import Attachment, CalendarDay, Dossier, DossierEvent, DossierSequence
from app.models.feedback import (
    FaqItem,
    Feedback,
    FeedbackAttachment,
    FeedbackEvent,
    FeedbackVote,
    Rating,
)
from app.models.messaging import Outbox
from app.models.payment import Payment, PaymentCallback
from app.models.statistics import StatisticDay, StatisticDossier, StatisticState

TABLES = [
    AgencyLevel,
    Agency,
    Sector,
    Procedure,
    ProcedureSector,
    ProcedureLevel,
    Component,
    Fee,
    CatalogueState,
    Citizen,
    Officer,
    WebSession,
    PasswordReset,
    RateLimit,
    Outbox,
    Dossier,
    Attachment,
    DossierEvent,
    DossierSequence,
    CalendarDay,
    Payment,
    PaymentCallback,
    Feedback,
    FeedbackAttachment,
    FeedbackEvent,
    FeedbackVote,
    Rating,
    FaqItem,
    StatisticDay,
    StatisticDossier,
    StatisticState,
]

__all__ = [
    "TABLES",
    "Agency",
    "AgencyLevel",
    "Attachment",
    "CalendarDay",
    "CatalogueState",
    "Citizen",
    "Component",
    "Dossier",
    "DossierEvent",
    "DossierSequence",
    "FaqItem",
    "Feedback",
    "FeedbackAttachment",
    "FeedbackEvent",
    "FeedbackVote",
    "Fee",
    "Officer",
    "Outbox",
    "PasswordReset",
    "Payment",
    "PaymentCallback",
    "Procedure",
    "ProcedureLevel",
    "ProcedureSector",
    "Rating",
    "RateLimit",
    "Sector",
    "StatisticDay",
    "StatisticDossier",
    "StatisticState",
    "WebSession",
]
