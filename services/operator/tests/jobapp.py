"""A minimal mqueue stand-in for the end-to-end schedule test (run by the taskiq CLI).

It builds the broker and schedule source exactly as ``looklook.jobs`` does for the real
mqueue processes, adds the last-run middleware the operator reads, and defines upstream's
settle task, which here only appends its call to a Redis list the test watches.
Env: T_OPERATOR_REDIS (a RedisConf as JSON), T_OPERATOR_PREFIX.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from looklook.jobs import JobsOptions, build_broker, schedule_source
from looklook.jobs.lastrun import LastRunMiddleware
from looklook.jobs.policy import StampingScheduler
from looklook.settings import RedisConf
from redis.asyncio import Redis

_conf = RedisConf.model_validate_json(os.environ["T_OPERATOR_REDIS"])
_URL = _conf.url
PREFIX = os.environ["T_OPERATOR_PREFIX"]
_options = JobsOptions(
    schedule_prefix=f"{PREFIX}:schedule", stream_key=f"{PREFIX}:queue", read_block_ms=200
)
source = schedule_source(_conf, _options)
broker = build_broker(_conf, _options, source).with_middlewares(
    LastRunMiddleware(_URL, key=f"{PREFIX}:lastrun")
)
scheduler = StampingScheduler(broker, [source])  # as mqueue's scheduler: cron runs stamped


@broker.task(task_name="schedule:settle_record:settle")
async def settle(payload: dict[str, Any]) -> None:
    async with Redis.from_url(_URL) as redis:
        await redis.rpush(f"{PREFIX}:runs", json.dumps({"at": time.time(), "payload": payload}))
