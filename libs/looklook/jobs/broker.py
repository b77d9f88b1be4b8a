"""The one place that builds the taskiq broker and the schedule source from a RedisConf.

Layout in Redis (fixed; this docstring is its documentation; the operator writes schedules
here through looklook.jobs.schedules):

* ``looklook:jobs:queue:default`` – a Redis stream, the ``default`` queue. Workers read
  it as consumer group ``looklook-mqueue`` and XACK only after the task finished, so a
  task whose worker died mid-run stays pending and is re-claimed (XAUTOCLAIM) by another
  worker after ``claim_idle_s``. That is why we use ``RedisStreamBroker`` and not a list.
* ``looklook:jobs:schedule:*`` – ``ListRedisScheduleSource``: ``:cron`` (ids of cron
  schedules), ``:time:<UTC minute>`` (ids of one-shot schedules: delayed jobs and
  retries), ``:data:<schedule id>`` (the ScheduledTask as JSON, never pickle).

No result backend: upstream keeps no results (asynq retention 0) and no caller waits.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Final

from redis.asyncio import Redis
from taskiq import AckableMessage
from taskiq.serializers import JSONSerializer
from taskiq_redis import ListRedisScheduleSource, RedisStreamBroker

from looklook.jobs.retry import AsynqRetryMiddleware, RetryPolicy
from looklook.settings import RedisConf

QUEUE: Final = "default"
STREAM_KEY: Final = f"looklook:jobs:queue:{QUEUE}"
CONSUMER_GROUP: Final = "looklook-mqueue"
SCHEDULE_PREFIX: Final = "looklook:jobs:schedule"


class AckDeletingStreamBroker(RedisStreamBroker):
    """RedisStreamBroker that deletes an entry when it acks it.

    XACK alone leaves finished entries in the stream forever; trimming by MAXLEN would
    instead risk dropping unprocessed ones. Deleting on ack keeps the stream as long as
    the backlog, like asynq deleting completed tasks (retention 0).
    """

    # Entry ids arrive as bytes; the parent annotates them as str, so widen the parameter.
    def _ack_generator(self, id: str | bytes, queue_name: str) -> Callable[[], Awaitable[None]]:
        async def _ack() -> None:
            async with Redis(connection_pool=self.connection_pool) as redis:
                async with redis.pipeline(transaction=True) as pipe:
                    pipe.xack(queue_name, self.consumer_group_name, id)
                    pipe.xdel(queue_name, id)
                    await pipe.execute()

        return _ack

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        """Read new entries, then claim entries idle longer than ``idle_timeout``.

        Unlike the parent, the claim pass also runs when no new entry arrived, so a task
        left by a crashed worker is re-run even on an otherwise idle queue. XAUTOCLAIM
        transfers ownership atomically, so concurrent workers never claim the same entry.
        """
        async with Redis(connection_pool=self.connection_pool) as redis:
            while True:
                fetched = await redis.xreadgroup(
                    self.consumer_group_name, self.consumer_name, {self.queue_name: ">"},
                    block=self.block, count=self.count,
                )
                # redis-py types the reply for RESP2 and RESP3; the pool speaks RESP2 (a list
                # of [stream, entries]), so the dict shape would be a misconfigured pool.
                if isinstance(fetched, dict):
                    raise TypeError("XREADGROUP replied in the RESP3 shape; use RESP2")
                for _stream, entries in fetched or []:
                    for entry in entries:
                        yield self._ackable(entry)
                _next, claimed, *_ = await redis.xautoclaim(
                    self.queue_name, self.consumer_group_name, self.consumer_name,
                    min_idle_time=self.idle_timeout, count=self.unacknowledged_batch_size,
                )
                for entry in claimed:
                    if entry and entry[1]:  # deleted entries come back empty
                        yield self._ackable(entry)

    def _ackable(self, entry: tuple[bytes, dict[bytes, bytes]]) -> AckableMessage:
        entry_id, fields = entry
        return AckableMessage(
            data=fields[b"data"], ack=self._ack_generator(id=entry_id, queue_name=self.queue_name)
        )


@dataclass(frozen=True)
class JobsOptions:
    """Tunables of the job system; defaults are production values."""

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    #: seconds a delivered-but-unacked task may sit before another worker claims it;
    #: above asynq's 30 min task timeout so a slow task is not run twice.
    claim_idle_s: float = 1860.0
    #: milliseconds a worker blocks in XREADGROUP before looping.
    read_block_ms: int = 2000
    #: schedule prefix; only tests change it, to isolate parallel runs.
    schedule_prefix: str = SCHEDULE_PREFIX
    #: stream key; only tests change it.
    stream_key: str = STREAM_KEY


def redis_url(conf: RedisConf) -> str:
    """The ``redis://`` URL of ``conf`` (one helper so every job process agrees)."""
    return conf.url


class ScheduleSource(ListRedisScheduleSource):
    """taskiq-redis's list schedule source, fixed for prefixes that contain colons.

    One-off (delayed) jobs sit in per-minute lists `<prefix>:time:<YYYY-MM-DDTHH:MM>`. On
    each tick the scheduler also collects lists of minutes already past, which is what
    makes a job due while the scheduler was down run once it is back. taskiq-redis finds
    the minute with `key.split(":", 2)[2]`, which only works for a colon-free prefix; ours
    (`looklook:jobs:schedule`) made every past bucket unreadable, so jobs due during a
    restart were never run. Parsing after the `:time:` marker works for any prefix.
    """

    def _parse_time_key(self, key: str) -> datetime.datetime | None:
        marker = f"{self._prefix}:time:"
        if not key.startswith(marker):
            return None
        try:
            minute = datetime.datetime.strptime(key[len(marker) :], "%Y-%m-%dT%H:%M")
        except ValueError:
            return None
        return minute.replace(tzinfo=datetime.UTC)


def schedule_source(conf: RedisConf, options: JobsOptions | None = None) -> ScheduleSource:
    """The schedule source every process shares (scheduler, producers, the operator)."""
    opts = options or JobsOptions()
    return ScheduleSource(redis_url(conf), prefix=opts.schedule_prefix, serializer=JSONSerializer())


def build_broker(
    conf: RedisConf,
    options: JobsOptions | None = None,
    source: ListRedisScheduleSource | None = None,
) -> AckDeletingStreamBroker:
    """The ``default`` queue broker with asynq-style retries through ``source``."""
    opts = options or JobsOptions()
    broker = AckDeletingStreamBroker(
        redis_url(conf),
        queue_name=opts.stream_key,
        consumer_group_name=CONSUMER_GROUP,
        # A new group starts at the stream's beginning, so tasks enqueued before the
        # first worker ever started are not skipped.
        consumer_id="0",
        xread_block=opts.read_block_ms,
        idle_timeout=int(opts.claim_idle_s * 1000),
        unacknowledged_lock_timeout=30.0,
    )
    retry_source = source or schedule_source(conf, opts)
    return broker.with_middlewares(AsynqRetryMiddleware(retry_source, opts.retry))
