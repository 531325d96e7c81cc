from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T09:02:22:000000"
VERSION = "1.38.0"
DESCRIPTION = "Fill the monthly statistics rollup from the days; index it and the procedure times"

# The pages sum an agency's whole months from statistic_month; the procedure page's query is
# answered from a covering index (no table look-up per finished dossier).
INDEXES = {
    "statistic_month_agency_month": "statistic_month (agency, month)",
    "statistic_dossier_procedure_times": (
        "statistic_dossier (procedure, finished_on, work_days, timeliness)"
    ),
}
REPLACED = "statistic_dossier_procedure_finished"
COLUMNS = (
    "c4, c5, c8, c9, c10, open_delta, overdue_delta, fee_due, paid_online, digitised, "
    "e_result, resolved_days, resolved_count"
)


async def fill_months():
    """Sum the existing daily aggregates into months, so no rebuild is needed."""
    from piccolo.engine import engine_finder
    from piccolo.engine.postgres import PostgresEngine

    engine = engine_finder()
    month = "substr(day, 1, 7)"
    first = "substr(day, 1, 7) || '-01'"
    if isinstance(engine, PostgresEngine):
        month, first = "to_char(day, 'YYYY-MM')", "date_trunc('month', day)::date"
    sums = ", ".join(f"SUM({c.strip()})" for c in COLUMNS.split(","))
    await engine.run_ddl(
        f"INSERT INTO statistic_month (key, agency, procedure, month, {COLUMNS}) "
        f"SELECT agency || ':' || procedure || ':' || {month}, agency, procedure, {first}, "
        f"{sums} FROM statistic_day GROUP BY agency, procedure, {month}, {first}"
    )
    for name, target in INDEXES.items():
        await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
    await engine.run_ddl(f"DROP INDEX IF EXISTS {REPLACED}")


async def drop_indexes():
    from piccolo.engine import engine_finder

    engine = engine_finder()
    for name in INDEXES:
        await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")
    await engine.run_ddl(
        f"CREATE INDEX IF NOT EXISTS {REPLACED} ON statistic_dossier (procedure, finished_on)"
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="motcua", description=DESCRIPTION)
    manager.add_raw(fill_months)
    manager.add_raw_backwards(drop_indexes)
    return manager
