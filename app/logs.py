"""Logging for the server: the tracking page's second factor never reaches a log file."""

from __future__ import annotations

import logging
import re
from typing import Any

SECRET_PARAMS = re.compile(r"(xac_thuc=)[^&\s\"]*")


def redact(text: str) -> str:
    return SECRET_PARAMS.sub(r"\1***", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        record.msg = redact(str(record.msg))
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's default configuration with the redacting filter on every handler."""
    from uvicorn.config import LOGGING_CONFIG

    config = {**LOGGING_CONFIG}
    config["filters"] = {"redact": {"()": "app.logs.RedactSecrets"}}
    config["handlers"] = {
        name: {**handler, "filters": ["redact"]}
        for name, handler in LOGGING_CONFIG["handlers"].items()
    }
    config["loggers"] = {
        **LOGGING_CONFIG["loggers"],
        "motcua": {"handlers": ["default"], "level": "INFO", "propagate": False},
    }
    return config
