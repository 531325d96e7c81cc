from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Varchar

ID = "2026-12-03T09:29:11:572156"
VERSION = "1.38.0"
DESCRIPTION = "Dossier and history enum columns declare their choices (status, channel, fee status, action); no schema change"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="motcua", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Dossier",
        tablename="dossier",
        column_name="status",
        db_column_name="status",
        params={
            "choices": Enum(
                "Status",
                {
                    "DRAFT": "draft",
                    "SUBMITTED": "submitted",
                    "PRE_SUPPLEMENT": "pre_supplement",
                    "REFUSED": "refused",
                    "RECEIVED": "received",
                    "IN_PROGRESS": "in_progress",
                    "SUPPLEMENT_REQUESTED": "supplement_requested",
                    "AWAITING_APPROVAL": "awaiting_approval",
                    "TRANSFERRED": "transferred",
                    "RESULT_READY": "result_ready",
                    "RETURNED": "returned",
                    "REJECTED": "rejected",
                    "WITHDRAWN": "withdrawn",
                    "HALTED": "halted",
                },
            )
        },
        old_params={"choices": None},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Dossier",
        tablename="dossier",
        column_name="channel",
        db_column_name="channel",
        params={
            "choices": Enum(
                "Channel",
                {"ONLINE": "online", "COUNTER": "counter", "POST": "post"},
            )
        },
        old_params={"choices": None},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Dossier",
        tablename="dossier",
        column_name="fee_status",
        db_column_name="fee_status",
        params={
            "choices": Enum(
                "FeeStatus",
                {
                    "NOT_REQUIRED": "not_required",
                    "UNPAID": "unpaid",
                    "AWAITING_CONFIRMATION": "awaiting_confirmation",
                    "PAID": "paid",
                    "REFUNDED": "refunded",
                    "EXEMPT": "exempt",
                },
            )
        },
        old_params={"choices": None},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="DossierEvent",
        tablename="dossier_event",
        column_name="action",
        db_column_name="action",
        params={
            "choices": Enum(
                "Action",
                {
                    "SUBMIT": "submit",
                    "WITHDRAW": "withdraw",
                    "REQUEST_PRE_SUPPLEMENT": "request_pre_supplement",
                    "SUPPLY": "supply",
                    "REFUSE": "refuse",
                    "RECEIVE": "receive",
                    "ASSIGN": "assign",
                    "REQUEST_SUPPLEMENT": "request_supplement",
                    "SUBMIT_FOR_APPROVAL": "submit_for_approval",
                    "APPROVE": "approve",
                    "RETURN_FOR_REWORK": "return_for_rework",
                    "REJECT": "reject",
                    "TRANSFER": "transfer",
                    "TRANSFER_BACK": "transfer_back",
                    "EXTEND": "extend",
                    "RETURN_RESULT": "return_result",
                    "HALT": "halt",
                    "START_PAYMENT": "start_payment",
                    "CONFIRM_PAYMENT": "confirm_payment",
                    "FAIL_PAYMENT": "fail_payment",
                    "PAY_AT_COUNTER": "pay_at_counter",
                    "RECORD_DELIVERY": "record_delivery",
                    "MARK_PRIORITY": "mark_priority",
                    "UNMARK_PRIORITY": "unmark_priority",
                },
            )
        },
        old_params={"choices": None},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="DossierEvent",
        tablename="dossier_event",
        column_name="from_status",
        db_column_name="from_status",
        params={
            "choices": Enum(
                "Status",
                {
                    "DRAFT": "draft",
                    "SUBMITTED": "submitted",
                    "PRE_SUPPLEMENT": "pre_supplement",
                    "REFUSED": "refused",
                    "RECEIVED": "received",
                    "IN_PROGRESS": "in_progress",
                    "SUPPLEMENT_REQUESTED": "supplement_requested",
                    "AWAITING_APPROVAL": "awaiting_approval",
                    "TRANSFERRED": "transferred",
                    "RESULT_READY": "result_ready",
                    "RETURNED": "returned",
                    "REJECTED": "rejected",
                    "WITHDRAWN": "withdrawn",
                    "HALTED": "halted",
                },
            )
        },
        old_params={"choices": None},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="DossierEvent",
        tablename="dossier_event",
        column_name="to_status",
        db_column_name="to_status",
        params={
            "choices": Enum(
                "Status",
                {
                    "DRAFT": "draft",
                    "SUBMITTED": "submitted",
                    "PRE_SUPPLEMENT": "pre_supplement",
                    "REFUSED": "refused",
                    "RECEIVED": "received",
                    "IN_PROGRESS": "in_progress",
                    "SUPPLEMENT_REQUESTED": "supplement_requested",
                    "AWAITING_APPROVAL": "awaiting_approval",
                    "TRANSFERRED": "transferred",
                    "RESULT_READY": "result_ready",
                    "RETURNED": "returned",
                    "REJECTED": "rejected",
                    "WITHDRAWN": "withdrawn",
                    "HALTED": "halted",
                },
            )
        },
        old_params={"choices": None},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
