"""Background jobs on taskiq + Redis: upstream's asynq tasks, delays, retries and crons.

Public API (see docs in each module):

* ``build_broker(conf)`` / ``schedule_source(conf)`` – the broker and schedule source
  every process builds the same way from a ``RedisConf``.
* ``upsert_cron`` / ``remove_schedule`` / ``list_schedules`` – cron schedules (the
  operator's ScheduledJob resource writes through these).
* ``JobClient(conf)`` – ``enqueue`` / ``enqueue_in`` for producers.
* ``looklook.jobs.types`` – task names and payload models shared with upstream's wire.
"""

from looklook.jobs.broker import (
    CONSUMER_GROUP,
    QUEUE,
    SCHEDULE_PREFIX,
    STREAM_KEY,
    JobsOptions,
    build_broker,
    redis_url,
    schedule_source,
)
from looklook.jobs.client import JobClient, payload_dict
from looklook.jobs.retry import AsynqRetryMiddleware, RetryPolicy, asynq_delay_s
from looklook.jobs.schedules import (
    InvalidScheduleError,
    list_schedules,
    remove_schedule,
    upsert_cron,
    validate_cron,
)

__all__ = [
    "CONSUMER_GROUP",
    "QUEUE",
    "SCHEDULE_PREFIX",
    "STREAM_KEY",
    "AsynqRetryMiddleware",
    "InvalidScheduleError",
    "JobClient",
    "JobsOptions",
    "RetryPolicy",
    "asynq_delay_s",
    "build_broker",
    "list_schedules",
    "payload_dict",
    "redis_url",
    "remove_schedule",
    "schedule_source",
    "upsert_cron",
    "validate_cron",
]
