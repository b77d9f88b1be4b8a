"""Worker + scheduler on real Redis: delays, crashes, retries and live cron changes."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest
from looklook.data.testing import purge_keys
from looklook.jobs import (
    CONSUMER_GROUP,
    JobClient,
    JobsOptions,
    RetryPolicy,
    build_broker,
    upsert_cron,
)
from looklook.jobs.runtime import run_scheduler, run_worker
from looklook.jobs.schedules import remove_schedule
from looklook.settings import RedisConf
from redis.asyncio import Redis

TASK = "t:jobs:record"


@pytest.fixture
def conf(infra):
    return RedisConf(host=infra.redis_host, port=infra.redis_port, db=5)


@pytest.fixture
async def env(conf):
    """Options isolating this test's stream/schedules, plus a Redis list of task runs."""
    tag = f"t_jobs:{uuid.uuid4().hex}"
    opts = JobsOptions(
        retry=RetryPolicy(max_retry=3, delay_scale=0.01),
        claim_idle_s=1.0,
        read_block_ms=200,
        schedule_prefix=f"{tag}:schedule",
        stream_key=f"{tag}:queue",
    )
    redis = Redis.from_url(conf.url)
    yield opts, redis, f"{tag}:runs"
    await purge_keys(conf, f"{tag}:")
    await redis.aclose()


def _worker_broker(conf, opts, redis, runs_key, behaviour=None):
    """A broker with TASK registered; ``behaviour(payload, attempt)`` may raise or block."""
    broker = build_broker(conf, opts)

    @broker.task(task_name=TASK)
    async def record(payload: dict) -> None:
        attempt = await redis.rpush(runs_key, payload.get("n", "?"))
        if behaviour is not None:
            await behaviour(payload, attempt)

    return broker


@contextlib.asynccontextmanager
async def _running(coro):
    task = asyncio.create_task(coro)
    try:
        await asyncio.sleep(0.3)
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _wait_runs(redis, key, count, limit_s=10.0):
    for _ in range(int(limit_s / 0.05)):
        if await redis.llen(key) >= count:
            return [v.decode() for v in await redis.lrange(key, 0, -1)]
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} runs, got {await redis.llen(key)}")


async def test_immediate_job_runs_once_and_leaves_no_stream_entry(conf, env):
    opts, redis, runs = env
    async with JobClient(conf, opts) as client:
        await client.enqueue(TASK, {"n": "1"})
    async with _running(run_worker(_worker_broker(conf, opts, redis, runs))):
        assert await _wait_runs(redis, runs, 1) == ["1"]
        await asyncio.sleep(0.3)
    assert await redis.xlen(opts.stream_key) == 0  # acked entries are deleted


async def test_delayed_job_survives_worker_and_scheduler_restart(conf, env):
    opts, redis, runs = env
    async with JobClient(conf, opts) as client:
        await client.enqueue_in(TASK, {"n": "late"}, 2.0)
    # First generation of worker and scheduler dies before the job is due.
    async with _running(run_worker(_worker_broker(conf, opts, redis, runs))):
        async with _running(run_scheduler(build_broker(conf, opts), client.source,
                                          update_interval_s=0.5)):
            await asyncio.sleep(0.5)
    assert await redis.llen(runs) == 0
    # Fresh processes pick it up from Redis.
    async with _running(run_worker(_worker_broker(conf, opts, redis, runs))):
        async with _running(run_scheduler(build_broker(conf, opts),
                                          JobClient(conf, opts).source,
                                          update_interval_s=0.5)):
            assert await _wait_runs(redis, runs, 1) == ["late"]
            await asyncio.sleep(1.5)
    assert await redis.llen(runs) == 1


async def test_job_due_while_the_scheduler_was_down_runs_when_it_is_back(conf, env):
    """A delayed job whose minute passed with no scheduler running (a restart, a rollout)
    sits in a past per-minute bucket; the next scheduler must still run it, once.
    The prefix has colons, as in production (`looklook:jobs:schedule`)."""
    opts, redis, runs = env
    assert ":" in opts.schedule_prefix
    async with JobClient(conf, opts) as client:
        await client.enqueue_in(TASK, {"n": "overdue"}, -180.0)  # due three minutes ago
    async with _running(run_worker(_worker_broker(conf, opts, redis, runs))):
        async with _running(run_scheduler(build_broker(conf, opts),
                                          JobClient(conf, opts).source,
                                          update_interval_s=0.5)):
            assert await _wait_runs(redis, runs, 1) == ["overdue"]
            await asyncio.sleep(1.5)
    assert await redis.llen(runs) == 1


async def test_task_of_a_crashed_worker_is_claimed_by_another(conf, env):
    opts, redis, runs = env
    async with JobClient(conf, opts) as client:
        await client.enqueue(TASK, {"n": "x"})
    # A worker that took the task and died: it read the entry as a group consumer and
    # never acknowledged it. That pending entry is all a crash leaves in Redis.
    dead = await redis.xreadgroup(CONSUMER_GROUP, "dead-worker", {opts.stream_key: ">"})
    assert len(dead[0][1]) == 1
    async with _running(run_worker(_worker_broker(conf, opts, redis, runs))):
        assert await _wait_runs(redis, runs, 1) == ["x"]  # claimed after claim_idle_s
        await asyncio.sleep(0.5)
    assert await redis.xlen(opts.stream_key) == 0
    assert await redis.llen(runs) == 1


async def test_failed_task_is_retried_through_the_schedule_source(conf, env):
    opts, redis, runs = env

    async def fail_twice(payload, attempt):
        if attempt <= 2:
            raise RuntimeError("transient")

    async with JobClient(conf, opts) as client:
        await client.enqueue(TASK, {"n": "r"})
    async with _running(run_worker(_worker_broker(conf, opts, redis, runs, fail_twice))):
        async with _running(run_scheduler(build_broker(conf, opts), client.source,
                                          update_interval_s=0.3)):
            assert await _wait_runs(redis, runs, 3) == ["r", "r", "r"]
            await asyncio.sleep(1.0)
    assert await redis.llen(runs) == 3  # succeeded on the third attempt, no more


async def test_running_scheduler_picks_up_added_and_removed_crons(conf, env):
    opts, redis, runs = env
    client = JobClient(conf, opts)
    async with _running(run_worker(_worker_broker(conf, opts, redis, runs))):
        async with _running(run_scheduler(build_broker(conf, opts), client.source,
                                          update_interval_s=0.3)):
            # "* * * * *" is due for the whole current minute: it fires at the next
            # refresh, once (the loop then waits 60 s before firing it again).
            await upsert_cron(client.source, "c1", TASK, "* * * * *", "UTC", {"n": "a"})
            assert await _wait_runs(redis, runs, 1) == ["a"]
            # Removal is seen: the scheduler forgets c1's last run, so re-adding the
            # same id fires again at once (it would wait 60 s had it missed the removal).
            await remove_schedule(client.source, "c1")
            await asyncio.sleep(1.0)
            await upsert_cron(client.source, "c1", TASK, "* * * * *", "UTC", {"n": "b"})
            assert await _wait_runs(redis, runs, 2) == ["a", "b"]
            await remove_schedule(client.source, "c1")
    await client.close()
