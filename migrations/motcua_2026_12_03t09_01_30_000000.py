from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T09:01:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "An officer follows a dossier at most once"


async def create_follow_index():
    from piccolo.engine import engine_finder

    await engine_finder().run_ddl(
        "CREATE UNIQUE INDEX IF NOT EXISTS dossier_follow_officer_dossier"
        " ON dossier_follow (officer, dossier)"
    )


async def drop_follow_index():
    from piccolo.engine import engine_finder

    await engine_finder().run_ddl("DROP INDEX IF EXISTS dossier_follow_officer_dossier")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="motcua", description=DESCRIPTION)
    manager.add_raw(create_follow_index)
    manager.add_raw_backwards(drop_follow_index)
    return manager
