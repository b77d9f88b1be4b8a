"""JobClient: how producers (order-rpc) enqueue upstream's tasks.

Immediate tasks go straight onto the ``default`` stream. Delayed tasks are stored as
one-shot schedules in the Redis schedule source and moved onto the stream by the mqueue
scheduler process when due, so they survive restarts of both worker and scheduler
(asynq keeps them in its ``scheduled`` ZSET for the same reason).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from taskiq.kicker import AsyncKicker

from looklook.jobs.broker import JobsOptions, build_broker, schedule_source
from looklook.settings import RedisConf


def payload_dict(payload: BaseModel | dict[str, Any] | None) -> dict[str, Any]:
    """A payload as the JSON object on the wire (Go field names for our models)."""
    if payload is None:
        return {}
    if isinstance(payload, BaseModel):
        return payload.model_dump(by_alias=True, mode="json")
    return dict(payload)


class JobClient:
    """Enqueue tasks by name; the payload is the task's single argument."""

    def __init__(self, conf: RedisConf, options: JobsOptions | None = None) -> None:
        self.source = schedule_source(conf, options)
        self.broker = build_broker(conf, options, self.source)

    async def start(self) -> None:
        """Open the broker (creates the stream and consumer group if missing)."""
        await self.broker.startup()
        await self.source.startup()

    async def close(self) -> None:
        """Close Redis connections."""
        await self.source.shutdown()
        await self.broker.shutdown()
        await self.source._connection_pool.disconnect()  # the source has no close of its own

    async def __aenter__(self) -> JobClient:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    def _kicker(self, task_name: str) -> AsyncKicker[Any, Any]:
        return AsyncKicker(task_name=task_name, broker=self.broker, labels={})

    async def enqueue(self, task_name: str, payload: BaseModel | dict[str, Any] | None) -> str:
        """Run ``task_name`` as soon as a worker is free; returns the task id."""
        task = await self._kicker(task_name).kiq(payload_dict(payload))
        return task.task_id

    async def enqueue_in(
        self, task_name: str, payload: BaseModel | dict[str, Any] | None, delay_s: float
    ) -> str:
        """Run ``task_name`` ``delay_s`` seconds from now; returns the schedule id."""
        at = datetime.now(UTC) + timedelta(seconds=delay_s)
        created = await self._kicker(task_name).schedule_by_time(
            self.source, at, payload_dict(payload)
        )
        return created.schedule_id
