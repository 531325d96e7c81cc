from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T09:31:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "A component of a dossier is checked at most once"


async def create_check_index():
    from piccolo.engine import engine_finder

    await engine_finder().run_ddl(
        "CREATE UNIQUE INDEX IF NOT EXISTS component_check_dossier_position"
        " ON component_check (dossier, position)"
    )


async def drop_check_index():
    from piccolo.engine import engine_finder

    await engine_finder().run_ddl("DROP INDEX IF EXISTS component_check_dossier_position")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="motcua", description=DESCRIPTION)
    manager.add_raw(create_check_index)
    manager.add_raw_backwards(drop_check_index)
    return manager
