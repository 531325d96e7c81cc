from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T12:49:42:345815"
VERSION = "1.38.0"
DESCRIPTION = "Rename the payment columns receipt_series and receipt_number to fee_receipt_series and fee_receipt_number, keeping their data"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="motcua", description=DESCRIPTION)

    manager.rename_column(
        table_class_name="Payment",
        tablename="payment",
        old_column_name="receipt_number",
        new_column_name="fee_receipt_number",
        old_db_column_name="receipt_number",
        new_db_column_name="fee_receipt_number",
        schema=None,
    )

    manager.rename_column(
        table_class_name="Payment",
        tablename="payment",
        old_column_name="receipt_series",
        new_column_name="fee_receipt_series",
        old_db_column_name="receipt_series",
        new_db_column_name="fee_receipt_series",
        schema=None,
    )

    return manager
