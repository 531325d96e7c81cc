"""The Piccolo app: tables plus the migrations folder at the project root."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from app.models import TABLES

APP_CONFIG = AppConfig(
    app_name="motcua",
    migrations_folder_path=str(Path(__file__).resolve().parent.parent / "migrations"),
    table_classes=TABLES,
    migration_dependencies=[],
    commands=[],
)
