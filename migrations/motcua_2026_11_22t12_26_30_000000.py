from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T12:26:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes for the desk queues (hand-written: composite indexes per agency column)"


# The desk shows an agency the dossiers it received, currently holds or resolves, by status and
# due date. One index per agency column lets SQLite (multi-index OR) and PostgreSQL (bitmap OR)
# find them; the trailing agency columns let app/services/desk.py count them by status from the
# indexes alone (each dossier once: by the first of its agency columns that names the agency).
DESK_INDEXES = {
    "dossier_receiving_desk": "receiving_agency, status, due_at",
    "dossier_current_desk": "current_agency, status, due_at, receiving_agency",
    "dossier_resolving_desk": "resolving_agency, status, due_at, receiving_agency, current_agency",
}


async def create_desk_indexes():
    engine = engine_finder()
    for name, columns in DESK_INDEXES.items():
        await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON dossier ({columns})")


async def drop_desk_indexes():
    engine = engine_finder()
    for name in DESK_INDEXES:
        await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="motcua", description=DESCRIPTION)
    manager.add_raw(create_desk_indexes)
    manager.add_raw_backwards(drop_desk_indexes)
    return manager
