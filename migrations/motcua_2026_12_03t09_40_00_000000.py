from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T09:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index for the desk queue filtered by procedure and received date"

# The desk's filter form narrows a queue to one procedure and a range of received dates; without
# this index every filtered page reads all the dossiers of the agency.
INDEXES = {"dossier_procedure_submitted": "dossier (procedure, submitted_at)"}


async def create_indexes():
    from piccolo.engine import engine_finder

    for name, target in INDEXES.items():
        await engine_finder().run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


async def drop_indexes():
    from piccolo.engine import engine_finder

    for name in INDEXES:
        await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="motcua", description=DESCRIPTION)
    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
