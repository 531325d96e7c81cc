"""Piccolo configuration: the engine follows MOTCUA_DATABASE_URL (see app/db.py)."""

from piccolo.conf.apps import AppRegistry

from app.db import DB

__all__ = ["APP_REGISTRY", "DB"]

APP_REGISTRY = AppRegistry(apps=["app.piccolo_app"])
