from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T09:02:30:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "Desk indexes: unique visibility rows, queue and due-date orders, counters' keys; name and "
    "code trigram search (FTS5 on SQLite, pg_trgm on PostgreSQL); fill them from the dossiers"
)

# A queue page is one range of one of these (app/services/desk.py), whatever the table's size.
INDEXES = {
    "dossier_agency_visible": "UNIQUE INDEX dossier_agency_visible ON dossier_agency (agency, dossier)",
    "dossier_agency_queue": "INDEX dossier_agency_queue ON dossier_agency "
    "(agency, queue, priority_rank, sort_at, dossier)",
    "dossier_agency_due": "INDEX dossier_agency_due ON dossier_agency "
    "(agency, clock, priority_rank, due_at, dossier)",
    "dossier_agency_due_count": "INDEX dossier_agency_due_count ON dossier_agency "
    "(agency, clock, due_at)",
    "dossier_agency_submitted": "INDEX dossier_agency_submitted ON dossier_agency "
    "(agency, priority_rank, submitted_at, dossier)",
    "queue_count_key": "UNIQUE INDEX queue_count_key ON queue_count (agency, status)",
    "due_count_key": "UNIQUE INDEX due_count_key ON due_count (agency, hour)",
}


async def create():
    from piccolo.engine import engine_finder

    from app.services import queue_index

    engine = engine_finder()
    postgres = engine.engine_type == "postgres"
    for ddl in INDEXES.values():
        await engine.run_ddl(f"CREATE {ddl}".replace(" INDEX ", " INDEX IF NOT EXISTS ", 1))
    if postgres:
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
        await engine.run_ddl("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        await engine.run_ddl(
            "CREATE INDEX IF NOT EXISTS dossier_name_trgm ON dossier "
            "USING gin (applicant_search gin_trgm_ops)"
        )
        await engine.run_ddl(
            "CREATE INDEX IF NOT EXISTS dossier_code_trgm ON dossier USING gin (code gin_trgm_ops)"
        )
    else:
        await engine.run_ddl(
            "CREATE VIRTUAL TABLE IF NOT EXISTS dossier_search "
            "USING fts5(name, code, tokenize='trigram')"
        )
    await queue_index.rebuild()


async def drop():
    from piccolo.engine import engine_finder

    engine = engine_finder()
    for name in INDEXES:
        await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")
    if engine.engine_type == "postgres":
        await engine.run_ddl("DROP INDEX IF EXISTS dossier_name_trgm")
        await engine.run_ddl("DROP INDEX IF EXISTS dossier_code_trgm")
    else:
        await engine.run_ddl("DROP TABLE IF EXISTS dossier_search")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="motcua", description=DESCRIPTION)
    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
