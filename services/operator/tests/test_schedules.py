"""ScheduledJob handlers against the real Redis schedule source that mqueue reads."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta

import kopf
import pytest
from looklook.jobs import list_schedules
from looklook_operator import handlers
from looklook_operator.config import ReconcileConf
from looklook_operator.schedules import next_run, schedule_id

SETTLE = "schedule:settle_record:settle"
SID_PREFIX = "k8s:t-operator:"


@pytest.fixture
def jobs_memo(schedule_store) -> kopf.Memo:
    return kopf.Memo(schedules=schedule_store, reconcile=ReconcileConf(backoff_s=1))


async def run(handler, res, memo):
    patch = kopf.Patch()
    await handler(body=res.body(), patch=patch, memo=memo, retry=0)
    return res.apply(patch), patch


async def entry(store, name):
    sid = schedule_id("t-operator", name)
    return next((t for t in await list_schedules(store.source) if t.schedule_id == sid), None)


def settle_job(make_resource, name, **spec):
    return make_resource("ScheduledJob", name, {"schedule": "*/1 * * * *", "task": SETTLE, **spec})


async def test_add_registers_cron_with_status(
    make_resource, jobs_memo, schedule_store, unique_name
):
    res = settle_job(
        make_resource,
        unique_name,
        timeZone="Asia/Shanghai",
        concurrencyPolicy="Forbid",
        startingDeadlineSeconds=30,
    )
    status, _ = await run(handlers.job_apply, res, jobs_memo)

    task = await entry(schedule_store, unique_name)
    assert task is not None
    assert (task.task_name, task.cron, task.cron_offset) == (SETTLE, "*/1 * * * *", "Asia/Shanghai")
    assert task.args == [{}]  # upstream's settle task has no payload
    assert task.labels == {"concurrency_policy": "Forbid", "starting_deadline_seconds": 30}
    assert status["scheduleId"] == SID_PREFIX + unique_name
    assert status["registered"] is True and status["observedGeneration"] == 1
    upcoming = datetime.fromisoformat(status["nextRun"])
    now = datetime.now(UTC)
    assert now < upcoming <= now + timedelta(minutes=1)
    assert "lastRun" not in status  # nothing ran yet
    assert res.ready["status"] == "True" and res.ready["reason"] == "Registered"


async def test_update_replaces_entry(make_resource, jobs_memo, schedule_store, unique_name):
    res = settle_job(make_resource, unique_name)
    await run(handlers.job_apply, res, jobs_memo)
    res.edit(schedule="0 3 * * *", timeZone="UTC", payload={"Sn": "HSO1"})
    status, _ = await run(handlers.job_apply, res, jobs_memo)

    matching = [
        t
        for t in await list_schedules(schedule_store.source)
        if t.schedule_id == SID_PREFIX + unique_name
    ]
    assert len(matching) == 1  # replaced, not added twice
    assert (matching[0].cron, matching[0].cron_offset, matching[0].args) == (
        "0 3 * * *",
        "UTC",
        [{"Sn": "HSO1"}],
    )
    upcoming = datetime.fromisoformat(status["nextRun"])
    assert (upcoming.hour, upcoming.minute) == (3, 0)
    assert status["observedGeneration"] == 2


async def test_suspend_removes_and_resume_restores(
    make_resource, jobs_memo, schedule_store, unique_name
):
    res = settle_job(make_resource, unique_name)
    await run(handlers.job_apply, res, jobs_memo)
    res.edit(suspend=True)
    status, _ = await run(handlers.job_apply, res, jobs_memo)
    assert await entry(schedule_store, unique_name) is None
    assert status["registered"] is False and "nextRun" not in status
    assert res.ready["reason"] == "Suspended"

    res.edit(suspend=False)
    status, _ = await run(handlers.job_apply, res, jobs_memo)
    assert await entry(schedule_store, unique_name) is not None
    assert status["registered"] is True and status["nextRun"]


async def test_delete_removes_entry_and_lastrun(
    make_resource, jobs_memo, schedule_store, unique_name
):
    res = settle_job(make_resource, unique_name)
    await run(handlers.job_apply, res, jobs_memo)
    sid = SID_PREFIX + unique_name
    await schedule_store.redis.hset(schedule_store.lastrun_key, sid, "1700000000")

    await handlers.job_delete(body=res.body(), memo=jobs_memo, retry=0)
    assert await entry(schedule_store, unique_name) is None
    assert await schedule_store.redis.hget(schedule_store.lastrun_key, sid) is None
    await handlers.job_delete(body=res.body(), memo=jobs_memo, retry=0)  # idempotent


@pytest.mark.parametrize(("schedule", "tz"), [("99 * * * *", "UTC"), ("* * * * *", "Mars/Base")])
async def test_invalid_cron_or_zone_is_reported_and_unregistered(
    make_resource, jobs_memo, schedule_store, unique_name, schedule, tz
):
    res = settle_job(make_resource, unique_name)
    await run(handlers.job_apply, res, jobs_memo)
    res.edit(schedule=schedule, timeZone=tz)
    status, _ = await run(handlers.job_apply, res, jobs_memo)
    assert await entry(schedule_store, unique_name) is None  # the stale entry is gone
    assert res.ready["status"] == "False" and res.ready["reason"] == "InvalidSchedule"
    assert status["registered"] is False


async def test_timer_reregisters_missing_entry_and_reads_lastrun(
    make_resource, jobs_memo, schedule_store, unique_name
):
    res = settle_job(make_resource, unique_name)
    await run(handlers.job_apply, res, jobs_memo)
    sid = SID_PREFIX + unique_name
    await schedule_store.source.delete_schedule(sid)  # e.g. Redis lost its data
    await schedule_store.redis.hset(schedule_store.lastrun_key, sid, "1700000000")

    status, _ = await run(handlers.job_check, res, jobs_memo)
    assert await entry(schedule_store, unique_name) is not None
    assert res.ready["reason"] == "DriftRepaired"
    assert status["lastRun"] == "2023-11-14T22:13:20Z"


async def test_redis_down_is_retried(make_resource, unique_name):
    from looklook.jobs import schedule_source
    from looklook.settings import RedisConf
    from looklook_operator.schedules import ScheduleStore
    from redis.asyncio import Redis

    dead = RedisConf(host="127.0.0.1", port=1)
    store = ScheduleStore(schedule_source(dead), Redis.from_url(dead.url))
    memo = kopf.Memo(schedules=store, reconcile=ReconcileConf(backoff_s=3))
    res = settle_job(make_resource, unique_name)
    patch = kopf.Patch()
    with pytest.raises(kopf.TemporaryError) as err:
        await handlers.job_apply(body=res.body(), patch=patch, memo=memo, retry=1)
    assert err.value.delay == 6
    res.apply(patch)
    assert res.ready["status"] == "Unknown" and res.ready["reason"] == "RedisUnavailable"


def test_next_run_reads_schedule_in_its_time_zone():
    now = datetime(2024, 1, 1, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
    assert next_run("0 0 * * *", "Asia/Shanghai", now) == datetime(2024, 1, 1, 16, 0, tzinfo=UTC)
    assert next_run("0 0 * * *", "UTC", now) == datetime(2024, 1, 2, 0, 0, tzinfo=UTC)


async def test_real_scheduler_and_worker_run_registered_job(
    make_resource, jobs_memo, schedule_store, redis_conf, key_prefix, unique_name, poll
):
    """The end-to-end path: resource -> operator -> Redis -> taskiq scheduler -> worker."""
    env = {
        **os.environ,
        "T_OPERATOR_REDIS": redis_conf.model_dump_json(),
        "T_OPERATOR_PREFIX": key_prefix,
        "PYTHONPATH": os.pathsep.join(
            [os.path.dirname(__file__), os.environ.get("PYTHONPATH", "")]
        ),
    }
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "taskiq",
            *args,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        for args in (
            ["worker", "jobapp:broker", "--workers", "1"],
            ["scheduler", "jobapp:scheduler", "--update-interval", "1"],
        )
    ]
    try:
        # Registered after the scheduler started: it must pick the entry up without a restart.
        res = settle_job(
            make_resource,
            unique_name,
            schedule="* * * * *",
            timeZone="UTC",
            payload={"from": "operator-test"},
        )
        started = time.time()
        await run(handlers.job_apply, res, jobs_memo)

        runs_key = f"{key_prefix}:runs"
        raw = await poll(lambda: schedule_store.redis.lrange(runs_key, 0, -1), within_s=30)
        assert json.loads(raw[0])["payload"] == {"from": "operator-test"}

        status, _ = await run(handlers.job_check, res, jobs_memo)
        last = datetime.fromisoformat(status["lastRun"]).timestamp()
        assert started - 1 <= last <= time.time()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            await asyncio.wait_for(proc.wait(), 15)
