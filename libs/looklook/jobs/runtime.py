"""Running the worker and the scheduler loops in-process (no taskiq CLI, no forks).

Processes own their event loop and lifecycle (looklook.lifecycle); these coroutines
run until cancelled, so a service cancels them at shutdown.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from taskiq import AsyncBroker, ScheduleSource
from taskiq.api import run_receiver_task
from taskiq.cli.scheduler.run import SchedulerLoop

from looklook.jobs.policy import PolicyReceiver, SchedulePolicy, StampingScheduler

log = logging.getLogger(__name__)


async def run_worker(
    broker: AsyncBroker, *, concurrency: int = 20, policy: SchedulePolicy | None = None
) -> None:
    """Consume the queue with ``concurrency`` tasks at once (asynq's 20 upstream).

    A task is acknowledged only after it finished (or failed and its retry was stored),
    so a worker killed mid-task leaves it for another worker to claim. With ``policy``,
    scheduled runs obey their ScheduledJob's Forbid / starting-deadline labels.
    """
    broker.is_worker_process = True
    broker.state.schedule_policy = policy
    await broker.startup()
    if policy is not None:
        await policy.startup()
    try:
        await run_receiver_task(broker, receiver_cls=PolicyReceiver,
                                max_async_tasks=concurrency, run_startup=False)
    finally:
        if policy is not None:
            await policy.shutdown()
        await broker.shutdown()


async def run_scheduler(
    broker: AsyncBroker,
    source: ScheduleSource,
    *,
    update_interval_s: float = 5.0,
) -> None:
    """Move due one-shot schedules and cron ticks from ``source`` onto the queue.

    The source is re-read every ``update_interval_s``, so schedules added or removed
    by other processes (JobClient, the operator) take effect without a restart. Cron
    runs carry the minute they were due (``scheduled_at``) for the starting deadline.
    """
    # taskiq-redis logs every poll of past-minute buckets at INFO (every few seconds).
    logging.getLogger("taskiq.redis_schedule_source").setLevel(logging.WARNING)
    scheduler = StampingScheduler(broker, [source])
    broker.is_scheduler_process = True
    await source.startup()
    await scheduler.startup()
    try:
        await SchedulerLoop(scheduler).run(
            update_interval=timedelta(seconds=update_interval_s),
            loop_interval=timedelta(seconds=1),
        )
    finally:
        await scheduler.shutdown()
        await source.shutdown()
