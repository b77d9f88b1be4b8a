"""The scheduler process's set-up: static cron entries from config, then the loop."""

from __future__ import annotations

import logging

from looklook.jobs import upsert_cron
from taskiq import ScheduleSource

from mqueue.config import StaticSchedule

log = logging.getLogger(__name__)


async def register_static(source: ScheduleSource, schedules: list[StaticSchedule]) -> None:
    """Upsert the configured crons (idempotent: same ids every start)."""
    for entry in schedules:
        await upsert_cron(source, entry.id, entry.task, entry.cron, entry.tz)
        log.info("static schedule %s: %s %s (%s)", entry.id, entry.task, entry.cron, entry.tz)
