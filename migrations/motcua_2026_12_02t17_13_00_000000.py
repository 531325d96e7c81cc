from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-02T17:13:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes for the statistics aggregates (hand-written: composite indexes)"

# The report sums an agency's days in a range; the procedure page reads a procedure's finished
# dossiers of the last 12 months; drill-down lists an agency's dossiers by reception date.
STATISTIC_INDEXES = {
    "statistic_day_agency_day": "statistic_day (agency, day)",
    "statistic_dossier_procedure_finished": "statistic_dossier (procedure, finished_on)",
    "statistic_dossier_agency_received": "statistic_dossier (agency, received_on)",
}


async def create_indexes():
    from piccolo.engine import engine_finder

    engine = engine_finder()
    for name, target in STATISTIC_INDEXES.items():
        await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


async def drop_indexes():
    from piccolo.engine import engine_finder

    engine = engine_finder()
    for name in STATISTIC_INDEXES:
        await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="motcua", description=DESCRIPTION)
    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
