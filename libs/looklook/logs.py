"""JSON-lines logging to stdout, one object per record.

Fields: ``@timestamp``-style ``timestamp`` (ISO 8601, UTC), ``level``, ``service``,
``msg``, ``trace_id``/``span_id`` when a span is active, the exception text, and every
``extra={...}`` field. Kubernetes log collectors index these without parsing.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from looklook.tracing import current_ids

__all__ = ["JsonFormatter", "setup_logging"]

_RESERVED = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)
_LEVELS = {"warning": "warn", "critical": "severe"}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        level = record.levelname.lower()
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": _LEVELS.get(level, level),
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        ids = current_ids()
        if ids is not None:
            entry["trace_id"], entry["span_id"] = ids
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["stack"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup_logging(name: str, level: str = "info") -> None:
    """Route all stdlib logging to stdout as JSON lines tagged with ``name``."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(name))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper() if level.lower() != "warn" else "WARNING")
    logging.getLogger("aiohttp.access").disabled = True  # we write our own access log
