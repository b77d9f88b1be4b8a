"""ScheduledJob policies (Forbid, startingDeadlineSeconds) on real Redis with a real worker."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid

import pytest
from looklook.data.testing import purge_keys
from looklook.jobs import JobClient, JobsOptions, RetryPolicy, build_broker, upsert_cron
from looklook.jobs.labels import SCHEDULED_AT
from looklook.jobs.policy import SKIPPED, SchedulePolicy, Skip
from looklook.jobs.runtime import run_scheduler, run_worker
from looklook.settings import RedisConf
from redis.asyncio import Redis
from taskiq import Context, TaskiqDepends
from taskiq.kicker import AsyncKicker

TASK = "t:policy:record"
CONTEXT = TaskiqDepends()


@pytest.fixture
def conf(infra):
    return RedisConf(host=infra.redis_host, port=infra.redis_port, db=5)


@pytest.fixture
async def env(conf):
    tag = f"t_jobs_policy:{uuid.uuid4().hex}"
    opts = JobsOptions(
        retry=RetryPolicy(max_retry=0), read_block_ms=100,
        schedule_prefix=f"{tag}:schedule", stream_key=f"{tag}:queue",
    )
    redis = Redis.from_url(conf.url)
    yield tag, opts, redis
    await purge_keys(conf, f"{tag}:")
    await redis.aclose()


def _broker(conf, opts, redis, runs_key, hold_s=0.0):
    """A worker broker whose task records its payload and labels, then holds ``hold_s``."""
    broker = build_broker(conf, opts)

    @broker.task(task_name=TASK)
    async def record(payload: dict, context: Context = CONTEXT) -> None:
        await redis.rpush(runs_key, json.dumps({"n": payload["n"],
                                                "labels": context.message.labels}))
        await asyncio.sleep(hold_s)

    return broker


@contextlib.asynccontextmanager
async def _worker(broker, policy):
    task = asyncio.create_task(run_worker(broker, concurrency=4, policy=policy))
    await asyncio.sleep(0.2)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _until(predicate, limit_s=5.0):
    for _ in range(int(limit_s / 0.02)):
        if await predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


def _skipped(reason: Skip) -> float:
    return SKIPPED.labels(TASK, reason.value)._value.get()


async def _runs(redis, key) -> list[dict]:
    return [json.loads(v) for v in await redis.lrange(key, 0, -1)]


async def _send(client: JobClient, n: str, **labels) -> None:
    await AsyncKicker(TASK, client.broker, labels).kiq({"n": n})


async def test_forbid_drops_a_run_while_the_previous_one_runs(conf, env):
    tag, opts, redis = env
    runs = f"{tag}:runs"
    # TTL far below the run's length: only the heartbeat keeps the lock held.
    policy = SchedulePolicy(conf.url, lock_ttl_s=0.3, prefix=f"{tag}:running")
    labels = {"schedule_id": "k8s:ns:job", "concurrency_policy": "Forbid",
              SCHEDULED_AT: int(time.time())}
    before = _skipped(Skip.FORBID)
    async with JobClient(conf, opts) as client, \
            _worker(_broker(conf, opts, redis, runs, hold_s=1.2), policy):
        await _send(client, "first", **labels)
        await _until(lambda: redis.llen(runs))
        await asyncio.sleep(0.6)  # two TTLs into the first run
        await _send(client, "overlap", **labels)
        await _until(lambda: _async(_skipped(Skip.FORBID) == before + 1))
        # Another schedule is not blocked by this one's lock.
        await _send(client, "other", **{**labels, "schedule_id": "k8s:ns:other"})
        await _until(lambda: _async_len(redis, runs, 2))
        await asyncio.sleep(1.0)  # the first run finishes and releases its lock
        assert not await redis.exists(policy.lock_key("k8s:ns:job"))
        await _send(client, "next", **labels)
        await _until(lambda: _async_len(redis, runs, 3))
    assert [r["n"] for r in await _runs(redis, runs)] == ["first", "other", "next"]


async def test_allow_runs_overlapping_runs(conf, env):
    tag, opts, redis = env
    runs = f"{tag}:runs"
    policy = SchedulePolicy(conf.url, prefix=f"{tag}:running")
    labels = {"schedule_id": "k8s:ns:job", "concurrency_policy": "Allow",
              SCHEDULED_AT: int(time.time())}
    async with JobClient(conf, opts) as client, \
            _worker(_broker(conf, opts, redis, runs, hold_s=1.0), policy):
        await _send(client, "a", **labels)
        await _send(client, "b", **labels)
        await _until(lambda: _async_len(redis, runs, 2), limit_s=0.9)  # both at once


async def test_starting_deadline_drops_late_first_attempts_only(conf, env):
    tag, opts, redis = env
    runs = f"{tag}:runs"
    policy = SchedulePolicy(conf.url, prefix=f"{tag}:running")
    now = int(time.time())
    base = {"schedule_id": "k8s:ns:job", "concurrency_policy": "Allow",
            "starting_deadline_seconds": 30}
    before = _skipped(Skip.DEADLINE)
    async with JobClient(conf, opts) as client, \
            _worker(_broker(conf, opts, redis, runs), policy):
        await _send(client, "late", **base, **{SCHEDULED_AT: now - 120})
        await _until(lambda: _async(_skipped(Skip.DEADLINE) == before + 1))
        await _send(client, "in-time", **base, **{SCHEDULED_AT: now - 5})
        # A retry continues its run: it is never dropped for lateness.
        await _send(client, "retry", **base, **{SCHEDULED_AT: now - 120, "_retries": 1})
        await _until(lambda: _async_len(redis, runs, 2))
    assert sorted(r["n"] for r in await _runs(redis, runs)) == ["in-time", "retry"]
    assert _skipped(Skip.DEADLINE) == before + 1


async def test_scheduler_stamps_cron_runs_and_worker_applies_deadline(conf, env):
    tag, opts, redis = env
    runs = f"{tag}:runs"
    policy = SchedulePolicy(conf.url, prefix=f"{tag}:running", lastrun_key=f"{tag}:lastrun")
    broker = _broker(conf, opts, redis, runs)
    before = _skipped(Skip.DEADLINE)
    client = JobClient(conf, opts)
    # A zero deadline is always missed (the run starts after its minute began); an
    # hour-long one never is.
    await upsert_cron(client.source, f"{tag}:missed", TASK, "* * * * *", "UTC", {"n": "x"},
                      labels={"concurrency_policy": "Forbid", "starting_deadline_seconds": 0})
    await upsert_cron(client.source, f"{tag}:kept", TASK, "* * * * *", "UTC", {"n": "k"},
                      labels={"concurrency_policy": "Forbid",
                              "starting_deadline_seconds": 3600})
    async with _worker(broker, policy):
        sched = asyncio.create_task(run_scheduler(build_broker(conf, opts), client.source,
                                                  update_interval_s=0.3))
        try:
            await _until(lambda: _async_len(redis, runs, 1))
            await _until(lambda: _async(_skipped(Skip.DEADLINE) == before + 1))
        finally:
            sched.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sched
    await client.close()
    (run,) = await _runs(redis, runs)
    assert run["n"] == "k"
    assert int(run["labels"][SCHEDULED_AT]) % 60 == 0
    assert time.time() - int(run["labels"][SCHEDULED_AT]) < 120
    lastrun = await redis.hgetall(f"{tag}:lastrun")
    assert set(lastrun) == {f"{tag}:kept".encode()}  # the dropped run did not start


async def _async(value):
    return value


async def _async_len(redis, key, count):
    return await redis.llen(key) >= count
