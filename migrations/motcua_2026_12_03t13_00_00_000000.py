from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T13:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "Desk index: the due-ordered queues (in progress, awaiting approval) list a dossier without a "
    "due date last, as the desk's table does; the visibility rows are written again"
)


async def rebuild():
    from app.services import queue_index

    await queue_index.rebuild()


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="motcua", description=DESCRIPTION)
    manager.add_raw(rebuild)
    manager.add_raw_backwards(rebuild)
    return manager
