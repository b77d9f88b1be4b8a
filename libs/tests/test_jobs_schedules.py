"""Cron schedules in the real Redis schedule source: upsert, replace, remove, reject."""

from __future__ import annotations

import uuid

import pytest
from looklook.jobs import (
    InvalidScheduleError,
    JobsOptions,
    list_schedules,
    remove_schedule,
    schedule_source,
    upsert_cron,
)
from looklook.jobs.types import SETTLE_RECORD, CloseOrderPayload
from looklook.settings import RedisConf


@pytest.fixture
def source(infra):
    conf = RedisConf(host=infra.redis_host, port=infra.redis_port, db=5)
    opts = JobsOptions(schedule_prefix=f"t_jobs:{uuid.uuid4().hex}:schedule")
    return schedule_source(conf, opts)


async def test_upsert_replaces_and_remove_deletes(source):
    await upsert_cron(source, "settle", SETTLE_RECORD, "*/1 * * * *", "Asia/Shanghai")
    await upsert_cron(
        source, "settle", SETTLE_RECORD, "*/5 * * * *", "UTC", CloseOrderPayload(Sn="HSO1")
    )
    [only] = await list_schedules(source)
    assert (only.schedule_id, only.cron, only.cron_offset) == ("settle", "*/5 * * * *", "UTC")
    assert only.args == [{"Sn": "HSO1"}]

    await remove_schedule(source, "settle")
    await remove_schedule(source, "settle")  # idempotent
    assert await list_schedules(source) == []


@pytest.mark.parametrize(
    ("cron", "tz"),
    [
        ("* * * *", "UTC"),
        ("61 * * * *", "UTC"),
        ("*/0 * * * *", "UTC"),
        ("x * * * *", "UTC"),
        ("*/1 * * * *", "Mars/Olympus"),
    ],
)
async def test_invalid_cron_or_tz_writes_nothing(source, cron, tz):
    with pytest.raises(InvalidScheduleError):
        await upsert_cron(source, "bad", SETTLE_RECORD, cron, tz)
    assert await list_schedules(source) == []
