"""When each schedule last ran: the hash the worker writes and the operator reads.

The operator shows it as ScheduledJob ``status.lastRun``. Layout (docs/operator.md):
``HSET looklook:schedule:lastrun <schedule id> <Unix seconds>``, written by the worker
when it starts a task that the scheduler sent for a schedule (taskiq label
``schedule_id``) for a cron tick (label ``scheduled_at``, looklook.jobs.policy). Plain
enqueues, delayed jobs and retries are not recorded: the scheduler labels the last two
with their own one-shot schedule ids, which would only leave stray fields in the hash.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Final

from redis.asyncio import Redis
from taskiq import TaskiqMessage, TaskiqMiddleware

from looklook.jobs.labels import is_cron_run

LASTRUN_KEY: Final = "looklook:schedule:lastrun"

log = logging.getLogger(__name__)


class LastRunMiddleware(TaskiqMiddleware):
    """Worker middleware recording the start time of every scheduled run."""

    def __init__(self, redis_url: str, key: str = LASTRUN_KEY) -> None:
        super().__init__()
        self._url = redis_url
        self._key = key
        self._redis: Redis | None = None

    async def startup(self) -> None:
        self._redis = Redis.from_url(self._url)

    async def shutdown(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    async def pre_execute(self, message: TaskiqMessage) -> TaskiqMessage:
        # A worker with a SchedulePolicy records admitted runs itself (dropped runs
        # must not count), so this middleware then stays out of the way.
        has_policy = self.broker is not None and getattr(
            self.broker.state, "schedule_policy", None)
        if not has_policy and is_cron_run(message.labels) and self._redis is not None:
            await record_last_run(self._redis, self._key, message)
        return message


async def record_last_run(redis: Redis, key: str, message: TaskiqMessage) -> None:
    """HSET the run's start time under its schedule id; bookkeeping never fails a task."""
    schedule_id: Any = message.labels.get("schedule_id")
    if not schedule_id:
        return
    try:
        await redis.hset(key, str(schedule_id), str(int(time.time())))
    except Exception:
        log.warning("cannot record last run of %s", schedule_id, exc_info=True)
