"""The job and scheduler processes, wired as `looklook-mqueue job|scheduler` run them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator

import pytest
from looklook.data.testing import purge_keys
from looklook.jobs import JobClient
from looklook.jobs.types import (
    CLOSE_ORDER,
    PAY_SUCCESS_NOTIFY_USER,
    SETTLE_RECORD,
    CloseOrderPayload,
    PaySuccessNotifyPayload,
)
from looklook.lifecycle import Lifecycle, serve
from looklook.pb import pb
from looklook.settings import RedisConf
from looklook.testing import grpc_server, process_settings
from mqueue.config import JobSettings, SchedulerSettings
from mqueue.main import job_main, scheduler_main
from prometheus_client import REGISTRY

from .peers import FakeOrderRpc, FakePaymentRpc, FakeUsercenterRpc


def settle_runs() -> float:
    return REGISTRY.get_sample_value("mqueue_settle_record_runs_total") or 0.0


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


@contextlib.asynccontextmanager
async def _stack(redis_env, order: FakeOrderRpc, payment: FakePaymentRpc,
                 usercenter: FakeUsercenterRpc, **sched: object) -> AsyncIterator[JobClient]:
    """job + scheduler processes on real peers; yields a client for their queue."""
    ns, redis_conf = redis_env
    jobs = {"namespace": ns, "retry_delay_scale": 0.01}
    async with (
        grpc_server(order) as order_ep,
        grpc_server(payment) as payment_ep,
        grpc_server(usercenter) as uc_ep,
    ):
        job = process_settings(
            JobSettings, name="mqueue-job", redis=redis_conf, jobs=jobs,
            order_rpc={"endpoint": order_ep}, payment_rpc={"endpoint": payment_ep},
            usercenter_rpc={"endpoint": uc_ep}, notify={"wait_s": 0},
            wx_mini={"app_id": "wx", "base_url": "http://127.0.0.1:1"},
        )
        scheduler = process_settings(
            SchedulerSettings, name="mqueue-scheduler", redis=redis_conf, jobs=jobs,
            update_interval_s=0.3, **sched,
        )
        client = JobClient(redis_conf, scheduler.jobs.options())
        async with client, _process(job_main, job), _process(scheduler_main, scheduler):
            yield client


async def _until(cond, timeout_s: float = 8.0) -> None:
    for _ in range(int(timeout_s / 0.05)):
        if cond():
            return
        await asyncio.sleep(0.05)


async def test_delayed_close_order_runs_through_scheduler_and_worker(redis_env):
    fake = FakeOrderRpc({"HSO1": pb.HomestayOrder(id=1, sn="HSO1", trade_state=0)})
    before = settle_runs()
    async with _stack(
        redis_env, fake, FakePaymentRpc(), FakeUsercenterRpc({}),
        static_schedules=[{"id": "settle", "task": SETTLE_RECORD, "cron": "* * * * *"}],
    ) as client:
        await client.enqueue_in(CLOSE_ORDER, CloseOrderPayload(Sn="HSO1"), 1.0)
        await client.enqueue(CLOSE_ORDER, {"bogus": True})  # invalid: dropped, no retry
        await _until(lambda: fake.updates and settle_runs() > before)
    assert fake.updates == [("HSO1", -1)]
    assert settle_runs() == before + 1  # the static cron fired once


async def test_payment_rpc_failure_retries_then_paid_order_is_not_cancelled(redis_env):
    fake = FakeOrderRpc({"HSO2": pb.HomestayOrder(id=2, sn="HSO2", trade_state=0)})
    payment = FakePaymentRpc({"HSO2": "PMT2"}, fail_calls=1)
    async with _stack(redis_env, fake, payment, FakeUsercenterRpc({})) as client:
        await client.enqueue(CLOSE_ORDER, CloseOrderPayload(Sn="HSO2"))
        await _until(lambda: fake.updates)
    assert payment.calls == ["HSO2", "HSO2"]  # failed once, retried
    assert fake.updates == [("HSO2", 1)]


async def test_missing_openid_is_one_warning_and_no_retry(redis_env, caplog):
    usercenter = FakeUsercenterRpc({})
    row = {"Sn": "HSO3", "UserId": 99, "LiveStartDate": 1700000000, "LiveEndDate": 1700086400}
    caplog.set_level(logging.WARNING)
    async with _stack(redis_env, FakeOrderRpc({}), FakePaymentRpc(), usercenter) as client:
        await client.enqueue(PAY_SUCCESS_NOTIFY_USER, PaySuccessNotifyPayload(Order=row))
        await _until(lambda: usercenter.calls)
        await asyncio.sleep(2.0)  # a retry (≤ 0.74 s delay + scheduler tick) would show
    assert usercenter.calls == 1
    ours = [r for r in caplog.records if "no wxMini auth" in r.getMessage()]
    assert [(r.levelno, r.exc_info) for r in ours] == [(logging.WARNING, None)]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
