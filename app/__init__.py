"""Một Cửa: online public-service portal and one-stop desk."""

import os

os.environ.setdefault("PICCOLO_CONF", "app.piccolo_conf")
