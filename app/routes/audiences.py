"""One router per audience, each with the guard that admits it; main.py lists them.

- public: anyone (home, catalogue, guides, tracking, feedback, statistics, the logins); no guard.
- citizen: a logged-in citizen (the wizard, "my dossiers", fees); ``citizen_only``.
- desk: officers at ``/mot-cua``; ``officer_only`` (the report also ``role_only(LEADER)``, the
  intake ``role_only(RECEPTIONIST)``, on their controllers; the fee, delivery, priority and
  rating-answer routes their own ``role_only``).
- admin: administrators at ``/quan-tri``; ``role_only(ADMINISTRATOR)``.
- payments: the gateway's return and IPN (and the sandbox gateway when mounted); the signature.

The desk's login pages live on the public router (nobody is logged in yet); the few handlers of
the public and desk controllers that need a session carry the guard on the handler itself.
"""

from __future__ import annotations

from litestar import Router

from app.domain.dossier_flow import Role
from app.routes._guards import citizen_only, officer_only, role_only
from app.routes.account import AccountController
from app.routes.admin import AdminController
from app.routes.citizen import CitizenController, CitizenDossierController
from app.routes.desk import DeskController
from app.routes.desk_batch import DeskBatchController
from app.routes.desk_dossier_files import DeskDocumentsController
from app.routes.desk_intake import DeskIntakeController
from app.routes.desk_queue import DeskQueueController
from app.routes.desk_reconciliation import ReconciliationController
from app.routes.desk_side_actions import DeskSideActionsController
from app.routes.desk_work import DeskChecklistController, DeskWorkController
from app.routes.feedback import FeedbackController, RatingController
from app.routes.feedback_desk import DeskFaqController, DeskFeedbackController, DeskRatingController
from app.routes.guides import GuidesController
from app.routes.mfa import MfaLoginController, SecurityController
from app.routes.payments import (
    CitizenPaymentController,
    GatewayController,
    SandboxGatewayController,
)
from app.routes.public import PublicController
from app.routes.static import static_file
from app.routes.statistics import PublicStatisticsController, ReportController
from app.routes.tracking import TrackingController

ADMINISTRATORS_ONLY = "Chức năng dành cho quản trị viên"


def public() -> Router:
    return Router(
        path="/",
        route_handlers=[
            PublicController,
            GuidesController,
            AccountController,
            TrackingController,
            FeedbackController,
            RatingController,
            PublicStatisticsController,
            DeskController,  # the desk's login; its other handlers carry officer_only
            MfaLoginController,
            static_file,
        ],
    )


def citizen() -> Router:
    return Router(
        path="/",
        guards=[citizen_only],
        route_handlers=[CitizenController, CitizenDossierController, CitizenPaymentController],
    )


def desk() -> Router:
    return Router(
        path="/",
        guards=[officer_only],
        route_handlers=[
            DeskQueueController,
            DeskBatchController,
            DeskWorkController,
            DeskChecklistController,
            DeskDocumentsController,
            DeskSideActionsController,
            DeskIntakeController,
            ReconciliationController,
            DeskFeedbackController,
            DeskRatingController,
            DeskFaqController,
            ReportController,
            SecurityController,
        ],
    )


def admin() -> Router:
    return Router(
        path="/",
        guards=[role_only(Role.ADMINISTRATOR, ADMINISTRATORS_ONLY)],
        route_handlers=[AdminController],
    )


def payments(sandbox: bool) -> Router:
    return Router(
        path="/",
        route_handlers=[GatewayController, *([SandboxGatewayController] if sandbox else [])],
    )
