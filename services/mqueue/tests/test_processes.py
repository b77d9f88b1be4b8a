"""The job and scheduler processes, wired as `looklook-mqueue job|scheduler` run them."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest
from looklook.data.testing import purge_keys
from looklook.jobs import JobClient
from looklook.jobs.types import CLOSE_ORDER, SETTLE_RECORD, CloseOrderPayload
from looklook.lifecycle import Lifecycle, serve
from looklook.pb import pb
from looklook.settings import RedisConf
from looklook.testing import grpc_server, process_settings
from mqueue.config import JobSettings, SchedulerSettings
from mqueue.logic.settle_record import SETTLE_RUNS
from mqueue.main import job_main, scheduler_main

from .peers import FakeOrderRpc


@contextlib.asynccontextmanager
async def _process(main, settings):
    lc = Lifecycle(grace_s=2.0)
    task = asyncio.create_task(serve(lambda lc_: main(settings, lc_), lc))
    await asyncio.sleep(0.3)
    try:
        yield
    finally:
        lc.request_shutdown()
        await task


@pytest.fixture
async def redis_env(infra):
    ns = f"t_mqueue:{uuid.uuid4().hex}"
    conf = RedisConf(host=infra.redis_host, port=infra.redis_port, db=5)
    yield ns, conf
    await purge_keys(conf, f"{ns}:")


async def test_delayed_close_order_runs_through_scheduler_and_worker(redis_env):
    ns, redis_conf = redis_env
    jobs = {"namespace": ns, "retry_delay_scale": 0.01}
    fake = FakeOrderRpc({"HSO1": pb.HomestayOrder(id=1, sn="HSO1", trade_state=0)})
    async with grpc_server(fake) as endpoint:
        job = process_settings(
            JobSettings, name="mqueue-job", redis=redis_conf, jobs=jobs,
            order_rpc={"endpoint": endpoint}, usercenter_rpc={"endpoint": endpoint},
            wx_mini={"app_id": "wx", "base_url": "http://127.0.0.1:1"},
        )
        sched = process_settings(
            SchedulerSettings, name="mqueue-scheduler", redis=redis_conf, jobs=jobs,
            update_interval_s=0.3,
            static_schedules=[{"id": "settle", "task": SETTLE_RECORD, "cron": "* * * * *"}],
        )
        before = SETTLE_RUNS._value.get()
        client = JobClient(redis_conf, sched.jobs.options())
        async with client:
            await client.enqueue_in(CLOSE_ORDER, CloseOrderPayload(Sn="HSO1"), 1.0)
            await client.enqueue(CLOSE_ORDER, {"bogus": True})  # invalid: dropped, no retry
        async with _process(job_main, job), _process(scheduler_main, sched):
            for _ in range(100):
                if fake.updates and SETTLE_RUNS._value.get() > before:
                    break
                await asyncio.sleep(0.05)
    assert fake.updates == [("HSO1", -1)]
    assert SETTLE_RUNS._value.get() == before + 1  # the static cron fired once
