"""ScheduledJob run policies: ``concurrencyPolicy: Forbid`` and ``startingDeadlineSeconds``.

The operator only delivers them as task labels (docs/operator.md); this module enforces
them, in two halves:

* ``StampingScheduler`` (scheduler side) adds ``scheduled_at`` to every cron run: the
  Unix second of the cron minute it was sent for. Without it the worker could not tell
  how late a run starts.
* ``PolicyReceiver`` (worker side) decides, just before a run starts, whether it may:

  - ``starting_deadline_seconds``: a run that starts more than that many seconds after
    ``scheduled_at`` is dropped (a backed-up queue or a scheduler that was down).
  - ``concurrency_policy: Forbid``: a run is dropped while another run of the same
    schedule holds the Redis lock ``looklook:schedule:running:<schedule id>``. The lock
    has a short TTL that a heartbeat extends while the run lasts, so a crashed worker
    frees it within one TTL and a long run keeps it.

Retries (``_retries`` label) continue the run they belong to and are never dropped.
An admitted cron run is recorded as the schedule's last run (looklook.jobs.lastrun);
a dropped one is not, so the operator's ``status.lastRun`` shows runs that happened.
A dropped run finishes without error, so it is acknowledged and not retried. When Redis
cannot answer the lock question the run goes ahead (logged): the queue lives in the same
Redis, so this is a transient state, and losing a run is worse than one overlap.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from enum import StrEnum
from typing import Any, Final

from prometheus_client import Counter
from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError
from taskiq import ScheduledTask, ScheduleSource, TaskiqMessage, TaskiqResult, TaskiqScheduler
from taskiq.receiver import Receiver

from looklook.jobs.labels import (
    CONCURRENCY_POLICY,
    SCHEDULED_AT,
    STARTING_DEADLINE,
    is_cron_run,
    number,
)
from looklook.jobs.lastrun import LASTRUN_KEY, record_last_run

__all__ = [
    "CONCURRENCY_POLICY",
    "RUNNING_PREFIX",
    "SCHEDULED_AT",
    "STARTING_DEADLINE",
    "PolicyReceiver",
    "SchedulePolicy",
    "Skip",
    "StampingScheduler",
]

RUNNING_PREFIX: Final = "looklook:schedule:running"

log = logging.getLogger(__name__)

SKIPPED = Counter(
    "looklook_jobs_skipped_total",
    "Scheduled runs dropped by their ScheduledJob policy.",
    ["task", "reason"],
)


class Skip(StrEnum):
    """Why a run was dropped (the ``reason`` label of ``looklook_jobs_skipped_total``)."""

    DEADLINE = "deadline"
    FORBID = "forbid"


class StampingScheduler(TaskiqScheduler):
    """TaskiqScheduler that labels each cron run with the minute it was due."""

    async def on_ready(self, source: ScheduleSource, task: ScheduledTask) -> None:
        if task.cron is not None:
            minute = int(time.time()) // 60 * 60
            task = task.model_copy(update={"labels": {**task.labels, SCHEDULED_AT: minute}})
        await super().on_ready(source, task)


def late_by(labels: dict[str, Any], now: float) -> float | None:
    """Seconds past the deadline (> 0 = too late), or None when no deadline applies."""
    deadline = number(labels.get(STARTING_DEADLINE))
    scheduled = number(labels.get(SCHEDULED_AT))
    if deadline is None or scheduled is None:
        return None
    return now - scheduled - deadline


class SchedulePolicy:
    """The worker's view of the run policies; one per worker process."""

    def __init__(self, redis_url: str, *, lock_ttl_s: float = 60.0,
                 prefix: str = RUNNING_PREFIX, lastrun_key: str = LASTRUN_KEY) -> None:
        self._url = redis_url
        self.lock_ttl_s = lock_ttl_s
        self.prefix = prefix
        self.lastrun_key = lastrun_key
        self._redis: Redis | None = None

    async def startup(self) -> None:
        self._redis = Redis.from_url(self._url)

    async def shutdown(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    def lock_key(self, schedule_id: str) -> str:
        return f"{self.prefix}:{schedule_id}"

    @contextlib.asynccontextmanager
    async def admit(self, message: TaskiqMessage) -> AsyncIterator[Skip | None]:
        """Yield None if the run may start (holding its Forbid lock), else why not."""
        async with self._decide(message) as skip:
            if skip is None and self._redis is not None and is_cron_run(message.labels):
                await record_last_run(self._redis, self.lastrun_key, message)
            yield skip

    @contextlib.asynccontextmanager
    async def _decide(self, message: TaskiqMessage) -> AsyncIterator[Skip | None]:
        labels = message.labels
        schedule_id = labels.get("schedule_id")
        if not schedule_id or not is_cron_run(labels):
            yield None
            return
        late = late_by(labels, time.time())
        if late is not None and late > 0:
            log.warning("%s (%s): dropped, started %.1fs past its starting deadline",
                        message.task_name, schedule_id, late)
            yield Skip.DEADLINE
            return
        if labels.get(CONCURRENCY_POLICY) != "Forbid" or self._redis is None:
            yield None
            return
        lock = Lock(self._redis, self.lock_key(str(schedule_id)), timeout=self.lock_ttl_s,
                    blocking=False)
        try:
            acquired = await lock.acquire()
        except RedisError:
            log.warning("%s (%s): Forbid lock unavailable, running anyway",
                        message.task_name, schedule_id, exc_info=True)
            yield None
            return
        if not acquired:
            log.info("%s (%s): dropped, the previous run is still running (Forbid)",
                     message.task_name, schedule_id)
            yield Skip.FORBID
            return
        async with self._heartbeat(lock):
            yield None

    @contextlib.asynccontextmanager
    async def _heartbeat(self, lock: Lock) -> AsyncIterator[None]:
        """Keep ``lock`` alive while the run lasts; release it afterwards."""

        async def beat() -> None:
            while True:
                await asyncio.sleep(self.lock_ttl_s / 3)
                try:
                    await lock.reacquire()
                except (LockError, RedisError):
                    log.warning("cannot extend Forbid lock %s", lock.name, exc_info=True)

        task = asyncio.create_task(beat())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            with contextlib.suppress(LockError, RedisError):
                await lock.release()


class PolicyReceiver(Receiver):
    """Receiver that runs a task only if ``broker.state.schedule_policy`` admits it.

    The check sits around ``run_task`` (not in a middleware) because a middleware cannot
    skip a task: everything it raises escapes the receiver and leaves the message unacked.
    """

    async def run_task(self, target: Any, message: TaskiqMessage,
                       ack_controller: Any = None) -> TaskiqResult[Any]:
        policy: SchedulePolicy | None = getattr(self.broker.state, "schedule_policy", None)
        if policy is None:
            return await super().run_task(target, message, ack_controller)
        async with policy.admit(message) as skip:
            if skip is None:
                return await super().run_task(target, message, ack_controller)
        SKIPPED.labels(message.task_name, skip.value).inc()
        return TaskiqResult(is_err=False, log=None, return_value=None, execution_time=0.0,
                            labels=message.labels)

